/*
 * hostd-phys - run as PROGRAM under a broker whose fleet is the name server
 * and the vm server with `physmem 1M` (test_hostd.c): attacks on
 * MapMemory with a physical address, each of which must be refused, then
 * a check that the pages of a process that died without giving them back
 * are free again. Prints one line per failed check; exits 0 if none.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <resea/vm.h>
#include <xous.h>

#include "vm_kernel.h"

#define PAGE     ((size_t)XOUS_PAGE_SIZE)
#define POOL     ((uintptr_t)0x80000000u) /* HOSTD_PHYS_BASE */
#define POOL_LEN ((size_t)1 << 20)        /* the fleet's physmem */

static int failures;

static void expect(const char *what, xous_err_t got, xous_err_t want)
{
	if (got != want) {
		printf("FAIL %s: %s, want %s\n", what, xous_strerror(got), xous_strerror(want));
		failures++;
	}
}

static void attacks(void)
{
	uintptr_t rw = 0, ro = 0, x;
	xous_range_t r;
	void *v;

	expect("fresh pages", vm_alloc_pages(1, 0, &v, &rw), XOUS_OK);
	expect("read-only right", vm_grant_pages(1, 0, 0, &ro), XOUS_OK);
	/* pool pages vm never handed out, and pages past a run */
	expect("unallocated pool page",
	       xous_map_physical(POOL + POOL_LEN / 2, PAGE, XOUS_MEM_R, &r),
	       XOUS_ERR_ACCESS_DENIED);
	expect("past the run", xous_map_physical(rw, 2 * PAGE, XOUS_MEM_R, &r),
	       XOUS_ERR_ACCESS_DENIED);
	/* outside the pool: not named for devices */
	expect("below the pool", xous_map_physical(0x10000000u, PAGE, XOUS_MEM_R, &r),
	       XOUS_ERR_ACCESS_DENIED);
	expect("past the pool", xous_map_physical(POOL + POOL_LEN, PAGE, XOUS_MEM_R, &r),
	       XOUS_ERR_ACCESS_DENIED);
	/* writable mapping of pages granted read-only; then read-only is fine */
	expect("W on a read-only right", xous_map_physical(ro, PAGE, XOUS_MEM_R | XOUS_MEM_W, &r),
	       XOUS_ERR_ACCESS_DENIED);
	expect("R on a read-only right", xous_map_physical(ro, PAGE, XOUS_MEM_R, &r), XOUS_OK);
	/* bad arguments */
	expect("unaligned", xous_map_physical(rw + 1, PAGE, XOUS_MEM_R, &r),
	       XOUS_ERR_BAD_ALIGNMENT);
	expect("no size", xous_map_physical(rw, 0, XOUS_MEM_R, &r), XOUS_ERR_INVALID_ARGUMENT);
	expect("wraps", xous_map_physical(rw, (size_t)0 - PAGE, XOUS_MEM_R, &r),
	       XOUS_ERR_BAD_ADDRESS);
	expect("bad flags", xous_map_physical(rw, PAGE, 0x100, &r), XOUS_ERR_INVALID_ARGUMENT);
	/* only the pool's manager grants */
	expect("grant by a client", xous_phys_grant(0, 0, PAGE, XOUS_MEM_W, &x),
	       XOUS_ERR_ACCESS_DENIED);
	/* a right given up is gone; the run with it */
	expect("release", xous_phys_release(ro), XOUS_OK);
	expect("release twice", xous_phys_release(ro), XOUS_ERR_BAD_ADDRESS);
	expect("map after release", xous_map_physical(ro, PAGE, XOUS_MEM_R, &r),
	       XOUS_ERR_ACCESS_DENIED);
	expect("more than the pool", vm_alloc_pages(POOL_LEN / PAGE, 0, &v, &x),
	       XOUS_ERR_OUT_OF_MEMORY);
	/* the broker is still there, and the first pages still work */
	expect("fresh pages after", vm_alloc_pages(1, rw, &v, &x), XOUS_OK);
	if (v)
		memset(v, 1, PAGE);
}

/* A child takes most of the pool and dies holding it: afterwards the
 * pool has room for as much again. */
static void death_frees(void)
{
	size_t most = POOL_LEN / PAGE * 3 / 4;
	uintptr_t x;
	int status = -1;
	void *v;
	pid_t pid = fork();

	if (pid == 0)
		_exit(vm_alloc_pages(most, 0, &v, &x) == XOUS_OK ? 0 : 1);
	waitpid(pid, &status, 0);
	expect("the child's pages",
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? XOUS_OK : XOUS_ERR_INTERNAL_ERROR,
	       XOUS_OK);
	expect("the same again after its death", vm_alloc_pages(most, 0, &v, &x), XOUS_OK);
}

int main(void)
{
	attacks();
	death_frees();
	printf("hostd-phys: %s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
