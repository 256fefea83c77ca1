/*
 * The ticktimer's opcodes ("ticktimer-server"), numbered as Xous's. All are
 * plain scalars except GetVersion. Mutex and condition ids are any word the
 * caller picks (Xous uses the object's address); they are private to the
 * calling process (the server keys them by the pid in the sender token).
 *
 *  0 ElapsedMs         BlockingScalar -> Scalar2(lo, hi) ms since the server started
 *  1 SleepMs(ms)       BlockingScalar -> Scalar1(0) once ms have passed; sleepers
 *                      wake in deadline order (equal deadlines: in arrival order)
 *  2 RecalculateSleep  internal: the server's own wake-up thread; ignored from others
 *  5 GetVersion        MutableBorrow: the version text at offset 0, valid = its length
 *  6 LockMutex(id)     BlockingScalar -> Scalar1(0) once the caller holds the mutex
 *  7 UnlockMutex(id)   Scalar or BlockingScalar -> Scalar1(1 if handed to a waiter, else 0)
 *  8 WaitForCondition(id, timeout_ms; 0 = forever)
 *                      BlockingScalar -> Scalar1(0) notified, Scalar1(1) timed out
 *  9 NotifyCondition(id, count; 0 = all)
 *                      Scalar or BlockingScalar -> Scalar1(number woken)
 * 10 FreeMutex(id)     forget the mutex; callers still waiting on it get UNAVAILABLE
 * 11 FreeCondition(id) wake every waiter (Scalar1(0)) and forget the condition
 * 64 NotifyAfterMs(ms) BlockingScalar -> Scalar1(0) once armed; ms later the
 *                      caller's task gets NOTIFY_TIMER (global_notify,
 *                      <resea/global.h>). One timer per task: a later call
 *                      replaces the one pending. Ours, past Xous's numbers.
 *
 * Only held mutexes take table space. A process that ends holding one
 * leaves it held: a later process given the same pid would find it so.
 *
 * A blocking call the server cannot take (its tables full, or an unknown
 * opcode) fails with XOUS_ERR_UNAVAILABLE, the "dropped unanswered" answer.
 */
#ifndef XOUS_TICKTIMER_API_H
#define XOUS_TICKTIMER_API_H

#define TICKTIMER_SERVER_NAME "ticktimer-server"

enum tt_opcode {
	TT_OP_ELAPSED_MS = 0,
	TT_OP_SLEEP_MS = 1,
	TT_OP_RECALCULATE_SLEEP = 2,
	TT_OP_SUSPEND_RESUME = 3, /* Xous only; not served here */
	TT_OP_PING_WDT = 4,       /* Xous only; not served here */
	TT_OP_GET_VERSION = 5,
	TT_OP_LOCK_MUTEX = 6,
	TT_OP_UNLOCK_MUTEX = 7,
	TT_OP_WAIT_FOR_CONDITION = 8,
	TT_OP_NOTIFY_CONDITION = 9,
	TT_OP_FREE_MUTEX = 10,
	TT_OP_FREE_CONDITION = 11,
	TT_OP_NOTIFY_AFTER_MS = 64,
};

#endif
