/* servers.task.*: the task server's dispatch over a fake kernel. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <resea/global.h>

#include "recorder.h"
#include "task.h"

#define CLIENT  5
#define OTHER   6
#define KERNEL  1
#define FIRST   20 /* the fake kernel's first new pid */
#define NOTICES 16

static struct task_srv st;

static struct {
	uint32_t next;     /* the next pid the kernel gives */
	uint32_t alive[8]; /* pids alive that the server did not launch */
	uint32_t released[64];
	size_t nreleased;
	xous_err_t create_err, notify_err;
	char last_line[XOUS_CMDLINE_MAX + 1];
	struct {
		xous_sid_t sid;
		uint32_t opcode, task, status;
		uintptr_t type, address;
	} told[NOTICES];
	uint32_t pager_task; /* the last SetPager */
	xous_sid_t pager;
	size_t nreported;
	size_t ntold;
	uint64_t now;
} K;

static xous_err_t f_create(void *ctx, const char *cmdline, uint32_t *task)
{
	(void)ctx;
	snprintf(K.last_line, sizeof(K.last_line), "%s", cmdline);
	if (K.create_err)
		return K.create_err;
	*task = K.next++;
	return XOUS_OK;
}

static xous_err_t f_reserve(void *ctx, uint32_t *task)
{
	(void)ctx;
	*task = K.next++;
	return XOUS_OK;
}

static xous_err_t f_release(void *ctx, uint32_t task)
{
	(void)ctx;
	ck_assert_uint_lt(K.nreleased, 64);
	K.released[K.nreleased++] = task;
	return XOUS_OK;
}

static bool f_alive(void *ctx, uint32_t task)
{
	(void)ctx;
	for (size_t i = 0; i < 8; i++)
		if (K.alive[i] == task && task)
			return true;
	return false;
}

static xous_err_t f_notify(void *ctx, const xous_sid_t *sid, uint32_t opcode, uint32_t task,
                           uint32_t status, uintptr_t type, uintptr_t address)
{
	(void)ctx;
	if (K.notify_err)
		return K.notify_err;
	ck_assert_uint_lt(K.ntold, NOTICES);
	K.told[K.ntold].sid = *sid;
	K.told[K.ntold].opcode = opcode;
	K.told[K.ntold].task = task;
	K.told[K.ntold].status = status;
	K.told[K.ntold].type = type;
	K.told[K.ntold].address = address;
	K.ntold++;
	return XOUS_OK;
}

static xous_err_t f_set_pager(void *ctx, uint32_t task, const xous_sid_t *sid)
{
	(void)ctx;
	K.pager_task = task;
	K.pager = *sid;
	return XOUS_OK;
}

static void f_report(void *ctx, uint32_t task, uintptr_t type, uintptr_t address, uintptr_t ip)
{
	(void)ctx, (void)task, (void)type, (void)address, (void)ip;
	K.nreported++;
}

static uint64_t f_now(void *ctx)
{
	(void)ctx;
	return K.now;
}

static void setup(void)
{
	static const struct task_ops ops = {NULL,     f_create, f_reserve,   f_release, f_alive,
	                                    f_notify, f_now,    f_set_pager, f_report};

	rec_reset();
	memset(&K, 0, sizeof(K));
	K.next = FIRST;
	K.now = 1000;
	task_init(&st, &ops);
}

static const struct rec_answer *lend(xous_pid_t pid, uint32_t op, const void *data, size_t n)
{
	xous_envelope_t e = rec_memory(XOUS_BORROW, pid, 1, op, NULL, data, n);

	rec_dispatched(&e, task_dispatch(&st, &e));
	ck_assert_uint_eq(rec_last()->kind, REC_MEMORY);
	return rec_last();
}

/* task_launch: the error, and the task in *task. */
static xous_err_t launch(xous_pid_t pid, const char *line, uint32_t *task)
{
	const struct rec_answer *a = lend(pid, TASK_OP_LAUNCH, line, strlen(line));

	if (task)
		*task = (uint32_t)a->v2;
	return (xous_err_t)a->v1;
}

static xous_sid_t sid_of(uint32_t n)
{
	xous_sid_t s = {{n, 0x5e5e, 0x7a7a, 0x1234}};
	return s;
}

static xous_err_t watch(xous_pid_t pid, uint32_t task, uint32_t n, uint32_t opcode)
{
	struct task_watch_req req = {.task = task, .opcode = opcode};
	xous_sid_t s = sid_of(n);

	memcpy(req.notify, s.w, sizeof(req.notify));
	return (xous_err_t)lend(pid, TASK_OP_WATCH, &req, sizeof(req))->v1;
}

static const struct rec_answer *ask(xous_pid_t pid, uint32_t op, uintptr_t a1)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, pid, 1, op, a1, 0, 0);

	rec_dispatched(&e, task_dispatch(&st, &e));
	return rec_last();
}

static xous_err_t ask1(xous_pid_t pid, uint32_t op, uintptr_t a1)
{
	const struct rec_answer *a = ask(pid, op, a1);

	ck_assert_uint_eq(a->kind, REC_SCALAR1);
	return (xous_err_t)a->v1;
}

/* The kernel's exit notice (a Scalar from pid 1, or a forgery from pid). */
static void notice_from(xous_pid_t pid, uint32_t task, uint32_t status)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, pid, 2, TASK_OP_EXITED, task, status, 0);

	ck_assert_int_eq(task_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
}

static bool released(uint32_t task)
{
	for (size_t i = 0; i < K.nreleased; i++)
		if (K.released[i] == task)
			return true;
	return false;
}

START_TEST(launch_passes_the_command_line_and_answers_the_task)
{
	uint32_t task;

	ck_assert_uint_eq(launch(CLIENT, "helper 42 x", &task), XOUS_OK);
	ck_assert_uint_eq(task, FIRST);
	ck_assert_str_eq(K.last_line, "helper 42 x");
	K.create_err = XOUS_ERR_NOT_FOUND;
	ck_assert_uint_eq(launch(CLIENT, "nothing", &task), XOUS_ERR_NOT_FOUND);
	K.create_err = XOUS_ERR_OUT_OF_MEMORY; /* the process table is full */
	ck_assert_uint_eq(launch(CLIENT, "helper", &task), XOUS_ERR_OUT_OF_MEMORY);
}
END_TEST

START_TEST(bad_command_lines_are_invalid_argument)
{
	char big[XOUS_CMDLINE_MAX + 1];
	uint32_t task;

	ck_assert_uint_eq(lend(CLIENT, TASK_OP_LAUNCH, "", 0)->v1, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(lend(CLIENT, TASK_OP_LAUNCH, "a\0b", 3)->v1, XOUS_ERR_INVALID_ARGUMENT);
	memset(big, 'a', sizeof(big));
	ck_assert_uint_eq(lend(CLIENT, TASK_OP_LAUNCH, big, sizeof(big))->v1,
	                  XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(lend(CLIENT, 9, "x", 1)->v1, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(launch(CLIENT, "ok", &task), XOUS_OK);
}
END_TEST

START_TEST(a_watched_task_that_ends_is_reported_with_its_status)
{
	uint32_t task;

	ck_assert_uint_eq(launch(CLIENT, "helper 7", &task), XOUS_OK);
	ck_assert_uint_eq(watch(CLIENT, task, 11, 0x77), XOUS_OK);
	ck_assert_uint_eq(watch(OTHER, task, 12, 0x78), XOUS_OK);
	notice_from(OTHER, task, 1); /* a forgery: ignored */
	ck_assert_uint_eq(K.ntold, 0);
	notice_from(KERNEL, task, 7);
	ck_assert_uint_eq(K.ntold, 2);
	ck_assert_uint_eq(K.told[0].sid.w[0], 11);
	ck_assert_uint_eq(K.told[0].opcode, 0x77);
	ck_assert_uint_eq(K.told[0].task, task);
	ck_assert_uint_eq(K.told[0].status, 7);
	ck_assert_uint_eq(K.told[1].sid.w[0], 12);
	ck_assert(released(task)); /* a watcher was told: the id goes back */
	ck_assert_uint_eq(watch(CLIENT, task, 11, 1), XOUS_ERR_NOT_FOUND);
}
END_TEST

START_TEST(a_task_gone_before_the_watch_is_reported_at_once_for_60_s)
{
	uint32_t a, b;

	ck_assert_uint_eq(launch(CLIENT, "helper 3", &a), XOUS_OK);
	ck_assert_uint_eq(launch(CLIENT, "helper 4", &b), XOUS_OK);
	notice_from(KERNEL, a, XOUS_STATUS_SIGNALED + 11);
	notice_from(KERNEL, b, 4);
	ck_assert(!released(a) && !released(b)); /* kept: nobody was told */
	K.now += TASK_KEEP_MS - 1;
	ck_assert_uint_eq(watch(OTHER, a, 9, 5), XOUS_OK);
	ck_assert_uint_eq(K.ntold, 1);
	ck_assert_uint_eq(K.told[0].task, a);
	ck_assert_uint_eq(K.told[0].status, XOUS_STATUS_SIGNALED + 11);
	ck_assert_uint_eq(K.told[0].opcode, 5);
	ck_assert(released(a) && !released(b));
	K.now += 1;
	ck_assert_uint_eq(watch(OTHER, b, 9, 5), XOUS_ERR_NOT_FOUND); /* 60 s passed */
	ck_assert(released(b));
}
END_TEST

START_TEST(a_watch_whose_server_is_gone_keeps_the_status)
{
	uint32_t a;

	ck_assert_uint_eq(launch(CLIENT, "helper", &a), XOUS_OK);
	notice_from(KERNEL, a, 2);
	K.notify_err = XOUS_ERR_SERVER_NOT_FOUND;
	ck_assert_uint_eq(watch(OTHER, a, 9, 5), XOUS_ERR_SERVER_NOT_FOUND);
	ck_assert(!released(a));
	K.notify_err = XOUS_OK;
	ck_assert_uint_eq(watch(OTHER, a, 9, 5), XOUS_OK);
	ck_assert_uint_eq(K.told[0].status, 2);
}
END_TEST

START_TEST(tasks_the_server_did_not_launch_are_watched_while_alive)
{
	K.alive[0] = 40;
	ck_assert_uint_eq(watch(CLIENT, 40, 3, 1), XOUS_OK);
	ck_assert_uint_eq(watch(CLIENT, 41, 3, 1), XOUS_ERR_NOT_FOUND); /* unknown */
	ck_assert_uint_eq(watch(CLIENT, 0, 3, 1), XOUS_ERR_NOT_FOUND);
	notice_from(KERNEL, 40, 0);
	ck_assert_uint_eq(K.ntold, 1);
	ck_assert_uint_eq(K.told[0].task, 40);
	ck_assert_uint_eq(K.told[0].status, 0);
}
END_TEST

START_TEST(unwatch_removes_only_the_callers_watch)
{
	uint32_t a;

	ck_assert_uint_eq(launch(CLIENT, "helper", &a), XOUS_OK);
	ck_assert_uint_eq(watch(CLIENT, a, 1, 1), XOUS_OK);
	ck_assert_uint_eq(watch(OTHER, a, 2, 2), XOUS_OK);
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_UNWATCH, a), XOUS_OK);
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_UNWATCH, a), XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_UNWATCH, 999), XOUS_ERR_NOT_FOUND);
	notice_from(KERNEL, a, 1);
	ck_assert_uint_eq(K.ntold, 1);
	ck_assert_uint_eq(K.told[0].sid.w[0], 2);
}
END_TEST

START_TEST(alloc_reserves_and_free_releases_with_clear_errors)
{
	const struct rec_answer *r = ask(CLIENT, TASK_OP_ALLOC, CLIENT);
	uint32_t t, launched;

	ck_assert_uint_eq(r->kind, REC_SCALAR2);
	ck_assert_uint_eq(r->v1, XOUS_OK);
	t = (uint32_t)r->v2;
	ck_assert_uint_eq(t, FIRST);
	ck_assert_uint_eq(ask1(OTHER, TASK_OP_FREE, t), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_FREE, t), XOUS_OK);
	ck_assert(released(t));
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_FREE, t), XOUS_ERR_NOT_FOUND); /* not reserved */
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_FREE, 77), XOUS_ERR_NOT_FOUND);
	K.alive[0] = 30;
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_FREE, 30), XOUS_ERR_INVALID_ARGUMENT); /* in use */
	ck_assert_uint_eq(launch(CLIENT, "helper", &launched), XOUS_OK);
	ck_assert_uint_eq(ask1(CLIENT, TASK_OP_FREE, launched), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(watch(CLIENT, t, 1, 1), XOUS_ERR_NOT_FOUND);
}
END_TEST

/* One client cannot take the tables from the others. */
START_TEST(per_client_limits_leave_room_for_others)
{
	uint32_t task;
	size_t i;

	for (i = 0; i < TASK_MAX_PER_CLIENT; i++)
		ck_assert_uint_eq(ask(CLIENT, TASK_OP_ALLOC, 0)->v1, XOUS_OK);
	ck_assert_uint_eq(ask(CLIENT, TASK_OP_ALLOC, 0)->v1, XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(ask(OTHER, TASK_OP_ALLOC, 0)->v1, XOUS_OK);
	for (i = 0; i < TASK_MAX_PER_CLIENT; i++)
		ck_assert_uint_eq(launch(CLIENT, "h", &task), XOUS_OK);
	ck_assert_uint_eq(launch(CLIENT, "h", &task), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(launch(OTHER, "h", &task), XOUS_OK);
	for (i = 0; i < TASK_MAX_PER_CLIENT; i++) /* its own launched tasks */
		ck_assert_uint_eq(
		        watch(CLIENT, FIRST + TASK_MAX_PER_CLIENT + 1 + (uint32_t)i, 1, 1),
		        XOUS_OK);
	ck_assert_uint_eq(watch(CLIENT, task, 1, 1), XOUS_ERR_OUT_OF_MEMORY);
	ck_assert_uint_eq(watch(CLIENT, FIRST + TASK_MAX_PER_CLIENT + 1, 2, 2),
	                  XOUS_OK); /* again */
	ck_assert_uint_eq(watch(OTHER, task, 1, 1), XOUS_OK);
}
END_TEST

/* Statuses not yet told count against the client that launched them,
 * until told or 60 s old: ended tasks cannot fill the table either. */
START_TEST(ended_tasks_count_until_told_or_expired)
{
	uint32_t task, first = 0;
	size_t i;

	for (i = 0; i < TASK_MAX_PER_CLIENT; i++) {
		ck_assert_uint_eq(launch(CLIENT, "h", &task), XOUS_OK);
		if (i == 0)
			first = task;
	}
	notice_from(KERNEL, first, 0);
	ck_assert_uint_eq(launch(CLIENT, "h", &task), XOUS_ERR_OUT_OF_MEMORY);
	K.now += TASK_KEEP_MS;
	ck_assert_uint_eq(launch(CLIENT, "h", &task), XOUS_OK);
	ck_assert(released(first));
}
END_TEST

/* A client that ends takes its watches and reservations with it. */
START_TEST(a_clients_end_frees_its_watches_and_reservations)
{
	uint32_t task, r;

	ck_assert_uint_eq(launch(OTHER, "h", &task), XOUS_OK);
	ck_assert_uint_eq(watch(CLIENT, task, 1, 1), XOUS_OK);
	r = (uint32_t)ask(CLIENT, TASK_OP_ALLOC, 0)->v2;
	notice_from(KERNEL, CLIENT, 0);
	ck_assert(released(r));
	notice_from(KERNEL, task, 0);
	ck_assert_uint_eq(K.ntold, 0);
	/* an id the kernel kept that the server does not know is given back */
	notice_from(KERNEL, 99, 3);
	ck_assert(released(99));
}
END_TEST

START_TEST(other_kinds_and_opcodes_get_no_answer_but_none)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, CLIENT, 1, 42, 0, 0, 0);

	rec_dispatched(&e, task_dispatch(&st, &e));
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
	e = rec_memory(XOUS_MOVE, CLIENT, 2, TASK_OP_LAUNCH, NULL, "x", 1);
	ck_assert_int_eq(task_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(lend(CLIENT, TASK_OP_WATCH, "short", 5)->v1, XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* The kernel's exception (a Scalar from pid, which only pid 1 may send). */
static void exception_from(xous_pid_t pid, uint32_t task, uintptr_t type, uintptr_t addr)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, pid, 3, GLOBAL_EXCEPTION, task, type, addr);

	ck_assert_int_eq(task_dispatch(&st, &e).kind, XOUS_ANSWER_NONE);
}

START_TEST(an_exception_reaches_the_exited_notification_of_its_task)
{
	uint32_t task, other;

	ck_assert_uint_eq(launch(CLIENT, "faulty", &task), XOUS_OK);
	ck_assert_uint_eq(launch(CLIENT, "fine", &other), XOUS_OK);
	ck_assert_uint_eq(watch(CLIENT, task, 1, 7), XOUS_OK);
	ck_assert_uint_eq(watch(CLIENT, other, 1, 7), XOUS_OK);
	exception_from(OTHER, task, 9, 0x99); /* a forgery: ignored */
	exception_from(KERNEL, task, XOUS_EXC_BAD_ACCESS, 0x40);
	ck_assert_uint_eq(K.nreported, 1);
	notice_from(KERNEL, task, XOUS_STATUS_SIGNALED + 11);
	notice_from(KERNEL, other, 0);
	ck_assert_uint_eq(K.ntold, 2);
	ck_assert_uint_eq(K.told[0].status, XOUS_STATUS_SIGNALED + 11);
	ck_assert_uint_eq(K.told[0].type, XOUS_EXC_BAD_ACCESS);
	ck_assert_uint_eq(K.told[0].address, 0x40);
	ck_assert_uint_eq(K.told[1].type, 0);
	ck_assert_uint_eq(K.told[1].address, 0);
}
END_TEST

START_TEST(a_page_fault_gets_a_zeroed_page_and_its_words_back)
{
	static const char junk[] = "not zero";
	xous_envelope_t e = rec_memory(XOUS_MUTABLE_BORROW, CLIENT, 4, GLOBAL_PAGE_FAULT, NULL,
	                               junk, sizeof(junk));
	const unsigned char *p = e.memory.buf.addr;

	e.memory.offset = 0x12345;
	e.memory.valid = 1;
	rec_dispatched(&e, task_dispatch(&st, &e));
	ck_assert_uint_eq(rec_last()->kind, REC_MEMORY);
	ck_assert_uint_eq(rec_last()->v1, 0x12345);
	ck_assert_uint_eq(rec_last()->v2, 1);
	for (size_t i = 0; i < e.memory.buf.len; i++)
		ck_assert_uint_eq(p[i], 0);
}
END_TEST

static xous_err_t set_pager(xous_pid_t pid, uint32_t task, uint32_t n)
{
	struct task_pager_req req = {.task = task};
	xous_sid_t s = sid_of(n);

	memcpy(req.pager, s.w, sizeof(req.pager));
	return (xous_err_t)lend(pid, TASK_OP_SET_PAGER, &req, sizeof(req))->v1;
}

START_TEST(set_pager_is_for_the_client_that_launched_the_task)
{
	uint32_t task;

	ck_assert_uint_eq(launch(CLIENT, "paged", &task), XOUS_OK);
	ck_assert_uint_eq(set_pager(OTHER, task, 3), XOUS_ERR_ACCESS_DENIED);
	ck_assert_uint_eq(K.pager_task, 0);
	ck_assert_uint_eq(set_pager(CLIENT, task, 3), XOUS_OK);
	ck_assert_uint_eq(K.pager_task, task);
	ck_assert_uint_eq(K.pager.w[0], 3);
	ck_assert_uint_eq(set_pager(CLIENT, 77, 3), XOUS_ERR_PROCESS_NOT_FOUND);
	ck_assert_uint_eq(lend(CLIENT, TASK_OP_SET_PAGER, "x", 1)->v1, XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.task");

	ADD(s, launch_passes_the_command_line_and_answers_the_task);
	ADD(s, bad_command_lines_are_invalid_argument);
	ADD(s, a_watched_task_that_ends_is_reported_with_its_status);
	ADD(s, a_task_gone_before_the_watch_is_reported_at_once_for_60_s);
	ADD(s, a_watch_whose_server_is_gone_keeps_the_status);
	ADD(s, tasks_the_server_did_not_launch_are_watched_while_alive);
	ADD(s, unwatch_removes_only_the_callers_watch);
	ADD(s, alloc_reserves_and_free_releases_with_clear_errors);
	ADD(s, per_client_limits_leave_room_for_others);
	ADD(s, ended_tasks_count_until_told_or_expired);
	ADD(s, a_clients_end_frees_its_watches_and_reservations);
	ADD(s, other_kinds_and_opcodes_get_no_answer_but_none);
	ADD(s, an_exception_reaches_the_exited_notification_of_its_task);
	ADD(s, a_page_fault_gets_a_zeroed_page_and_its_words_back);
	ADD(s, set_pager_is_for_the_client_that_launched_the_task);
	return rec_run(s);
}
