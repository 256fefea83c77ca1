/*
 * Promise 6: lending a whole region costs the same for 4 KiB and 16 MiB
 * within a small factor: on Linux, large lends share the region's memfd
 * pages and never copy them. A lend of part of a region exposes nothing
 * outside that part (on Linux it is copied).
 *
 * No timing threshold here: the checks are structural. The server thread
 * (in this process) looks its mapping of a lent buffer up in
 * /proc/self/maps: for a whole 16 MiB region it finds the very file and
 * file offset that back the caller's buffer (shared, not copied; with
 * --strict-lend a copy); for a part of a region never the caller's file,
 * and growing its mapping with mremap reaches no byte of the caller's page
 * after the part. Contents are checked both ways at every size. The time per
 * lend is printed as information only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
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
static const unsigned char *after_part; /* the caller's page after the lent part, or NULL */
static int beyond_reached;              /* the server's mapping grown reached it */

static struct backing backing_of(const void *addr)
{
	struct backing b = {0, 0, 0};

	b.found = itest_backing(addr, &b.inode, &b.offset);
	return b;
}

/*
 * A hostile server grows its mapping of a lend by one page (mremap): does
 * the new page hold the caller's bytes after the lent part? The mapping
 * goes back where it was, so the library unmaps the right pages.
 */
static int grown_reaches(void *addr, size_t len, const unsigned char *expect)
{
	char *g = mremap(addr, len, len + XOUS_PAGE_SIZE, MREMAP_MAYMOVE);
	int reached = 0;

	if (g == MAP_FAILED)
		return 0;
	if (itest_faults(g + len, 0) == 0)
		reached = memcmp(g + len, expect, XOUS_PAGE_SIZE) == 0;
	if (mremap(g, len + XOUS_PAGE_SIZE, len, MREMAP_MAYMOVE | MREMAP_FIXED, addr) != addr)
		return -1;
	return reached;
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
			if (after_part)
				beyond_reached = grown_reaches(env.memory.buf.addr,
				                               env.memory.buf.len, after_part);
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

/* Lend a `len` part that starts `skip` pages into a region with `tail`
 * pages after it (the whole region when both are 0). */
static double one_size(xous_cid_t cid, size_t len, size_t skip, size_t tail)
{
	size_t rlen = len + (skip + tail) * XOUS_PAGE_SIZE, off, valid;
	xous_range_t region, buf;
	int whole = skip == 0 && tail == 0;

	REQUIRE(xous_map_memory(rlen, XOUS_MEM_R | XOUS_MEM_W, &region) == XOUS_OK, "map %zu KiB",
	        rlen / 1024);
	itest_fill(region.addr, rlen, (uint32_t)len + 3);
	buf.addr = (char *)region.addr + skip * XOUS_PAGE_SIZE;
	buf.len = len;
	struct backing mine = backing_of(buf.addr);
	seed_in = (uint32_t)len + 1;
	seed_out = (uint32_t)len + 2;
	itest_fill(buf.addr, len, seed_in);
	memset(&lent_backing, 0, sizeof lent_backing);
	after_part = tail ? (const unsigned char *)buf.addr + len : NULL;
	beyond_reached = 0;
	CHECK_ERR(xous_lend_mut(cid, OP_CHECK, buf, 0, len, &off, &valid), XOUS_OK,
	          "lend_mut %zu KiB at page %zu of a %zu KiB region", len / 1024, skip,
	          rlen / 1024);
	CHECK(itest_verify(buf.addr, len, seed_out),
	      "%zu KiB: the server saw the caller's bytes, the caller sees the server's",
	      len / 1024);
	int shared = mine.found && lent_backing.found && mine.inode == lent_backing.inode;
	if (whole && len > 16 * 1024 && !itest_strict_lend())
		CHECK(shared && mine.offset == lent_backing.offset,
		      "%zu KiB, a whole region: the server mapped the caller's own pages (inode "
		      "%llu, offset %llu), no copy",
		      len / 1024, mine.inode, mine.offset);
	else if (whole)
		CHECK(!shared, "%zu KiB, a whole region, %s: the server mapped a copy", len / 1024,
		      itest_strict_lend() ? "--strict-lend" : "small");
	else
		CHECK(!shared, "%zu KiB, part of a region: the server never maps the caller's file",
		      len / 1024);
	if (tail)
		CHECK(beyond_reached == 0,
		      "%zu KiB, part of a region: a server that grows its mapping reaches none of "
		      "the caller's bytes after the part",
		      len / 1024);
	after_part = NULL;
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
	one_size(cid, 4096, 2, 1);
	one_size(cid, 64 * 1024, 3, 1);
	one_size(cid, 1024 * 1024, 1, 1);
	one_size(cid, 1024 * 1024, 0, 0);
	double big = one_size(cid, 16 * 1024 * 1024, 0, 0);
	one_size(cid, 16 * 1024 * 1024, 5, 1);
	itest_note("lend_mut round trip, whole region: 4 KiB %.1f us, 16 MiB %.1f us (x%.1f; "
	           "information only)",
	           small, big, big / small);
	xous_send_scalar(cid, OP_QUIT, 0, 0, 0, 0);
	CHECK_ERR(xous_join_thread(tid, NULL), XOUS_OK, "join the server");
	return itest_done();
}
