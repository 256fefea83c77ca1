/*
 * pager: pagers on both kernels (CONTRACT section 7, docs/resea-pager.md).
 * A paged region filled on first touch by a pager thread of this program
 * (offset the touched address, valid 1 for a write, each page asked once);
 * a launched task that faults reported to the pager its launcher set, with
 * type, address and ip, and to its watcher with the cause; the default
 * pager (the task server) giving zero pages and its cause in the exited
 * notification; a pager that goes away while a task waits for a page ends
 * only that task, with the cause XOUS_EXC_PAGER; SetPager's refusals.
 */
#include <string.h>

#include <resea/global.h>
#include <resea/task.h>
#include <xous/names.h>

#include "conf.h"

#define EXITED 0x52
#define HELPER "conformance-pager-helper"
#define PAGES  4

#ifdef __riscv
#define FAULT_STATUS (256 + 15) /* a store page fault's scause */
#define PAGER_STATUS (256 + 13) /* a load page fault's scause */
#else
#define FAULT_STATUS (256 + 11) /* SIGSEGV */
#define PAGER_STATUS (256 + 11)
#endif

static xous_sid_t pager_sid;
static volatile uintptr_t faults[8], writes[8];
static volatile unsigned nfaults;

/* The pager thread: page p of a region is filled with seed p + 1; the
 * Scalar opcode 0 ends it. */
static void *pager_main(void *arg)
{
	uintptr_t base = (uintptr_t)arg;
	xous_envelope_t env;

	while (xous_receive_message(&pager_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == 0)
			break;
		if (env.kind != XOUS_MUTABLE_BORROW || env.memory.id != GLOBAL_PAGE_FAULT) {
			xous_envelope_done(&env);
			continue;
		}
		uintptr_t addr = env.memory.offset;
		unsigned page = (unsigned)((addr - base) / XOUS_PAGE_SIZE);

		if (nfaults < 8) {
			faults[nfaults] = addr;
			writes[nfaults] = env.memory.valid;
		}
		nfaults++;
		conf_fill(env.memory.buf.addr, env.memory.buf.len, page + 1);
		xous_envelope_done(&env);
	}
	return NULL;
}

static void a_paged_region_is_filled_on_first_touch(void)
{
	xous_tid_t tid;
	xous_cid_t cid;
	uint8_t *r = NULL;

	CHECK_OK(xous_create_server(&pager_sid));
	CHECK_OK(global_set_pager(xous_process_id(), &pager_sid));
	CHECK_OK(global_paged_region(PAGES * XOUS_PAGE_SIZE, (void **)&r));
	if (!r)
		return;
	CHECK_OK(xous_create_thread(pager_main, r, &tid));
	CHECK(r[5] == (uint8_t)(5 * 7 + 1)); /* a read of page 0 */
	r[2 * XOUS_PAGE_SIZE + 9] = 0xee;    /* a write to page 2 */
	CHECK(conf_has(r, XOUS_PAGE_SIZE, 1));
	CHECK(r[2 * XOUS_PAGE_SIZE + 9] == 0xee);
	CHECK(conf_has(r + 2 * XOUS_PAGE_SIZE, 9, 3));
	CHECK(r[3 * XOUS_PAGE_SIZE] == 4); /* byte 0 of page 3 */
	CHECK(nfaults == 3);               /* pages 0, 2, 3; each once */
	CHECK(faults[0] == (uintptr_t)r + 5 && writes[0] == 0);
	CHECK(faults[1] == (uintptr_t)r + 2 * XOUS_PAGE_SIZE + 9 && writes[1] == 1);
	CHECK(faults[2] == (uintptr_t)r + 3 * XOUS_PAGE_SIZE && writes[2] == 0);
	CHECK_OK(xous_connect(&pager_sid, &cid));
	CHECK_OK(xous_send_scalar(cid, 0, 0, 0, 0, 0));
	CHECK_OK(xous_join_thread(tid, NULL));
	CHECK_OK(xous_disconnect(cid));
}

static void the_default_pager_gives_zero_pages(void)
{
	uint8_t *r = NULL;

	CHECK_OK(global_set_pager(xous_process_id(), NULL));
	CHECK_OK(global_paged_region(2 * XOUS_PAGE_SIZE, (void **)&r));
	if (!r)
		return;
	CHECK(r[XOUS_PAGE_SIZE + 3] == 0);
	r[7] = 9;
	CHECK(r[7] == 9 && r[8] == 0);
}

/* Launch the helper in mode, watched on watch, its pager pager (NULL: the
 * default), and let it go. */
static task_t launch(const char *mode, const xous_sid_t *go, const xous_sid_t *watch,
                     const xous_sid_t *pager)
{
	char line[64];
	xous_envelope_t env;
	task_t t = 0;

	snprintf(line, sizeof(line), HELPER " %s", mode);
	CHECK_OK(task_launch(line, &t));
	CHECK_OK(task_watch(t, watch, EXITED));
	if (pager)
		CHECK_OK(global_set_pager(t, pager));
	CHECK_OK(xous_receive_message(go, &env));
	CHECK(xous_sender_pid(env.sender) == t);
	CHECK_OK(xous_return_scalar(env.sender, 0));
	return t;
}

/* The next message on sid is Scalar(id, a0, a1, ...): its four words. */
static void expect_scalar(const xous_sid_t *sid, uint32_t id, uintptr_t a[4])
{
	xous_envelope_t env;

	CHECK_OK(xous_receive_message(sid, &env));
	CHECK(env.kind == XOUS_SCALAR);
	CHECK(env.scalar.id == id);
	memcpy(a, env.scalar.arg, 4 * sizeof(uintptr_t));
	CHECK(id != GLOBAL_EXCEPTION || xous_sender_pid(env.sender) == 1);
}

static void faults_reach_the_pager_and_the_watcher(const xous_sid_t *go)
{
	xous_sid_t watch, pager;
	uintptr_t a[4];
	task_t t;

	CHECK_OK(xous_create_server(&watch));
	CHECK_OK(xous_create_server(&pager));
	t = launch("fault", go, &watch, &pager);
	expect_scalar(&pager, GLOBAL_EXCEPTION, a);
	CHECK(a[0] == t && a[1] == XOUS_EXC_BAD_ACCESS && a[2] == 16 && a[3] != 0);
	expect_scalar(&watch, EXITED, a);
	CHECK(a[0] == t && a[1] == FAULT_STATUS);
	/* the default pager: the cause comes with the exited notification */
	t = launch("fault", go, &watch, NULL);
	expect_scalar(&watch, EXITED, a);
	CHECK(a[0] == t && a[1] == FAULT_STATUS && a[2] == XOUS_EXC_BAD_ACCESS && a[3] == 16);
}

static void a_pager_that_goes_ends_only_its_task(const xous_sid_t *go)
{
	xous_sid_t watch, pager;
	xous_envelope_t env;
	uintptr_t a[4];
	task_t t;

	CHECK_OK(xous_create_server(&watch));
	CHECK_OK(xous_create_server(&pager));
	t = launch("touch", go, &watch, &pager);
	CHECK_OK(xous_receive_message(&pager, &env));
	CHECK(env.kind == XOUS_MUTABLE_BORROW && env.memory.id == GLOBAL_PAGE_FAULT);
	CHECK(xous_sender_pid(env.sender) == t && env.memory.valid == 0);
	CHECK_OK(xous_destroy_server(&pager)); /* the page never comes */
	expect_scalar(&watch, EXITED, a);
	CHECK(a[0] == t && a[1] == PAGER_STATUS && a[2] == XOUS_EXC_PAGER);
	CHECK(a[3] == env.memory.offset);
}

static void set_pager_refusals(const xous_sid_t *go)
{
	xous_sid_t nobody = {{1, 2, 3, 4}};

	CHECK_ERR(global_set_pager(xous_process_id(), &nobody), XOUS_ERR_SERVER_NOT_FOUND);
	CHECK_ERR(global_set_pager(1000, go), XOUS_ERR_PROCESS_NOT_FOUND);
	/* the name server: neither this program's nor launched by it */
	CHECK_ERR(global_set_pager(2, go), XOUS_ERR_ACCESS_DENIED);
}

int main(void)
{
	xous_sid_t go;

	a_paged_region_is_filled_on_first_touch();
	the_default_pager_gives_zero_pages();
	CHECK_OK(xns_register_name("conf-pager-go", 0, &go));
	faults_reach_the_pager_and_the_watcher(&go);
	a_pager_that_goes_ends_only_its_task(&go);
	set_pager_refusals(&go);
	return conf_end("pager");
}
