/*
 * pager_fs: the demo pager of docs/resea-pager.md on both kernels: a file
 * of the fs server mapped into memory. The program writes /paged.bin, then
 * a pager thread of its own serves a paged region from it on demand: each
 * first touch of a page is one fs_read at the page's offset in the file
 * (the bytes past the end of the file are zeros). Reading the whole region
 * back must give the file, with exactly one read per page, in the order
 * touched.
 */
#include <string.h>

#include <resea/fs.h>
#include <resea/global.h>

#include "conf.h"

#define FILE_LEN (3 * XOUS_PAGE_SIZE + 100)
#define PAGES    4
#define SEED     9

static xous_sid_t pager_sid;
static fs_handle_t file;
static uintptr_t base;
static volatile unsigned reads, failed;

/* Serve page faults from the file until the Scalar opcode 0. */
static void *file_pager(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&pager_sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == 0)
			break;
		if (env.kind == XOUS_MUTABLE_BORROW && env.memory.id == GLOBAL_PAGE_FAULT) {
			uint64_t off = (env.memory.offset - base) & ~(uint64_t)(XOUS_PAGE_SIZE - 1);
			size_t got = 0;

			memset(env.memory.buf.addr, 0, env.memory.buf.len);
			failed += fs_read(file, off, XOUS_PAGE_SIZE, env.memory.buf.addr, &got) !=
			          XOUS_OK;
			reads++;
		}
		xous_envelope_done(&env);
	}
	return NULL;
}

int main(void)
{
	static uint8_t data[FILE_LEN];
	uint8_t *map = NULL;
	xous_tid_t tid;
	xous_cid_t cid;

	conf_fill(data, sizeof(data), SEED);
	CHECK_OK(fs_create("/paged.bin", true, &file));
	CHECK_OK(fs_write(file, 0, data, sizeof(data)));
	CHECK_OK(xous_create_server(&pager_sid));
	CHECK_OK(global_set_pager(xous_process_id(), &pager_sid));
	CHECK_OK(global_paged_region(PAGES * XOUS_PAGE_SIZE, (void **)&map));
	if (!map)
		return conf_end("pager_fs");
	base = (uintptr_t)map;
	CHECK_OK(xous_create_thread(file_pager, NULL, &tid));
	CHECK(map[XOUS_PAGE_SIZE + 1] == data[XOUS_PAGE_SIZE + 1]); /* page 1 first */
	CHECK(reads == 1);
	CHECK(memcmp(map, data, sizeof(data)) == 0);
	for (size_t i = sizeof(data); i < PAGES * XOUS_PAGE_SIZE; i++)
		CHECK(map[i] == 0);
	CHECK(reads == PAGES && failed == 0);
	CHECK(memcmp(map, data, sizeof(data)) == 0); /* present now: no more reads */
	CHECK(reads == PAGES);
	CHECK_OK(xous_connect(&pager_sid, &cid));
	CHECK_OK(xous_send_scalar(cid, 0, 0, 0, 0, 0));
	CHECK_OK(xous_join_thread(tid, NULL));
	CHECK_OK(fs_close(file));
	return conf_end("pager_fs");
}
