/*
 * test_kcore.c - kcore's semantics, driven through a fake platform that
 * records every callback: results per thread (a reply or an envelope, and
 * the memory a reply came with), mem_done calls, and deliveries it can be
 * told to fail.
 *
 * Every result a thread gets must be taken (take()) before its next one
 * arrives: a thread answered twice fails the test at once. Limits are the
 * small ones of kcore/tests/CMakeLists.txt.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "kcore.h"
#include <xous.h>

#define FAKE_ADDR   ((kc_word)0x40000000u)
#define PAGE        ((kc_word)XOUS_PAGE_SIZE)
#define SID(n)      (kc_word)(n), 0x11110000u, 0x22220000u, 0x33330000u
#define SYS(t, ...) sysv((t), NULL, (const kc_word[8]){__VA_ARGS__})

static struct kc K;

static struct {
	int count[KC_MAX_THREADS]; /* results not yet taken */
	kc_regs last[KC_MAX_THREADS];
	bool got_mem[KC_MAX_THREADS];
	kc_mem mem[KC_MAX_THREADS];
	int fail_delivers; /* the next n deliveries fail with fail_err */
	uint32_t fail_err;
	int delivers;
	struct {
		uint32_t caller_pid, server_pid;
		kc_mem m;
	} done[64];
	int ndone;
	uint32_t rnd;
	bool rnd_const;
	struct kc_counts base;
	int seq;                          /* callbacks so far, to check their order */
	int seq_of[KC_MAX_THREADS];       /* seq of each thread's last result */
	int withdrawn[KC_MAX_THREADS];    /* withdraw calls per thread */
	int withdraw_seq[KC_MAX_THREADS]; /* seq of the last one */
	kc_word withdraw_cid[KC_MAX_THREADS];
	bool reply_has_mem[KC_MAX_THREADS]; /* the last reply came with a message's memory */
	kc_mem reply_mem[KC_MAX_THREADS];   /* that memory */
	int reply_ndone[KC_MAX_THREADS];    /* mem_done calls made before that reply */
	int phys_allocs, phys_frees;        /* phys_alloc and phys_free calls */
	kc_word phys_busy;                  /* phys_alloc answers MEMORY_IN_USE at this base */
	kc_regs batch[KC_RECEIVE_MANY];     /* a ReceiveMany's envelopes (receive_many()) */
	bool batch_mem[KC_RECEIVE_MANY];
	int nbatch;
} F;

/* ---- the fake platform ---- */

static void f_reply(void *ctx, kc_thread t, const kc_regs *r, const kc_mem *m)
{
	ck_assert_ptr_eq(ctx, &F);
	ck_assert_uint_lt(t, KC_MAX_THREADS);
	ck_assert_msg(F.count[t] == 0, "thread %u got a second result before taking the first",
	              (unsigned)t);
	F.count[t]++;
	F.last[t] = *r;
	F.got_mem[t] = false;
	F.seq_of[t] = ++F.seq;
	F.reply_has_mem[t] = m != NULL;
	if (m)
		F.reply_mem[t] = *m;
	F.reply_ndone[t] = F.ndone;
}

static uint32_t f_deliver(void *ctx, kc_thread t, kc_regs *env, const kc_mem *m)
{
	if (F.fail_delivers > 0) {
		F.fail_delivers--;
		return F.fail_err;
	}
	if (m)
		env->a[4] = FAKE_ADDR;
	f_reply(ctx, t, env, NULL);
	if (m) {
		F.got_mem[t] = true;
		F.mem[t] = *m;
	}
	F.delivers++;
	return 0;
}

static void f_mem_done(void *ctx, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m)
{
	(void)ctx;
	ck_assert_int_lt(F.ndone, 64);
	F.done[F.ndone].caller_pid = caller_pid;
	F.done[F.ndone].server_pid = server_pid;
	F.done[F.ndone].m = *m;
	F.ndone++;
}

static void f_random(void *ctx, uint32_t w[4])
{
	(void)ctx;
	if (!F.rnd_const)
		F.rnd++;
	w[0] = 0xc0de0000u + F.rnd;
	w[1] = 0x9abcdef0u;
	w[2] = F.rnd * 7u;
	w[3] = 0x5a5a5a5au;
}

static void f_withdraw(void *ctx, kc_thread t, kc_word cid)
{
	ck_assert_ptr_eq(ctx, &F);
	ck_assert_uint_lt(t, KC_MAX_THREADS);
	F.withdrawn[t]++;
	F.withdraw_seq[t] = ++F.seq;
	F.withdraw_cid[t] = cid;
}

static uint32_t f_phys_alloc(void *ctx, kc_word base, kc_word size, kc_word *handle)
{
	(void)ctx;
	ck_assert_uint_eq(base % PAGE, 0);
	ck_assert_uint_gt(size, 0);
	if (base == F.phys_busy)
		return XOUS_ERR_MEMORY_IN_USE;
	*handle = base ^ 0x5a5a;
	F.phys_allocs++;
	return XOUS_OK;
}

static void f_phys_free(void *ctx, kc_word base, kc_word size, kc_word handle)
{
	(void)ctx;
	(void)size;
	ck_assert_uint_eq(handle, base ^ 0x5a5a);
	F.phys_frees++;
}

static const struct kc_ops OPS = {&F,       f_reply,    f_deliver,    f_mem_done,
                                  f_random, f_withdraw, f_phys_alloc, f_phys_free};

static void setup(void)
{
	memset(&F, 0, sizeof(F));
	kc_init(&K, &OPS);
	kc_counts(&K, &F.base);
}

/* ---- helpers ---- */

static int sysv(kc_thread t, const kc_mem *m, const kc_word w[8])
{
	kc_regs r;

	memcpy(r.a, w, sizeof(r.a));
	return kc_syscall(&K, t, &r, m);
}

static kc_regs take(kc_thread t)
{
	ck_assert_msg(F.count[t] == 1, "thread %u has no result", (unsigned)t);
	F.count[t] = 0;
	return F.last[t];
}

static void no_result(kc_thread t)
{
	ck_assert_msg(F.count[t] == 0, "thread %u got a result (tag %lu)", (unsigned)t,
	              (unsigned long)F.last[t].a[0]);
}

static kc_regs expect_tag(kc_thread t, kc_word tag)
{
	kc_regs r = take(t);

	ck_assert_msg(r.a[0] == tag, "thread %u: tag %lu (a1 %lu), expected %lu", (unsigned)t,
	              (unsigned long)r.a[0], (unsigned long)r.a[1], (unsigned long)tag);
	return r;
}

static void expect_err(kc_thread t, uint32_t err)
{
	kc_regs r = expect_tag(t, XOUS_RESULT_ERROR);

	ck_assert_uint_eq(r.a[1], err);
}

static void expect_ok(kc_thread t)
{
	expect_tag(t, XOUS_RESULT_OK);
}

static kc_thread new_proc(uint32_t *pid)
{
	uint32_t p = 0;
	kc_thread t = KC_NO_THREAD;

	ck_assert_uint_eq(kc_process_create(&K, &p, &t), XOUS_OK);
	if (pid)
		*pid = p;
	return t;
}

static kc_thread new_thread(uint32_t pid, bool joinable)
{
	kc_thread t = KC_NO_THREAD;

	ck_assert_uint_eq(kc_thread_create(&K, pid, joinable, &t), XOUS_OK);
	return t;
}

static kc_word mkserver(kc_thread t, kc_word n)
{
	kc_regs r;

	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(n)), 0);
	r = expect_tag(t, XOUS_RESULT_NEW_SERVER_ID);
	ck_assert_uint_eq(r.a[1], n);
	return r.a[5];
}

static kc_word conn(kc_thread t, kc_word n)
{
	ck_assert_int_eq(SYS(t, XOUS_SYS_CONNECT, SID(n)), 0);
	return expect_tag(t, XOUS_RESULT_CONNECTION_ID).a[1];
}

static int scalar(kc_thread t, kc_word cid, kc_word kind, kc_word id, kc_word a1)
{
	return SYS(t, XOUS_SYS_SEND_MESSAGE, cid, kind, id, a1, a1 + 1, a1 + 2, a1 + 3);
}

static int lend(kc_thread t, kc_word sys, kc_word cid, kc_word kind, kc_word addr, kc_word len,
                kc_word off, kc_word valid)
{
	kc_mem m = {0, 0, 0, 0, 0x1234, 0x5678};

	return sysv(t, &m, (const kc_word[8]){sys, cid, kind, 9, addr, len, off, valid});
}

static kc_regs recv(kc_thread t, kc_word n)
{
	ck_assert_int_eq(SYS(t, XOUS_SYS_RECEIVE_MESSAGE, SID(n)), 0);
	return expect_tag(t, XOUS_RESULT_MESSAGE_ENVELOPE);
}

static void name_sid(kc_word w[4])
{
	const char *n = XOUS_NAME_NAMES;
	int i;

	for (i = 0; i < 4; i++)
		w[i] = (kc_word)(unsigned char)n[4 * i] |
		       (kc_word)(unsigned char)n[4 * i + 1] << 8 |
		       (kc_word)(unsigned char)n[4 * i + 2] << 16 |
		       (kc_word)(unsigned char)n[4 * i + 3] << 24;
}

/* t's last reply came with a message's memory, which mem_done released
 * once, after that reply (kcore.h: the order of the callbacks). */
static bool reply_then_mem_done(kc_thread t)
{
	int i, before = 0, after = 0;

	if (!F.reply_has_mem[t])
		return false;
	for (i = 0; i < F.ndone; i++)
		if (F.done[i].m.addr == F.reply_mem[t].addr &&
		    F.done[i].m.len == F.reply_mem[t].len)
			*(i < F.reply_ndone[t] ? &before : &after) += 1;
	return before == 0 && after == 1;
}

static struct kc_counts counts(void)
{
	struct kc_counts c;

	kc_counts(&K, &c);
	return c;
}

/* Tables hold what they held after kc_init (the process table aside). */
static void at_baseline(void)
{
	struct kc_counts c = counts();

	ck_assert_uint_eq(c.procs, F.base.procs);
	ck_assert_uint_eq(c.threads, F.base.threads);
	ck_assert_uint_eq(c.servers, F.base.servers);
	ck_assert_uint_eq(c.msgs, F.base.msgs);
	ck_assert_uint_eq(c.conns, F.base.conns);
	ck_assert_uint_eq(c.lent_bytes, 0);
	ck_assert_uint_eq(c.ahead, 0);
	ck_assert_uint_eq(c.reserved, 0);
	ck_assert_uint_eq(c.overfull, 0);
}

/* ======== procs ======== */

START_TEST(init_makes_kernel_pid1_only)
{
	struct kc_counts c = counts();

	ck_assert(kc_process_alive(&K, 1));
	ck_assert(!kc_process_alive(&K, 2));
	ck_assert(!kc_process_alive(&K, 0));
	ck_assert(!kc_process_alive(&K, KC_MAX_PROCS + 1));
	ck_assert_uint_eq(c.procs, 1);
	ck_assert_uint_eq(c.threads + c.servers + c.msgs + c.conns, 0);
}
END_TEST

START_TEST(pids_are_lowest_free_from_2)
{
	uint32_t a, b, c, d;

	new_proc(&a);
	new_proc(&b);
	new_proc(&c);
	ck_assert_uint_eq(a, 2);
	ck_assert_uint_eq(b, 3);
	ck_assert_uint_eq(c, 4);
	kc_process_exit(&K, 3);
	ck_assert(!kc_process_alive(&K, 3));
	new_proc(&d);
	ck_assert_uint_eq(d, 3);
}
END_TEST

START_TEST(process_table_full_is_out_of_memory)
{
	uint32_t pid = 0;
	kc_thread t;
	int i;

	for (i = 0; i < KC_MAX_PROCS - 1; i++)
		new_proc(NULL);
	ck_assert_uint_eq(kc_process_create(&K, &pid, &t), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(counts().procs, KC_MAX_PROCS);
	for (i = 2; i <= KC_MAX_PROCS; i++)
		kc_process_exit(&K, (uint32_t)i);
	at_baseline();
}
END_TEST

START_TEST(exit_of_kernel_or_unknown_pid_is_ignored)
{
	kc_process_exit(&K, 1);
	kc_process_exit(&K, 0);
	kc_process_exit(&K, 5);
	kc_process_exit(&K, 1000);
	ck_assert(kc_process_alive(&K, 1));
	at_baseline();
}
END_TEST

START_TEST(ids_of_calling_thread)
{
	uint32_t pid;
	kc_thread t = new_proc(&pid), t2 = new_thread(pid, false);

	ck_assert_int_eq(SYS(t, XOUS_SYS_GET_PROCESS_ID), 0);
	ck_assert_uint_eq(expect_tag(t, XOUS_RESULT_PROCESS_ID).a[1], pid);
	ck_assert_int_eq(SYS(t, XOUS_SYS_GET_THREAD_ID), 0);
	ck_assert_uint_eq(expect_tag(t, XOUS_RESULT_THREAD_ID).a[1], 1);
	ck_assert_int_eq(SYS(t2, XOUS_SYS_GET_THREAD_ID), 0);
	ck_assert_uint_eq(expect_tag(t2, XOUS_RESULT_THREAD_ID).a[1], 2);
	ck_assert_uint_eq(kc_thread_pid(&K, t2), pid);
	ck_assert_uint_eq(kc_thread_tid(&K, t2), 2);
	ck_assert_uint_eq(kc_thread_find(&K, pid, 2), t2);
	ck_assert_uint_eq(kc_thread_find(&K, pid, 3), KC_NO_THREAD);
	ck_assert_uint_eq(kc_thread_pid(&K, KC_NO_THREAD), 0);
}
END_TEST

START_TEST(yield_is_ok_platform_calls_unhandled_unknown_invalid)
{
	static const kc_word platform[] = {
	        XOUS_SYS_MAP_MEMORY,    XOUS_SYS_UNMAP_MEMORY,      XOUS_SYS_UPDATE_MEMORY_FLAGS,
	        XOUS_SYS_CREATE_THREAD, XOUS_SYS_TERMINATE_PROCESS, XOUS_SYS_WAIT_EVENT,
	        XOUS_SYS_SHUTDOWN};
	static const kc_word unknown[] = {0, 1, 4, 13, 37, 38, 39, 42, 1000, (kc_word)-1};
	kc_thread t = new_proc(NULL);
	size_t i;

	ck_assert_int_eq(SYS(t, XOUS_SYS_YIELD), 0);
	expect_ok(t);
	for (i = 0; i < sizeof(platform) / sizeof(platform[0]); i++) {
		ck_assert_int_eq(SYS(t, platform[i]), 0);
		expect_err(t, XOUS_ERR_UNHANDLED_SYSCALL);
	}
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		ck_assert_int_eq(SYS(t, unknown[i]), 0);
		expect_err(t, XOUS_ERR_INVALID_SYSCALL);
	}
	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_PROCESS), 0); /* the task server's alone */
	expect_err(t, XOUS_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(syscall_from_bad_or_blocked_thread_is_refused)
{
	uint32_t pid;
	kc_thread t = new_proc(&pid), z = new_thread(pid, true);
	kc_regs r = {{XOUS_SYS_YIELD}};

	ck_assert_int_eq(SYS(KC_NO_THREAD, XOUS_SYS_YIELD), -1);
	ck_assert_int_eq(SYS(KC_MAX_THREADS, XOUS_SYS_YIELD), -1);
	ck_assert_int_eq(SYS(KC_MAX_THREADS - 1, XOUS_SYS_YIELD), -1); /* free slot */
	ck_assert_int_eq(kc_syscall(&K, t, NULL, NULL), -1);
	ck_assert_int_eq(kc_syscall(&K, t, &r, NULL), 0);
	expect_ok(t);
	/* blocked: waits to connect */
	ck_assert_int_eq(SYS(t, XOUS_SYS_CONNECT, SID(1)), 0);
	ck_assert(kc_thread_blocked(&K, t));
	ck_assert_int_eq(SYS(t, XOUS_SYS_YIELD), -1);
	no_result(t);
	/* ended, not joined */
	kc_thread_exit(&K, z, 0);
	ck_assert_int_eq(SYS(z, XOUS_SYS_YIELD), -1);
	ck_assert(!kc_thread_blocked(&K, z));
}
END_TEST

START_TEST(memory_given_to_a_non_send_call_is_released)
{
	uint32_t pid;
	kc_thread t = new_proc(&pid);
	kc_mem m = {PAGE, PAGE, 0, 0, 7, 8};

	ck_assert_int_eq(sysv(t, &m, (const kc_word[8]){XOUS_SYS_YIELD}), 0);
	expect_ok(t);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, pid);
	ck_assert_uint_eq(F.done[0].server_pid, 0);
	ck_assert_uint_eq(F.done[0].m.handle, 7);
}
END_TEST

/* ======== threads ======== */

START_TEST(tids_are_lowest_free_from_1)
{
	uint32_t pid;
	kc_thread m = new_proc(&pid), a = new_thread(pid, false), b = new_thread(pid, false), c;

	ck_assert_uint_eq(kc_thread_tid(&K, m), 1);
	ck_assert_uint_eq(kc_thread_tid(&K, a), 2);
	ck_assert_uint_eq(kc_thread_tid(&K, b), 3);
	kc_thread_exit(&K, a, 0);
	ck_assert_uint_eq(kc_thread_find(&K, pid, 2), KC_NO_THREAD);
	c = new_thread(pid, false);
	ck_assert_uint_eq(kc_thread_tid(&K, c), 2);
}
END_TEST

START_TEST(thread_create_in_missing_process_fails)
{
	kc_thread t;

	ck_assert_uint_eq(kc_thread_create(&K, 5, false, &t), XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_uint_eq(kc_thread_create(&K, 0, false, &t), XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_uint_eq(kc_thread_create(&K, 999, false, &t), XOUS_ERR_PROCESS_NOT_FOUND);
}
END_TEST

START_TEST(join_of_ended_thread_returns_its_word)
{
	uint32_t pid;
	kc_thread m = new_proc(&pid), j = new_thread(pid, true), n;

	kc_thread_exit(&K, j, 0xbeef);
	/* a joinable thread's tid stays taken until joined */
	n = new_thread(pid, false);
	ck_assert_uint_eq(kc_thread_tid(&K, n), 3);
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 2), 0);
	ck_assert_uint_eq(expect_tag(m, XOUS_RESULT_SCALAR1).a[1], 0xbeef);
	ck_assert_uint_eq(kc_thread_tid(&K, new_thread(pid, false)), 2);
	/* joined once: a second join finds nothing */
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 4), 0);
	expect_err(m, XOUS_ERR_INVALID_THREAD);
}
END_TEST

START_TEST(join_waits_until_thread_ends)
{
	uint32_t pid;
	kc_thread m = new_proc(&pid), j = new_thread(pid, true);

	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 2), 0);
	no_result(m);
	ck_assert(kc_thread_blocked(&K, m));
	kc_thread_exit(&K, j, 77);
	ck_assert_uint_eq(expect_tag(m, XOUS_RESULT_SCALAR1).a[1], 77);
	ck_assert(!kc_thread_blocked(&K, m));
	ck_assert_uint_eq(counts().threads, 1);
}
END_TEST

START_TEST(join_errors_are_invalid_thread)
{
	uint32_t pid, pid2;
	kc_thread m = new_proc(&pid), d = new_thread(pid, false), j = new_thread(pid, true),
	          j2 = new_thread(pid, false);
	kc_thread o = new_proc(&pid2);

	(void)d;
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 1), 0); /* itself */
	expect_err(m, XOUS_ERR_INVALID_THREAD);
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 2), 0); /* detached */
	expect_err(m, XOUS_ERR_INVALID_THREAD);
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 9), 0); /* no such tid */
	expect_err(m, XOUS_ERR_INVALID_THREAD);
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 0), 0);
	expect_err(m, XOUS_ERR_INVALID_THREAD);
	ck_assert_int_eq(SYS(o, XOUS_SYS_JOIN_THREAD, 3), 0); /* another process's thread */
	expect_err(o, XOUS_ERR_INVALID_THREAD);
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 3), 0);
	no_result(m);
	ck_assert_int_eq(SYS(j2, XOUS_SYS_JOIN_THREAD, 3), 0); /* already joined by m */
	expect_err(j2, XOUS_ERR_INVALID_THREAD);
	kc_thread_exit(&K, j, 5);
	ck_assert_uint_eq(expect_tag(m, XOUS_RESULT_SCALAR1).a[1], 5);
}
END_TEST

START_TEST(thread_exit_twice_or_of_bad_handle_is_ignored)
{
	uint32_t pid;
	kc_thread m = new_proc(&pid), j = new_thread(pid, true);

	kc_thread_exit(&K, j, 1);
	kc_thread_exit(&K, j, 2);
	kc_thread_exit(&K, KC_NO_THREAD, 0);
	kc_thread_exit(&K, KC_MAX_THREADS + 5, 0);
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, 2), 0);
	ck_assert_uint_eq(expect_tag(m, XOUS_RESULT_SCALAR1).a[1], 1);
}
END_TEST

START_TEST(zombie_and_joiner_go_with_their_process)
{
	uint32_t pid;
	kc_thread m = new_proc(&pid), j = new_thread(pid, true), z = new_thread(pid, true);

	kc_thread_exit(&K, z, 3);
	ck_assert_int_eq(SYS(m, XOUS_SYS_JOIN_THREAD, kc_thread_tid(&K, j)), 0);
	kc_process_exit(&K, pid);
	no_result(m);
	at_baseline();
}
END_TEST

/* ======== servers ======== */

START_TEST(create_with_address_connects_creator)
{
	uint32_t pid;
	kc_thread t = new_proc(&pid);
	kc_regs r;

	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(42)), 0);
	r = expect_tag(t, XOUS_RESULT_NEW_SERVER_ID);
	ck_assert_uint_eq(r.a[1], 42);
	ck_assert_uint_eq(r.a[2], 0x11110000u);
	ck_assert_uint_eq(r.a[3], 0x22220000u);
	ck_assert_uint_eq(r.a[4], 0x33330000u);
	ck_assert_uint_eq(r.a[5], 1);
	ck_assert_uint_eq(conn(t, 42), 1);
	ck_assert_uint_eq(counts().servers, 1);
	ck_assert_uint_eq(counts().conns, 1);
}
END_TEST

START_TEST(create_existing_sid_is_server_exists)
{
	kc_thread a = new_proc(NULL), b = new_proc(NULL);

	mkserver(a, 7);
	ck_assert_int_eq(SYS(b, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(7)), 0);
	expect_err(b, XOUS_ERR_SERVER_EXISTS);
	ck_assert_int_eq(SYS(a, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(7)), 0);
	expect_err(a, XOUS_ERR_SERVER_EXISTS);
	ck_assert_uint_eq(counts().servers, 1);
}
END_TEST

START_TEST(create_server_random_ids_differ)
{
	kc_thread t = new_proc(NULL), c = new_proc(NULL);
	kc_regs a, b;

	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER), 0);
	a = expect_tag(t, XOUS_RESULT_NEW_SERVER_ID);
	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER), 0);
	b = expect_tag(t, XOUS_RESULT_NEW_SERVER_ID);
	ck_assert(memcmp(&a.a[1], &b.a[1], 4 * sizeof(kc_word)) != 0);
	ck_assert_uint_ne(a.a[5], b.a[5]);
	/* the random id is a real server */
	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_CONNECT, a.a[1], a.a[2], a.a[3], a.a[4]), 0);
	expect_tag(c, XOUS_RESULT_CONNECTION_ID);
}
END_TEST

START_TEST(create_server_id_makes_no_server)
{
	kc_thread t = new_proc(NULL);
	kc_regs a;

	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER_ID), 0);
	a = expect_tag(t, XOUS_RESULT_SERVER_ID);
	ck_assert_uint_eq(counts().servers, 0);
	ck_assert_int_eq(SYS(t, XOUS_SYS_TRY_CONNECT, a.a[1], a.a[2], a.a[3], a.a[4]), 0);
	expect_err(t, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(
	        SYS(t, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, a.a[1], a.a[2], a.a[3], a.a[4]), 0);
	expect_tag(t, XOUS_RESULT_NEW_SERVER_ID);
}
END_TEST

START_TEST(random_source_stuck_on_taken_ids_is_internal_error)
{
	kc_thread t = new_proc(NULL);

	F.rnd_const = true;
	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER), 0);
	expect_tag(t, XOUS_RESULT_NEW_SERVER_ID);
	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER), 0);
	expect_err(t, XOUS_ERR_INTERNAL_ERROR);
	ck_assert_uint_eq(counts().servers, 1);
}
END_TEST

/* A role's id: only its holders create it, before and after any holder dies. */
START_TEST(a_role_id_is_created_only_by_its_holders)
{
	uint32_t apid, bpid, cpid, role, again,
	        sid[4] = {77, 0x11110000u, 0x22220000u, 0x33330000u};
	kc_thread a = new_proc(&apid), b = new_proc(&bpid);

	ck_assert_uint_eq(kc_role_define(&K, sid, &role), XOUS_OK);
	ck_assert_uint_eq(kc_role_define(&K, sid, &again), XOUS_OK);
	ck_assert_uint_eq(again, role);
	ck_assert_uint_eq(kc_process_set_role(&K, apid, role), XOUS_OK);
	ck_assert_int_eq(SYS(b, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(77)), 0);
	expect_err(b, XOUS_ERR_ACCESS_DENIED);
	mkserver(a, 77);
	ck_assert_int_eq(SYS(b, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(77)), 0);
	expect_err(b, XOUS_ERR_ACCESS_DENIED);
	/* its holder gone, the id stays kept: nobody else takes it */
	kc_process_exit(&K, apid);
	ck_assert_int_eq(SYS(b, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(77)), 0);
	expect_err(b, XOUS_ERR_ACCESS_DENIED);
	/* a process given the role later (a restarted server) may; its pid may
	 * be the old holder's, and holds nothing until given the role */
	kc_thread c = new_proc(&cpid);
	ck_assert_uint_eq(cpid, apid);
	ck_assert_int_eq(SYS(c, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(77)), 0);
	expect_err(c, XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(kc_process_set_role(&K, cpid, role), XOUS_OK);
	mkserver(c, 77);
	/* other ids are anyone's */
	mkserver(b, 78);
}
END_TEST

START_TEST(role_definitions_and_grants_check_their_arguments)
{
	uint32_t pid, role, zero[4] = {0}, sid[4] = {1, 2, 3, 0};

	new_proc(&pid);
	ck_assert_uint_eq(kc_role_define(&K, zero, &role), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(kc_process_set_role(&K, pid, 0), XOUS_ERR_INVALID_ARGUMENT);
	for (uint32_t i = 0; i < KC_MAX_ROLES; i++) {
		sid[3] = i + 1;
		ck_assert_uint_eq(kc_role_define(&K, sid, &role), XOUS_OK);
		ck_assert_uint_eq(role, i);
	}
	sid[3] = KC_MAX_ROLES + 1;
	ck_assert_uint_eq(kc_role_define(&K, sid, &role), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(kc_process_set_role(&K, pid, KC_MAX_ROLES), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(kc_process_set_role(&K, 1, 0), XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_uint_eq(kc_process_set_role(&K, pid + 1, 0), XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_uint_eq(kc_process_set_role(&K, pid, KC_MAX_ROLES - 1), XOUS_OK);
}
END_TEST

START_TEST(random_ids_are_never_a_role)
{
	kc_thread t = new_proc(NULL);
	uint32_t role, next[4] = {0xc0de0001u, 0x9abcdef0u, 7u, 0x5a5a5a5au};

	/* the fake's next random id is a role's: the stuck source finds no other */
	ck_assert_uint_eq(kc_role_define(&K, next, &role), XOUS_OK);
	F.rnd = 1;
	F.rnd_const = true;
	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_SERVER), 0);
	expect_err(t, XOUS_ERR_INTERNAL_ERROR);
	ck_assert_uint_eq(counts().servers, 0);
}
END_TEST

START_TEST(destroy_server_ownership_and_missing)
{
	kc_thread a = new_proc(NULL), b = new_proc(NULL);

	mkserver(a, 3);
	ck_assert_int_eq(SYS(b, XOUS_SYS_DESTROY_SERVER, SID(3)), 0);
	expect_err(b, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(a, XOUS_SYS_DESTROY_SERVER, SID(4)), 0);
	expect_err(a, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(a, XOUS_SYS_DESTROY_SERVER, SID(3)), 0);
	expect_ok(a);
	ck_assert_uint_eq(counts().servers, 0);
	ck_assert_int_eq(SYS(a, XOUS_SYS_DESTROY_SERVER, SID(3)), 0);
	expect_err(a, XOUS_ERR_SERVER_NOT_FOUND);
	/* the sid can be used again */
	mkserver(b, 3);
}
END_TEST

START_TEST(receive_ownership_and_missing)
{
	kc_thread a = new_proc(NULL), b = new_proc(NULL);

	mkserver(a, 3);
	ck_assert_int_eq(SYS(b, XOUS_SYS_RECEIVE_MESSAGE, SID(3)), 0);
	expect_err(b, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(b, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(3)), 0);
	expect_err(b, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(a, XOUS_SYS_RECEIVE_MESSAGE, SID(8)), 0);
	expect_err(a, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(a, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(3)), 0);
	expect_tag(a, XOUS_RESULT_NONE);
}
END_TEST

START_TEST(destroy_wakes_receivers_with_server_not_found)
{
	uint32_t pid;
	kc_thread a = new_proc(&pid), r1 = new_thread(pid, false), r2 = new_thread(pid, false);

	mkserver(a, 3);
	ck_assert_int_eq(SYS(r1, XOUS_SYS_RECEIVE_MESSAGE, SID(3)), 0);
	ck_assert_int_eq(SYS(r2, XOUS_SYS_RECEIVE_MESSAGE, SID(3)), 0);
	no_result(r1);
	ck_assert_int_eq(SYS(a, XOUS_SYS_DESTROY_SERVER, SID(3)), 0);
	expect_ok(a);
	expect_err(r1, XOUS_ERR_SERVER_NOT_FOUND);
	expect_err(r2, XOUS_ERR_SERVER_NOT_FOUND);
}
END_TEST

/* ======== connect ======== */

START_TEST(connect_twice_gives_same_cid)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word a, b;

	mkserver(s, 1);
	mkserver(s, 2);
	a = conn(c, 1);
	b = conn(c, 2);
	ck_assert_uint_eq(a, 1);
	ck_assert_uint_eq(b, 2);
	ck_assert_uint_eq(conn(c, 1), a);
	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_CONNECT, SID(2)), 0);
	ck_assert_uint_eq(expect_tag(c, XOUS_RESULT_CONNECTION_ID).a[1], b);
}
END_TEST

START_TEST(try_connect_missing_is_server_not_found)
{
	kc_thread c = new_proc(NULL);

	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_CONNECT, SID(5)), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert(!kc_thread_blocked(&K, c));
}
END_TEST

START_TEST(connect_waits_and_create_wakes_every_waiter)
{
	uint32_t p1, p2;
	kc_thread a = new_proc(&p1), b = new_thread(p1, false), c = new_proc(&p2),
	          other = new_thread(p2, false), s = new_proc(NULL);

	ck_assert_int_eq(SYS(a, XOUS_SYS_CONNECT, SID(9)), 0);
	ck_assert_int_eq(SYS(b, XOUS_SYS_CONNECT, SID(9)), 0);
	ck_assert_int_eq(SYS(c, XOUS_SYS_CONNECT, SID(9)), 0);
	ck_assert_int_eq(SYS(other, XOUS_SYS_CONNECT, SID(10)), 0);
	no_result(a);
	no_result(b);
	no_result(c);
	ck_assert(kc_thread_blocked(&K, a));
	mkserver(s, 9);
	ck_assert_uint_eq(expect_tag(a, XOUS_RESULT_CONNECTION_ID).a[1], 1);
	ck_assert_uint_eq(expect_tag(b, XOUS_RESULT_CONNECTION_ID).a[1], 1); /* same process */
	ck_assert_uint_eq(expect_tag(c, XOUS_RESULT_CONNECTION_ID).a[1], 1);
	no_result(other);
	ck_assert(kc_thread_blocked(&K, other));
	mkserver(s, 10);
	ck_assert_uint_eq(expect_tag(other, XOUS_RESULT_CONNECTION_ID).a[1], 2);
}
END_TEST

START_TEST(connect_waiter_with_full_cid_table_gets_out_of_memory)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL), owner = new_proc(NULL);
	int i;

	for (i = 1; i <= KC_MAX_CONNS; i++) {
		mkserver(owner, (kc_word)i);
		conn(c, (kc_word)i);
	}
	ck_assert_int_eq(SYS(c, XOUS_SYS_CONNECT, SID(99)), 0);
	no_result(c);
	mkserver(s, 99);
	expect_err(c, XOUS_ERR_OUT_OF_MEMORY);
}
END_TEST

START_TEST(disconnect_frees_cid_and_bad_cids_fail)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, cid), 0);
	expect_ok(c);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, cid), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, KC_MAX_CONNS + 1), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, (kc_word)-1), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(conn(c, 1), cid); /* lowest free again */
}
END_TEST

START_TEST(cid_is_per_process_and_unknown_cids_fail)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL), d = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	mkserver(s, 2);
	cid = conn(c, 2); /* cid 1 in c; cid 1 in s is server 1 */
	ck_assert_int_eq(scalar(d, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(d, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(scalar(c, 0, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(scalar(c, KC_MAX_CONNS + 1, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(scalar(c, 2, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(c);
	ck_assert_uint_eq(recv(s, 2).a[3], 1);
}
END_TEST

START_TEST(stale_cid_after_server_death_until_disconnect)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid, cid2;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_DESTROY_SERVER, SID(1)), 0);
	expect_ok(s);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	/* a new server with the same sid is a new connection, not the old cid */
	mkserver(s, 1);
	cid2 = conn(c, 1);
	ck_assert_uint_ne(cid2, cid);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, cid), 0);
	expect_ok(c);
}
END_TEST

START_TEST(connect_for_process_only_by_name_server_owner)
{
	uint32_t ppid, tpid;
	kc_thread ns = new_proc(NULL), srv = new_proc(&ppid), target = new_proc(&tpid);
	kc_word w[4], cid;

	name_sid(w);
	/* no name server yet: nobody may */
	ck_assert_int_eq(SYS(srv, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(5)), 0);
	expect_err(srv, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, w[0], w[1], w[2], w[3]), 0);
	expect_tag(ns, XOUS_RESULT_NEW_SERVER_ID);
	mkserver(srv, 5);
	ck_assert_int_eq(SYS(srv, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(5)), 0);
	expect_err(srv, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, 7, SID(5)), 0);
	expect_err(ns, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, 0, SID(5)), 0);
	expect_err(ns, XOUS_ERR_PROCESS_NOT_FOUND);
	/* pid 1, the kernel, is no process to connect (found by the kcore fuzzer) */
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, 1, SID(5)), 0);
	expect_err(ns, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, (kc_word)-1, SID(5)), 0);
	expect_err(ns, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(6)), 0);
	expect_err(ns, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(5)), 0);
	cid = expect_tag(ns, XOUS_RESULT_CONNECTION_ID).a[1];
	ck_assert_uint_eq(cid, 1);
	/* the cid is the target's */
	ck_assert_int_eq(scalar(target, cid, XOUS_KIND_SCALAR, 4, 0), 0);
	expect_ok(target);
	ck_assert_uint_eq(xous_sender_pid(recv(srv, 5).a[1]), tpid);
	ck_assert_uint_eq(conn(target, 5), cid);
}
END_TEST

/* With a role for xous-name-server, ConnectForProcess is its holder's alone. */
START_TEST(connect_for_process_follows_the_name_server_role)
{
	uint32_t nspid, xpid, tpid, role, ns_sid[4];
	kc_thread ns = new_proc(&nspid), x = new_proc(&xpid), target = new_proc(&tpid);
	kc_word w[4];

	name_sid(w);
	for (int i = 0; i < 4; i++)
		ns_sid[i] = (uint32_t)w[i];
	ck_assert_uint_eq(kc_role_define(&K, ns_sid, &role), XOUS_OK);
	ck_assert_uint_eq(kc_process_set_role(&K, nspid, role), XOUS_OK);
	mkserver(target, 5);
	ck_assert_int_eq(SYS(x, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, w[0], w[1], w[2], w[3]), 0);
	expect_err(x, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(x, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(5)), 0);
	expect_err(x, XOUS_ERR_ACCESS_DENIED);
	/* the holder before it made its server: not yet the name server */
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(5)), 0);
	expect_err(ns, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, w[0], w[1], w[2], w[3]), 0);
	expect_tag(ns, XOUS_RESULT_NEW_SERVER_ID);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, xpid, SID(5)), 0);
	expect_tag(ns, XOUS_RESULT_CONNECTION_ID);
	/* the name server dies: nobody takes its place */
	kc_process_exit(&K, nspid);
	ck_assert_int_eq(SYS(x, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, w[0], w[1], w[2], w[3]), 0);
	expect_err(x, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(x, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(5)), 0);
	expect_err(x, XOUS_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(server_owner_only_by_name_server_owner)
{
	uint32_t nspid, spid;
	kc_thread ns = new_proc(&nspid), srv = new_proc(&spid);
	kc_word w[4];

	name_sid(w);
	mkserver(srv, 5);
	/* no name server yet: nobody may ask */
	ck_assert_int_eq(SYS(srv, XOUS_SYS_SERVER_OWNER, SID(5)), 0);
	expect_err(srv, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, w[0], w[1], w[2], w[3]), 0);
	expect_tag(ns, XOUS_RESULT_NEW_SERVER_ID);
	ck_assert_int_eq(SYS(srv, XOUS_SYS_SERVER_OWNER, SID(5)), 0);
	expect_err(srv, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_SERVER_OWNER, SID(5)), 0);
	ck_assert_uint_eq(expect_tag(ns, XOUS_RESULT_PROCESS_ID).a[1], spid);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_SERVER_OWNER, w[0], w[1], w[2], w[3]), 0);
	ck_assert_uint_eq(expect_tag(ns, XOUS_RESULT_PROCESS_ID).a[1], nspid);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_SERVER_OWNER, SID(6)), 0);
	expect_err(ns, XOUS_ERR_SERVER_NOT_FOUND);
	/* a server destroyed, or whose process ended, has no owner */
	ck_assert_int_eq(SYS(srv, XOUS_SYS_DESTROY_SERVER, SID(5)), 0);
	expect_ok(srv);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_SERVER_OWNER, SID(5)), 0);
	expect_err(ns, XOUS_ERR_SERVER_NOT_FOUND);
	mkserver(srv, 7);
	kc_process_exit(&K, spid);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_SERVER_OWNER, SID(7)), 0);
	expect_err(ns, XOUS_ERR_SERVER_NOT_FOUND);
}
END_TEST

/* ======== messages ======== */

START_TEST(scalar_is_queued_then_received_with_envelope)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid);
	kc_word cid;
	kc_regs e;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, 0x77, 1, 2, 3, 4), 0);
	expect_ok(c);
	ck_assert_uint_eq(counts().msgs, 1);
	e = recv(s, 1);
	ck_assert_uint_ne(e.a[1], 0);
	ck_assert_uint_eq(e.a[1] & KC_SENDER_SCALAR_ANSWER, 0);
	ck_assert_uint_eq(xous_sender_pid(e.a[1]), cpid);
	ck_assert_uint_eq(e.a[2], XOUS_KIND_SCALAR);
	ck_assert_uint_eq(e.a[3], 0x77);
	ck_assert_uint_eq(e.a[4], 1);
	ck_assert_uint_eq(e.a[5], 2);
	ck_assert_uint_eq(e.a[6], 3);
	ck_assert_uint_eq(e.a[7], 4);
	ck_assert(!F.got_mem[s]);
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_uint_eq(counts().sent, 1);
}
END_TEST

START_TEST(receive_blocks_until_a_message_arrives)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	no_result(s);
	ck_assert(kc_thread_blocked(&K, s));
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 5, 10), 0);
	expect_ok(c);
	ck_assert_uint_eq(expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 5);
	ck_assert(!kc_thread_blocked(&K, s));
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

START_TEST(receivers_are_served_in_order)
{
	uint32_t spid;
	kc_thread s = new_proc(&spid), s2 = new_thread(spid, false), c = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	ck_assert_int_eq(SYS(s2, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(c);
	ck_assert_uint_eq(expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 1);
	no_result(s2);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(c);
	ck_assert_uint_eq(expect_tag(s2, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 2);
}
END_TEST

START_TEST(try_receive_on_empty_queue_is_none)
{
	kc_thread s = new_proc(NULL);

	mkserver(s, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
	ck_assert(!kc_thread_blocked(&K, s));
}
END_TEST

START_TEST(send_with_invalid_kind_is_invalid_argument)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_mem m = {0, 0, 0, 0, 3, 0};
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, 0, 1, 0), 0);
	expect_err(c, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(scalar(c, cid, 6, 1, 0), 0);
	expect_err(c, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_SEND_MESSAGE, cid, (kc_word)-1), 0);
	expect_err(c, XOUS_ERR_INVALID_ARGUMENT);
	/* memory handed with a bad kind still comes back */
	ck_assert_int_eq(sysv(c, &m, (const kc_word[8]){XOUS_SYS_SEND_MESSAGE, cid, 9}), 0);
	expect_err(c, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].m.handle, 3);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

START_TEST(blocking_scalar_waits_for_each_answer_kind)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;
	kc_regs e, r;

	mkserver(s, 1);
	cid = conn(c, 1);
	/* Scalar1 */
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 10), 0);
	no_result(c);
	ck_assert(kc_thread_blocked(&K, c));
	e = recv(s, 1);
	ck_assert_uint_eq(e.a[2], XOUS_KIND_BLOCKING_SCALAR);
	ck_assert_uint_eq(e.a[4], 10);
	no_result(c);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, e.a[1], 111, 9, 9, 9, 9), 0);
	expect_ok(s);
	r = expect_tag(c, XOUS_RESULT_SCALAR1);
	ck_assert_uint_eq(r.a[1], 111);
	ck_assert_uint_eq(r.a[2], 0);
	/* Scalar2 */
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 2, 0), 0);
	e = recv(s, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR2, e.a[1], 21, 22, 9, 9, 9), 0);
	expect_ok(s);
	r = expect_tag(c, XOUS_RESULT_SCALAR2);
	ck_assert_uint_eq(r.a[1], 21);
	ck_assert_uint_eq(r.a[2], 22);
	ck_assert_uint_eq(r.a[3], 0);
	/* Scalar5 */
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 3, 0), 0);
	e = recv(s, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR5, e.a[1], 51, 52, 53, 54, 55), 0);
	expect_ok(s);
	r = expect_tag(c, XOUS_RESULT_SCALAR5);
	ck_assert_uint_eq(r.a[1], 51);
	ck_assert_uint_eq(r.a[5], 55);
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_uint_eq(counts().answered, 3);
}
END_TEST

START_TEST(blocking_scalar_dropped_answer_is_unavailable)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;
	kc_regs e;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 10), 0);
	e = recv(s, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, e.a[1], 0, 0, 0, 0), 0);
	expect_ok(s);
	expect_err(c, XOUS_ERR_UNAVAILABLE);
	ck_assert_int_eq(F.ndone, 0);
}
END_TEST

START_TEST(messages_from_one_thread_arrive_in_order)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid, i;

	mkserver(s, 1);
	cid = conn(c, 1);
	for (i = 1; i <= KC_QUEUE_DEPTH; i++) {
		ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, i, 0), 0);
		expect_ok(c);
	}
	/* the next ones wait for room, and still arrive in order */
	for (; i <= KC_QUEUE_DEPTH + 2; i++) {
		ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, i, 0), 0);
		no_result(c);
		ck_assert_uint_eq(recv(s, 1).a[3], i - KC_QUEUE_DEPTH);
		expect_ok(c);
	}
	for (i = 3; i <= KC_QUEUE_DEPTH + 2; i++)
		ck_assert_uint_eq(recv(s, 1).a[3], i);
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
}
END_TEST

/* ======== answers ======== */

static kc_word held_blocking(kc_thread s, kc_thread c, kc_word cid)
{
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	return recv(s, 1).a[1];
}

START_TEST(double_answer_is_double_free)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_ok(s);
	expect_tag(c, XOUS_RESULT_SCALAR1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 0, 0), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
	/* the slot reused by a new message: the old token is still stale */
	held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR2, tok, 1, 2), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
	no_result(c);
}
END_TEST

START_TEST(answer_to_scalar_or_move_is_double_free)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(c);
	tok = recv(s, 1).a[1];
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, PAGE, PAGE, 0, 0), 0);
	expect_ok(c);
	tok = recv(s, 1).a[1];
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, FAKE_ADDR, PAGE, 0, 0), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
}
END_TEST

START_TEST(forged_tokens_are_invalid_argument)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid);
	kc_word cid, tok, pidbits = (kc_word)KC_SENDER_PID_SHIFT;
	kc_word forged[] = {0, KC_SENDER_SCALAR_ANSWER, 0, 0, 0, (kc_word)-1, 0};
	size_t i;

	mkserver(s, 1);
	cid = conn(c, 1);
	tok = held_blocking(s, c, cid);
	forged[1] = tok | KC_SENDER_SCALAR_ANSWER;                              /* flag bit set */
	forged[2] = tok ^ ((kc_word)cpid << pidbits) ^ ((kc_word)1 << pidbits); /* other pid */
	forged[3] = tok & ~((((kc_word)1 << KC_SENDER_GEN_BITS) - 1) << KC_SENDER_SLOT_BITS);
	forged[4] = (tok & ~(((kc_word)1 << KC_SENDER_SLOT_BITS) - 1)) | KC_MAX_MSGS; /* slot */
	forged[6] = tok | KC_SENDER_SCALAR1_ANSWER; /* the other flag bit */
	for (i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, forged[i], 1), 0);
		expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	}
	no_result(c);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_ok(s);
	expect_tag(c, XOUS_RESULT_SCALAR1);
}
END_TEST

START_TEST(answer_by_another_process_is_access_denied)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL), o = new_proc(NULL);
	kc_word cid, tok, queued;
	uint32_t m;

	mkserver(s, 1);
	cid = conn(c, 1);
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(o, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_err(o, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(c, XOUS_SYS_RETURN_SCALAR1, tok, 1), -1); /* c is blocked */
	no_result(c);
	/* a queued message is nobody's to answer: guess its token */
	ck_assert_int_eq(scalar(o, conn(o, 1), XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(o);
	for (m = 0; m < KC_MAX_MSGS; m++)
		if (K.msgs[m].state == KC_M_QUEUED)
			break;
	ck_assert_uint_lt(m, KC_MAX_MSGS);
	queued = (kc_word)m | (kc_word)K.msgs[m].gen << KC_SENDER_SLOT_BITS |
	         (kc_word)K.msgs[m].pid << KC_SENDER_PID_SHIFT;
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, queued, 1), 0);
	expect_err(s, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_ok(s);
	expect_tag(c, XOUS_RESULT_SCALAR1);
}
END_TEST

START_TEST(any_thread_of_the_server_process_may_answer)
{
	uint32_t spid;
	kc_thread s = new_proc(&spid), s2 = new_thread(spid, false), c = new_proc(NULL);
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(s2, XOUS_SYS_RETURN_SCALAR1, tok, 4), 0);
	expect_ok(s2);
	ck_assert_uint_eq(expect_tag(c, XOUS_RESULT_SCALAR1).a[1], 4);
}
END_TEST

START_TEST(scalar_answer_to_memory_message_is_invalid_and_keeps_it)
{
	uint32_t cpid, spid;
	kc_thread s = new_proc(&spid), c = new_proc(&cpid);
	kc_word cid, tok;
	kc_regs r;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0),
	                 0);
	tok = recv(s, 1).a[1];
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR5, tok, 1, 2, 3, 4, 5), 0);
	expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1),
	                     tok | KC_SENDER_SCALAR_ANSWER, 1, 2),
	                 0);
	expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1),
	                     tok | KC_SENDER_SCALAR_ANSWER | KC_SENDER_SCALAR1_ANSWER, 1, 2),
	                 0);
	expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	no_result(c);
	ck_assert_int_eq(F.ndone, 0);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, FAKE_ADDR, PAGE, 5, 6), 0);
	expect_ok(s);
	r = expect_tag(c, XOUS_RESULT_MEMORY_RETURNED);
	ck_assert_uint_eq(r.a[1], 5);
	ck_assert_uint_eq(r.a[2], 6);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, cpid);
	ck_assert_uint_eq(F.done[0].server_pid, spid);
}
END_TEST

START_TEST(reply_and_receive_next_without_answer_receives)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1), 0, 0, 0), 0);
	no_result(s);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 3, 0), 0);
	expect_ok(c);
	ck_assert_uint_eq(expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 3);
}
END_TEST

START_TEST(reply_and_receive_next_answers_memory_then_receives)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid), c2 = new_proc(NULL);
	kc_word cid, tok;
	kc_regs r;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MUTABLE_BORROW, PAGE, 2 * PAGE, 0, 0),
	        0);
	tok = recv(s, 1).a[1];
	ck_assert_int_eq(scalar(c2, conn(c2, 1), XOUS_KIND_SCALAR, 8, 0), 0);
	expect_ok(c2);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1), tok, 3, 2 * PAGE + 9), 0);
	r = expect_tag(c, XOUS_RESULT_MEMORY_RETURNED);
	ck_assert_uint_eq(r.a[1], 3);
	ck_assert_uint_eq(r.a[2], 2 * PAGE + 9); /* passed through, even past len */
	ck_assert_uint_eq(F.done[0].m.valid, 2 * PAGE + 9);
	ck_assert_uint_eq(expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 8);
	ck_assert_uint_eq(counts().lent_bytes, 0);
}
END_TEST

START_TEST(reply_and_receive_next_scalar_flags_answer_scalar2_or_scalar1)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid, tok;
	kc_regs r;

	mkserver(s, 1);
	cid = conn(c, 1);
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1),
	                     tok | KC_SENDER_SCALAR_ANSWER, 61, 62),
	                 0);
	r = expect_tag(c, XOUS_RESULT_SCALAR2);
	ck_assert_uint_eq(r.a[1], 61);
	ck_assert_uint_eq(r.a[2], 62);
	no_result(s); /* now waits for the next message */
	ck_assert(kc_thread_blocked(&K, s));
	/* with the bit below it too: Scalar1(a6); that bit alone is no token */
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	tok = expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[1];
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1),
	                     tok | KC_SENDER_SCALAR1_ANSWER, 71, 72),
	                 0);
	expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1),
	                     tok | KC_SENDER_SCALAR_ANSWER | KC_SENDER_SCALAR1_ANSWER, 71, 72),
	                 0);
	r = expect_tag(c, XOUS_RESULT_SCALAR1);
	ck_assert_uint_eq(r.a[1], 71);
	ck_assert_uint_eq(r.a[2], 0);
	no_result(s);
	/* without the flag a BlockingScalar gets the dropped answer */
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	tok = expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[1];
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1), tok, 1, 2), 0);
	expect_err(c, XOUS_ERR_UNAVAILABLE);
	no_result(s);
}
END_TEST

START_TEST(reply_and_receive_next_bad_answer_does_not_receive)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 0), 0);
	expect_ok(s);
	expect_tag(c, XOUS_RESULT_SCALAR1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1), tok, 0, 0), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
	ck_assert(!kc_thread_blocked(&K, s));
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(1), 7, 0, 0), 0);
	expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	/* a good answer on a server it does not own: answered, then the receive fails */
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(s, XOUS_SYS_REPLY_AND_RECEIVE_NEXT, SID(2), tok, 0, 0), 0);
	expect_err(c, XOUS_ERR_UNAVAILABLE);
	expect_err(s, XOUS_ERR_SERVER_NOT_FOUND);
}
END_TEST

/* ======== queues ======== */

START_TEST(full_queue_makes_send_wait_and_try_send_fail)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;
	int i;

	mkserver(s, 1);
	cid = conn(c, 1);
	for (i = 0; i < KC_QUEUE_DEPTH; i++) {
		ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
		expect_ok(c);
	}
	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, 2), 0);
	expect_err(c, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_BLOCKING_SCALAR, 2), 0);
	expect_err(c, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_int_eq(F.ndone, 1); /* the lend's memory came back */
	ck_assert_uint_eq(F.done[0].server_pid, 0);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 3, 0), 0);
	no_result(c);
	ck_assert(kc_thread_blocked(&K, c));
	/* taking one from the full queue moves the waiter's message in */
	recv(s, 1);
	expect_ok(c);
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH);
	recv(s, 1);
	ck_assert_uint_eq(recv(s, 1).a[3], 3);
}
END_TEST

START_TEST(send_waiters_are_woken_in_order)
{
	uint32_t p;
	kc_thread s = new_proc(NULL), a = new_proc(&p), b = new_thread(p, false),
	          c = new_thread(p, false);
	kc_word cid;
	int i;

	mkserver(s, 1);
	cid = conn(a, 1);
	for (i = 0; i < KC_QUEUE_DEPTH; i++) {
		ck_assert_int_eq(scalar(a, cid, XOUS_KIND_SCALAR, 0, 0), 0);
		expect_ok(a);
	}
	ck_assert_int_eq(scalar(b, cid, XOUS_KIND_SCALAR, 10, 0), 0);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 11, 0), 0);
	ck_assert_int_eq(scalar(a, cid, XOUS_KIND_SCALAR, 12, 0), 0);
	no_result(a);
	no_result(b);
	no_result(c);
	recv(s, 1);
	expect_ok(b);
	no_result(a);
	recv(s, 1);
	no_result(c); /* queued now, still waits for its answer */
	ck_assert(kc_thread_blocked(&K, c));
	no_result(a);
	ck_assert_uint_eq(recv(s, 1).a[3], 10);
	expect_ok(a);
	ck_assert_uint_eq(recv(s, 1).a[3], 11);
	ck_assert_uint_eq(recv(s, 1).a[3], 12);
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
}
END_TEST

START_TEST(caller_exit_making_room_wakes_send_waiter)
{
	uint32_t p;
	kc_thread s = new_proc(NULL), a = new_proc(&p), b = new_thread(p, false);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(a, 1);
	/* a blocking message queued, its caller then ends: it is dropped and room is made */
	ck_assert_int_eq(scalar(a, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	ck_assert_int_eq(scalar(b, cid, XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(b);
	ck_assert_int_eq(scalar(b, cid, XOUS_KIND_SCALAR, 3, 0), 0);
	no_result(b);
	kc_thread_exit(&K, a, 0);
	expect_ok(b);
	ck_assert_uint_eq(recv(s, 1).a[3], 2);
	ck_assert_uint_eq(recv(s, 1).a[3], 3);
}
END_TEST

/* ======== memory ======== */

START_TEST(borrow_lends_until_answered)
{
	uint32_t cpid, spid;
	kc_thread s = new_proc(&spid), c = new_proc(&cpid);
	kc_word cid;
	kc_regs e, r;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, 3 * PAGE, 2 * PAGE, 100, 200),
	        0);
	no_result(c);
	ck_assert_uint_eq(counts().lent_bytes, 2 * PAGE);
	e = recv(s, 1);
	ck_assert_uint_eq(e.a[2], XOUS_KIND_BORROW);
	ck_assert_uint_eq(e.a[3], 9);
	ck_assert_uint_eq(e.a[4], FAKE_ADDR);
	ck_assert_uint_eq(e.a[5], 2 * PAGE);
	ck_assert_uint_eq(e.a[6], 100);
	ck_assert_uint_eq(e.a[7], 200);
	ck_assert(F.got_mem[s]);
	ck_assert_uint_eq(F.mem[s].addr, 3 * PAGE);
	ck_assert_uint_eq(F.mem[s].len, 2 * PAGE);
	ck_assert_uint_eq(F.mem[s].handle, 0x1234);
	ck_assert_uint_eq(F.mem[s].handle2, 0x5678);
	ck_assert_uint_eq(counts().lent_bytes, 2 * PAGE);
	ck_assert_int_eq(F.ndone, 0);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, e.a[1], FAKE_ADDR, 2 * PAGE, 7, 3 * PAGE),
	                 0);
	expect_ok(s);
	ck_assert(!F.reply_has_mem[s]);
	r = expect_tag(c, XOUS_RESULT_MEMORY_RETURNED);
	ck_assert_uint_eq(r.a[1], 7);
	ck_assert_uint_eq(r.a[2], 3 * PAGE); /* past len: passed through */
	/* the answer came with the message's memory, before mem_done released it */
	ck_assert(reply_then_mem_done(c));
	ck_assert_uint_eq(F.reply_mem[c].handle, 0x1234);
	ck_assert_uint_eq(F.reply_mem[c].valid, 3 * PAGE);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, cpid);
	ck_assert_uint_eq(F.done[0].server_pid, spid);
	ck_assert_uint_eq(F.done[0].m.offset, 7);
	ck_assert_uint_eq(F.done[0].m.valid, 3 * PAGE);
	ck_assert_uint_eq(F.done[0].m.handle, 0x1234);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

START_TEST(mutable_borrow_delivered_directly_to_waiting_receiver)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;
	kc_regs e;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MUTABLE_BORROW, PAGE, PAGE, 0, PAGE),
	        0);
	no_result(c);
	e = expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE);
	ck_assert_uint_eq(e.a[2], XOUS_KIND_MUTABLE_BORROW);
	ck_assert_uint_eq(e.a[7], PAGE);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, e.a[1], FAKE_ADDR, PAGE, 0, 12), 0);
	expect_ok(s);
	ck_assert_uint_eq(expect_tag(c, XOUS_RESULT_MEMORY_RETURNED).a[2], 12);
	/* offset and valid past the end are two free words: passed through unchanged */
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MUTABLE_BORROW, PAGE, PAGE, 0, 0), 0);
	e = recv(s, 1);
	ck_assert_int_eq(
	        SYS(s, XOUS_SYS_RETURN_MEMORY, e.a[1], FAKE_ADDR, PAGE, PAGE + 1, (kc_word)-1), 0);
	expect_ok(s);
	e = expect_tag(c, XOUS_RESULT_MEMORY_RETURNED);
	ck_assert_uint_eq(e.a[1], PAGE + 1);
	ck_assert_uint_eq(e.a[2], (kc_word)-1);
}
END_TEST

START_TEST(move_returns_once_queued_and_is_the_servers_when_delivered)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;
	kc_regs e;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, PAGE, PAGE, 1, 2), 0);
	expect_ok(c);
	ck_assert_uint_eq(counts().lent_bytes, PAGE);
	e = recv(s, 1);
	ck_assert_uint_eq(e.a[2], XOUS_KIND_MOVE);
	ck_assert(F.got_mem[s]);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_int_eq(F.ndone, 0); /* delivered Move: no mem_done */
	/* and directly to a waiting receiver */
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	ck_assert_int_eq(lend(c, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_MOVE, PAGE, PAGE, 0, 0),
	                 0);
	expect_ok(c);
	expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_int_eq(F.ndone, 0);
}
END_TEST

START_TEST(lend_arguments_are_checked_and_memory_given_back)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid);
	kc_word cid;
	kc_regs r;
	int i;
	struct {
		kc_word kind, addr, len, off, valid;
		uint32_t err;
	} bad[] = {
	        {XOUS_KIND_BORROW, PAGE + 1, PAGE, 0, 0, XOUS_ERR_BAD_ALIGNMENT},
	        {XOUS_KIND_MUTABLE_BORROW, PAGE, PAGE + 8, 0, 0, XOUS_ERR_BAD_ALIGNMENT},
	        {XOUS_KIND_MOVE, PAGE, 0, 0, 0, XOUS_ERR_BAD_ALIGNMENT},
	        {XOUS_KIND_BORROW, PAGE, PAGE, PAGE + 1, 0, XOUS_ERR_INVALID_ARGUMENT},
	        {XOUS_KIND_BORROW, PAGE, PAGE, 0, PAGE + 1, XOUS_ERR_INVALID_ARGUMENT},
	};

	mkserver(s, 1);
	cid = conn(c, 1);
	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, bad[i].kind, bad[i].addr,
		                      bad[i].len, bad[i].off, bad[i].valid),
		                 0);
		expect_err(c, bad[i].err);
		ck_assert_int_eq(F.ndone, i + 1);
		ck_assert_uint_eq(F.done[i].caller_pid, cpid);
		ck_assert_uint_eq(F.done[i].server_pid, 0);
	}
	/* bad cid: memory comes back too */
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, 4, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(F.ndone, i + 1);
	/* no memory description from the platform: its pages could not be
	 * taken, and the server hears of it (GLOBAL_INVALID, opcode, pid) */
	ck_assert_int_eq(SYS(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, 1, PAGE, PAGE), 0);
	expect_err(c, XOUS_ERR_BAD_ADDRESS);
	r = recv(s, 1);
	ck_assert_uint_eq(r.a[2], XOUS_KIND_SCALAR);
	ck_assert_uint_eq(r.a[3], XOUS_GLOBAL_INVALID);
	ck_assert_uint_eq(r.a[4], 1);
	ck_assert_uint_eq(r.a[5], cpid);
	ck_assert_uint_eq(r.a[1] >> KC_SENDER_PID_SHIFT & 0xff, 1);
	/* offset == len and valid == len are fine */
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, PAGE, PAGE, PAGE, PAGE), 0);
	expect_ok(c);
	ck_assert_uint_eq(counts().msgs, 1);
}
END_TEST

START_TEST(scalar_with_memory_releases_it_and_sends)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid);
	kc_mem m = {PAGE, PAGE, 0, 0, 5, 0};
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(
	        sysv(c, &m, (const kc_word[8]){XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, 4}),
	        0);
	expect_ok(c);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, cpid);
	ck_assert(!F.got_mem[s]);
	ck_assert_uint_eq(recv(s, 1).a[3], 4);
	ck_assert(!F.got_mem[s]);
}
END_TEST

START_TEST(lent_bytes_limit_is_out_of_memory)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid), c2 = new_thread(cpid, false),
	          o = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE,
	                      KC_MAX_LENT_BYTES, 0, 0),
	                 0);
	ck_assert_uint_eq(counts().lent_bytes, KC_MAX_LENT_BYTES);
	ck_assert_int_eq(lend(c2, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, PAGE, PAGE, 0, 0), 0);
	expect_err(c2, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(F.ndone, 1);
	/* the limit is per process */
	ck_assert_int_eq(
	        lend(o, XOUS_SYS_SEND_MESSAGE, conn(o, 1), XOUS_KIND_MOVE, PAGE, PAGE, 0, 0), 0);
	expect_ok(o);
	/* a single lend over the limit, even with nothing lent */
	ck_assert_int_eq(lend(o, XOUS_SYS_SEND_MESSAGE, 1, XOUS_KIND_BORROW, PAGE,
	                      KC_MAX_LENT_BYTES + PAGE, 0, 0),
	                 0);
	expect_err(o, XOUS_ERR_OUT_OF_MEMORY);
	/* the answer frees the budget */
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, recv(s, 1).a[1], 0, 0, 0, 0), 0);
	expect_ok(s);
	expect_tag(c, XOUS_RESULT_MEMORY_RETURNED);
	recv(s, 1);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_int_eq(lend(c2, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, PAGE, PAGE, 0, 0), 0);
	expect_ok(c2);
}
END_TEST

START_TEST(deliver_failure_fails_the_message_and_receiver_keeps_waiting)
{
	uint32_t cpid, spid;
	kc_thread s = new_proc(&spid), s2 = new_thread(spid, false), c = new_proc(&cpid),
	          c2 = new_thread(cpid, false);
	kc_word cid;
	kc_regs r;

	mkserver(s, 1);
	cid = conn(c, 1);
	/* queued: the failing one goes back to its caller, the next is delivered */
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0),
	                 0);
	ck_assert_int_eq(scalar(c2, cid, XOUS_KIND_SCALAR, 5, 0), 0);
	expect_ok(c2);
	F.fail_delivers = 1;
	F.fail_err = XOUS_ERR_OUT_OF_MEMORY; /* pages that cannot be mapped */
	ck_assert_uint_eq(recv(s, 1).a[3], 5);
	expect_err(c, XOUS_ERR_BAD_ADDRESS);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, cpid);
	ck_assert_uint_eq(F.done[0].server_pid, 0);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	/* and the server hears of it after what was queued (GLOBAL_INVALID) */
	r = recv(s, 1);
	ck_assert_uint_eq(r.a[3], XOUS_GLOBAL_INVALID);
	ck_assert_uint_eq(r.a[4], 9);
	ck_assert_uint_eq(r.a[5], cpid);
	/* only a failing one: the receiver waits on */
	ck_assert_int_eq(scalar(c2, cid, XOUS_KIND_BLOCKING_SCALAR, 6, 0), 0);
	F.fail_delivers = 1;
	F.fail_err = XOUS_ERR_OUT_OF_MEMORY;
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	expect_err(c2, XOUS_ERR_OUT_OF_MEMORY);
	no_result(s);
	ck_assert(kc_thread_blocked(&K, s));
	/* direct delivery fails: the sender learns it, the receiver still waits, first in line */
	ck_assert_int_eq(SYS(s2, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	F.fail_delivers = 1;
	ck_assert_int_eq(scalar(c2, cid, XOUS_KIND_SCALAR, 7, 0), 0);
	expect_err(c2, XOUS_ERR_OUT_OF_MEMORY);
	no_result(s);
	no_result(s2);
	ck_assert_int_eq(scalar(c2, cid, XOUS_KIND_SCALAR, 8, 0), 0);
	expect_ok(c2);
	ck_assert_uint_eq(expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 8);
	ck_assert_int_eq(scalar(c2, cid, XOUS_KIND_SCALAR, 10, 0), 0);
	expect_ok(c2);
	ck_assert_uint_eq(expect_tag(s2, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 10);
	/* a queued Scalar that fails is dropped quietly (its sender returned already) */
	ck_assert_int_eq(scalar(c2, cid, XOUS_KIND_SCALAR, 9, 0), 0);
	expect_ok(c2);
	F.fail_delivers = 1;
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
	no_result(c2);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

/* ======== death ======== */

START_TEST(server_process_exit_fails_every_caller)
{
	uint32_t spid, p;
	kc_thread s = new_proc(&spid), recv2 = new_thread(spid, false), held = new_proc(&p),
	          lender = new_thread(p, false), queued = new_thread(p, false),
	          waiter = new_thread(p, false), other = new_proc(NULL);
	kc_word cid;
	kc_regs e;

	mkserver(s, 1);
	mkserver(s, 2);
	cid = conn(held, 1);
	ck_assert_int_eq(scalar(held, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	recv(s, 1);
	ck_assert_int_eq(lend(lender, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MUTABLE_BORROW, PAGE,
	                      PAGE, 0, 0),
	                 0);
	e = recv(s, 1);
	ck_assert_int_eq(
	        lend(queued, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, 2 * PAGE, PAGE, 0, 0),
	        0);
	ck_assert_int_eq(scalar(other, conn(other, 1), XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(other);
	ck_assert_int_eq(scalar(waiter, cid, XOUS_KIND_SCALAR, 3, 0), 0);
	no_result(waiter);
	ck_assert_int_eq(SYS(recv2, XOUS_SYS_RECEIVE_MESSAGE, SID(2)), 0);
	ck_assert_int_eq(SYS(other, XOUS_SYS_CONNECT, SID(3)), 0); /* unrelated waiter */
	kc_process_exit(&K, spid);
	expect_err(held, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert(!F.reply_has_mem[held]);
	expect_err(lender, XOUS_ERR_SERVER_NOT_FOUND);
	expect_err(queued, XOUS_ERR_SERVER_NOT_FOUND);
	expect_err(waiter, XOUS_ERR_SERVER_NOT_FOUND);
	/* each failed lend's error came with its memory, before its mem_done */
	ck_assert(reply_then_mem_done(lender) && F.reply_mem[lender].addr == PAGE);
	ck_assert(reply_then_mem_done(queued) && F.reply_mem[queued].addr == 2 * PAGE);
	no_result(s);
	no_result(recv2); /* its own threads are gone, not answered */
	no_result(other);
	ck_assert(kc_thread_blocked(&K, other));
	ck_assert_int_eq(F.ndone, 2);
	{
		int i, held_seen = 0, queued_seen = 0;

		for (i = 0; i < F.ndone; i++) {
			ck_assert_uint_eq(F.done[i].caller_pid, p);
			if (F.done[i].m.addr == PAGE && F.done[i].server_pid == spid)
				held_seen++;
			if (F.done[i].m.addr == 2 * PAGE && F.done[i].server_pid == 0)
				queued_seen++;
		}
		ck_assert_int_eq(held_seen, 1);
		ck_assert_int_eq(queued_seen, 1);
	}
	ck_assert_int_eq(scalar(held, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(held, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(counts().servers, 0);
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	(void)e;
	kc_process_exit(&K, p);
	kc_process_exit(&K, kc_thread_pid(&K, other));
	at_baseline();
}
END_TEST

START_TEST(destroy_server_fails_held_and_queued_and_later_answer_is_double_free)
{
	uint32_t spid, p;
	kc_thread s = new_proc(&spid), c = new_proc(&p), c2 = new_thread(p, false);
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(scalar(c2, cid, XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(c2);
	ck_assert_int_eq(SYS(s, XOUS_SYS_DESTROY_SERVER, SID(1)), 0);
	expect_ok(s);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok, 1), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
	no_result(c);
}
END_TEST

START_TEST(caller_exit_orphans_held_keeps_queued_scalars_drops_the_rest)
{
	uint32_t spid, p;
	kc_thread s = new_proc(&spid), c = new_proc(&p), c2 = new_thread(p, false),
	          c3 = new_thread(p, false), c4 = new_thread(p, false);
	kc_word cid, tok, tok2;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0),
	                 0);
	tok = recv(s, 1).a[1];
	tok2 = held_blocking(s, c2, cid);
	ck_assert_int_eq(scalar(c3, cid, XOUS_KIND_SCALAR, 3, 0), 0);
	expect_ok(c3);
	ck_assert_int_eq(lend(c3, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, 2 * PAGE, PAGE, 0, 0),
	                 0);
	expect_ok(c3);
	ck_assert_int_eq(scalar(c4, cid, XOUS_KIND_BLOCKING_SCALAR, 4, 0), 0); /* send-waits */
	ck_assert_int_eq(SYS(c3, XOUS_SYS_CONNECT, SID(7)), 0);                /* never answered */
	ck_assert_int_eq(SYS(c3, XOUS_SYS_CONNECT, SID(7)), -1);
	kc_process_exit(&K, p);
	no_result(c);
	no_result(c2);
	no_result(c3);
	no_result(c4);
	/* the queued Move is dropped, its memory released with no caller */
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, 0);
	ck_assert_uint_eq(F.done[0].server_pid, 0);
	ck_assert_uint_eq(F.done[0].m.addr, 2 * PAGE);
	/* the queued Scalar was accepted before the exit: it is still delivered */
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	{
		kc_regs r = expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE);
		ck_assert_uint_eq(r.a[2], XOUS_KIND_SCALAR);
		ck_assert_uint_eq(r.a[3], 3);
	}
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
	/* held ones: answers succeed quietly */
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 1, 1), 0);
	expect_ok(s);
	ck_assert_int_eq(F.ndone, 2);
	ck_assert_uint_eq(F.done[1].caller_pid, 0);
	ck_assert_uint_eq(F.done[1].server_pid, spid);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok2, 1), 0);
	expect_ok(s);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok2, 1), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
	/* a new server with the sid the dead process waited for wakes nobody */
	mkserver(s, 7);
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_uint_eq(counts().threads, 1);
}
END_TEST

START_TEST(orphan_of_reused_pid_does_not_touch_new_process)
{
	uint32_t spid, p, p2;
	kc_thread s = new_proc(&spid), c = new_proc(&p), c2;
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0),
	                 0);
	tok = recv(s, 1).a[1];
	kc_process_exit(&K, p);
	c2 = new_proc(&p2);
	ck_assert_uint_eq(p2, p);
	ck_assert_int_eq(
	        lend(c2, XOUS_SYS_SEND_MESSAGE, conn(c2, 1), XOUS_KIND_BORROW, PAGE, PAGE, 0, 0),
	        0);
	ck_assert_uint_eq(counts().lent_bytes, PAGE);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 0, 0), 0);
	expect_ok(s);
	no_result(c2);
	ck_assert_uint_eq(F.done[0].caller_pid, 0);
	ck_assert_uint_eq(counts().lent_bytes, PAGE);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, recv(s, 1).a[1], 0, 0, 0, 0), 0);
	expect_ok(s);
	expect_tag(c2, XOUS_RESULT_MEMORY_RETURNED);
	ck_assert_uint_eq(counts().lent_bytes, 0);
}
END_TEST

START_TEST(caller_thread_exit_orphans_held_with_process_alive)
{
	uint32_t spid, p;
	kc_thread s = new_proc(&spid), c = new_proc(&p), c2 = new_thread(p, false);
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(
	        lend(c2, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MUTABLE_BORROW, PAGE, PAGE, 0, 0),
	        0);
	tok = recv(s, 1).a[1];
	kc_thread_exit(&K, c2, 0);
	ck_assert_uint_eq(counts().lent_bytes, PAGE); /* still lent until answered */
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 0, 3), 0);
	expect_ok(s);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, p); /* the process takes its pages back */
	ck_assert_uint_eq(F.done[0].server_pid, spid);
	ck_assert_uint_eq(F.done[0].m.valid, 3);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_uint_eq(counts().msgs, 0);
	(void)c;
}
END_TEST

START_TEST(caller_thread_exit_drops_queued_and_send_waiting)
{
	uint32_t p;
	kc_thread s = new_proc(NULL), c = new_proc(&p), c2 = new_thread(p, false),
	          c3 = new_thread(p, false);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(c);
	ck_assert_int_eq(lend(c2, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0),
	                 0);
	ck_assert_int_eq(lend(c3, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, 2 * PAGE, PAGE, 0, 0),
	                 0);
	no_result(c3);
	ck_assert(kc_thread_blocked(&K, c3));
	kc_thread_exit(&K, c3, 0); /* send-waiting */
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(F.done[0].caller_pid, p);
	ck_assert_uint_eq(F.done[0].m.addr, 2 * PAGE);
	kc_thread_exit(&K, c2, 0); /* queued */
	ck_assert_int_eq(F.ndone, 2);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_uint_eq(recv(s, 1).a[3], 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

START_TEST(receiver_thread_exit_leaves_the_fifo)
{
	uint32_t spid;
	kc_thread s = new_proc(&spid), r1 = new_thread(spid, false), r2 = new_thread(spid, false),
	          c = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(r1, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	ck_assert_int_eq(SYS(r2, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	kc_thread_exit(&K, r1, 0);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(c);
	expect_tag(r2, XOUS_RESULT_MESSAGE_ENVELOPE);
	kc_thread_exit(&K, r2, 0);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(c);
	ck_assert_uint_eq(counts().msgs, 1); /* queued, nobody waits */
}
END_TEST

START_TEST(exit_while_sending_to_own_server)
{
	uint32_t spid;
	kc_thread s = new_proc(&spid), t2 = new_thread(spid, false), t3 = new_thread(spid, false);
	kc_word cid;

	cid = mkserver(s, 1);
	ck_assert_int_eq(scalar(s, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(s);
	ck_assert_int_eq(scalar(s, cid, XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(s);
	ck_assert_int_eq(scalar(t2, cid, XOUS_KIND_SCALAR, 3, 0), 0);
	ck_assert_int_eq(scalar(t3, cid, XOUS_KIND_BLOCKING_SCALAR, 4, 0), 0);
	kc_process_exit(&K, spid);
	no_result(t2);
	no_result(t3);
	at_baseline();
}
END_TEST

START_TEST(send_waiter_fails_when_exit_of_server_frees_queue_room)
{
	uint32_t spid;
	kc_thread s = new_proc(&spid), t2 = new_thread(spid, false), w = new_proc(NULL);
	kc_word cid, wcid;

	cid = mkserver(s, 1);
	wcid = conn(w, 1);
	/* the queue: t2's own blocking call, then w's scalar; w's next one waits */
	ck_assert_int_eq(scalar(t2, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	ck_assert_int_eq(scalar(w, wcid, XOUS_KIND_SCALAR, 2, 0), 0);
	expect_ok(w);
	ck_assert_int_eq(scalar(w, wcid, XOUS_KIND_SCALAR, 3, 0), 0);
	no_result(w);
	kc_process_exit(&K, spid);
	expect_err(w, XOUS_ERR_SERVER_NOT_FOUND);
	no_result(t2);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

START_TEST(mixed_traffic_then_every_death_returns_to_baseline)
{
	uint32_t p[4];
	kc_thread t[4], x;
	kc_word cid;
	int i;

	for (i = 0; i < 4; i++)
		t[i] = new_proc(&p[i]);
	mkserver(t[0], 1);
	mkserver(t[1], 2);
	cid = conn(t[2], 1);
	held_blocking(t[0], t[2], cid);
	x = new_thread(p[3], false);
	ck_assert_int_eq(
	        lend(x, XOUS_SYS_SEND_MESSAGE, conn(x, 2), XOUS_KIND_BORROW, PAGE, PAGE, 0, 0), 0);
	recv(t[1], 2);
	ck_assert_int_eq(
	        lend(t[3], XOUS_SYS_SEND_MESSAGE, conn(t[3], 1), XOUS_KIND_MOVE, PAGE, PAGE, 0, 0),
	        0);
	expect_ok(t[3]);
	ck_assert_int_eq(SYS(t[1], XOUS_SYS_CONNECT, SID(5)), 0);
	ck_assert_int_eq(SYS(t[0], XOUS_SYS_RECEIVE_MESSAGE, SID(8)), 0);
	expect_err(t[0], XOUS_ERR_SERVER_NOT_FOUND);
	kc_process_exit(&K, p[0]);
	expect_err(t[2], XOUS_ERR_SERVER_NOT_FOUND);
	kc_process_exit(&K, p[3]);
	kc_process_exit(&K, p[2]);
	kc_process_exit(&K, p[1]);
	at_baseline();
	ck_assert_uint_eq(F.ndone, 2);
}
END_TEST

/* ======== limits ======== */

START_TEST(server_table_full_is_out_of_memory)
{
	kc_thread t[3];
	int i;

	for (i = 0; i < 3; i++)
		t[i] = new_proc(NULL);
	for (i = 0; i < KC_MAX_SERVERS; i++)
		mkserver(t[i / KC_MAX_CONNS], (kc_word)(i + 1));
	ck_assert_int_eq(SYS(t[2], XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(100)), 0);
	expect_err(t[2], XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(SYS(t[2], XOUS_SYS_CREATE_SERVER), 0);
	expect_err(t[2], XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(counts().servers, KC_MAX_SERVERS);
	kc_process_exit(&K, kc_thread_pid(&K, t[0]));
	mkserver(t[2], 100);
}
END_TEST

START_TEST(cid_table_full_is_out_of_memory)
{
	kc_thread s = new_proc(NULL), s2 = new_proc(NULL), c = new_proc(NULL);
	int i;

	for (i = 1; i <= KC_MAX_CONNS; i++)
		mkserver(s, (kc_word)i);
	mkserver(s2, 9);
	/* the creator's own table is full: no server is left behind */
	ck_assert_int_eq(SYS(s, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(10)), 0);
	expect_err(s, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(counts().servers, KC_MAX_CONNS + 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_CONNECT, SID(9)), 0);
	expect_err(s, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_CONNECT, SID(9)), 0);
	expect_err(s, XOUS_ERR_OUT_OF_MEMORY);
	for (i = 1; i <= KC_MAX_CONNS; i++)
		conn(c, (kc_word)i);
	ck_assert_int_eq(SYS(c, XOUS_SYS_CONNECT, SID(9)), 0);
	expect_err(c, XOUS_ERR_OUT_OF_MEMORY);
	/* connecting again to a server it has a cid for still works */
	ck_assert_uint_eq(conn(c, 2), 2);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, 3), 0);
	expect_ok(c);
	ck_assert_uint_eq(conn(c, 9), 3);
}
END_TEST

START_TEST(connect_for_process_into_full_cid_table_is_out_of_memory)
{
	uint32_t tpid;
	kc_thread ns = new_proc(NULL), target = new_proc(&tpid);
	kc_word w[4];
	int i;

	name_sid(w);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, w[0], w[1], w[2], w[3]), 0);
	expect_tag(ns, XOUS_RESULT_NEW_SERVER_ID);
	for (i = 1; i <= KC_MAX_CONNS; i++)
		mkserver(target, (kc_word)i);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, w[0], w[1], w[2], w[3]), 0);
	expect_err(ns, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(SYS(ns, XOUS_SYS_CONNECT_FOR_PROCESS, tpid, SID(2)), 0);
	ck_assert_uint_eq(expect_tag(ns, XOUS_RESULT_CONNECTION_ID).a[1], 2); /* it has that one */
}
END_TEST

START_TEST(thread_limits_are_thread_not_available)
{
	uint32_t pid = 0, p2 = 0;
	kc_thread t;
	int i, procs = 0;

	new_proc(&pid);
	for (i = 1; i < KC_MAX_THREADS_PER_PROC; i++)
		new_thread(pid, false);
	ck_assert_uint_eq(kc_thread_create(&K, pid, false, &t), XOUS_ERR_THREAD_NOT_AVAILABLE);
	ck_assert_uint_eq(kc_thread_create(&K, pid, true, &t), XOUS_ERR_THREAD_NOT_AVAILABLE);
	/* fill the global table */
	while (counts().threads < KC_MAX_THREADS) {
		if (counts().threads % KC_MAX_THREADS_PER_PROC == 0) {
			new_proc(&p2);
			procs++;
		} else {
			new_thread(p2, false);
		}
	}
	ck_assert_uint_lt(counts().procs, KC_MAX_PROCS);
	ck_assert_uint_eq(kc_process_create(&K, &p2, &t), XOUS_ERR_THREAD_NOT_AVAILABLE);
	ck_assert_uint_eq(counts().procs, procs + 2);
	kc_thread_exit(&K, kc_thread_find(&K, pid, 2), 0);
	ck_assert_uint_eq(kc_process_create(&K, &p2, &t), XOUS_OK);
}
END_TEST

START_TEST(message_pool_empty_is_out_of_memory)
{
	uint32_t pids[4];
	kc_thread s = new_proc(NULL), callers[16];
	kc_word tok[16];
	int i, n = 0;

	mkserver(s, 1);
	for (i = 0; i < 4; i++) {
		int j;

		callers[n++] = new_proc(&pids[i]);
		for (j = 1; j < 4; j++)
			callers[n++] = new_thread(pids[i], false);
	}
	for (i = 0; i < KC_MAX_MSGS; i++) {
		kc_word cid = conn(callers[i], 1);

		tok[i] = held_blocking(s, callers[i], cid);
	}
	ck_assert_uint_eq(counts().msgs, KC_MAX_MSGS);
	ck_assert_int_eq(scalar(s, 1, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(s, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(lend(s, XOUS_SYS_TRY_SEND_MESSAGE, 1, XOUS_KIND_MOVE, PAGE, PAGE, 0, 0),
	                 0);
	expect_err(s, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(F.ndone, 1);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok[0], 0), 0);
	expect_ok(s);
	expect_tag(callers[0], XOUS_RESULT_SCALAR1);
	ck_assert_int_eq(scalar(s, 1, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(s);
	for (i = 0; i < 4; i++)
		kc_process_exit(&K, pids[i]);
	for (i = 1; i < KC_MAX_MSGS; i++) {
		ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, tok[i], 0), 0);
		expect_ok(s); /* orphans: quiet */
	}
	ck_assert_uint_eq(counts().msgs, 1);
}
END_TEST

START_TEST(queue_depth_limit_counts_per_server)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word c1, c2;
	int i;

	mkserver(s, 1);
	mkserver(s, 2);
	c1 = conn(c, 1);
	c2 = conn(c, 2);
	for (i = 0; i < KC_QUEUE_DEPTH; i++) {
		ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_SEND_MESSAGE, c1, XOUS_KIND_SCALAR, 1), 0);
		expect_ok(c);
	}
	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_SEND_MESSAGE, c1, XOUS_KIND_SCALAR, 1), 0);
	expect_err(c, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_SEND_MESSAGE, c2, XOUS_KIND_SCALAR, 1), 0);
	expect_ok(c);
	ck_assert_uint_eq(counts().sent, KC_QUEUE_DEPTH + 1);
}
END_TEST

/* ======== ahead: send-ahead slots (kcore.h, kc_send_ahead) ======== */

static int ahead(kc_thread t, kc_word cid, kc_word id)
{
	kc_regs r = {{XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, id, id, 0, 0, 0}};

	return kc_send_ahead(&K, t, &r);
}

/* A Scalar sent ahead with no slot is a TrySendMessage nobody hears back
 * from: queued while there is room, dropped when full, never a result. */
START_TEST(send_ahead_without_slot_is_a_quiet_try_send)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL), d = new_proc(NULL);
	kc_word cc, cd;
	uint32_t queued = 0;
	int i;

	mkserver(s, 1);
	cc = conn(c, 1);
	cd = conn(d, 1);
	ck_assert_int_eq(ahead(c, cc, 100), 0);
	no_result(c);
	queued++;
	/* fill the queue from d (which may get slots of its own: use them) */
	for (;;) {
		ck_assert_int_eq(SYS(d, XOUS_SYS_TRY_SEND_MESSAGE, cd, XOUS_KIND_SCALAR, 1), 0);
		kc_regs r = take(d);
		if (r.a[0] == XOUS_RESULT_ERROR) {
			ck_assert_uint_eq(r.a[1], XOUS_ERR_SERVER_QUEUE_FULL);
			break;
		}
		ck_assert_uint_eq(r.a[0], XOUS_RESULT_OK);
		queued++;
		for (kc_word n = r.a[1]; n > 0; n--, queued++)
			ck_assert_int_eq(ahead(d, cd, 1), 0);
	}
	ck_assert_uint_eq(queued, KC_QUEUE_DEPTH);
	ck_assert_int_eq(ahead(c, cc, 101), 0); /* full: dropped */
	no_result(c);
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH);
	ck_assert_uint_eq(recv(s, 1).a[3], 100);
	for (i = 1; i < KC_QUEUE_DEPTH; i++)
		ck_assert_uint_eq(recv(s, 1).a[3], 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
	no_result(c);
	no_result(d);
}
END_TEST

START_TEST(send_ahead_refuses_other_calls_and_blocked_threads)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_regs bs = {{XOUS_SYS_SEND_MESSAGE, 0, XOUS_KIND_BLOCKING_SCALAR, 1}};
	kc_regs yield = {{XOUS_SYS_YIELD, 0, XOUS_KIND_SCALAR}};
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	bs.a[1] = cid;
	ck_assert_int_eq(kc_send_ahead(&K, c, &bs), -1);
	ck_assert_int_eq(kc_send_ahead(&K, c, &yield), -1);
	ck_assert_int_eq(kc_send_ahead(&K, KC_MAX_THREADS, &bs), -1);
	ck_assert_int_eq(ahead(c, 99, 1), 0); /* a bad cid: quietly nothing */
	no_result(c);
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	no_result(c);
	ck_assert_int_eq(ahead(c, cid, 1), -1); /* blocked: may not send */
	ck_assert_uint_eq(counts().msgs, 1);
}
END_TEST

#if KC_SEND_AHEAD > 0
/* One thread that uses every slot it is given fills the queue exactly to
 * its depth, in order, and never past it. */
START_TEST(slots_fill_a_queue_exactly_to_its_depth_in_order)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid, id = 0, n;
	int i;

	mkserver(s, 1);
	cid = conn(c, 1);
	for (;;) {
		ck_assert_int_eq(SYS(c, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, id), 0);
		kc_regs r = take(c);
		if (r.a[0] == XOUS_RESULT_ERROR)
			break;
		id++;
		ck_assert_uint_le(r.a[1], KC_SEND_AHEAD);
		for (n = r.a[1]; n > 0; n--) {
			ck_assert_int_eq(ahead(c, cid, id++), 0);
			no_result(c);
		}
		ck_assert_uint_eq(counts().overfull, 0);
	}
	ck_assert_uint_eq(id, KC_QUEUE_DEPTH);
	ck_assert_uint_eq(counts().reserved, 0);
	for (i = 0; i < KC_QUEUE_DEPTH; i++)
		ck_assert_uint_eq(recv(s, 1).a[3], (kc_word)i);
}
END_TEST

START_TEST(first_grant_is_capped_and_half_the_room)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL), d = new_proc(NULL);
	kc_word cc, cd;
	kc_regs r;

	mkserver(s, 1);
	cc = conn(c, 1);
	cd = conn(d, 1);
	ck_assert_int_eq(scalar(c, cc, XOUS_KIND_SCALAR, 1, 0), 0);
	r = expect_tag(c, XOUS_RESULT_OK);
	ck_assert_uint_eq(r.a[1], KC_SEND_AHEAD < (KC_QUEUE_DEPTH - 1) / 2
	                                  ? KC_SEND_AHEAD
	                                  : (KC_QUEUE_DEPTH - 1) / 2);
	ck_assert_uint_eq(counts().reserved, r.a[1]);
	ck_assert_uint_eq(counts().ahead, r.a[1]);
	/* a blocking kind and a lend never grant, and keep c's slots */
	ck_assert_int_eq(scalar(d, cd, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	ck_assert_uint_eq(counts().ahead, r.a[1]);
}
END_TEST

/* Slots held are room taken from everyone else until used or given back. */
START_TEST(held_slots_take_room_until_the_thread_ends)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid), d = new_proc(NULL);
	kc_thread c2 = new_thread(cpid, false);
	kc_word cc, cd, held;
	uint32_t queued = 1, i;

	mkserver(s, 1);
	cc = conn(c, 1);
	cd = conn(d, 1);
	ck_assert_int_eq(scalar(c2, cc, XOUS_KIND_SCALAR, 1, 0), 0);
	held = expect_tag(c2, XOUS_RESULT_OK).a[1];
	ck_assert_uint_gt(held, 0);
	for (;;) { /* d never uses its slots: each send gives them back */
		ck_assert_int_eq(SYS(d, XOUS_SYS_TRY_SEND_MESSAGE, cd, XOUS_KIND_SCALAR, 2), 0);
		if (take(d).a[0] != XOUS_RESULT_OK)
			break;
		queued++;
	}
	ck_assert_uint_eq(queued + held, KC_QUEUE_DEPTH);
	kc_thread_exit(&K, c2, 0);
	ck_assert_uint_eq(counts().reserved, 0);
	for (i = 0; i < held; i++) {
		ck_assert_int_eq(SYS(d, XOUS_SYS_TRY_SEND_MESSAGE, cd, XOUS_KIND_SCALAR, 2), 0);
		expect_tag(d, XOUS_RESULT_OK);
		ck_assert_int_eq(SYS(d, XOUS_SYS_YIELD), 0); /* slots of d stay unused */
		expect_ok(d);
	}
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH);
	ck_assert_uint_eq(counts().overfull, 0);
	kc_process_exit(&K, cpid);
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH); /* its queued Scalar stays */
}
END_TEST

/* A waited-for Scalar gives the thread's slots back before it is sent, so
 * a thread never holds slots on two connections. */
START_TEST(waited_for_scalar_gives_slots_back)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word c1, c2, n1, n2;

	mkserver(s, 1);
	mkserver(s, 2);
	c1 = conn(c, 1);
	c2 = conn(c, 2);
	ck_assert_int_eq(scalar(c, c1, XOUS_KIND_SCALAR, 1, 0), 0);
	n1 = expect_tag(c, XOUS_RESULT_OK).a[1];
	ck_assert_uint_eq(counts().reserved, n1);
	ck_assert_int_eq(scalar(c, c2, XOUS_KIND_SCALAR, 1, 0), 0);
	n2 = expect_tag(c, XOUS_RESULT_OK).a[1];
	ck_assert_uint_eq(counts().reserved, n2);
	ck_assert_int_eq(ahead(c, c1, 7), 0); /* no slot on c1 any more: a quiet try */
	ck_assert_int_eq(ahead(c, c2, 8), 0); /* a slot */
	ck_assert_uint_eq(counts().reserved, n2 - 1);
	ck_assert_uint_eq(recv(s, 1).a[3], 1);
	ck_assert_uint_eq(recv(s, 1).a[3], 7);
	ck_assert_uint_eq(recv(s, 2).a[3], 1);
	ck_assert_uint_eq(recv(s, 2).a[3], 8);
	no_result(c);
}
END_TEST

/* A slot goes straight to a waiting receiver like any send. */
START_TEST(send_ahead_reaches_a_waiting_receiver)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;
	kc_regs e;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	ck_assert_uint_gt(expect_tag(c, XOUS_RESULT_OK).a[1], 0);
	recv(s, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	no_result(s);
	ck_assert_int_eq(ahead(c, cid, 42), 0);
	no_result(c);
	e = expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE);
	ck_assert_uint_eq(e.a[2], XOUS_KIND_SCALAR);
	ck_assert_uint_eq(e.a[3], 42);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

/* The server dies: slot holders are told first (before any caller hears
 * SERVER_NOT_FOUND), and a send ahead still on its way is dropped quietly. */
START_TEST(server_death_withdraws_slots_before_anyone_hears)
{
	uint32_t spid;
	kc_thread s = new_proc(&spid), c = new_proc(NULL), b = new_proc(NULL);
	kc_word cc, cb;

	mkserver(s, 1);
	cc = conn(c, 1);
	cb = conn(b, 1);
	ck_assert_int_eq(scalar(c, cc, XOUS_KIND_SCALAR, 1, 0), 0);
	ck_assert_uint_gt(expect_tag(c, XOUS_RESULT_OK).a[1], 0);
	ck_assert_int_eq(scalar(b, cb, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	no_result(b);
	kc_process_exit(&K, spid);
	ck_assert_int_eq(F.withdrawn[c], 1);
	ck_assert_uint_eq(F.withdraw_cid[c], cc);
	expect_err(b, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_lt(F.withdraw_seq[c], F.seq_of[b]);
	ck_assert_uint_eq(counts().reserved, 0);
	ck_assert_int_eq(ahead(c, cc, 2), 0);
	no_result(c);
	ck_assert_int_eq(scalar(c, cc, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(c, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

/* Disconnect takes the slots of every thread of the process on that cid. */
START_TEST(disconnect_withdraws_slots_of_every_thread_on_the_cid)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid);
	kc_thread c2 = new_thread(cpid, false), c3 = new_thread(cpid, false);
	kc_word c1, cx;

	mkserver(s, 1);
	mkserver(s, 2);
	c1 = conn(c, 1);
	cx = conn(c, 2);
	ck_assert_int_eq(scalar(c2, c1, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_tag(c2, XOUS_RESULT_OK);
	ck_assert_int_eq(scalar(c3, cx, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_tag(c3, XOUS_RESULT_OK);
	ck_assert_int_eq(SYS(c, XOUS_SYS_DISCONNECT, c1), 0);
	ck_assert_int_eq(F.withdrawn[c2], 1);
	ck_assert_int_eq(F.withdrawn[c3], 0);
	expect_ok(c);
	ck_assert_int_lt(F.withdraw_seq[c2], F.seq_of[c]);
	ck_assert_int_eq(ahead(c2, c1, 5), 0); /* the cid is gone: nothing */
	ck_assert_int_eq(ahead(c3, cx, 6), 0); /* still a slot */
	ck_assert_uint_eq(recv(s, 2).a[3], 1);
	ck_assert_uint_eq(recv(s, 2).a[3], 6);
	ck_assert_uint_eq(recv(s, 1).a[3], 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), 0);
	expect_tag(s, XOUS_RESULT_NONE);
}
END_TEST

/* Room kept by slots is room a send-waiter cannot have; a slot's Scalar
 * goes in even while others wait for room. */
START_TEST(slot_sends_pass_send_waiters)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL), w = new_proc(NULL);
	kc_word cc, cw, n;
	uint32_t queued = 1;

	mkserver(s, 1);
	cc = conn(c, 1);
	cw = conn(w, 1);
	ck_assert_int_eq(scalar(c, cc, XOUS_KIND_SCALAR, 1, 0), 0);
	n = expect_tag(c, XOUS_RESULT_OK).a[1];
	ck_assert_uint_gt(n, 0);
	for (;;) {
		ck_assert_int_eq(scalar(w, cw, XOUS_KIND_SCALAR, 2, 0), 0);
		if (F.count[w] == 0)
			break; /* waits for room */
		expect_tag(w, XOUS_RESULT_OK);
		ck_assert_int_eq(SYS(w, XOUS_SYS_YIELD), 0);
		expect_ok(w);
		queued++;
	}
	ck_assert_uint_eq(queued + n, KC_QUEUE_DEPTH);
	while (n-- > 0)
		ck_assert_int_eq(ahead(c, cc, 3), 0);
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH + 1); /* queue + w's waiting message */
	ck_assert_uint_eq(counts().overfull, 0);
	no_result(w);
	recv(s, 1);
	expect_ok(w); /* room: the waiter's message went in */
}
END_TEST

/* Slots given back are room: a send-waiter moves in at once (a fuzz find:
 * it went on waiting while its room stood empty). */
START_TEST(slots_given_back_let_send_waiters_in)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL), w = new_proc(NULL);
	kc_word cc, cc2, cw, n;

	mkserver(s, 1);
	mkserver(s, 2);
	cc = conn(c, 1);
	cc2 = conn(c, 2);
	cw = conn(w, 1);
	ck_assert_int_eq(scalar(c, cc, XOUS_KIND_SCALAR, 1, 0), 0);
	n = expect_tag(c, XOUS_RESULT_OK).a[1];
	ck_assert_uint_gt(n, 0);
	for (;;) {
		ck_assert_int_eq(scalar(w, cw, XOUS_KIND_SCALAR, 2, 0), 0);
		if (F.count[w] == 0)
			break; /* waits for room */
		expect_tag(w, XOUS_RESULT_OK);
		ck_assert_int_eq(SYS(w, XOUS_SYS_YIELD), 0);
		expect_ok(w);
	}
	/* c sends to its other server: its slots on server 1 go back */
	ck_assert_int_eq(scalar(c, cc2, XOUS_KIND_SCALAR, 3, 0), 0);
	expect_tag(c, XOUS_RESULT_OK);
	expect_ok(w);
	ck_assert_uint_eq(counts().overfull, 0);
}
END_TEST
#endif

/* ======== many: ReceiveMany ======== */

/* ReceiveMany on sid n by t with max (kc_receive_many); the envelopes
 * land in F.batch: the ones it returned, or the one delivered instead. */
static int receive_many(kc_thread t, kc_word n, kc_word max)
{
	kc_regs in = {{XOUS_SYS_RECEIVE_MANY, SID(n), max}};
	uint32_t got = 99;
	int rc = kc_receive_many(&K, t, &in, F.batch, &got);

	ck_assert_uint_le(got, KC_RECEIVE_MANY);
	F.nbatch = (int)got;
	memset(F.batch_mem, 0, sizeof(F.batch_mem));
	if (got > 0) {
		no_result(t); /* the envelopes are its result */
	} else if (F.count[t]) {
		F.batch_mem[0] = F.got_mem[t];
		F.batch[F.nbatch++] = take(t);
	}
	return rc;
}

START_TEST(receive_many_takes_what_is_queued_up_to_its_limit)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;
	int i, q = KC_QUEUE_DEPTH < 4 ? KC_QUEUE_DEPTH : 4;
	int want = KC_RECEIVE_MANY < q - 1 ? KC_RECEIVE_MANY : q - 1;

	mkserver(s, 1);
	cid = conn(c, 1);
	for (i = 0; i < q; i++) {
		ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 10 + i, 0), 0);
		expect_tag(c, XOUS_RESULT_OK);
	}
	ck_assert_int_eq(receive_many(s, 1, (kc_word)q - 1), 0);
	ck_assert_int_eq(F.nbatch, want);
	for (i = 0; i < want; i++) {
		ck_assert_uint_eq(F.batch[i].a[0], XOUS_RESULT_MESSAGE_ENVELOPE);
		ck_assert_uint_eq(F.batch[i].a[3], 10 + i); /* in order */
	}
	no_result(s);
	ck_assert_uint_eq(counts().msgs, q - want);
	ck_assert_int_eq(receive_many(s, 1, 0), 0); /* 0: the kernel's own limit */
	ck_assert_int_eq(F.nbatch, q - want < KC_RECEIVE_MANY ? q - want : KC_RECEIVE_MANY);
	ck_assert_uint_eq(F.batch[0].a[3], 10 + want);
}
END_TEST

START_TEST(receive_many_waits_like_receive_and_gets_one)
{
	kc_thread s = new_proc(NULL), c = new_proc(NULL);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MANY, SID(1), 8), 0);
	no_result(s);
	ck_assert(kc_thread_blocked(&K, s));
	ck_assert_int_eq(receive_many(s, 1, 8), -1); /* a blocked thread makes no syscall */
	ck_assert_int_eq(F.nbatch, 0);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 5, 0), 0);
	expect_tag(c, XOUS_RESULT_OK);
	ck_assert_uint_eq(expect_tag(s, XOUS_RESULT_MESSAGE_ENVELOPE).a[3], 5);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MANY, SID(2), 8), 0);
	expect_err(s, XOUS_ERR_SERVER_NOT_FOUND); /* the checks of ReceiveMessage */
	ck_assert_int_eq(receive_many(s, 2, 8), 0);
	ck_assert_int_eq(F.nbatch, 1);
	ck_assert_uint_eq(F.batch[0].a[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(F.batch[0].a[1], XOUS_ERR_SERVER_NOT_FOUND);
}
END_TEST

/* Memory messages never ride in a batch: one comes alone, and one stops a
 * batch of scalars. BlockingScalars in a batch are held like any other. */
START_TEST(receive_many_batches_scalars_only)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid), b = new_thread(cpid, false);
	kc_thread l = new_thread(cpid, false);
	kc_word cid;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_tag(c, XOUS_RESULT_OK);
	ck_assert_int_eq(scalar(b, cid, XOUS_KIND_BLOCKING_SCALAR, 2, 0), 0);
	ck_assert_int_eq(
	        lend(l, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, FAKE_ADDR, PAGE, 0, 0), 0);
	ck_assert_int_eq(receive_many(s, 1, 8), 0);
	ck_assert_int_eq(F.nbatch, KC_RECEIVE_MANY < 2 ? KC_RECEIVE_MANY : 2);
	ck_assert(!F.batch_mem[0]);
	if (KC_RECEIVE_MANY >= 2) {
		ck_assert_uint_eq(F.batch[1].a[2], XOUS_KIND_BLOCKING_SCALAR);
		ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_SCALAR1, F.batch[1].a[1], 7), 0);
		expect_ok(s);
		ck_assert_uint_eq(expect_tag(b, XOUS_RESULT_SCALAR1).a[1], 7);
		ck_assert_int_eq(receive_many(s, 1, 8), 0);
		ck_assert_int_eq(F.nbatch, 1);
		ck_assert(F.batch_mem[0]); /* the Borrow, alone */
		ck_assert_uint_eq(F.batch[0].a[2], XOUS_KIND_BORROW);
	}
}
END_TEST

/* ======== the runner ======== */

/* ======== tasks ======== */

/* A process that holds the task server's role (XOUS_NAME_TASK). */
static kc_thread task_server(uint32_t *pid)
{
	uint32_t sid[4], role;
	kc_thread t = new_proc(pid);

	memcpy(sid, XOUS_NAME_TASK, 16);
	ck_assert_uint_eq(kc_role_define(&K, sid, &role), XOUS_OK);
	ck_assert_uint_eq(kc_process_set_role(&K, *pid, role), XOUS_OK);
	return t;
}

/* The task server t receives its exit notices on server n with id 7. */
static void notify_on(kc_thread t, kc_word n)
{
	mkserver(t, n);
	ck_assert_int_eq(SYS(t, XOUS_SYS_EXIT_NOTIFY, SID(n), 7), 0);
	expect_ok(t);
}

/* The next message on server n is the exit notice of pid with status. */
static void expect_notice(kc_thread t, kc_word n, uint32_t pid, uint32_t status)
{
	kc_regs r = recv(t, n);

	ck_assert_uint_eq(r.a[2], XOUS_KIND_SCALAR);
	ck_assert_uint_eq(r.a[3], 7);
	ck_assert_uint_eq(r.a[4], pid);
	ck_assert_uint_eq(r.a[5], status);
	ck_assert_uint_eq((r.a[1] >> KC_SENDER_PID_SHIFT) & ((1u << KC_SENDER_PID_BITS) - 1), 1);
}

START_TEST(create_process_and_the_task_calls_are_the_task_servers_alone)
{
	uint32_t tpid, opid, pid;
	kc_thread other = new_proc(&opid), t, m;

	/* no process holds the role while it is none */
	ck_assert_uint_eq(kc_task_check(&K, other), XOUS_ERR_ACCESS_DENIED);
	t = task_server(&tpid);
	ck_assert_uint_eq(kc_task_check(&K, t), XOUS_OK);
	ck_assert_uint_eq(kc_task_check(&K, other), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(kc_task_check(&K, KC_NO_THREAD), XOUS_ERR_ACCESS_DENIED);
	mkserver(other, 3);
	ck_assert_int_eq(SYS(other, XOUS_SYS_CREATE_PROCESS, 0, 5), 0);
	expect_err(other, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(other, XOUS_SYS_EXIT_NOTIFY, SID(3), 1), 0);
	expect_err(other, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(other, XOUS_SYS_PID_HOLD, XOUS_PID_RESERVE), 0);
	expect_err(other, XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(kc_process_launch(&K, other, &pid, &m), XOUS_ERR_ACCESS_DENIED);
	/* the task server: CreateProcess is its platform's to finish */
	ck_assert_int_eq(SYS(t, XOUS_SYS_CREATE_PROCESS, 0, 5), 0);
	expect_err(t, XOUS_ERR_UNHANDLED_SYSCALL);
	/* ExitNotify wants a server of its own; PidHold wants ExitNotify first */
	ck_assert_int_eq(SYS(t, XOUS_SYS_EXIT_NOTIFY, SID(3), 1), 0);
	expect_err(t, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(t, XOUS_SYS_EXIT_NOTIFY, SID(4), 1), 0);
	expect_err(t, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RESERVE), 0);
	expect_err(t, XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert_uint_eq(kc_process_launch(&K, t, &pid, &m), XOUS_OK);
	ck_assert(kc_process_alive(&K, pid));
	ck_assert_uint_eq(kc_thread_pid(&K, m), pid);
	{
		struct kc_usage u;

		kc_process_usage(&K, tpid, &u);
		ck_assert_uint_eq(u.children, 1); /* charged to the task server */
	}
}
END_TEST

START_TEST(exit_notices_carry_pid_and_status_from_pid_1)
{
	uint32_t tpid, a, b, c;
	kc_thread t = task_server(&tpid);

	new_proc(&a); /* ends before anyone listens: no notice */
	kc_process_exit_status(&K, a, 3);
	notify_on(t, 9);
	new_proc(&a);
	new_proc(&b);
	new_proc(&c);
	kc_process_exit_status(&K, a, 42);
	kc_process_exit(&K, b);
	kc_process_exit_status(&K, c, XOUS_STATUS_SIGNALED + 9);
	expect_notice(t, 9, a, 42);
	expect_notice(t, 9, b, 0);
	expect_notice(t, 9, c, XOUS_STATUS_SIGNALED + 9);
	ck_assert_int_eq(SYS(t, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(9)), 0);
	expect_tag(t, XOUS_RESULT_NONE);
	/* a receiver waiting gets the notice at once */
	new_proc(&a);
	ck_assert_int_eq(SYS(t, XOUS_SYS_RECEIVE_MESSAGE, SID(9)), 0);
	no_result(t);
	kc_process_exit_status(&K, a, 1);
	ck_assert_uint_eq(expect_tag(t, XOUS_RESULT_MESSAGE_ENVELOPE).a[4], a);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

/* A full queue keeps the notices in the kernel: none is lost, and their
 * pids are not given to new processes while they wait. */
START_TEST(notices_wait_for_queue_room_and_none_is_lost)
{
	uint32_t tpid, pids[5], p, i, seen = 0;
	kc_thread t = task_server(&tpid), x;

	notify_on(t, 9);
	for (i = 0; i < 5; i++)
		new_proc(&pids[i]);
	for (i = 0; i < 5; i++)
		kc_process_exit_status(&K, pids[i], 10 + i);
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH);
	/* the waiting ones keep their pids */
	while (kc_process_create(&K, &p, &x) == XOUS_OK)
		for (i = KC_QUEUE_DEPTH; i < 5; i++)
			ck_assert_uint_ne(p, pids[i]);
	for (i = 0; i < 5; i++) {
		kc_regs r = recv(t, 9);

		ck_assert_uint_eq(r.a[5], 10 + (r.a[4] == pids[0] ? 0 : r.a[4] - pids[0]));
		seen |= 1u << (r.a[4] - pids[0]);
	}
	ck_assert_uint_eq(seen, 0x1f);
}
END_TEST

/* A status the platform learns later (the broker reaps its child) keeps
 * the pid until then; a late status for a pid not waiting is ignored. */
START_TEST(a_status_given_later_keeps_the_pid_until_then)
{
	uint32_t tpid, a, b;
	kc_thread t = task_server(&tpid), x;

	notify_on(t, 9);
	new_proc(&a);
	kc_process_exit_status(&K, a, KC_STATUS_LATER);
	ck_assert(!kc_process_alive(&K, a));
	ck_assert_int_eq(SYS(t, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(9)), 0);
	expect_tag(t, XOUS_RESULT_NONE);
	new_proc(&b);
	ck_assert_uint_ne(b, a);
	kc_process_status(&K, b, 5);               /* alive: ignored */
	kc_process_status(&K, a, KC_STATUS_LATER); /* not a status */
	kc_process_status(&K, 0, 5);
	kc_process_status(&K, KC_MAX_PROCS + 1, 5);
	kc_process_status(&K, a, XOUS_STATUS_SIGNALED + 11);
	expect_notice(t, 9, a, XOUS_STATUS_SIGNALED + 11);
	kc_process_status(&K, a, 6); /* told once */
	ck_assert_int_eq(SYS(t, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(9)), 0);
	expect_tag(t, XOUS_RESULT_NONE);
	ck_assert_uint_eq(kc_process_create(&K, &b, &x), XOUS_OK);
	ck_assert_uint_eq(b, a); /* free again */
}
END_TEST

START_TEST(launched_pids_are_kept_and_reserved_pids_held_until_released)
{
	uint32_t tpid, a, r, b;
	kc_thread t = task_server(&tpid), m;

	notify_on(t, 9);
	ck_assert_uint_eq(kc_process_launch(&K, t, &a, &m), XOUS_OK);
	kc_process_exit_status(&K, a, 4);
	expect_notice(t, 9, a, 4);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RESERVE), 0);
	r = (uint32_t)expect_tag(t, XOUS_RESULT_PROCESS_ID).a[1];
	ck_assert_uint_ne(r, a);
	ck_assert_uint_eq(kc_process_create(&K, &b, &m), XOUS_OK);
	ck_assert(b != a && b != r);
	/* release: in use, never held, the kernel, out of range, bad op */
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, b), 0);
	expect_err(t, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, KC_MAX_PROCS), 0);
	expect_err(t, XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, 1), 0);
	expect_err(t, XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, KC_MAX_PROCS + 1), 0);
	expect_err(t, XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, 2, a), 0);
	expect_err(t, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, a), 0);
	expect_ok(t);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, a), 0);
	expect_err(t, XOUS_ERR_NOT_FOUND);
	ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RELEASE, r), 0);
	expect_ok(t);
	/* both are free again: the lowest free pids */
	ck_assert_uint_eq(kc_process_create(&K, &b, &m), XOUS_OK);
	ck_assert_uint_eq(b, a < r ? a : r);
}
END_TEST

/* The table full of reservations: OutOfMemory; when the notify server
 * goes, every hold goes with it and the table is free again. */
START_TEST(a_full_table_refuses_and_the_notify_servers_end_frees_every_hold)
{
	uint32_t tpid, a, n = 0, p;
	kc_thread t = task_server(&tpid), m;

	notify_on(t, 9);
	ck_assert_uint_eq(kc_process_launch(&K, t, &a, &m), XOUS_OK);
	for (;;) {
		ck_assert_int_eq(SYS(t, XOUS_SYS_PID_HOLD, XOUS_PID_RESERVE), 0);
		if (take(t).a[0] != XOUS_RESULT_PROCESS_ID)
			break;
		n++;
	}
	ck_assert_uint_eq(F.last[t].a[1], XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(n, KC_MAX_PROCS - 3); /* the kernel, t and a */
	ck_assert_uint_eq(kc_process_create(&K, &p, &m), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(kc_process_launch(&K, t, &p, &m), XOUS_ERR_OUT_OF_MEMORY);
	kc_process_exit_status(&K, a, 0); /* kept: still full */
	ck_assert_uint_eq(kc_process_create(&K, &p, &m), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(SYS(t, XOUS_SYS_DESTROY_SERVER, SID(9)), 0);
	expect_ok(t);
	for (n = 0; kc_process_create(&K, &p, &m) == XOUS_OK; n++)
		;
	ck_assert_uint_eq(n, KC_MAX_PROCS - 2);
}
END_TEST

/* The task server's own death ends its registration; a new one starts afresh. */
START_TEST(a_new_task_server_registers_again_and_hears_later_deaths)
{
	uint32_t tpid, a, b, role, sid[4];
	kc_thread t = task_server(&tpid), t2;

	notify_on(t, 9);
	new_proc(&a);
	kc_process_exit(&K, tpid);
	kc_process_exit_status(&K, a, 3); /* nobody listens */
	t2 = new_proc(&b);
	memcpy(sid, XOUS_NAME_TASK, 16);
	ck_assert_uint_eq(kc_role_define(&K, sid, &role), XOUS_OK);
	ck_assert_uint_eq(kc_process_set_role(&K, b, role), XOUS_OK);
	notify_on(t2, 10);
	new_proc(&a);
	kc_process_exit_status(&K, a, 8);
	expect_notice(t2, 10, a, 8);
}
END_TEST

static uint32_t split(const char *line, char **argv, uint32_t *argc)
{
	static char buf[XOUS_CMDLINE_MAX + 2];
	size_t n = strlen(line);

	memcpy(buf, line, n);
	return kc_cmdline_split(buf, n, argv, XOUS_CMDLINE_ARGS, argc);
}

START_TEST(command_lines_split_on_spaces_and_bad_ones_are_refused)
{
	char *argv[XOUS_CMDLINE_ARGS], big[XOUS_CMDLINE_MAX + 2], many[200] = "";
	uint32_t argc, i;

	ck_assert_uint_eq(split("prog", argv, &argc), XOUS_OK);
	ck_assert_uint_eq(argc, 1);
	ck_assert_str_eq(argv[0], "prog");
	ck_assert_uint_eq(split("  prog  a1   b-2 ", argv, &argc), XOUS_OK);
	ck_assert_uint_eq(argc, 3);
	ck_assert_str_eq(argv[0], "prog");
	ck_assert_str_eq(argv[1], "a1");
	ck_assert_str_eq(argv[2], "b-2");
	ck_assert_uint_eq(split("p \"a b\"", argv, &argc), XOUS_OK); /* no quoting */
	ck_assert_uint_eq(argc, 3);
	ck_assert_str_eq(argv[1], "\"a");
	ck_assert_uint_eq(split("prog ../x", argv, &argc),
	                  XOUS_OK); /* only the name is looked up */
	ck_assert_uint_eq(split("", argv, &argc), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(split("   ", argv, &argc), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(argc, 0);
	ck_assert_uint_eq(split("prog\targ", argv, &argc), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(split("prog\n", argv, &argc), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(split("prog \x7f", argv, &argc), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(split("bin/prog", argv, &argc), XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(split("/prog", argv, &argc), XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(split("..", argv, &argc), XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(split("a..b x", argv, &argc), XOUS_ERR_NOT_FOUND);
	{
		char nul[] = "pr\0og";

		ck_assert_uint_eq(kc_cmdline_split(nul, 5, argv, 4, &argc),
		                  XOUS_ERR_INVALID_ARGUMENT);
		ck_assert_uint_eq(kc_cmdline_split(NULL, 5, argv, 4, &argc),
		                  XOUS_ERR_INVALID_ARGUMENT);
		ck_assert_uint_eq(kc_cmdline_split(nul, 2, argv, XOUS_CMDLINE_ARGS + 1, &argc),
		                  XOUS_ERR_INVALID_ARGUMENT);
	}
	memset(big, 'a', sizeof(big));
	big[XOUS_CMDLINE_MAX] = 0;
	ck_assert_uint_eq(split(big, argv, &argc), XOUS_OK);
	big[XOUS_CMDLINE_MAX] = 'a';
	big[XOUS_CMDLINE_MAX + 1] = 0;
	ck_assert_uint_eq(split(big, argv, &argc), XOUS_ERR_INVALID_ARGUMENT);
	for (i = 0; i < XOUS_CMDLINE_ARGS; i++)
		strcat(many, "a ");
	ck_assert_uint_eq(split(many, argv, &argc), XOUS_OK);
	ck_assert_uint_eq(argc, XOUS_CMDLINE_ARGS);
	strcat(many, "a");
	ck_assert_uint_eq(split(many, argv, &argc), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

struct tc_def {
	const char *suite;
	const TTest *test;
};

/* A server that could not take a message refuses it: ReturnMemory with an
 * error in a6 gives its caller that error, with its memory, and frees it. */
START_TEST(return_memory_with_an_error_refuses_the_message)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid);
	kc_word cid, tok;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MUTABLE_BORROW, PAGE, PAGE, 3, 4), 0);
	tok = recv(s, 1).a[1];
	/* an error out of range is no answer: the message stays held */
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 0, 0, XOUS_ERR_MAX + 1), 0);
	expect_err(s, XOUS_ERR_INVALID_ARGUMENT);
	no_result(c);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 0, 0, XOUS_ERR_BAD_ADDRESS), 0);
	expect_ok(s);
	expect_err(c, XOUS_ERR_BAD_ADDRESS);
	ck_assert(reply_then_mem_done(c));
	ck_assert_uint_eq(counts().msgs, 0);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	/* a BlockingScalar refused the same way */
	tok = held_blocking(s, c, cid);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 0, 0, XOUS_ERR_BAD_ADDRESS), 0);
	expect_ok(s);
	expect_err(c, XOUS_ERR_BAD_ADDRESS);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RETURN_MEMORY, tok, 0, 0, 0, 0, XOUS_ERR_BAD_ADDRESS), 0);
	expect_err(s, XOUS_ERR_DOUBLE_FREE);
}
END_TEST

/* ======== pagers (in the tasks suite: the default pager is the task server's) ======== */

#define EXCEPTION 0x7f000004u /* GLOBAL_EXCEPTION */

/* SetPager(task, server n); n 0: the id 0 (the default pager). */
static void set_pager(kc_thread t, uint32_t task, kc_word n)
{
	if (n)
		ck_assert_int_eq(SYS(t, XOUS_SYS_SET_PAGER, task, SID(n)), 0);
	else
		ck_assert_int_eq(SYS(t, XOUS_SYS_SET_PAGER, task, 0, 0, 0, 0), 0);
}

static kc_word pager_of(kc_thread t)
{
	ck_assert_int_eq(SYS(t, XOUS_SYS_PAGER_OF), 0);
	return expect_tag(t, XOUS_RESULT_SERVER_ID).a[1];
}

START_TEST(set_pager_by_the_task_its_pager_or_the_task_server)
{
	uint32_t tpid, a, b, c;
	kc_thread ts = task_server(&tpid), ta = new_proc(&a), tb = new_proc(&b), tc = new_proc(&c);

	ck_assert_int_eq(SYS(ta, XOUS_SYS_PAGER_OF), 0);
	expect_err(ta, XOUS_ERR_SERVER_NOT_FOUND); /* no default yet */
	notify_on(ts, 10);
	ck_assert_uint_eq(pager_of(ta), 10);
	mkserver(tb, 4);
	mkserver(tc, 5);
	set_pager(tc, a, 5); /* neither a nor its pager's owner */
	expect_err(tc, XOUS_ERR_ACCESS_DENIED);
	set_pager(ta, a, 4);
	expect_ok(ta);
	ck_assert_uint_eq(pager_of(ta), 4);
	set_pager(tb, a, 5); /* the owner of its pager */
	expect_ok(tb);
	ck_assert_uint_eq(pager_of(ta), 5);
	set_pager(ts, a, 0); /* the task server; 0: the default */
	expect_ok(ts);
	ck_assert_uint_eq(pager_of(ta), 10);
	set_pager(ta, a, 77);
	expect_err(ta, XOUS_ERR_SERVER_NOT_FOUND);
	set_pager(ta, 99, 4);
	expect_err(ta, XOUS_ERR_PROCESS_NOT_FOUND);
	set_pager(ta, 1, 4);
	expect_err(ta, XOUS_ERR_PROCESS_NOT_FOUND);
	/* a named pager that is gone leaves the default */
	set_pager(ta, a, 4);
	expect_ok(ta);
	ck_assert_int_eq(SYS(tb, XOUS_SYS_DESTROY_SERVER, SID(4)), 0);
	expect_ok(tb);
	ck_assert_uint_eq(pager_of(ta), 10);
}
END_TEST

/* The next message on server n is pid's exception. */
static void expect_exception(kc_thread t, kc_word n, uint32_t pid, kc_word type, kc_word addr)
{
	kc_regs r = recv(t, n);

	ck_assert_uint_eq(r.a[2], XOUS_KIND_SCALAR);
	ck_assert_uint_eq(r.a[3], EXCEPTION);
	ck_assert_uint_eq(r.a[4], pid);
	ck_assert_uint_eq(r.a[5], type);
	ck_assert_uint_eq(r.a[6], addr);
	ck_assert_uint_eq(r.a[7], 0x400);
	ck_assert_uint_eq((r.a[1] >> KC_SENDER_PID_SHIFT) & ((1u << KC_SENDER_PID_BITS) - 1), 1);
}

START_TEST(an_exception_reaches_the_pager_or_else_the_default)
{
	uint32_t tpid, a, b;
	kc_thread ts = task_server(&tpid), ta = new_proc(&a), tb = new_proc(&b), t2;

	notify_on(ts, 10);
	mkserver(tb, 4);
	set_pager(ta, a, 4);
	expect_ok(ta);
	kc_process_exception(&K, a, XOUS_EXC_BAD_ACCESS, 16, 0x400);
	expect_exception(tb, 4, a, XOUS_EXC_BAD_ACCESS, 16);
	/* its queue is full: the default pager hears of it */
	t2 = new_proc(NULL);
	scalar(t2, conn(t2, 4), XOUS_KIND_SCALAR, 1, 0);
	expect_ok(t2);
	scalar(t2, conn(t2, 4), XOUS_KIND_SCALAR, 1, 0);
	expect_ok(t2);
	kc_process_exception(&K, a, XOUS_EXC_ILLEGAL, 8, 0x400);
	expect_exception(ts, 10, a, XOUS_EXC_ILLEGAL, 8);
	/* reported after the death, before the status comes: still the pager's */
	recv(tb, 4);
	recv(tb, 4);
	kc_process_exit_status(&K, a, KC_STATUS_LATER);
	kc_process_exception(&K, a, XOUS_EXC_PAGER, 32, 0x400);
	expect_exception(tb, 4, a, XOUS_EXC_PAGER, 32);
	kc_process_status(&K, a, 267);
	expect_notice(ts, 10, a, 267);
	kc_process_exception(&K, 0, 1, 0, 0); /* no such pids: nothing */
	kc_process_exception(&K, KC_MAX_PROCS + 1, 1, 0, 0);
	ck_assert_uint_eq(kc_process_pager(&K, a), KC_NIL);
}
END_TEST

/* t sends cid the shape of a page fault: offset the address 0x40000123. */
static int fault_shape(kc_thread t, kc_word cid, kc_word kind, kc_word id, kc_word len)
{
	kc_mem m = {0x40000000u, len, 0x40000123u, 0, 0x77, 0};

	return sysv(t, &m,
	            (const kc_word[8]){XOUS_SYS_SEND_MESSAGE, cid, kind, id, 0x40000000u, len,
	                               0x40000123u, 1});
}

START_TEST(a_page_fault_is_a_mutable_borrow_of_the_faulting_thread)
{
	uint32_t tpid, a, b;
	kc_thread ts = task_server(&tpid), ta = new_proc(&a), tb = new_proc(&b);
	kc_mem m = {0x40000000u, 4096, 0x40000123u, 1, 0x77, 0};
	kc_regs r;

	ck_assert_int_eq(kc_page_fault(&K, ta, 0x40000000u, 0x40000123u, true, &m), -1);
	notify_on(ts, 10);
	mkserver(tb, 4);
	set_pager(ta, a, 4);
	expect_ok(ta);
	ck_assert_int_eq(kc_page_fault(&K, ta, 0x40000000u, 0x40000123u, true, &m), 0);
	no_result(ta);
	r = recv(tb, 4);
	ck_assert_uint_eq(r.a[2], XOUS_KIND_MUTABLE_BORROW);
	ck_assert_uint_eq(r.a[3], XOUS_PAGE_FAULT_ID);
	ck_assert_uint_eq(r.a[5], 4096);
	ck_assert_uint_eq(r.a[6], 0x40000123u);
	ck_assert_uint_eq(r.a[7], 1);
	ck_assert_uint_eq((r.a[1] >> KC_SENDER_PID_SHIFT) & ((1u << KC_SENDER_PID_BITS) - 1), a);
	ck_assert_int_eq(SYS(tb, XOUS_SYS_RETURN_MEMORY, r.a[1], 0, 0, 0x40000123u, 1), 0);
	expect_ok(tb);
	r = expect_tag(ta, XOUS_RESULT_MEMORY_RETURNED);
	ck_assert(reply_then_mem_done(ta));
	/* the same shape from a syscall of that thread: its offset is past its len */
	ck_assert_int_eq(
	        fault_shape(ta, conn(ta, 4), XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 4096),
	        0);
	expect_err(ta, XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(only_the_fault_thread_sends_a_page_fault_and_only_to_its_pager)
{
	uint32_t tpid, a, b;
	kc_thread ts = task_server(&tpid), ta = new_proc(&a), tb = new_proc(&b), tf, tn;
	kc_word to_pager, to_other;
	kc_regs r;

	notify_on(ts, 10);
	mkserver(tb, 4);
	mkserver(tb, 5);
	set_pager(ta, a, 4);
	expect_ok(ta);
	to_pager = conn(ta, 4);
	to_other = conn(ta, 5);
	tf = new_thread(a, false);
	/* an ordinary thread, even toward its pager */
	ck_assert_int_eq(
	        fault_shape(ta, to_pager, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 4096), 0);
	expect_err(ta, XOUS_ERR_INVALID_ARGUMENT);
	/* the fault thread is named once per process */
	ck_assert_uint_eq(kc_fault_thread(&K, tf), XOUS_OK);
	ck_assert_uint_eq(kc_fault_thread(&K, tf), XOUS_ERR_ALREADY_EXISTS);
	ck_assert_uint_eq(kc_fault_thread(&K, ta), XOUS_ERR_ALREADY_EXISTS);
	ck_assert_uint_eq(kc_fault_thread(&K, KC_NO_THREAD), XOUS_ERR_INVALID_THREAD);
	ck_assert_int_eq(
	        fault_shape(ta, to_pager, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 4096), 0);
	expect_err(ta, XOUS_ERR_INVALID_ARGUMENT);
	/* the fault thread toward a server that is not its pager */
	ck_assert_int_eq(
	        fault_shape(tf, to_other, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 4096), 0);
	expect_err(tf, XOUS_ERR_INVALID_ARGUMENT);
	/* other shapes keep the check, even from it to its pager */
	ck_assert_int_eq(fault_shape(tf, to_pager, XOUS_KIND_BORROW, XOUS_PAGE_FAULT_ID, 4096), 0);
	expect_err(tf, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(fault_shape(tf, to_pager, XOUS_KIND_MUTABLE_BORROW, 9, 4096), 0);
	expect_err(tf, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_int_eq(
	        fault_shape(tf, to_pager, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 8192), 0);
	expect_err(tf, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(counts().msgs, 0);
	/* the fault thread toward its pager: the fault reaches it */
	ck_assert_int_eq(
	        fault_shape(tf, to_pager, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 4096), 0);
	no_result(tf);
	r = recv(tb, 4);
	ck_assert_uint_eq(r.a[3], XOUS_PAGE_FAULT_ID);
	ck_assert_uint_eq(r.a[6], 0x40000123u);
	ck_assert_uint_eq(r.a[7], 1);
	ck_assert_int_eq(SYS(tb, XOUS_SYS_RETURN_MEMORY, r.a[1], 0, 0, 0, 0), 0);
	expect_ok(tb);
	expect_tag(tf, XOUS_RESULT_MEMORY_RETURNED);
	/* its pager changed: server 4 is no longer it */
	set_pager(ta, a, 0);
	expect_ok(ta);
	ck_assert_int_eq(
	        fault_shape(tf, to_pager, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 4096), 0);
	expect_err(tf, XOUS_ERR_INVALID_ARGUMENT);
	/* a thread that takes its slot after it ended is not it, nor can be */
	set_pager(ta, a, 4);
	expect_ok(ta);
	kc_thread_exit(&K, tf, 0);
	tn = new_thread(a, false);
	ck_assert_uint_eq(tn, tf);
	ck_assert_uint_eq(kc_fault_thread(&K, tn), XOUS_ERR_ALREADY_EXISTS);
	ck_assert_int_eq(
	        fault_shape(tn, to_pager, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, 4096), 0);
	expect_err(tn, XOUS_ERR_INVALID_ARGUMENT);
	/* the next process in a's slot names its own */
	kc_process_exit(&K, a);
	ta = new_proc(&b);
	ck_assert_uint_eq(b, a);
	ck_assert_uint_eq(kc_fault_thread(&K, ta), XOUS_OK);
}
END_TEST

START_TEST(an_abi_hook_call_lends_the_frame_page_from_the_calling_thread)
{
	uint32_t a, b, s;
	kc_thread ta = new_proc(&a), tb = new_proc(&b);
	kc_mem m = {0x40000000u, 4096, 0, 96, 0x78, 0};
	const uint32_t sid[4] = {SID(6)};
	kc_regs r;

	ck_assert_int_eq(kc_abi_hook_call(&K, ta, KC_NIL, 0x40000000u, 96, &m), -1);
	mkserver(tb, 6);
	s = kc_server_slot(&K, sid);
	ck_assert_int_eq(kc_abi_hook_call(&K, ta, s, 0x40000000u, 96, &m), 0);
	no_result(ta);
	ck_assert_int_eq(kc_abi_hook_call(&K, ta, s, 0x40000000u, 96, &m), -1); /* it waits */
	r = recv(tb, 6);
	ck_assert_uint_eq(r.a[2], XOUS_KIND_MUTABLE_BORROW);
	ck_assert_uint_eq(r.a[3], 0x7f000006u); /* GLOBAL_ABI_HOOK */
	ck_assert_uint_eq(r.a[5], 4096);
	ck_assert_uint_eq(r.a[6], 0);
	ck_assert_uint_eq(r.a[7], 96);
	ck_assert_uint_eq((r.a[1] >> KC_SENDER_PID_SHIFT) & ((1u << KC_SENDER_PID_BITS) - 1), a);
	ck_assert_int_eq(SYS(tb, XOUS_SYS_RETURN_MEMORY, r.a[1], 0, 0, 0, 96), 0);
	expect_ok(tb);
	expect_tag(ta, XOUS_RESULT_MEMORY_RETURNED);
	ck_assert(reply_then_mem_done(ta));
}
END_TEST

/* ======== quotas: per-process shares of the shared tables (kcore.h) ======== */

#if KC_MAX_SERVERS_PER_PROC < KC_MAX_SERVERS

static struct kc_usage usage(uint32_t pid)
{
	struct kc_usage u;

	kc_process_usage(&K, pid, &u);
	return u;
}

/* Servers made and their cids given back ("create, disconnect") still
 * count: the quota is on servers, not on cids. */
START_TEST(server_quota_is_out_of_memory_and_others_still_create)
{
	uint32_t hpid;
	kc_thread h = new_proc(&hpid), o = new_proc(NULL);
	int i;

	for (i = 0; i < KC_MAX_SERVERS_PER_PROC; i++) {
		kc_word cid = mkserver(h, (kc_word)(i + 1));

		ck_assert_int_eq(SYS(h, XOUS_SYS_DISCONNECT, cid), 0);
		expect_ok(h);
	}
	ck_assert_uint_eq(usage(hpid).servers, KC_MAX_SERVERS_PER_PROC);
	ck_assert_int_eq(SYS(h, XOUS_SYS_CREATE_SERVER_WITH_ADDRESS, SID(50)), 0);
	expect_err(h, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(SYS(h, XOUS_SYS_CREATE_SERVER), 0);
	expect_err(h, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_lt(counts().servers, KC_MAX_SERVERS);
	mkserver(o, 60); /* another process still gets one */
	/* destroying one gives its share back */
	ck_assert_int_eq(SYS(h, XOUS_SYS_DESTROY_SERVER, SID(1)), 0);
	expect_ok(h);
	mkserver(h, 51);
	kc_process_exit(&K, hpid);
	ck_assert_uint_eq(counts().servers, 1);
	/* the pid's next process starts with nothing held */
	h = new_proc(&hpid);
	ck_assert_uint_eq(usage(hpid).servers, 0);
	for (i = 0; i < KC_MAX_SERVERS_PER_PROC; i++)
		mkserver(h, (kc_word)(i + 1));
}
END_TEST

/* Messages a process sent and that are not finished: a try past the quota
 * is SERVER_QUEUE_FULL, a waiting send OUT_OF_MEMORY; others are served. */
START_TEST(message_quota_refuses_the_hog_only)
{
	uint32_t hpid, spid;
	kc_thread s = new_proc(&spid), s2 = new_proc(NULL), h = new_proc(&hpid),
	          h2 = new_thread(hpid, false), o = new_proc(NULL);
	kc_word c1, c2;
	int i;

	mkserver(s, 1);
	mkserver(s2, 2);
	c1 = conn(h, 1);
	c2 = conn(h, 2);
	/* a blocked BlockingScalar counts as much as a queued Scalar */
	ck_assert_int_eq(scalar(h2, c2, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	for (i = 1; i < KC_MAX_MSGS_PER_PROC; i++) {
		ck_assert_int_eq(scalar(h, c1 + (i % 2 ? 0 : 1), XOUS_KIND_SCALAR, 1, 0), 0);
		expect_ok(h);
	}
	ck_assert_uint_eq(usage(hpid).msgs, KC_MAX_MSGS_PER_PROC);
	ck_assert_int_eq(SYS(h, XOUS_SYS_TRY_SEND_MESSAGE, c2, XOUS_KIND_SCALAR, 1), 0);
	expect_err(h, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_int_eq(scalar(h, c2, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_err(h, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(lend(h, XOUS_SYS_TRY_SEND_MESSAGE, c2, XOUS_KIND_MOVE, PAGE, PAGE, 0, 0),
	                 0);
	expect_err(h, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_uint_eq(counts().lent_bytes, 0);
	/* another process is served */
	ck_assert_int_eq(scalar(o, conn(o, 2), XOUS_KIND_SCALAR, 7, 0), 0);
	expect_ok(o);
	/* a message received is a message finished: room again */
	recv(s, 1);
	ck_assert_int_eq(SYS(h, XOUS_SYS_TRY_SEND_MESSAGE, c1, XOUS_KIND_SCALAR, 1), 0);
	expect_ok(h);
	kc_process_exit(&K, hpid);
	ck_assert_uint_eq(usage(hpid).msgs, 0);
	kc_process_exit(&K, spid);
	kc_process_exit(&K, kc_thread_pid(&K, s2));
	kc_process_exit(&K, kc_thread_pid(&K, o));
	at_baseline();
}
END_TEST

/* Memory messages (what the platform keeps fds and copies for) have a
 * quota of their own; Scalars still go while it is full. */
START_TEST(memory_message_quota_and_delivery_gives_it_back)
{
	uint32_t hpid;
	kc_thread s = new_proc(NULL), h = new_proc(&hpid);
	kc_word cid;
	int i;

	mkserver(s, 1);
	cid = conn(h, 1);
	for (i = 0; i < KC_MAX_MEM_MSGS_PER_PROC; i++) {
		ck_assert_int_eq(lend(h, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_MOVE,
		                      (kc_word)(i + 1) * PAGE, PAGE, 0, 0),
		                 0);
		expect_ok(h);
	}
	ck_assert_uint_eq(usage(hpid).mem_msgs, KC_MAX_MEM_MSGS_PER_PROC);
	ck_assert_int_eq(
	        lend(h, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_MOVE, 9 * PAGE, PAGE, 0, 0), 0);
	expect_err(h, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_int_eq(lend(h, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MOVE, 9 * PAGE, PAGE, 0, 0),
	                 0);
	expect_err(h, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_int_eq(F.ndone, 2); /* both refused: their memory given back */
	ck_assert_int_eq(scalar(h, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(h);
	/* a delivered Move is the server's: the platform keeps nothing for it */
	recv(s, 1);
	ck_assert_uint_eq(usage(hpid).mem_msgs, KC_MAX_MEM_MSGS_PER_PROC - 1);
	ck_assert_int_eq(
	        lend(h, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_MOVE, 9 * PAGE, PAGE, 0, 0), 0);
	expect_ok(h);
}
END_TEST

#if KC_SEND_AHEAD > 0
/* Send-ahead slots are messages the process may send without asking: they
 * count against its message quota when granted. */
START_TEST(send_ahead_slots_count_against_the_message_quota)
{
	uint32_t hpid;
	kc_thread s = new_proc(NULL), h = new_proc(&hpid);
	kc_word cids[2], slots = 0;
	kc_regs r;
	int n = 0, i;

	mkserver(s, 1);
	mkserver(s, 2);
	cids[0] = conn(h, 1);
	cids[1] = conn(h, 2);
	/* two queues hold more than the quota; each send's grant fills it */
	while (usage(hpid).msgs < KC_MAX_MSGS_PER_PROC) {
		kc_word cid = cids[n++ % 2];

		ck_assert_int_eq(scalar(h, cid, XOUS_KIND_SCALAR, 3, 0), 0);
		r = expect_tag(h, XOUS_RESULT_OK);
		ck_assert_uint_eq(usage(hpid).ahead, r.a[1]);
		ck_assert_uint_le(usage(hpid).msgs + usage(hpid).ahead, KC_MAX_MSGS_PER_PROC);
		for (i = 0; i < (int)r.a[1]; i++)
			ck_assert_int_eq(ahead(h, cid, 4), 0);
		no_result(h);
		slots += r.a[1];
	}
	ck_assert_uint_gt(slots, 0);
	ck_assert_uint_eq(usage(hpid).ahead, 0); /* the last grant had no room left */
	ck_assert_int_eq(SYS(h, XOUS_SYS_TRY_SEND_MESSAGE, cids[1], XOUS_KIND_SCALAR, 1), 0);
	expect_err(h, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_uint_eq(counts().ahead, counts().reserved);
}
END_TEST
#endif

/* Processes created on a process's behalf (attached by it). */
START_TEST(children_quota_is_per_parent_and_follows_their_lives)
{
	uint32_t ppid, kids[KC_MAX_CHILDREN_PER_PROC], x, reuse;
	kc_thread t;
	int i;

	new_proc(&ppid);
	for (i = 0; i < KC_MAX_CHILDREN_PER_PROC; i++)
		ck_assert_uint_eq(kc_process_create_by(&K, ppid, &kids[i], &t), XOUS_OK);
	ck_assert_uint_eq(usage(ppid).children, KC_MAX_CHILDREN_PER_PROC);
	ck_assert_uint_eq(kc_process_create_by(&K, ppid, &x, &t), XOUS_ERR_OUT_OF_MEMORY);
	/* the kernel's own processes have no quota; its bucket (pid 1) has */
	ck_assert_uint_eq(kc_process_create_by(&K, 0, &x, &t), XOUS_OK);
	kc_process_exit(&K, x);
	ck_assert_uint_eq(kc_process_create_by(&K, 99, &x, &t), XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_uint_eq(kc_process_create_by(&K, kids[0] + 50, &x, &t),
	                  XOUS_ERR_PROCESS_NOT_FOUND);
	/* a child that ends gives its share back */
	kc_process_exit(&K, kids[0]);
	ck_assert_uint_eq(kc_process_create_by(&K, ppid, &kids[0], &t), XOUS_OK);
	/* the parent ends: its children live on, and their ends touch no one
	 * else, not even the next process with the parent's pid */
	kc_process_exit(&K, ppid);
	new_proc(&reuse);
	ck_assert_uint_eq(reuse, ppid);
	ck_assert_uint_eq(kc_process_create_by(&K, reuse, &x, &t), XOUS_OK);
	for (i = 0; i < KC_MAX_CHILDREN_PER_PROC; i++) {
		ck_assert(kc_process_alive(&K, kids[i]));
		kc_process_exit(&K, kids[i]);
	}
	ck_assert_uint_eq(usage(reuse).children, 1);
	kc_process_exit(&K, x);
	ck_assert_uint_eq(usage(reuse).children, 0);
	for (i = 0; i < KC_MAX_CHILDREN_PER_PROC; i++)
		ck_assert_uint_eq(kc_process_create_by(&K, 1, &kids[i], &t), XOUS_OK);
	ck_assert_uint_eq(kc_process_create_by(&K, 1, &x, &t), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(usage(1).children, KC_MAX_CHILDREN_PER_PROC);
}
END_TEST

/* Every table back where it was once the hog is gone, whatever it held. */
START_TEST(hog_that_takes_every_quota_leaves_nothing_behind)
{
	uint32_t hpid, spid, kid;
	kc_thread s = new_proc(&spid), h = new_proc(&hpid), t;
	kc_word cid;
	int i;

	mkserver(s, 1);
	cid = conn(h, 1);
	for (i = 0; i < KC_MAX_SERVERS_PER_PROC; i++)
		mkserver(h, (kc_word)(10 + i));
	ck_assert_uint_eq(kc_process_create_by(&K, hpid, &kid, &t), XOUS_OK);
	ck_assert_int_eq(lend(h, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_MOVE, PAGE, PAGE, 0, 0),
	                 0);
	expect_ok(h);
	while (SYS(h, XOUS_SYS_TRY_SEND_MESSAGE, cid, XOUS_KIND_SCALAR, 1), F.last[h].a[0] == 0)
		take(h);
	expect_err(h, XOUS_ERR_SERVER_QUEUE_FULL);
	kc_process_exit(&K, kid);
	kc_process_exit(&K, hpid);
	ck_assert_uint_eq(usage(hpid).msgs + usage(hpid).servers + usage(hpid).children, 0);
	while (SYS(s, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(1)), F.last[s].a[0] != XOUS_RESULT_NONE)
		take(s); /* its Scalars are still delivered ("notify, then exit") */
	take(s);
	kc_process_exit(&K, spid);
	at_baseline();
}
END_TEST

#endif /* KC_MAX_SERVERS_PER_PROC < KC_MAX_SERVERS */

/* ---- physical memory (phys.c) ---- */

#define POOL ((kc_word)0x80000000u)

/* A pool manager process (pid *vm) with a server n that process *c calls:
 * the manager holds c's BlockingScalar; its sender token is returned. */
static kc_word phys_setup(kc_thread *vm_t, uint32_t *vm, kc_thread *c_t, uint32_t *c)
{
	kc_word cid;

	kc_phys_init(&K, POOL, 16 * PAGE);
	*vm_t = new_proc(vm);
	*c_t = new_proc(c);
	ck_assert_uint_eq(kc_process_set_phys(&K, *vm, KC_PHYS_POOL), XOUS_OK);
	mkserver(*vm_t, 77);
	cid = conn(*c_t, 77);
	ck_assert_int_eq(scalar(*c_t, cid, XOUS_KIND_BLOCKING_SCALAR, 1, 0), 0);
	return recv(*vm_t, 77).a[1];
}

static kc_regs grant(kc_thread t, kc_word to, kc_word paddr, kc_word size, kc_word flags)
{
	ck_assert_int_eq(SYS(t, XOUS_SYS_PHYS_GRANT, to, paddr, size, flags), 0);
	return take(t);
}

static uint32_t check(uint32_t pid, kc_word paddr, kc_word size, kc_word flags)
{
	struct kc_phys_map m;

	return kc_phys_check(&K, pid, paddr, size, flags, &m);
}

START_TEST(fresh_run_maps_for_its_grantee_only_and_as_granted)
{
	kc_thread vt, ct, ot;
	uint32_t vm, c, o;
	kc_word tok = phys_setup(&vt, &vm, &ct, &c), base;
	kc_regs r;

	ot = new_proc(&o);
	(void)ot;
	r = grant(vt, tok, 0, 2 * PAGE, XOUS_MEM_R);
	ck_assert_uint_eq(r.a[0], XOUS_RESULT_MEMORY_RANGE);
	base = r.a[1];
	ck_assert_uint_eq(base, POOL);
	ck_assert_uint_eq(r.a[2], 2 * PAGE);
	ck_assert_int_eq(F.phys_allocs, 1);
	ck_assert_uint_eq(check(c, base, 2 * PAGE, XOUS_MEM_R), XOUS_OK);
	ck_assert_uint_eq(check(c, base + PAGE, PAGE, XOUS_MEM_R), XOUS_OK);
	/* read-only right: no writable mapping; nothing past the run */
	ck_assert_uint_eq(check(c, base, PAGE, XOUS_MEM_R | XOUS_MEM_W), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(check(c, base, 3 * PAGE, XOUS_MEM_R), XOUS_ERR_ACCESS_DENIED);
	/* another process: no right; outside the pool: no devices flag */
	ck_assert_uint_eq(check(o, base, PAGE, XOUS_MEM_R), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(check(o, 0x10000000u, PAGE, XOUS_MEM_R), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(check(c, base + 1, PAGE, XOUS_MEM_R), XOUS_ERR_BAD_ALIGNMENT);
	ck_assert_uint_eq(check(c, base, 0, XOUS_MEM_R), XOUS_ERR_INVALID_ARGUMENT);
	/* the manager maps any page of a live run; where none is: BadAddress */
	ck_assert_uint_eq(check(vm, base, PAGE, XOUS_MEM_W), XOUS_OK);
	ck_assert_uint_eq(check(vm, POOL + 8 * PAGE, PAGE, XOUS_MEM_W), XOUS_ERR_BAD_ADDRESS);
	/* a second grant on the same pages widens the right */
	r = grant(vt, tok, base + PAGE, PAGE, XOUS_MEM_R | XOUS_MEM_W);
	ck_assert_uint_eq(r.a[1], base + PAGE);
	ck_assert_uint_eq(check(c, base, PAGE, XOUS_MEM_W), XOUS_OK);
}
END_TEST

START_TEST(only_the_manager_grants_and_only_what_was_handed_out)
{
	kc_thread vt, ct;
	uint32_t vm, c;
	kc_word tok = phys_setup(&vt, &vm, &ct, &c);
	kc_thread ot = new_proc(NULL);
	kc_regs r;

	ck_assert_int_eq(SYS(ot, XOUS_SYS_PHYS_GRANT, 0, 0, PAGE, XOUS_MEM_W), 0);
	expect_err(ot, XOUS_ERR_ACCESS_DENIED);
	r = grant(vt, tok, POOL + 4 * PAGE, PAGE, XOUS_MEM_R); /* never handed out */
	ck_assert_uint_eq(r.a[1], XOUS_ERR_ACCESS_DENIED);
	r = grant(vt, tok, 0, 17 * PAGE, XOUS_MEM_R); /* more than the pool */
	ck_assert_uint_eq(r.a[1], XOUS_ERR_OUT_OF_MEMORY);
	r = grant(vt, tok, 0, PAGE + 1, XOUS_MEM_R);
	ck_assert_uint_eq(r.a[1], XOUS_ERR_BAD_ALIGNMENT);
	r = grant(vt, tok, 0, PAGE, 0x100);
	ck_assert_uint_eq(r.a[1], XOUS_ERR_INVALID_ARGUMENT);
	r = grant(vt, 0x12345, 0, PAGE, XOUS_MEM_R); /* not a message it holds */
	ck_assert_uint_eq(r.a[0], XOUS_RESULT_ERROR);
	ck_assert_int_eq(F.phys_allocs, 0);
	/* a busy address is skipped */
	F.phys_busy = POOL;
	r = grant(vt, 0, 0, PAGE, XOUS_MEM_W);
	ck_assert_uint_eq(r.a[1], POOL + PAGE);
}
END_TEST

START_TEST(runs_end_with_their_last_right_by_release_or_exit)
{
	kc_thread vt, ct;
	uint32_t vm, c, runs, rights;
	kc_word tok = phys_setup(&vt, &vm, &ct, &c), base;

	base = grant(vt, tok, 0, PAGE, XOUS_MEM_W).a[1];
	ck_assert_uint_eq(grant(vt, 0, base, PAGE, XOUS_MEM_W).a[1], base); /* vm holds it too */
	kc_phys_counts(&K, &runs, &rights);
	ck_assert_uint_eq(runs, 1);
	ck_assert_uint_eq(rights, 2);
	kc_process_exit(&K, c);
	ck_assert_int_eq(F.phys_frees, 0);
	ck_assert_uint_eq(check(c, base, PAGE, XOUS_MEM_R), XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(SYS(vt, XOUS_SYS_PHYS_RELEASE, base + 5), 0);
	expect_ok(vt);
	ck_assert_int_eq(F.phys_frees, 1);
	ck_assert_int_eq(SYS(vt, XOUS_SYS_PHYS_RELEASE, base), 0);
	expect_err(vt, XOUS_ERR_BAD_ADDRESS);
	kc_phys_counts(&K, &runs, &rights);
	ck_assert_uint_eq(runs + rights, 0);
	/* the addresses are free again */
	ck_assert_uint_eq(grant(vt, 0, 0, PAGE, XOUS_MEM_W).a[1], POOL);
}
END_TEST

START_TEST(rights_per_process_are_bounded_and_a_dead_caller_gets_none)
{
	kc_thread vt, ct;
	uint32_t vm, c, i, runs;
	kc_word tok = phys_setup(&vt, &vm, &ct, &c);

	for (i = 0; i < KC_MAX_RIGHTS_PER_PROC; i++)
		ck_assert_uint_eq(grant(vt, tok, 0, PAGE, XOUS_MEM_W).a[0],
		                  XOUS_RESULT_MEMORY_RANGE);
	ck_assert_uint_eq(grant(vt, tok, 0, PAGE, XOUS_MEM_W).a[1], XOUS_ERR_OUT_OF_MEMORY);
	kc_phys_counts(&K, &runs, NULL);
	ck_assert_uint_eq(runs, KC_MAX_RIGHTS_PER_PROC);
	kc_process_exit(&K, c);
	kc_phys_counts(&K, &runs, NULL);
	ck_assert_uint_eq(runs, 0);
	ck_assert_int_eq(F.phys_frees, KC_MAX_RIGHTS_PER_PROC);
	ck_assert_uint_eq(grant(vt, tok, 0, PAGE, XOUS_MEM_W).a[1], XOUS_ERR_PROCESS_TERMINATED);
	ck_assert_int_eq(F.phys_allocs, KC_MAX_RIGHTS_PER_PROC);
}
END_TEST

START_TEST(devices_only_for_the_named)
{
	kc_thread t;
	uint32_t d;
	struct kc_phys_map m;

	kc_phys_init(&K, POOL, 16 * PAGE);
	t = new_proc(&d);
	(void)t;
	ck_assert_uint_eq(kc_phys_check(&K, d, 0x10000000u, PAGE, XOUS_MEM_W, &m),
	                  XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(kc_process_set_phys(&K, d, KC_PHYS_DEVICES), XOUS_OK);
	ck_assert_uint_eq(kc_phys_check(&K, d, 0x10000000u, PAGE, XOUS_MEM_W, &m), XOUS_OK);
	ck_assert(m.device);
	/* the pool is still the manager's to hand out */
	ck_assert_uint_eq(kc_phys_check(&K, d, POOL, PAGE, XOUS_MEM_R, &m), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(kc_process_set_phys(&K, d, 4), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* ======== global: notifications, async messages, invalid messages ======== */

/* t's process gets server n as its notify server. */
static void notify_server_on(kc_thread t, kc_word n)
{
	mkserver(t, n);
	ck_assert_int_eq(SYS(t, XOUS_SYS_SET_NOTIFY_SERVER, SID(n)), 0);
	expect_ok(t);
}

static void notify(kc_thread t, kc_word pid, kc_word bits)
{
	ck_assert_int_eq(SYS(t, XOUS_SYS_NOTIFY, pid, bits), 0);
	expect_ok(t);
}

/* r is Scalar(GLOBAL_NOTIFICATIONS, bits) from the kernel. */
static void expect_notification(const kc_regs *r, kc_word bits)
{
	ck_assert_uint_eq(r->a[0], XOUS_RESULT_MESSAGE_ENVELOPE);
	ck_assert_uint_eq(r->a[1] >> KC_SENDER_PID_SHIFT, 1);
	ck_assert_uint_eq(r->a[2], XOUS_KIND_SCALAR);
	ck_assert_uint_eq(r->a[3], XOUS_GLOBAL_NOTIFICATIONS);
	ck_assert_uint_eq(r->a[4], bits);
}

/* A TryReceive on server n finds nothing. */
static void nothing_for(kc_thread t, kc_word n)
{
	ck_assert_int_eq(SYS(t, XOUS_SYS_TRY_RECEIVE_MESSAGE, SID(n)), 0);
	expect_tag(t, XOUS_RESULT_NONE);
}

START_TEST(notify_bits_merge_and_arrive_once)
{
	uint32_t tpid;
	kc_thread t = new_proc(&tpid), n = new_proc(NULL);
	kc_regs r;

	notify_server_on(t, 1);
	notify(n, tpid, 4);
	notify(n, tpid, 8);
	notify(t, tpid, 4 | 1);
	r = recv(t, 1);
	expect_notification(&r, 13);
	nothing_for(t, 1);
	ck_assert_uint_eq(counts().msgs, 0);
}
END_TEST

START_TEST(notification_goes_ahead_of_the_queue_and_wakes_a_receiver)
{
	uint32_t tpid;
	kc_thread t = new_proc(&tpid), c = new_proc(NULL);
	kc_word cid;
	kc_regs r;

	notify_server_on(t, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 7, 0), 0);
	expect_ok(c);
	notify(c, tpid, 2);
	r = recv(t, 1);
	expect_notification(&r, 2);
	ck_assert_uint_eq(recv(t, 1).a[3], 7);
	/* a receiver already waiting takes the bits at once */
	ck_assert_int_eq(SYS(t, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	no_result(t);
	notify(c, tpid, 0x100);
	r = take(t);
	expect_notification(&r, 0x100);
	/* no bits: nothing to deliver */
	ck_assert_int_eq(SYS(t, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	notify(c, tpid, 0);
	no_result(t);
}
END_TEST

START_TEST(bits_wait_for_a_notify_server)
{
	uint32_t tpid, opid;
	kc_thread t = new_proc(&tpid), o = new_proc(&opid);
	kc_regs r;

	notify(o, tpid, 1);
	mkserver(o, 2);
	mkserver(t, 1);
	/* the same bits are not seen on a server that is not the notify server */
	nothing_for(t, 1);
	ck_assert_int_eq(SYS(t, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	no_result(t);
	/* a server of another process, or none: refused */
	ck_assert_int_eq(SYS(o, XOUS_SYS_SET_NOTIFY_SERVER, SID(1)), 0);
	expect_err(o, XOUS_ERR_ACCESS_DENIED);
	ck_assert_int_eq(SYS(o, XOUS_SYS_SET_NOTIFY_SERVER, SID(5)), 0);
	expect_err(o, XOUS_ERR_SERVER_NOT_FOUND);
	/* a thread of t names it: the waiting receiver gets the bits */
	kc_thread t2 = new_thread(tpid, false);
	ck_assert_int_eq(SYS(t2, XOUS_SYS_SET_NOTIFY_SERVER, SID(1)), 0);
	expect_ok(t2);
	r = take(t);
	expect_notification(&r, 1);
	/* tasks that are not there */
	ck_assert_int_eq(SYS(o, XOUS_SYS_NOTIFY, 1, 1), 0);
	expect_err(o, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(SYS(o, XOUS_SYS_NOTIFY, KC_MAX_PROCS + 1, 1), 0);
	expect_err(o, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(SYS(o, XOUS_SYS_NOTIFY, 0, 1), 0);
	expect_err(o, XOUS_ERR_PROCESS_NOT_FOUND);
}
END_TEST

START_TEST(bits_outlive_their_notify_server_and_end_with_the_task)
{
	uint32_t tpid;
	kc_thread t = new_proc(&tpid), n = new_proc(NULL);
	kc_regs r;

	notify_server_on(t, 1);
	ck_assert_int_eq(SYS(t, XOUS_SYS_DESTROY_SERVER, SID(1)), 0);
	expect_ok(t);
	notify(n, tpid, 4);
	notify_server_on(t, 1); /* the same id again: a new server */
	r = recv(t, 1);
	expect_notification(&r, 4);
	/* a new process with the same pid starts with nothing pending */
	notify(n, tpid, 8);
	kc_process_exit(&K, tpid);
	t = new_proc(&tpid);
	notify_server_on(t, 1);
	nothing_for(t, 1);
}
END_TEST

START_TEST(receive_many_takes_the_notification_first)
{
	uint32_t tpid;
	kc_thread t = new_proc(&tpid), c = new_proc(NULL);
	kc_regs in = {{XOUS_SYS_RECEIVE_MANY, SID(1), 0}}, env[KC_RECEIVE_MANY];
	kc_word cid;
	uint32_t n = 99;

	notify_server_on(t, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 7, 0), 0);
	expect_ok(c);
	notify(c, tpid, 2);
	ck_assert_int_eq(kc_receive_many(&K, t, &in, env, &n), 0);
	ck_assert_uint_eq(n, 0);
	in.a[0] = take(t).a[3];
	ck_assert_uint_eq(in.a[0], XOUS_GLOBAL_NOTIFICATIONS);
}
END_TEST

static int async_send(kc_thread t, kc_word dst, kc_word opcode, const char *s)
{
	kc_regs in = {{XOUS_SYS_ASYNC_SEND, dst, opcode}};

	return kc_async_send(&K, t, &in, s, s ? strlen(s) : 0, NULL);
}

/* t pulls from src into buf (cap bytes): the result. */
static kc_regs async_recv(kc_thread t, kc_word src, char *buf, kc_word cap)
{
	kc_regs in = {{XOUS_SYS_ASYNC_RECV, src, 0, cap}}, out;

	memset(&out, 0xee, sizeof(out));
	ck_assert_int_eq(kc_async_recv(&K, t, &in, buf, &out, NULL), 0);
	no_result(t);
	return out;
}

START_TEST(async_messages_queue_per_sender_and_are_pulled_in_order)
{
	uint32_t bpid, apid, cpid;
	kc_thread b = new_proc(&bpid), a = new_proc(&apid), c = new_proc(&cpid);
	static char buf[XOUS_ASYNC_MAX];
	kc_regs r;

	notify_server_on(b, 1);
	ck_assert_int_eq(async_send(a, bpid, 10, "first"), 0);
	expect_ok(a);
	ck_assert_int_eq(async_send(c, bpid, 30, "from c"), 0);
	expect_ok(c);
	ck_assert_int_eq(async_send(a, bpid, 20, "second!"), 0);
	expect_ok(a);
	ck_assert_uint_eq(kc_async_count(&K, apid), 2);
	ck_assert_uint_eq(kc_async_count(&K, 0), 3);
	r = recv(b, 1); /* one NOTIFY_ASYNC for all three */
	expect_notification(&r, XOUS_NOTIFY_ASYNC);
	nothing_for(b, 1);
	/* too little room: an error, and the message stays */
	r = async_recv(b, cpid, buf, 5);
	ck_assert_uint_eq(r.a[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(r.a[1], XOUS_ERR_NO_SPACE);
	r = async_recv(b, cpid, buf, sizeof(buf));
	ck_assert_uint_eq(r.a[0], XOUS_RESULT_SCALAR2);
	ck_assert_uint_eq(r.a[1], 30);
	ck_assert_uint_eq(r.a[2], 6);
	ck_assert_mem_eq(buf, "from c", 6);
	r = async_recv(b, apid, buf, sizeof(buf));
	ck_assert_uint_eq(r.a[1], 10);
	ck_assert_mem_eq(buf, "first", r.a[2]);
	r = async_recv(b, apid, buf, sizeof(buf));
	ck_assert_uint_eq(r.a[1], 20);
	ck_assert_mem_eq(buf, "second!", r.a[2]);
	r = async_recv(b, apid, buf, sizeof(buf));
	ck_assert_uint_eq(r.a[0], XOUS_RESULT_ERROR);
	ck_assert_uint_eq(r.a[1], XOUS_ERR_NOT_FOUND);
	/* only the receiver pulls what was sent to it */
	ck_assert_int_eq(async_send(a, bpid, 40, NULL), 0);
	expect_ok(a);
	r = async_recv(c, apid, buf, sizeof(buf));
	ck_assert_uint_eq(r.a[1], XOUS_ERR_NOT_FOUND);
	r = async_recv(b, apid, buf, 0);
	ck_assert_uint_eq(r.a[0], XOUS_RESULT_SCALAR2);
	ck_assert_uint_eq(r.a[2], 0);
	ck_assert_uint_eq(kc_async_count(&K, 0), 0);
}
END_TEST

/* A platform's copy (kc_copy_fn) that counts what it moves. */
static unsigned copies;
static size_t copied;

static void counting_copy(void *dst, const void *src, size_t len)
{
	copies++;
	copied += len;
	memcpy(dst, src, len);
}

START_TEST(async_bytes_move_once_through_the_platforms_copy)
{
	uint32_t bpid, apid;
	kc_thread b = new_proc(&bpid), a = new_proc(&apid);
	kc_regs in = {{XOUS_SYS_ASYNC_SEND, bpid, 5}}, pull = {{XOUS_SYS_ASYNC_RECV, apid, 0, 2}};
	kc_regs out;
	char buf[8] = {0};

	copies = 0;
	copied = 0;
	ck_assert_int_eq(kc_async_send(&K, a, &in, "hello", 5, counting_copy), 0);
	expect_ok(a);
	ck_assert_uint_eq(copies, 1);
	ck_assert_uint_eq(copied, 5);
	/* a refusal copies nothing */
	in.a[1] = 1;
	ck_assert_int_eq(kc_async_send(&K, a, &in, "hello", 5, counting_copy), 0);
	expect_err(a, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(kc_async_recv(&K, b, &pull, buf, &out, counting_copy), 0);
	ck_assert_uint_eq(out.a[1], XOUS_ERR_NO_SPACE);
	ck_assert_uint_eq(copies, 1);
	/* the pull: once, straight into the caller's buffer */
	pull.a[3] = sizeof(buf);
	ck_assert_int_eq(kc_async_recv(&K, b, &pull, buf, &out, counting_copy), 0);
	ck_assert_uint_eq(out.a[0], XOUS_RESULT_SCALAR2);
	ck_assert_uint_eq(out.a[2], 5);
	ck_assert_str_eq(buf, "hello");
	ck_assert_uint_eq(copies, 2);
	ck_assert_uint_eq(copied, 10);
	/* no bytes: no copy */
	in.a[1] = bpid;
	ck_assert_int_eq(kc_async_send(&K, a, &in, NULL, 0, counting_copy), 0);
	expect_ok(a);
	ck_assert_int_eq(kc_async_recv(&K, b, &pull, buf, &out, counting_copy), 0);
	ck_assert_uint_eq(out.a[2], 0);
	ck_assert_uint_eq(copies, 2);
}
END_TEST

START_TEST(async_send_checks_its_arguments_and_quota)
{
	uint32_t bpid, apid;
	kc_thread b = new_proc(&bpid), a = new_proc(&apid);
	static char big[XOUS_ASYNC_MAX + 2];
	kc_regs in = {{XOUS_SYS_ASYNC_SEND, 0, 1}};
	int i;

	memset(big, 'x', sizeof(big) - 1);
	ck_assert_int_eq(async_send(a, bpid, 1, big), 0);
	expect_err(a, XOUS_ERR_INVALID_ARGUMENT);
	big[XOUS_ASYNC_MAX] = 0;
	ck_assert_int_eq(async_send(a, bpid, 1, big), 0); /* exactly the most */
	expect_ok(a);
	ck_assert_int_eq(async_send(a, 1, 1, "k"), 0);
	expect_err(a, XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_int_eq(async_send(a, KC_MAX_PROCS + 1, 1, "k"), 0);
	expect_err(a, XOUS_ERR_PROCESS_NOT_FOUND);
	in.a[1] = bpid;
	ck_assert_int_eq(kc_async_send(&K, a, &in, NULL, 3, NULL), 0);
	expect_err(a, XOUS_ERR_INVALID_ARGUMENT);
	for (i = 1; i < KC_MAX_ASYNC_PER_PROC; i++) {
		ck_assert_int_eq(async_send(a, bpid, 1, "q"), 0);
		expect_ok(a);
	}
	ck_assert_int_eq(async_send(a, bpid, 1, "q"), 0);
	expect_err(a, XOUS_ERR_SERVER_QUEUE_FULL);
	ck_assert_int_eq(async_send(b, apid, 1, "other"), 0); /* the quota is per sender */
	expect_ok(b);
	/* a pull gives the quota back */
	ck_assert_uint_eq(async_recv(b, apid, big, sizeof(big)).a[0], XOUS_RESULT_SCALAR2);
	ck_assert_int_eq(async_send(a, bpid, 1, "q"), 0);
	expect_ok(a);
	/* a blocked thread, or another syscall, is a protocol violation */
	in.a[0] = XOUS_SYS_NOTIFY;
	ck_assert_int_eq(kc_async_send(&K, a, &in, "q", 1, NULL), -1);
	ck_assert_int_eq(kc_async_recv(&K, a, &in, big, &in, NULL), -1);
	/* without the platform's bytes kcore answers them unhandled */
	ck_assert_int_eq(SYS(a, XOUS_SYS_ASYNC_SEND, bpid, 1, 0, 0), 0);
	expect_err(a, XOUS_ERR_UNHANDLED_SYSCALL);
	ck_assert_int_eq(SYS(a, XOUS_SYS_ASYNC_RECV, bpid, 0, 0), 0);
	expect_err(a, XOUS_ERR_UNHANDLED_SYSCALL);
}
END_TEST

START_TEST(async_table_is_shared_and_bounded)
{
	uint32_t bpid;
	kc_thread b = new_proc(&bpid);
	int i, sent = 0;

	for (i = 0; sent < KC_MAX_ASYNC; i++) {
		kc_thread s = new_proc(NULL);
		int j;

		for (j = 0; j < KC_MAX_ASYNC_PER_PROC && sent < KC_MAX_ASYNC; j++, sent++) {
			ck_assert_int_eq(async_send(s, bpid, 1, "t"), 0);
			expect_ok(s);
		}
		if (sent == KC_MAX_ASYNC) {
			ck_assert_int_eq(async_send(b, bpid, 1, "full"), 0);
			expect_err(b, XOUS_ERR_SERVER_QUEUE_FULL);
		}
	}
	/* the receiver's end frees them all */
	kc_process_exit(&K, bpid);
	ck_assert_uint_eq(kc_async_count(&K, 0), 0);
}
END_TEST

START_TEST(async_messages_outlive_their_sender)
{
	uint32_t bpid, apid;
	kc_thread b = new_proc(&bpid), a = new_proc(&apid);
	char buf[16];
	kc_regs r;

	ck_assert_int_eq(async_send(a, bpid, 5, "bye"), 0);
	expect_ok(a);
	kc_process_exit(&K, apid);
	a = new_proc(&apid); /* the same pid, a new process with its whole quota */
	r = async_recv(b, apid, buf, sizeof(buf));
	ck_assert_uint_eq(r.a[1], 5);
	ck_assert_mem_eq(buf, "bye", 3);
	ck_assert_uint_eq(kc_async_count(&K, 0), 0);
	for (int i = 0; i < KC_MAX_ASYNC_PER_PROC; i++) {
		ck_assert_int_eq(async_send(a, bpid, 1, "new"), 0);
		expect_ok(a);
	}
}
END_TEST

START_TEST(invalid_lend_reaches_a_waiting_receiver)
{
	uint32_t cpid;
	kc_thread s = new_proc(NULL), c = new_proc(&cpid), c2 = new_thread(cpid, false);
	kc_word cid;
	kc_regs r;

	mkserver(s, 1);
	cid = conn(c, 1);
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	F.fail_delivers = 1;
	F.fail_err = XOUS_ERR_OUT_OF_MEMORY;
	ck_assert_int_eq(
	        lend(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_MUTABLE_BORROW, PAGE, PAGE, 0, 0), 0);
	expect_err(c, XOUS_ERR_BAD_ADDRESS);
	ck_assert_int_eq(F.ndone, 1);
	r = take(s);
	ck_assert_uint_eq(r.a[3], XOUS_GLOBAL_INVALID);
	ck_assert_uint_eq(r.a[4], 9);
	ck_assert_uint_eq(r.a[5], cpid);
	/* a receiver that is gone is not an invalid message */
	ck_assert_int_eq(SYS(s, XOUS_SYS_RECEIVE_MESSAGE, SID(1)), 0);
	F.fail_delivers = 1;
	F.fail_err = XOUS_ERR_SERVER_NOT_FOUND;
	ck_assert_int_eq(lend(c2, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, PAGE, PAGE, 0, 0),
	                 0);
	expect_err(c2, XOUS_ERR_SERVER_NOT_FOUND);
	no_result(s);
	/* a full queue drops the notice: the server owes nobody an answer */
	for (int i = 0; i < KC_QUEUE_DEPTH; i++) {
		ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
		expect_ok(c);
	}
	ck_assert_int_eq(take(s).a[3], 1); /* the waiting receiver took one */
	ck_assert_int_eq(scalar(c, cid, XOUS_KIND_SCALAR, 1, 0), 0);
	expect_ok(c);
	ck_assert_int_eq(SYS(c, XOUS_SYS_SEND_MESSAGE, cid, XOUS_KIND_BORROW, 1, PAGE, PAGE), 0);
	expect_err(c, XOUS_ERR_BAD_ADDRESS);
	ck_assert_uint_eq(counts().msgs, KC_QUEUE_DEPTH);
}
END_TEST

/* clang-format off */
#define T(s, f) {#s, f}
static void add_tests(TCase *tc, const char *name)
{
	const struct tc_def tests[] = {
	T(procs, init_makes_kernel_pid1_only),
	T(global, notify_bits_merge_and_arrive_once),
	T(global, notification_goes_ahead_of_the_queue_and_wakes_a_receiver),
	T(global, bits_wait_for_a_notify_server),
	T(global, bits_outlive_their_notify_server_and_end_with_the_task),
	T(global, receive_many_takes_the_notification_first),
	T(global, async_messages_queue_per_sender_and_are_pulled_in_order),
	T(global, async_bytes_move_once_through_the_platforms_copy),
	T(global, async_send_checks_its_arguments_and_quota),
	T(global, async_table_is_shared_and_bounded),
	T(global, async_messages_outlive_their_sender),
	T(global, invalid_lend_reaches_a_waiting_receiver),
	T(procs, pids_are_lowest_free_from_2),
	T(procs, process_table_full_is_out_of_memory),
	T(procs, exit_of_kernel_or_unknown_pid_is_ignored),
	T(procs, ids_of_calling_thread),
	T(procs, yield_is_ok_platform_calls_unhandled_unknown_invalid),
	T(procs, syscall_from_bad_or_blocked_thread_is_refused),
	T(procs, memory_given_to_a_non_send_call_is_released),
	T(threads, tids_are_lowest_free_from_1),
	T(threads, thread_create_in_missing_process_fails),
	T(threads, join_of_ended_thread_returns_its_word),
	T(threads, join_waits_until_thread_ends),
	T(threads, join_errors_are_invalid_thread),
	T(threads, thread_exit_twice_or_of_bad_handle_is_ignored),
	T(threads, zombie_and_joiner_go_with_their_process),
	T(servers, create_with_address_connects_creator),
	T(servers, create_existing_sid_is_server_exists),
	T(servers, create_server_random_ids_differ),
	T(servers, create_server_id_makes_no_server),
	T(servers, random_source_stuck_on_taken_ids_is_internal_error),
	T(servers, a_role_id_is_created_only_by_its_holders),
	T(servers, role_definitions_and_grants_check_their_arguments),
	T(servers, random_ids_are_never_a_role),
	T(servers, destroy_server_ownership_and_missing),
	T(servers, receive_ownership_and_missing),
	T(servers, destroy_wakes_receivers_with_server_not_found),
	T(connect, connect_twice_gives_same_cid),
	T(connect, try_connect_missing_is_server_not_found),
	T(connect, connect_waits_and_create_wakes_every_waiter),
	T(connect, connect_waiter_with_full_cid_table_gets_out_of_memory),
	T(connect, disconnect_frees_cid_and_bad_cids_fail),
	T(connect, cid_is_per_process_and_unknown_cids_fail),
	T(connect, stale_cid_after_server_death_until_disconnect),
	T(connect, connect_for_process_only_by_name_server_owner),
	T(connect, connect_for_process_follows_the_name_server_role),
	T(connect, server_owner_only_by_name_server_owner),
	T(messages, scalar_is_queued_then_received_with_envelope),
	T(messages, receive_blocks_until_a_message_arrives),
	T(messages, receivers_are_served_in_order),
	T(messages, try_receive_on_empty_queue_is_none),
	T(messages, send_with_invalid_kind_is_invalid_argument),
	T(messages, blocking_scalar_waits_for_each_answer_kind),
	T(messages, blocking_scalar_dropped_answer_is_unavailable),
	T(messages, messages_from_one_thread_arrive_in_order),
	T(answers, double_answer_is_double_free),
	T(answers, answer_to_scalar_or_move_is_double_free),
	T(answers, forged_tokens_are_invalid_argument),
	T(answers, answer_by_another_process_is_access_denied),
	T(answers, any_thread_of_the_server_process_may_answer),
	T(answers, scalar_answer_to_memory_message_is_invalid_and_keeps_it),
	T(answers, reply_and_receive_next_without_answer_receives),
	T(answers, reply_and_receive_next_answers_memory_then_receives),
	T(answers, reply_and_receive_next_scalar_flags_answer_scalar2_or_scalar1),
	T(answers, reply_and_receive_next_bad_answer_does_not_receive),
	T(queues, full_queue_makes_send_wait_and_try_send_fail),
	T(queues, send_waiters_are_woken_in_order),
	T(queues, caller_exit_making_room_wakes_send_waiter),
	T(memory, borrow_lends_until_answered),
	T(memory, mutable_borrow_delivered_directly_to_waiting_receiver),
	T(memory, move_returns_once_queued_and_is_the_servers_when_delivered),
	T(memory, lend_arguments_are_checked_and_memory_given_back),
	T(memory, scalar_with_memory_releases_it_and_sends),
	T(memory, lent_bytes_limit_is_out_of_memory),
	T(memory, deliver_failure_fails_the_message_and_receiver_keeps_waiting),
	T(death, server_process_exit_fails_every_caller),
	T(death, destroy_server_fails_held_and_queued_and_later_answer_is_double_free),
	T(death, caller_exit_orphans_held_keeps_queued_scalars_drops_the_rest),
	T(death, orphan_of_reused_pid_does_not_touch_new_process),
	T(death, caller_thread_exit_orphans_held_with_process_alive),
	T(death, caller_thread_exit_drops_queued_and_send_waiting),
	T(death, receiver_thread_exit_leaves_the_fifo),
	T(death, exit_while_sending_to_own_server),
	T(death, send_waiter_fails_when_exit_of_server_frees_queue_room),
	T(death, mixed_traffic_then_every_death_returns_to_baseline),
	T(limits, server_table_full_is_out_of_memory),
	T(limits, cid_table_full_is_out_of_memory),
	T(limits, connect_for_process_into_full_cid_table_is_out_of_memory),
	T(limits, thread_limits_are_thread_not_available),
	T(limits, message_pool_empty_is_out_of_memory),
	T(limits, queue_depth_limit_counts_per_server),
	T(tasks, create_process_and_the_task_calls_are_the_task_servers_alone),
	T(tasks, exit_notices_carry_pid_and_status_from_pid_1),
	T(tasks, notices_wait_for_queue_room_and_none_is_lost),
	T(tasks, a_status_given_later_keeps_the_pid_until_then),
	T(tasks, launched_pids_are_kept_and_reserved_pids_held_until_released),
	T(tasks, a_full_table_refuses_and_the_notify_servers_end_frees_every_hold),
	T(tasks, a_new_task_server_registers_again_and_hears_later_deaths),
	T(tasks, command_lines_split_on_spaces_and_bad_ones_are_refused),
	T(tasks, set_pager_by_the_task_its_pager_or_the_task_server),
	T(tasks, an_exception_reaches_the_pager_or_else_the_default),
	T(tasks, a_page_fault_is_a_mutable_borrow_of_the_faulting_thread),
	T(tasks, an_abi_hook_call_lends_the_frame_page_from_the_calling_thread),
	T(tasks, only_the_fault_thread_sends_a_page_fault_and_only_to_its_pager),
	T(answers, return_memory_with_an_error_refuses_the_message),
	T(phys, fresh_run_maps_for_its_grantee_only_and_as_granted),
	T(phys, only_the_manager_grants_and_only_what_was_handed_out),
	T(phys, runs_end_with_their_last_right_by_release_or_exit),
	T(phys, rights_per_process_are_bounded_and_a_dead_caller_gets_none),
	T(phys, devices_only_for_the_named),
#if KC_MAX_SERVERS_PER_PROC < KC_MAX_SERVERS
	T(quotas, server_quota_is_out_of_memory_and_others_still_create),
	T(quotas, message_quota_refuses_the_hog_only),
	T(quotas, memory_message_quota_and_delivery_gives_it_back),
	T(quotas, children_quota_is_per_parent_and_follows_their_lives),
	T(quotas, hog_that_takes_every_quota_leaves_nothing_behind),
#if KC_SEND_AHEAD > 0
	T(quotas, send_ahead_slots_count_against_the_message_quota),
#endif
#endif
	T(messages, send_ahead_without_slot_is_a_quiet_try_send),
	T(messages, receive_many_takes_what_is_queued_up_to_its_limit),
	T(messages, receive_many_waits_like_receive_and_gets_one),
	T(messages, receive_many_batches_scalars_only),
	T(ahead, receive_many_takes_what_is_queued_up_to_its_limit),
	T(ahead, receive_many_waits_like_receive_and_gets_one),
	T(ahead, receive_many_batches_scalars_only),
	T(messages, send_ahead_refuses_other_calls_and_blocked_threads),
#if KC_SEND_AHEAD > 0
	T(ahead, send_ahead_without_slot_is_a_quiet_try_send),
	T(ahead, send_ahead_refuses_other_calls_and_blocked_threads),
	T(ahead, slots_fill_a_queue_exactly_to_its_depth_in_order),
	T(ahead, first_grant_is_capped_and_half_the_room),
	T(ahead, held_slots_take_room_until_the_thread_ends),
	T(ahead, waited_for_scalar_gives_slots_back),
	T(ahead, send_ahead_reaches_a_waiting_receiver),
	T(ahead, server_death_withdraws_slots_before_anyone_hears),
	T(ahead, disconnect_withdraws_slots_of_every_thread_on_the_cid),
	T(ahead, slot_sends_pass_send_waiters),
	T(ahead, slots_given_back_let_send_waiters_in),
#endif
};
	size_t i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (strcmp(tests[i].suite, name) == 0)
			tcase_add_test(tc, tests[i].test);
}
/* clang-format on */

static Suite *make_suite(const char *name)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	add_tests(tc, name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	static const char *suites[] = {"procs",   "threads", "servers", "connect", "messages",
	                               "answers", "queues",  "memory",  "death",   "limits",
	                               "ahead",   "quotas",  "tasks",   "phys",    "global"};
	SRunner *sr = srunner_create(make_suite(suites[0]));
	int failed, run;
	size_t i;

	for (i = 1; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, make_suite(suites[i]));
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	run = srunner_ntests_run(sr);
	srunner_free(sr);
	if (run == 0)
		return EXIT_FAILURE; /* CK_RUN_SUITE named no suite: nothing was checked */
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
