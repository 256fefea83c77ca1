/*
 * Promise 6: lending costs the same for 4 KiB and 16 MiB within a small
 * factor: on Linux, large lends share the caller's memfd pages and never copy
 * them.
 *
 * No timing threshold here: the check is structural. The server thread (in
 * this process) looks its mapping of a lent buffer up in /proc/self/maps and
 * finds the very file and file offset that back the caller's buffer, so the
 * pages are shared, not copied. Contents are checked both ways at every size.
 * The time per lend is printed as information only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "itest.h"

enum { OP_CHECK = 1, OP_TIME = 2, OP_QUIT = 3 };

struct backing {
	unsigned long long inode, offset; /* file offset of the address itself */
	int found;
};

static xous_sid_t sid;
static struct backing lent_backing; /* filled by the server for each OP_CHECK */
static uint32_t seed_in, seed_out;

static struct backing backing_of(const void *addr)
{
	struct backing b = {0, 0, 0};

	b.found = itest_backing(addr, &b.inode, &b.offset);
	return b;
}

static void *server(void *arg)
{
	xous_envelope_t env;

	(void)arg;
	while (xous_receive_message(&sid, &env) == XOUS_OK) {
		if (env.kind == XOUS_SCALAR && env.scalar.id == OP_QUIT)
			break;
		if (env.kind == XOUS_MUTABLE_BORROW && env.memory.id == OP_CHECK) {
			lent_backing = backing_of(env.memory.buf.addr);
			if (itest_verify(env.memory.buf.addr, env.memory.buf.len, seed_in))
				itest_fill(env.memory.buf.addr, env.memory.buf.len, seed_out);
		}
		xous_envelope_done(&env);
	}
	return NULL;
}

static double lend_us(xous_cid_t cid, xous_range_t buf)
{
	struct timespec a, b;
	size_t off, valid;
	const int reps = 20;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < reps; i++)
		xous_lend_mut(cid, OP_TIME, buf, 0, 0, &off, &valid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / reps;
}

/* Lend a `len` slice that starts `skip` pages into a bigger region. */
static double one_size(xous_cid_t cid, size_t len, size_t skip, int must_share)
{
	xous_range_t region, buf;
	size_t off, valid;

	REQUIRE(xous_map_memory(len + skip * XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &region) ==
	                XOUS_OK,
	        "map %zu KiB", len / 1024);
	buf.addr = (char *)region.addr + skip * XOUS_PAGE_SIZE;
	buf.len = len;
	struct backing mine = backing_of(buf.addr);
	seed_in = (uint32_t)len + 1;
	seed_out = (uint32_t)len + 2;
	itest_fill(buf.addr, len, seed_in);
	memset(&lent_backing, 0, sizeof lent_backing);
	CHECK_ERR(xous_lend_mut(cid, OP_CHECK, buf, 0, len, &off, &valid), XOUS_OK,
	          "lend_mut %zu KiB at page %zu of a region", len / 1024, skip);
	CHECK(itest_verify(buf.addr, len, seed_out),
	      "%zu KiB: the server saw the caller's bytes, the caller sees the server's",
	      len / 1024);
	int shared = mine.found && lent_backing.found && mine.inode == lent_backing.inode &&
	             mine.offset == lent_backing.offset;
	if (must_share)
		CHECK(shared,
		      "%zu KiB: the server mapped the caller's own pages (inode %llu, offset "
		      "%llu), no copy",
		      len / 1024, mine.inode, mine.offset);
	else
		itest_note("%zu KiB: %s", len / 1024,
		           shared ? "shared pages" : "copied (allowed for small lends)");
	double us = lend_us(cid, buf);
	xous_unmap_memory(region);
	return us;
}

int main(void)
{
	xous_tid_t tid;
	xous_cid_t cid;

	REQUIRE(xous_create_server(&sid) == XOUS_OK && xous_connect(&sid, &cid) == XOUS_OK,
	        "create a server and connect");
	REQUIRE(xous_create_thread(server, NULL, &tid) == XOUS_OK, "start the server thread");
	double small = one_size(cid, 4096, 0, 0);
	one_size(cid, 64 * 1024, 3, 0);
	one_size(cid, 1024 * 1024, 1, 0);
	double big = one_size(cid, 16 * 1024 * 1024, 5, 1);
	itest_note("lend_mut round trip: 4 KiB %.1f us, 16 MiB %.1f us (x%.1f; information only)",
	           small, big, big / small);
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	CHECK_ERR(xous_join_thread(tid, NULL), XOUS_OK, "join the server");
	return itest_done();
}
