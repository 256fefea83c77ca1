/* servers.ticktimer.*: the ticktimer's dispatch, with time as an argument. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <resea/global.h>

#include "recorder.h"
#include "ticktimer.h"

#define SELF 2
static struct tt_state st;

static void setup(void)
{
	rec_reset();
	tt_init(&st, &rec_io, 1000, "xous-host test");
}

/* Dispatch e at time now: what it answers through the io table is recorded
 * first, then the answer it returns. */
static xous_answer_t serve(xous_envelope_t *e, uint64_t now)
{
	return rec_dispatched(e, tt_dispatch(&st, e, now));
}

/* A blocking scalar from pid (slot names the calling thread) at time now. */
static xous_sender_t bs(xous_pid_t pid, uint32_t slot, uint32_t op, uintptr_t a1, uintptr_t a2,
                        uint64_t now)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, pid, slot, op, a1, a2, 0);

	serve(&e, now);
	return e.sender;
}

START_TEST(elapsed_ms_answers_lo_and_hi_since_start)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, TT_OP_ELAPSED_MS, 0, 0, 0);
	xous_answer_t a = serve(&e, 1234);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], 234);
	ck_assert_uint_eq(a.v[1], 0);
	a = serve(&e, 1000 + 0x100000005ull);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], 5);
	ck_assert_uint_eq(a.v[1], 1);
	ck_assert_uint_eq(rec_n, 2);
	ck_assert_int_eq(rec_last()->returned, 1);
}
END_TEST

START_TEST(sleepers_wake_in_deadline_order)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, TT_OP_SLEEP_MS, 30, 0, 0);
	xous_sender_t a = e.sender;
	xous_sender_t b = bs(6, 1, TT_OP_SLEEP_MS, 10, 0, 1000);
	xous_sender_t c = bs(7, 1, TT_OP_SLEEP_MS, 20, 0, 1000);
	uint64_t next = 0;

	ck_assert_int_eq(serve(&e, 1000).kind, XOUS_ANSWER_DEFERRED);
	ck_assert_uint_eq(rec_n, 0);
	ck_assert_int_eq(tt_next_deadline(&st, &next), 1);
	ck_assert_uint_eq(next, 1010);
	tt_expire(&st, 1009);
	ck_assert_uint_eq(rec_n, 0);
	tt_expire(&st, 1100);
	ck_assert_uint_eq(rec_n, 3);
	ck_assert_uint_eq(rec[0].sender, b);
	ck_assert_uint_eq(rec[1].sender, c);
	ck_assert_uint_eq(rec[2].sender, a);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(rec[i].kind, REC_SCALAR1);
		ck_assert_uint_eq(rec[i].v1, 0);
		ck_assert_int_eq(rec[i].returned, 0); /* parked: through the io table */
	}
	ck_assert_int_eq(tt_next_deadline(&st, &next), 0);
}
END_TEST

START_TEST(equal_deadlines_wake_in_arrival_order)
{
	xous_sender_t s[4];

	for (uint32_t i = 0; i < 4; i++)
		s[i] = bs(5, i, TT_OP_SLEEP_MS, 50, 0, 1000);
	tt_expire(&st, 1050);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(rec[i].sender, s[i]);
}
END_TEST

START_TEST(a_sleeper_is_woken_by_the_next_message_after_its_deadline)
{
	xous_sender_t a = bs(5, 1, TT_OP_SLEEP_MS, 10, 0, 1000);

	xous_sender_t b = bs(6, 1, TT_OP_ELAPSED_MS, 0, 0, 1020);

	ck_assert_ptr_eq(rec_find(a), &rec[0]); /* first, then the message's own answer */
	ck_assert_uint_eq(rec[0].kind, REC_SCALAR1);
	ck_assert_ptr_eq(rec_find(b), &rec[1]);
	ck_assert_int_eq(rec[1].returned, 1);
}
END_TEST

START_TEST(sleep_zero_answers_at_once)
{
	xous_sender_t a = bs(5, 1, TT_OP_SLEEP_MS, 0, 0, 1000);

	ck_assert_uint_eq(rec_n, 1);
	ck_assert_uint_eq(rec_last()->sender, a);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR1);
	ck_assert_uint_eq(rec_last()->v1, 0);
	ck_assert_int_eq(rec_last()->returned, 1);
	ck_assert_uint_eq(tt_waiting(&st), 0);
}
END_TEST

START_TEST(recalculate_sleep_expires_and_a_blocking_one_is_answered)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, SELF, 1, TT_OP_RECALCULATE_SLEEP, 0, 0, 0);
	xous_sender_t a = bs(5, 1, TT_OP_SLEEP_MS, 10, 0, 1000);

	ck_assert_int_eq(tt_dispatch(&st, &e, 1010).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(rec_n, 1);
	ck_assert_uint_eq(rec_last()->sender, a);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR1);
	e = rec_scalar(XOUS_BLOCKING_SCALAR, 7, 1, TT_OP_RECALCULATE_SLEEP, 0, 0, 0);
	ck_assert_int_eq(serve(&e, 1010).kind, XOUS_ANSWER_NONE); /* the dropped answer */
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
	ck_assert_uint_eq(rec_last()->sender, e.sender);
}
END_TEST

START_TEST(get_version_writes_the_text)
{
	xous_envelope_t e = rec_memory(XOUS_MUTABLE_BORROW, 5, 1, TT_OP_GET_VERSION, NULL, "", 0);
	xous_answer_t a = serve(&e, 1000);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], 0);
	ck_assert_uint_eq(a.v[1], strlen("xous-host test"));
	ck_assert_mem_eq(e.memory.buf.addr, "xous-host test", a.v[1]);
	ck_assert_uint_eq(rec_last()->kind, REC_MEMORY);
	e = rec_memory(XOUS_BORROW, 5, 2, TT_OP_GET_VERSION, NULL, "", 0);
	ck_assert_int_eq(serve(&e, 1000).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
}
END_TEST

START_TEST(a_held_mutex_passes_to_the_oldest_waiter_on_unlock)
{
	xous_sender_t a = bs(5, 1, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	xous_sender_t b, c, u;

	ck_assert_uint_eq(rec_last()->sender, a);
	ck_assert_uint_eq(rec_last()->v1, 0);
	ck_assert_int_eq(rec_last()->returned, 1);
	b = bs(5, 2, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	c = bs(5, 3, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_n, 1);
	u = bs(5, 1, TT_OP_UNLOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_n, 3);
	ck_assert_uint_eq(rec[1].sender, b);
	ck_assert_int_eq(rec[1].returned, 0);
	ck_assert_uint_eq(rec[2].sender, u);
	ck_assert_uint_eq(rec[2].v1, 1);
	ck_assert_int_eq(rec[2].returned, 1);
	bs(5, 2, TT_OP_UNLOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec[3].sender, c);
	bs(5, 3, TT_OP_UNLOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_last()->v1, 0); /* nobody waiting: now free */
	bs(5, 4, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_last()->sender, rec_sender(5, 4));
}
END_TEST

START_TEST(mutex_ids_are_private_to_each_process)
{
	bs(5, 1, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	bs(6, 1, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_n, 2);
	/* pid 6 cannot release pid 5's lock */
	bs(5, 2, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	bs(6, 1, TT_OP_UNLOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_n, 3);
	ck_assert_uint_eq(rec_last()->sender, rec_sender(6, 1));
}
END_TEST

START_TEST(a_non_blocking_unlock_needs_no_answer)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, 5, 1, TT_OP_UNLOCK_MUTEX, 0x40, 0, 0);
	xous_answer_t a;

	bs(5, 1, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	xous_sender_t b = bs(5, 2, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	a = tt_dispatch(&st, &e, 1000);
	ck_assert_uint_eq(rec_n, 2);
	ck_assert_uint_eq(rec_last()->sender, b);
	/* its Scalar1(1) goes nowhere: a Scalar's sender waits for nothing */
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR1);
	rec_dispatched(&e, a);
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
}
END_TEST

START_TEST(only_held_mutexes_take_table_space)
{
	for (uintptr_t id = 1; id <= 3 * TT_MAX_MUTEXES; id++) {
		rec_n = 0;
		bs(5, 1, TT_OP_LOCK_MUTEX, id, 0, 1000);
		bs(5, 1, TT_OP_UNLOCK_MUTEX, id, 0, 1000);
		ck_assert_uint_eq(rec_n, 2);
		ck_assert_uint_eq(rec[0].kind, REC_SCALAR1);
	}
	rec_n = 0;
	for (uintptr_t id = 1; id <= TT_MAX_MUTEXES; id++)
		bs(5, 1, TT_OP_LOCK_MUTEX, id, 0, 1000);
	bs(5, 1, TT_OP_LOCK_MUTEX, 0, 0, 1000); /* the table is full of held ones */
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
}
END_TEST

START_TEST(free_mutex_drops_its_waiters)
{
	bs(5, 1, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	xous_sender_t b = bs(5, 2, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);

	bs(5, 1, TT_OP_FREE_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_find(b)->kind, REC_MEMORY); /* the "dropped" answer */
	ck_assert_uint_eq(tt_waiting(&st), 0);
	bs(5, 3, TT_OP_LOCK_MUTEX, 0x40, 0, 1000);
	ck_assert_uint_eq(rec_last()->sender, rec_sender(5, 3));
}
END_TEST

START_TEST(notify_wakes_count_waiters_oldest_first)
{
	xous_sender_t w[3];

	for (uint32_t i = 0; i < 3; i++)
		w[i] = bs(5, i, TT_OP_WAIT_FOR_CONDITION, 0x80, 0, 1000);
	ck_assert_uint_eq(rec_n, 0);
	bs(5, 9, TT_OP_NOTIFY_CONDITION, 0x80, 1, 1000);
	ck_assert_uint_eq(rec[0].sender, w[0]);
	ck_assert_uint_eq(rec[0].v1, 0);
	ck_assert_uint_eq(rec[1].v1, 1); /* one woken */
	bs(5, 9, TT_OP_NOTIFY_CONDITION, 0x80, 0, 1000);
	ck_assert_uint_eq(rec[2].sender, w[1]);
	ck_assert_uint_eq(rec[3].sender, w[2]);
	ck_assert_uint_eq(rec[4].v1, 2);
	bs(5, 9, TT_OP_NOTIFY_CONDITION, 0x80, 0, 1000);
	ck_assert_uint_eq(rec_last()->v1, 0);
}
END_TEST

START_TEST(a_condition_wait_times_out_with_one)
{
	xous_sender_t a = bs(5, 1, TT_OP_WAIT_FOR_CONDITION, 0x80, 25, 1000);
	xous_sender_t b = bs(5, 2, TT_OP_WAIT_FOR_CONDITION, 0x80, 100, 1000);

	tt_expire(&st, 1025);
	ck_assert_uint_eq(rec_n, 1);
	ck_assert_uint_eq(rec[0].sender, a);
	ck_assert_uint_eq(rec[0].v1, 1);
	bs(5, 9, TT_OP_NOTIFY_CONDITION, 0x80, 0, 1050);
	ck_assert_uint_eq(rec_find(b)->v1, 0);
	tt_expire(&st, 5000);
	ck_assert_uint_eq(rec_n, 3); /* b is not answered twice */
}
END_TEST

START_TEST(free_condition_wakes_every_waiter)
{
	bs(5, 1, TT_OP_WAIT_FOR_CONDITION, 0x80, 0, 1000);
	bs(5, 2, TT_OP_WAIT_FOR_CONDITION, 0x80, 0, 1000);
	bs(5, 3, TT_OP_FREE_CONDITION, 0x80, 0, 1000);
	ck_assert_uint_eq(rec_n, 3);
	ck_assert_uint_eq(tt_waiting(&st), 0);
}
END_TEST

START_TEST(blocking_calls_it_cannot_take_are_dropped)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, 5, 1, TT_OP_LOCK_MUTEX, 1, 0, 0);

	ck_assert_int_eq(serve(&e, 1000).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
	bs(5, 1, 42, 0, 0, 1000);
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
	for (uint32_t i = 0; i < TT_MAX_WAITERS; i++)
		bs(5, i, TT_OP_SLEEP_MS, 100, 0, 1000);
	ck_assert_uint_eq(rec_n, 2);
	bs(5, 9999, TT_OP_SLEEP_MS, 100, 0, 1000);
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
	e = rec_memory(XOUS_MUTABLE_BORROW, 5, 1, TT_OP_SLEEP_MS, NULL, "", 0);
	ck_assert_int_eq(serve(&e, 1000).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
}
END_TEST

static uint32_t notified[8], notices;

static xous_err_t fake_notify(uint32_t task, uint32_t bits)
{
	ck_assert_uint_lt(task, 8);
	notified[task] |= bits;
	notices++;
	return XOUS_OK;
}

START_TEST(notify_after_ms_notifies_the_task_once_at_its_deadline)
{
	uint64_t next = 0;

	st.notify = fake_notify;
	memset(notified, 0, sizeof(notified));
	notices = 0;
	bs(5, 1, TT_OP_NOTIFY_AFTER_MS, 50, 0, 1000);
	ck_assert_uint_eq(rec_last()->kind, REC_SCALAR1); /* armed */
	ck_assert_uint_eq(rec_last()->v1, 0);
	bs(6, 1, TT_OP_NOTIFY_AFTER_MS, 20, 0, 1000);
	bs(6, 2, TT_OP_NOTIFY_AFTER_MS, 30, 0, 1000); /* replaces 6's first timer */
	ck_assert_uint_eq(tt_waiting(&st), 2);
	ck_assert_int_eq(tt_next_deadline(&st, &next), 1);
	ck_assert_uint_eq(next, 1030);
	tt_expire(&st, 1029);
	ck_assert_uint_eq(notices, 0);
	tt_expire(&st, 1030);
	ck_assert_uint_eq(notices, 1);
	ck_assert_uint_eq(notified[6], NOTIFY_TIMER);
	tt_expire(&st, 2000);
	ck_assert_uint_eq(notices, 2);
	ck_assert_uint_eq(notified[5], NOTIFY_TIMER);
	ck_assert_uint_eq(tt_waiting(&st), 0);
	/* 0 ms: due at once, on the same dispatch */
	bs(7, 1, TT_OP_NOTIFY_AFTER_MS, 0, 0, 3000);
	ck_assert_uint_eq(notices, 3);
	/* no notifier: the timer just ends */
	st.notify = NULL;
	bs(7, 1, TT_OP_NOTIFY_AFTER_MS, 0, 0, 3000);
	ck_assert_uint_eq(tt_waiting(&st), 0);
}
END_TEST

static uint32_t prng(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13, x ^= x >> 17, x ^= x << 5;
	return x;
}

/* Whatever comes, a blocking call is answered at most once, and either
 * answered or parked (its answer DEFERRED); the table never loses a parked
 * caller. */
START_TEST(random_scalars_are_answered_at_most_once)
{
	static uint8_t answered[4000];

	for (uint32_t i = 0; i < 4000; i++) {
		enum xous_kind kind = prng() % 3 ? XOUS_BLOCKING_SCALAR : XOUS_SCALAR;
		xous_envelope_t e = rec_scalar(kind, 3 + prng() % 3, i, prng() % 13, prng() % 4,
		                               prng() % 50, 0);
		size_t before = rec_n;
		xous_answer_t a = serve(&e, 1000 + i);

		for (size_t k = before; k < rec_n; k++) {
			uint32_t slot = (uint32_t)(rec[k].sender & 0xffff) - 1;

			ck_assert_uint_eq(answered[slot], 0);
			answered[slot] = 1;
		}
		ck_assert_int_eq(answered[i], a.kind != XOUS_ANSWER_DEFERRED);
		if (kind == XOUS_BLOCKING_SCALAR && !answered[i])
			ck_assert_uint_gt(tt_waiting(&st), 0);
		if (rec_n > REC_MAX - 100)
			rec_n = 0;
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.ticktimer");

	ADD(s, elapsed_ms_answers_lo_and_hi_since_start);
	ADD(s, notify_after_ms_notifies_the_task_once_at_its_deadline);
	ADD(s, sleepers_wake_in_deadline_order);
	ADD(s, equal_deadlines_wake_in_arrival_order);
	ADD(s, a_sleeper_is_woken_by_the_next_message_after_its_deadline);
	ADD(s, sleep_zero_answers_at_once);
	ADD(s, recalculate_sleep_expires_and_a_blocking_one_is_answered);
	ADD(s, get_version_writes_the_text);
	ADD(s, a_held_mutex_passes_to_the_oldest_waiter_on_unlock);
	ADD(s, mutex_ids_are_private_to_each_process);
	ADD(s, a_non_blocking_unlock_needs_no_answer);
	ADD(s, only_held_mutexes_take_table_space);
	ADD(s, free_mutex_drops_its_waiters);
	ADD(s, notify_wakes_count_waiters_oldest_first);
	ADD(s, a_condition_wait_times_out_with_one);
	ADD(s, free_condition_wakes_every_waiter);
	ADD(s, blocking_calls_it_cannot_take_are_dropped);
	ADD(s, random_scalars_are_answered_at_most_once);
	return rec_run(s);
}
