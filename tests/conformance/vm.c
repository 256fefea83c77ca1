/*
 * vm: the "vm" and "ool" servers of the default fleet (<resea/vm.h>,
 * <resea/ool.h>). Fresh pages are zeroed and shared by their physical
 * address (a second mapping of the same paddr sees the first one's writes,
 * also from another thread); addresses vm did not hand out are refused.
 * ool carries payloads of 0, 3 bytes and 2 pages (Resea's own test) into
 * the registered buffer, and refuses what the protocol does not allow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <resea/ool.h>
#include <resea/vm.h>

#include "conf.h"

#define PAGE XOUS_PAGE_SIZE

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Another thread maps the page at arg's paddr anew and writes into it. */
static void *writer(void *arg)
{
	void *v;

	if (vm_alloc_pages(1, *(uintptr_t *)arg, &v, NULL) != XOUS_OK)
		return (void *)1;
	conf_fill(v, PAGE, 9);
	return NULL;
}

static void pages(void)
{
	uintptr_t pa = 0, pa2 = 0;
	void *v = NULL, *v2 = NULL, *ret = (void *)1;
	xous_tid_t t;

	CHECK_OK(vm_alloc_pages(2, 0, &v, &pa));
	CHECK(pa != 0 && pa % PAGE == 0 && v != NULL);
	if (v == NULL)
		return;
	CHECK(all_zero(v, 2 * PAGE));
	conf_fill(v, 2 * PAGE, 3);
	/* the same pages through their physical address: a second mapping */
	CHECK_OK(vm_alloc_pages(1, pa + PAGE, &v2, &pa2));
	CHECK(pa2 == pa + PAGE && v2 != NULL && v2 != (char *)v + PAGE);
	if (v2)
		CHECK(conf_has(v2, PAGE, (unsigned)(3 + PAGE * 7)));
	/* written through another mapping, by another thread */
	CHECK_OK(xous_create_thread(writer, &pa, &t));
	CHECK_OK(xous_join_thread(t, &ret));
	CHECK(ret == NULL);
	CHECK(conf_has(v, PAGE, 9));
	/* a second allocation is other pages */
	CHECK_OK(vm_alloc_pages(1, 0, &v2, &pa2));
	CHECK(pa2 != pa && pa2 != pa + PAGE && all_zero(v2, PAGE));

	CHECK_ERR(vm_alloc_pages(0, 0, &v2, NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(vm_alloc_pages(1, 0, NULL, NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(vm_alloc_pages(1, pa + 1, &v2, NULL), XOUS_ERR_BAD_ALIGNMENT);
	CHECK_ERR(vm_alloc_pages(3, pa, &v2, NULL), XOUS_ERR_ACCESS_DENIED); /* past the run */
	CHECK_ERR(vm_alloc_pages(1, 0x1000, &v2, NULL), XOUS_ERR_ACCESS_DENIED);
	CHECK_ERR(vm_alloc_pages((size_t)1 << 30, 0, &v2, NULL), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_ERR(vm_alloc_pages(200 * 1024, 0, &v2, NULL), XOUS_ERR_OUT_OF_MEMORY);
}

/* One payload of n bytes from this task to itself, through buf. */
static void round_trip(uint8_t *buf, size_t cap, size_t n, unsigned seed)
{
	uint8_t *data = malloc(n ? n : 1);
	uintptr_t id = 0;
	void *at = NULL;
	task_t self = xous_process_id();

	if (data == NULL)
		return;
	conf_fill(data, n, seed);
	memset(buf, 0xee, cap);
	CHECK_OK(ool_recv(buf, cap));
	CHECK_OK(ool_send(self, data, n, &id));
	CHECK(id == (uintptr_t)buf);
	CHECK_OK(ool_verify(self, id, n, &at));
	CHECK(at == buf);
	CHECK(conf_has(buf, n, seed));
	CHECK(n == cap || buf[n] == 0xee); /* nothing past the payload */
	free(data);
}

static void ool(void)
{
	static uint8_t buf[2 * PAGE] __attribute__((aligned(PAGE)));
	task_t self = xous_process_id();
	uintptr_t id = 0;
	void *at = NULL;

	round_trip(buf, sizeof(buf), 0, 1);
	round_trip(buf, sizeof(buf), 3, 2);
	round_trip(buf, sizeof(buf), 2 * PAGE, 3);

	/* nobody registered, or too small: no room */
	CHECK_ERR(ool_send(self, "abc", 3, &id), XOUS_ERR_NO_SPACE);
	CHECK_OK(ool_recv(buf, 2));
	CHECK_ERR(ool_send(self, "abc", 3, &id), XOUS_ERR_NO_SPACE);
	CHECK_ERR(ool_recv(buf, 2), XOUS_ERR_ALREADY_EXISTS);
	CHECK_ERR(ool_recv(buf + 1, 2), XOUS_ERR_BAD_ALIGNMENT);
	CHECK_ERR(ool_recv(buf, 0), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(ool_send(self, "ab", 2, &id));
	/* wrong source, id or length; then the right ones */
	CHECK_ERR(ool_verify(self + 1, id, 2, &at), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(ool_verify(self, id + PAGE, 2, &at), XOUS_ERR_NOT_FOUND);
	CHECK_ERR(ool_verify(self, id, 3, &at), XOUS_ERR_INVALID_ARGUMENT);
	CHECK_OK(ool_verify(self, id, 2, &at));
	CHECK(memcmp(buf, "ab", 2) == 0);
	CHECK_ERR(ool_verify(self, id, 2, &at), XOUS_ERR_NOT_FOUND); /* taken */
	CHECK_ERR(ool_send(self, NULL, 3, &id), XOUS_ERR_INVALID_ARGUMENT);
}

int main(void)
{
	pages();
	ool();
	return conf_end("vm");
}
