/*
 * resea_test: the checks of Resea's own test application, on our servers
 * (needs the default fleet): an IPC nop; out-of-line payloads of 0 bytes,
 * 3 bytes and 2 pages that come back intact; a shm region created, mapped
 * and written; NotFound for an id never created and for a closed one; and a
 * cross-task read of "hello task" from a region the shm_test task made.
 */
#include <stdlib.h>
#include <string.h>

#include <resea/benchmark.h>
#include <resea/shm.h>
#include <resea/shm_test.h>

#include "conf.h"

static void ipc_nop(void)
{
	int32_t out = 0;

	CHECK_OK(benchmark_nop(123, &out));
	CHECK(out == 123);
}

static void ipc_ool(size_t len)
{
	char *data = malloc(len + 1);
	void *out = NULL;
	size_t out_len = len + 1;

	CHECK(data != NULL);
	if (data == NULL)
		return;
	conf_fill(data, len, (unsigned)len + 1);
	CHECK_OK(benchmark_nop_with_ool(data, len, &out, &out_len));
	CHECK(out_len == len);
	CHECK(len == 0 || (out != NULL && memcmp(out, data, len) == 0));
	free(out);
	free(data);
}

static void shm_create_map_close(void)
{
	int32_t id = 0;
	void *p = NULL;

	CHECK_OK(shm_create(4096, &id));
	CHECK_OK(shm_map(id, true, &p));
	if (p != NULL) {
		memcpy(p, "written", 8);
		CHECK(strcmp(p, "written") == 0);
	}
	CHECK_OK(shm_close(id));
	CHECK_ERR(shm_map(id, false, &p), XOUS_ERR_NOT_FOUND); /* closed */
}

static void shm_unused_id(void)
{
	void *p = NULL;

	CHECK_ERR(shm_map(0x7fff0000, false, &p), XOUS_ERR_NOT_FOUND);
}

static void shm_cross_task_read(void)
{
	int32_t id = 0;
	void *p = NULL;

	CHECK_OK(shm_test_read(&id));
	CHECK_OK(shm_map(id, false, &p));
	CHECK(p != NULL && strcmp(p, "hello task") == 0);
}

int main(void)
{
	ipc_nop();
	ipc_ool(0);
	ipc_ool(3);
	ipc_ool(2 * 4096);
	shm_create_map_close();
	shm_unused_id();
	shm_cross_task_read();
	return conf_end("resea_test");
}
