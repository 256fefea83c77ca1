/*
 * test_libxous.c - libxous-host on its own, without a broker: memory and its
 * registry, argument checks made before any syscall, the answers of a
 * process that is not connected, names and error strings, and the sandbox.
 *
 * Each check suite is one CTest (CK_RUN_SUITE), in fork mode.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xous.h>

#include "xous-host-internal.h"

#define PAGE XOUS_PAGE_SIZE

/* A page-aligned buffer that is not from xous_map_memory. */
static unsigned char g_plain[4 * PAGE] __attribute__((aligned(PAGE)));

static bool page_mapped(void *p)
{
	unsigned char v;

	return mincore(p, PAGE, &v) == 0;
}

/* ---- memory ---- */

START_TEST(map_memory_gives_zeroed_page_multiples)
{
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(PAGE + 1, XOUS_MEM_R | XOUS_MEM_W, &r), XOUS_OK);
	ck_assert_uint_eq(r.len, 2 * PAGE);
	ck_assert_uint_eq((uintptr_t)r.addr % PAGE, 0);
	for (size_t i = 0; i < r.len; i++)
		ck_assert_uint_eq(((unsigned char *)r.addr)[i], 0);
	memset(r.addr, 0xab, r.len);
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_OK);
	ck_assert(!page_mapped(r.addr));
}
END_TEST

START_TEST(map_memory_rejects_bad_arguments)
{
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(PAGE, XOUS_MEM_R, NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_map_memory(0, XOUS_MEM_R, &r), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_map_memory(PAGE, 0x100, &r), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_map_memory(SIZE_MAX, XOUS_MEM_R, &r), XOUS_ERR_OUT_OF_MEMORY);
}
END_TEST

START_TEST(map_memory_read_only_flag_is_honoured)
{
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(PAGE, XOUS_MEM_R, &r), XOUS_OK);
	((volatile unsigned char *)r.addr)[0] = 1; /* must fault: SIGSEGV expected */
}
END_TEST

START_TEST(unmap_memory_rejects_bad_ranges)
{
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(2 * PAGE, 0, &r), XOUS_OK);
	xous_range_t odd = {(char *)r.addr + 1, PAGE};
	xous_range_t part = {r.addr, PAGE + 8};
	xous_range_t empty = {r.addr, 0};
	xous_range_t beyond = {r.addr, 3 * PAGE};
	xous_range_t plain = {g_plain, PAGE};
	xous_range_t wrap = {(void *)(UINTPTR_MAX & ~(uintptr_t)(PAGE - 1)), 2 * PAGE};
	ck_assert_uint_eq(xous_unmap_memory(odd), XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_uint_eq(xous_unmap_memory(part), XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_uint_eq(xous_unmap_memory(empty), XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_uint_eq(xous_unmap_memory(beyond), XOUS_ERR_BAD_ADDRESS);
	ck_assert_uint_eq(xous_unmap_memory(plain), XOUS_ERR_BAD_ADDRESS);
	ck_assert_uint_eq(xous_unmap_memory(wrap), XOUS_ERR_BAD_ADDRESS);
	ck_assert(page_mapped(r.addr));
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_OK);
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_ERR_BAD_ADDRESS);
}
END_TEST

START_TEST(partial_unmap_splits_the_region)
{
	xous_range_t r;
	size_t before = xh_region_count();

	ck_assert_uint_eq(xous_map_memory(4 * PAGE, 0, &r), XOUS_OK);
	unsigned char *p = r.addr;
	for (int i = 0; i < 4; i++)
		p[i * PAGE] = (unsigned char)(i + 1);
	xous_range_t mid = {p + PAGE, PAGE};
	ck_assert_uint_eq(xous_unmap_memory(mid), XOUS_OK);
	ck_assert_uint_eq(xh_region_count(), before + 2);
	ck_assert(!page_mapped(p + PAGE));
	ck_assert_uint_eq(xous_unmap_memory(mid), XOUS_ERR_BAD_ADDRESS);
	xous_range_t across = {p, 2 * PAGE};
	ck_assert_uint_eq(xous_unmap_memory(across), XOUS_ERR_BAD_ADDRESS);
	/* the pieces left keep their contents */
	ck_assert_uint_eq(p[0], 1);
	ck_assert_uint_eq(p[2 * PAGE], 3);
	ck_assert_uint_eq(p[3 * PAGE], 4);
	xous_range_t tail_first = {p + 2 * PAGE, PAGE};
	ck_assert_uint_eq(xous_unmap_memory(tail_first), XOUS_OK);
	ck_assert_uint_eq(p[3 * PAGE], 4);
	xous_range_t head = {p, PAGE}, last = {p + 3 * PAGE, PAGE};
	ck_assert_uint_eq(xous_unmap_memory(head), XOUS_OK);
	ck_assert_uint_eq(xous_unmap_memory(last), XOUS_OK);
	ck_assert_uint_eq(xh_region_count(), before);
}
END_TEST

static void *map_unmap_loop(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		xous_range_t r;
		if (xous_map_memory(2 * PAGE, 0, &r) != XOUS_OK)
			return (void *)1;
		memset(r.addr, i, r.len);
		xous_range_t half = {(char *)r.addr + PAGE, PAGE};
		if (xous_unmap_memory(half) != XOUS_OK)
			return (void *)2;
		half.addr = r.addr;
		if (xous_unmap_memory(half) != XOUS_OK)
			return (void *)3;
	}
	return NULL;
}

START_TEST(registry_is_thread_safe)
{
	pthread_t t[4];
	size_t before = xh_region_count();

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, map_unmap_loop, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		ck_assert_ptr_null(r);
	}
	ck_assert_uint_eq(xh_region_count(), before);
}
END_TEST

static atomic_int g_stop_churn;

static void *map_unmap_until_stopped(void *arg)
{
	(void)arg;
	while (!atomic_load(&g_stop_churn))
		if (map_unmap_loop(NULL) != NULL)
			return (void *)1;
	return NULL;
}

/* A child forked while other threads hold the library's locks (here the
 * registry's, taken by every map and unmap) must not inherit them held: it
 * maps and unmaps at once, or the alarm ends it. */
START_TEST(a_child_forked_amid_threads_can_map)
{
	pthread_t t[3];
	int stuck = 0;

	atomic_store(&g_stop_churn, 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, map_unmap_until_stopped, NULL), 0);
	for (int k = 0; k < 40; k++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			alarm(5);
			xous_range_t r;
			_exit(xous_map_memory(PAGE, 0, &r) == XOUS_OK &&
			                      xous_unmap_memory(r) == XOUS_OK
			              ? 0
			              : 1);
		}
		int status;
		waitpid(pid, &status, 0);
		stuck += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	atomic_store(&g_stop_churn, 1);
	for (int i = 0; i < 3; i++) {
		void *r;
		pthread_join(t[i], &r);
		ck_assert_ptr_null(r);
	}
	ck_assert_int_eq(stuck, 0);
}
END_TEST

/* ---- lending: checks made before any syscall ---- */

typedef xous_err_t (*lend_fn)(xous_range_t buf, size_t offset, size_t valid);

static xous_err_t do_lend(xous_range_t b, size_t o, size_t v)
{
	return xous_lend(1, 1, b, o, v, NULL, NULL);
}

static xous_err_t do_lend_mut(xous_range_t b, size_t o, size_t v)
{
	return xous_lend_mut(1, 1, b, o, v, NULL, NULL);
}

static xous_err_t do_move(xous_range_t b, size_t o, size_t v)
{
	return xous_send_memory(1, 1, b, o, v);
}

static const lend_fn g_lenders[] = {do_lend, do_lend_mut, do_move};

START_TEST(lend_rejects_unaligned_buffers)
{
	lend_fn f = g_lenders[_i];
	xous_range_t unaligned = {g_plain + 8, PAGE};
	xous_range_t short_len = {g_plain, PAGE - 1};
	xous_range_t long_len = {g_plain, PAGE + 1};
	xous_range_t empty = {g_plain, 0};

	ck_assert_uint_eq(f(unaligned, 0, 0), XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_uint_eq(f(short_len, 0, 0), XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_uint_eq(f(long_len, 0, 0), XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_uint_eq(f(empty, 0, 0), XOUS_ERR_BAD_ALIGNMENT);
}
END_TEST

START_TEST(lend_rejects_offset_or_valid_past_the_end)
{
	lend_fn f = g_lenders[_i];
	xous_range_t b = {g_plain, PAGE};

	ck_assert_uint_eq(f(b, PAGE + 1, 0), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(f(b, 0, PAGE + 1), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(f(b, SIZE_MAX, SIZE_MAX), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(lend_of_unreadable_buffer_is_bad_address)
{
	lend_fn f = g_lenders[_i];
	void *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	xous_range_t r1 = {none, PAGE};
	xous_range_t r0 = {NULL, PAGE};

	ck_assert_ptr_ne(none, MAP_FAILED);
	ck_assert_uint_eq(f(r1, 0, 0), XOUS_ERR_BAD_ADDRESS);
	ck_assert_uint_eq(f(r0, 0, 0), XOUS_ERR_BAD_ADDRESS);
}
END_TEST

START_TEST(lend_mut_of_read_only_buffer_is_bad_address)
{
	void *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	xous_range_t r = {ro, PAGE};

	ck_assert_ptr_ne(ro, MAP_FAILED);
	ck_assert_uint_eq(do_lend_mut(r, 0, 0), XOUS_ERR_BAD_ADDRESS);
	/* a Borrow only reads it: it gets as far as the (absent) broker */
	ck_assert_uint_eq(do_lend(r, 0, 0), XOUS_ERR_INTERNAL_ERROR);
}
END_TEST

/* Without a broker the call fails after the pages were made PROT_NONE: they
 * must come back readable and writable, with their contents. */
START_TEST(failed_lend_gives_the_pages_back)
{
	lend_fn f = g_lenders[_i];
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(2 * PAGE, 0, &r), XOUS_OK);
	memset(r.addr, 0x5a, r.len);
	ck_assert_uint_eq(f(r, 0, r.len), XOUS_ERR_INTERNAL_ERROR);
	unsigned char *p = r.addr;
	ck_assert_uint_eq(p[0], 0x5a);
	ck_assert_uint_eq(p[r.len - 1], 0x5a);
	p[1] = 1; /* writable again */
	xous_range_t sub = {p + PAGE, PAGE};
	ck_assert_uint_eq(f(sub, 0, 0), XOUS_ERR_INTERNAL_ERROR);
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_OK);
}
END_TEST

START_TEST(failed_lend_of_plain_buffer_leaves_it_intact)
{
	lend_fn f = g_lenders[_i];
	xous_range_t r = {g_plain, 2 * PAGE};

	memset(g_plain, 0x33, sizeof g_plain);
	ck_assert_uint_eq(f(r, 0, 0), XOUS_ERR_INTERNAL_ERROR);
	for (size_t i = 0; i < sizeof g_plain; i++)
		ck_assert_uint_eq(g_plain[i], 0x33);
	g_plain[0] = 1;
}
END_TEST

START_TEST(lent_pages_cannot_be_unmapped_or_lent_twice)
{
	xous_range_t r, half;
	int fd, prot;
	uint64_t foff;

	ck_assert_uint_eq(xous_map_memory(2 * PAGE, 0, &r), XOUS_OK);
	half = (xous_range_t){(char *)r.addr + PAGE, PAGE};
	ck_assert_uint_eq(xh_region_lend((uintptr_t)half.addr, PAGE, &fd, &foff, &prot), XOUS_OK);
	ck_assert_uint_eq(foff, PAGE);
	ck_assert_uint_eq(xh_region_lend((uintptr_t)r.addr, r.len, &fd, &foff, &prot),
	                  XOUS_ERR_SHARE_VIOLATION);
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_ERR_MEMORY_IN_USE);
	ck_assert_uint_eq(xous_unmap_memory(half), XOUS_ERR_MEMORY_IN_USE);
	xh_region_unlend((uintptr_t)half.addr, PAGE, prot, false);
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_OK);
}
END_TEST

START_TEST(lent_pages_are_inaccessible_while_lent)
{
	xous_range_t r;
	int fd, prot;
	uint64_t foff;

	ck_assert_uint_eq(xous_map_memory(PAGE, 0, &r), XOUS_OK);
	ck_assert_uint_eq(xh_region_lend((uintptr_t)r.addr, PAGE, &fd, &foff, &prot), XOUS_OK);
	((volatile unsigned char *)r.addr)[0] = 1; /* SIGSEGV expected */
}
END_TEST

START_TEST(moved_pages_leave_the_registry)
{
	xous_range_t r;
	int fd, prot;
	uint64_t foff;
	size_t before = xh_region_count();

	ck_assert_uint_eq(xous_map_memory(3 * PAGE, 0, &r), XOUS_OK);
	char *p = r.addr;
	ck_assert_uint_eq(xh_region_lend((uintptr_t)p + PAGE, PAGE, &fd, &foff, &prot), XOUS_OK);
	xh_region_unlend((uintptr_t)p + PAGE, PAGE, prot, true);
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0); /* the rest still holds the memfd */
	ck_assert(!page_mapped(p + PAGE));
	ck_assert_uint_eq(xh_region_count(), before + 2);
	xous_range_t all = {p, 3 * PAGE};
	ck_assert_uint_eq(xous_unmap_memory(all), XOUS_ERR_BAD_ADDRESS);
	p[0] = 1;
	p[2 * PAGE] = 1;
}
END_TEST

START_TEST(moving_every_page_closes_the_memfd)
{
	xous_range_t r;
	int fd, prot;
	uint64_t foff;

	ck_assert_uint_eq(xous_map_memory(PAGE, 0, &r), XOUS_OK);
	ck_assert_uint_eq(xh_region_lend((uintptr_t)r.addr, PAGE, &fd, &foff, &prot), XOUS_OK);
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	xh_region_unlend((uintptr_t)r.addr, PAGE, prot, true);
	ck_assert_int_lt(fcntl(fd, F_GETFD), 0);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

/* ---- large buffers: a 1 GiB slot each, moved whole while lent ---- */

#define SLOT ((size_t)1 << 30)
#define BIG  (1024 * 1024)

/* The protection of the mapping that holds p ("rw-s", "---s", ...), or ""
 * when nothing is mapped there. */
static const char *prot_at(const void *p)
{
	static char perms[8];
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	perms[0] = '\0';
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		unsigned long lo, hi;
		char pr[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, pr) == 3 && lo <= (uintptr_t)p &&
		    (uintptr_t)p < hi) {
			memcpy(perms, pr, sizeof perms);
			break;
		}
	}
	if (f != NULL)
		fclose(f);
	return perms;
}

/* Bit 63 of /proc/self/pagemap: the page-table entry of p is present. */
static bool pte_present(const void *p)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &e, sizeof e, (off_t)((uintptr_t)p / PAGE * sizeof e)),
	                 (ssize_t)sizeof e);
	close(fd);
	return (e >> 63) & 1;
}

START_TEST(a_whole_large_lend_hides_the_slot_and_brings_the_pages_back_present)
{
	xous_range_t r;
	int fd, prot;
	uint64_t foff;

	ck_assert_uint_eq(xous_map_memory(BIG, 0, &r), XOUS_OK);
	ck_assert_uint_eq((uintptr_t)r.addr % SLOT, 0); /* a slot of its own */
	unsigned char *p = r.addr;
	memset(p, 0x6b, BIG);
	ck_assert_uint_eq(xh_region_lend((uintptr_t)p, BIG, &fd, &foff, &prot), XOUS_OK);
	ck_assert_str_eq(prot_at(p), "---s");
	ck_assert_str_eq(prot_at(p + BIG - 1), "---s");
	xh_region_unlend((uintptr_t)p, BIG, prot, false);
	ck_assert_str_eq(prot_at(p), "rw-s");
	/* The page tables came back with the pages: no fault to touch them. */
	ck_assert(pte_present(p));
	ck_assert(pte_present(p + BIG - PAGE));
	for (size_t i = 0; i < BIG; i += PAGE)
		ck_assert_uint_eq(p[i], 0x6b);
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_OK);
	ck_assert(!page_mapped(p));
	ck_assert(!page_mapped(p + BIG));
	ck_assert(!page_mapped(p + SLOT - PAGE));
}
END_TEST

START_TEST(part_of_a_large_buffer_lends_alone)
{
	xous_range_t r;
	int fd, prot;
	uint64_t foff;

	ck_assert_uint_eq(xous_map_memory(BIG, 0, &r), XOUS_OK);
	unsigned char *p = r.addr;
	memset(p, 0x21, BIG);
	uintptr_t mid = (uintptr_t)p + BIG / 4;
	ck_assert_uint_eq(xh_region_lend(mid, BIG / 2, &fd, &foff, &prot), XOUS_OK);
	ck_assert_uint_eq(foff, BIG / 4);
	ck_assert_str_eq(prot_at((void *)mid), "---s");
	ck_assert_str_eq(prot_at(p), "rw-s");
	ck_assert_str_eq(prot_at(p + BIG - PAGE), "rw-s");
	p[0] = 0x22; /* the rest stays the caller's */
	ck_assert_uint_eq(xh_region_lend((uintptr_t)p, BIG, &fd, &foff, &prot),
	                  XOUS_ERR_SHARE_VIOLATION);
	xh_region_unlend(mid, BIG / 2, prot, false);
	ck_assert_uint_eq(((unsigned char *)mid)[0], 0x21);
	ck_assert_uint_eq(xous_unmap_memory(r), XOUS_OK);
}
END_TEST

START_TEST(a_partial_unmap_of_a_large_buffer_gives_the_slot_back)
{
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(BIG, 0, &r), XOUS_OK);
	unsigned char *p = r.addr;
	xous_range_t tail = {p + BIG / 2, BIG / 2}, head = {p, BIG / 2};
	ck_assert_uint_eq(xous_unmap_memory(tail), XOUS_OK);
	ck_assert(!page_mapped(p + BIG / 2));
	ck_assert(!page_mapped(p + BIG));
	ck_assert(!page_mapped(p + SLOT - PAGE));
	p[0] = 1;
	p[BIG / 2 - 1] = 1;
	/* What is left is a plain buffer: it lends and comes back. */
	int fd, prot;
	uint64_t foff;
	ck_assert_uint_eq(xh_region_lend((uintptr_t)p, BIG / 2, &fd, &foff, &prot), XOUS_OK);
	ck_assert_str_eq(prot_at(p), "---s");
	xh_region_unlend((uintptr_t)p, BIG / 2, prot, false);
	ck_assert_uint_eq(p[0], 1);
	ck_assert_uint_eq(xous_unmap_memory(head), XOUS_OK);
	ck_assert(!page_mapped(p));
}
END_TEST

START_TEST(a_moved_large_buffer_leaves_nothing_mapped)
{
	xous_range_t r;
	int fd, prot;
	uint64_t foff;
	size_t before = xh_region_count();

	ck_assert_uint_eq(xous_map_memory(BIG, 0, &r), XOUS_OK);
	ck_assert_uint_eq(xh_region_lend((uintptr_t)r.addr, BIG, &fd, &foff, &prot), XOUS_OK);
	xh_region_unlend((uintptr_t)r.addr, BIG, prot, true);
	ck_assert_uint_eq(xh_region_count(), before);
	ck_assert(!page_mapped(r.addr));
	ck_assert(!page_mapped((char *)r.addr + BIG));
	ck_assert(!page_mapped((char *)r.addr + SLOT - PAGE));
	ck_assert_int_lt(fcntl(fd, F_GETFD), 0);
}
END_TEST

START_TEST(past_the_end_of_a_large_buffer_is_not_memory)
{
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(BIG, 0, &r), XOUS_OK);
	((volatile unsigned char *)r.addr)[BIG] = 1; /* beyond the memfd: SIGBUS */
}
END_TEST

/* ---- no broker: every call that needs one says so ---- */

static const xous_sid_t g_sid = {{1, 2, 3, 4}};

START_TEST(calls_without_a_broker_return_internal_error)
{
	xous_sid_t sid;
	xous_cid_t cid;
	xous_tid_t tid;
	xous_envelope_t env = {0};
	xous_scalar_reply_t rep;
	const xous_err_t e = XOUS_ERR_INTERNAL_ERROR;

	ck_assert_uint_eq(xous_create_server(&sid), e);
	ck_assert_uint_eq(xous_create_server_with_address(&g_sid), e);
	ck_assert_uint_eq(xous_destroy_server(&g_sid), e);
	ck_assert_uint_eq(xous_connect(&g_sid, &cid), e);
	ck_assert_uint_eq(xous_try_connect(&g_sid, &cid), e);
	ck_assert_uint_eq(xous_disconnect(1), e);
	ck_assert_uint_eq(xous_send_scalar(1, 2, 3, 4, 5, 6), e);
	ck_assert_uint_eq(xous_try_send_scalar(1, 2, 3, 4, 5, 6), e);
	ck_assert_uint_eq(xous_blocking_scalar(1, 2, 3, 4, 5, 6, &rep), e);
	ck_assert_uint_eq(xous_receive_message(&g_sid, &env), e);
	ck_assert_uint_eq(env.kind, XOUS_NO_MESSAGE);
	ck_assert_uint_eq(xous_try_receive_message(&g_sid, &env), e);
	ck_assert_uint_eq(xous_reply_and_receive_next(&g_sid, &env), e);
	ck_assert_uint_eq(xous_return_scalar(1, 1), e);
	ck_assert_uint_eq(xous_return_scalar2(1, 1, 2), e);
	ck_assert_uint_eq(xous_return_scalar5(1, 1, 2, 3, 4, 5), e);
	ck_assert_uint_eq(xous_return_memory(1, 0, 0), e);
	ck_assert_uint_eq(xous_create_thread(NULL, NULL, &tid), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_join_thread(1, NULL), e);
	ck_assert_uint_eq(xous_process_id(), 0);
	ck_assert_uint_eq(xous_thread_id(), 0);
	xous_yield();
}
END_TEST

static void *never_runs(void *arg)
{
	return arg;
}

START_TEST(create_thread_without_a_broker_fails_cleanly)
{
	xous_tid_t tid = 77;

	ck_assert_uint_eq(xous_create_thread(never_runs, NULL, &tid), XOUS_ERR_INTERNAL_ERROR);
	ck_assert_uint_eq(tid, 77);
}
END_TEST

START_TEST(attach_socket_that_does_not_exist_is_internal_error)
{
	xous_cid_t cid;

	setenv("XOUS_HOSTD", "/nonexistent/xous-hostd.sock", 1);
	setenv("XOUS_KEY", "00112233445566778899aabbccddeeff", 1);
	ck_assert_uint_eq(xous_try_connect(&g_sid, &cid), XOUS_ERR_INTERNAL_ERROR);
	setenv("XOUS_KEY", "not hex", 1);
	ck_assert_uint_eq(xous_try_connect(&g_sid, &cid), XOUS_ERR_INTERNAL_ERROR);
	unsetenv("XOUS_KEY");
	ck_assert_uint_eq(xous_try_connect(&g_sid, &cid), XOUS_ERR_INTERNAL_ERROR);
}
END_TEST

/*
 * A "broker" of another uid (not ours, not root) listens where $XOUS_HOSTD
 * points: the library must not send it anything (the key above all) and
 * answers AccessDenied. The fake reports how many bytes it got.
 */
START_TEST(a_broker_of_another_uid_gets_nothing)
{
	char dir[] = "/tmp/libxous-peer.XXXXXX", path[64];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int rep[2], ready[2];
	xous_cid_t cid;
	ssize_t got = -1;
	char c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/s", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(pipe(rep), 0);
	ck_assert_int_eq(pipe(ready), 0);
	pid_t fake = fork();
	if (fake == 0) {
		char buf[256];
		int l, a;

		if (setgid(12345) || setuid(12345))
			_exit(1);
		umask(0);
		l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0)
			_exit(2);
		if (write(ready[1], "r", 1) != 1 || (a = accept(l, NULL, NULL)) < 0)
			_exit(3);
		got = recv(a, buf, sizeof(buf), 0); /* the hello, or EOF */
		close(a);
		_exit(write(rep[1], &got, sizeof(got)) == sizeof(got) ? 0 : 4);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(setgid(65534), 0);
	ck_assert_int_eq(setuid(65534), 0);
	setenv("XOUS_HOSTD", path, 1);
	setenv("XOUS_KEY", "00112233445566778899aabbccddeeff", 1);
	ck_assert_uint_eq(xous_try_connect(&g_sid, &cid), XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(read(rep[0], &got, sizeof(got)), (ssize_t)sizeof(got));
	ck_assert_int_eq(got, 0);
	waitpid(fake, NULL, 0);
}
END_TEST

START_TEST(null_pointers_are_invalid_arguments)
{
	xous_cid_t cid;
	xous_envelope_t env = {0};

	ck_assert_uint_eq(xous_create_server(NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_create_server_with_address(NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_destroy_server(NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_connect(NULL, &cid), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_connect(&g_sid, NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_try_connect(NULL, &cid), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_receive_message(NULL, &env), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_receive_message(&g_sid, NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_try_receive_message(&g_sid, NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_reply_and_receive_next(NULL, &env), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xous_envelope_done(NULL), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(envelope_done_needs_no_broker_for_what_needs_no_answer)
{
	xous_envelope_t env = {0};

	env.kind = XOUS_NO_MESSAGE;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	env.kind = XOUS_SCALAR;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	ck_assert_uint_eq(env.kind, XOUS_NO_MESSAGE);
	/* a BlockingScalar or Borrow this process does not hold: nothing to do */
	env.kind = XOUS_BLOCKING_SCALAR;
	env.sender = 12345;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	env.kind = XOUS_BORROW;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	env.kind = (enum xous_kind)99;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(envelope_done_unmaps_a_move)
{
	xous_envelope_t env = {0};
	xous_range_t r;

	ck_assert_uint_eq(xous_map_memory(PAGE, 0, &r), XOUS_OK);
	env.kind = XOUS_MOVE;
	env.memory.buf = r;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
	ck_assert(!page_mapped(r.addr));
	env.kind = XOUS_MOVE;
	ck_assert_uint_eq(xous_envelope_done(&env), XOUS_OK);
}
END_TEST

/* ---- names and error strings ---- */

START_TEST(sid_from_name_reads_four_little_endian_words)
{
	xous_sid_t s = xous_sid_from_name(XOUS_NAME_TICKTIMER);

	ck_assert_uint_eq(s.w[0], 0x6b636974); /* "tick" */
	ck_assert_uint_eq(s.w[1], 0x656d6974); /* "time" */
	ck_assert_uint_eq(s.w[2], 0x65732d72); /* "r-se" */
	ck_assert_uint_eq(s.w[3], 0x72657672); /* "rver" */
	s = xous_sid_from_name(XOUS_NAME_LOG);
	ck_assert_uint_eq(s.w[3], 0x20726576); /* "ver " with its trailing space */
	s = xous_sid_from_name(NULL);
	ck_assert_uint_eq(s.w[0] | s.w[1] | s.w[2] | s.w[3], 0);
}
END_TEST

START_TEST(strerror_names_every_code)
{
	for (xous_err_t e = 0; e <= XOUS_ERR_MAX + 1; e++) {
		const char *s = xous_strerror(e);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
	}
	ck_assert_str_eq(xous_strerror(XOUS_OK), "success");
	ck_assert_ptr_nonnull(strstr(xous_strerror(XOUS_ERR_SERVER_NOT_FOUND), "server not found"));
	ck_assert_ptr_nonnull(strstr(xous_strerror(XOUS_ERR_UNAVAILABLE), "unavailable"));
	ck_assert_ptr_nonnull(strstr(xous_strerror(XOUS_ERR_ACCESS_DENIED), "access denied"));
	ck_assert_ptr_nonnull(strstr(xous_strerror(XOUS_ERR_NO_SPACE), "no space"));
	ck_assert_ptr_nonnull(xous_strerror(0xffffffffu));
	/* every named code has its own text */
	for (xous_err_t a = 1; a <= XOUS_ERR_UNAVAILABLE; a++)
		for (xous_err_t b = a + 1; b <= XOUS_ERR_UNAVAILABLE; b++)
			ck_assert_str_ne(xous_strerror(a), xous_strerror(b));
}
END_TEST

/* ---- sandbox ---- */

/* Run fn in a child under policy; its wait status. */
static int sandboxed(const char *policy, void (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (xh_sandbox_install(policy, NULL) != XOUS_OK)
			_exit(3);
		fn();
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

static bool killed_by_sigsys(int st)
{
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS;
}

static void try_open(void)
{
	int fd = open("/etc/hostname", O_RDONLY);
	_exit(fd >= 0 ? 10 : 11);
}

static void try_socket(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	_exit(s >= 0 ? 10 : 11);
}

static void try_fork(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	_exit(p > 0 ? 10 : 11);
}

static void try_exec(void)
{
	char *argv[] = {"/bin/true", NULL};
	execv(argv[0], argv);
	_exit(11);
}

static void try_write_file(void)
{
	/* fd 0 is not stdout or stderr */
	ssize_t n = write(0, "x", 1);
	_exit(n == 1 ? 10 : 11);
}

static void *thread_adds(void *arg)
{
	return (void *)((uintptr_t)arg + 1);
}

static void allowed_work(void)
{
	pthread_t t;
	void *r;
	struct timespec ts;
	xous_range_t m;
	int sv[2];

	if (pthread_create(&t, NULL, thread_adds, (void *)41) != 0 || pthread_join(t, &r) != 0 ||
	    (uintptr_t)r != 42)
		_exit(20);
	void *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p, 2 * PAGE) != 0)
		_exit(21);
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		_exit(22);
	if (write(1, "", 0) != 0 || write(2, "", 0) != 0)
		_exit(23);
	if (xous_map_memory(PAGE, 0, &m) != XOUS_OK || xous_unmap_memory(m) != XOUS_OK)
		_exit(24);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		_exit(25);
	void *q = malloc(1 << 20);
	if (q == NULL)
		_exit(26);
	free(q);
	struct timespec nap = {0, 1000};
	if (nanosleep(&nap, NULL) != 0)
		_exit(27);
	/* a bounce-copied lend uses the library's own memfd; no broker here */
	xous_range_t plain = {g_plain, PAGE};
	if (xous_lend_mut(1, 1, plain, 0, 0, NULL, NULL) != XOUS_ERR_INTERNAL_ERROR)
		_exit(28);
}

START_TEST(default_sandbox_kills_open_socket_fork_exec)
{
	ck_assert(killed_by_sigsys(sandboxed("default", try_open)));
	ck_assert(killed_by_sigsys(sandboxed("default", try_socket)));
	ck_assert(killed_by_sigsys(sandboxed("default", try_fork)));
	ck_assert(killed_by_sigsys(sandboxed("default", try_exec)));
	ck_assert(killed_by_sigsys(sandboxed("default", try_write_file)));
}
END_TEST

START_TEST(default_sandbox_allows_threads_memory_clocks_and_output)
{
	int st = sandboxed("default", allowed_work);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
}
END_TEST

START_TEST(host_sandbox_allows_files_but_not_sockets)
{
	int st = sandboxed("host", try_open);

	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 10);
	ck_assert(killed_by_sigsys(sandboxed("host", try_socket)));
	st = sandboxed("host", allowed_work);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

START_TEST(no_sandbox_policy_allows_everything)
{
	int st = sandboxed("none", try_open);

	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 10);
}
END_TEST

START_TEST(unknown_sandbox_policy_is_refused)
{
	ck_assert_uint_eq(xh_sandbox_install("lenient", NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xh_sandbox_install("", NULL), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(xh_sandbox_install(NULL, NULL), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* The filter is in place before main(): a probe program run with
 * XOUS_SANDBOX, told by argv what to try. */
static int run_probe(const char *policy, const char *what)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (policy != NULL)
			setenv("XOUS_SANDBOX", policy, 1);
		execl(PROBE_PATH, PROBE_PATH, what, (char *)NULL);
		_exit(99);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

START_TEST(sandbox_is_installed_before_main)
{
	int st = run_probe("default", "open");

	ck_assert_msg(killed_by_sigsys(st), "status %#x", st);
	st = run_probe("default", "print");
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	st = run_probe(NULL, "open");
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
}
END_TEST

START_TEST(unknown_policy_in_environment_exits_126_before_main)
{
	int st = run_probe("bogus", "print");

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 126, "status %#x", st);
}
END_TEST

TCase *wire_tcase(void); /* test_wire.c */

static Suite *libxous_suite(void)
{
	Suite *s = suite_create("libxous");
	TCase *tc;

	tc = tcase_create("memory");
	/* a hang shows as a child's alarm, not as the case's time: 40 forks
	 * under a sanitizer on a loaded machine may take longer than the 4 s
	 * default */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, map_memory_gives_zeroed_page_multiples);
	tcase_add_test(tc, map_memory_rejects_bad_arguments);
	tcase_add_test_raise_signal(tc, map_memory_read_only_flag_is_honoured, SIGSEGV);
	tcase_add_test(tc, unmap_memory_rejects_bad_ranges);
	tcase_add_test(tc, partial_unmap_splits_the_region);
	tcase_add_test(tc, registry_is_thread_safe);
	tcase_add_test(tc, a_child_forked_amid_threads_can_map);
	suite_add_tcase(s, tc);

	tc = tcase_create("lend");
	tcase_add_loop_test(tc, lend_rejects_unaligned_buffers, 0, 3);
	tcase_add_loop_test(tc, lend_rejects_offset_or_valid_past_the_end, 0, 3);
	tcase_add_loop_test(tc, lend_of_unreadable_buffer_is_bad_address, 0, 3);
	tcase_add_test(tc, lend_mut_of_read_only_buffer_is_bad_address);
	tcase_add_loop_test(tc, failed_lend_gives_the_pages_back, 0, 3);
	tcase_add_loop_test(tc, failed_lend_of_plain_buffer_leaves_it_intact, 0, 3);
	tcase_add_test(tc, lent_pages_cannot_be_unmapped_or_lent_twice);
	tcase_add_test_raise_signal(tc, lent_pages_are_inaccessible_while_lent, SIGSEGV);
	tcase_add_test(tc, moved_pages_leave_the_registry);
	tcase_add_test(tc, moving_every_page_closes_the_memfd);
	tcase_add_test(tc, a_whole_large_lend_hides_the_slot_and_brings_the_pages_back_present);
	tcase_add_test(tc, part_of_a_large_buffer_lends_alone);
	tcase_add_test(tc, a_partial_unmap_of_a_large_buffer_gives_the_slot_back);
	tcase_add_test(tc, a_moved_large_buffer_leaves_nothing_mapped);
	tcase_add_test_raise_signal(tc, past_the_end_of_a_large_buffer_is_not_memory, SIGBUS);
	suite_add_tcase(s, tc);

	tc = tcase_create("unconnected");
	tcase_add_test(tc, calls_without_a_broker_return_internal_error);
	tcase_add_test(tc, create_thread_without_a_broker_fails_cleanly);
	tcase_add_test(tc, attach_socket_that_does_not_exist_is_internal_error);
	if (geteuid() == 0)
		tcase_add_test(tc, a_broker_of_another_uid_gets_nothing);
	tcase_add_test(tc, null_pointers_are_invalid_arguments);
	tcase_add_test(tc, envelope_done_needs_no_broker_for_what_needs_no_answer);
	tcase_add_test(tc, envelope_done_unmaps_a_move);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, sid_from_name_reads_four_little_endian_words);
	tcase_add_test(tc, strerror_names_every_code);
	suite_add_tcase(s, tc);

	suite_add_tcase(s, wire_tcase());

	tc = tcase_create("sandbox");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, default_sandbox_kills_open_socket_fork_exec);
	tcase_add_test(tc, default_sandbox_allows_threads_memory_clocks_and_output);
	tcase_add_test(tc, host_sandbox_allows_files_but_not_sockets);
	tcase_add_test(tc, no_sandbox_policy_allows_everything);
	tcase_add_test(tc, unknown_sandbox_policy_is_refused);
	tcase_add_test(tc, sandbox_is_installed_before_main);
	tcase_add_test(tc, unknown_policy_in_environment_exits_126_before_main);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(libxous_suite());

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
