/*
 * clock.c - time for user programs: the monotonic clock (the machine timer),
 * UTC (the board's RTC read once at boot), and timer waits, which the
 * ticktimer server's wake-up thread uses. Waits are checked on every tick
 * (10 ms), so a deadline is met within one tick.
 */
#include "defs.h"
#include "proc.h"

static uint64_t boot_utc_ms, boot_mono_ms;
static bool rtc_read;

/* The machine timer: the time CSR, or mtime's registers where S-mode has no time CSR. */
static uint64_t timer_now(void)
{
	uint32_t hi, lo;

	if (board.clock)
		return board.clock();
	if (!board.time_csr)
		return mtime_read(board.mtime);
	do {
		hi = r_timeh();
		lo = r_time();
	} while (hi != r_timeh());
	return (uint64_t)hi << 32 | lo;
}

uint64_t clock_ms(void)
{
	return timer_now() / (BOARD_TIMEBASE_HZ / 1000);
}

uint64_t clock_utc_ms(void)
{
	if (!rtc_read) {
		rtc_read = true;
		boot_mono_ms = clock_ms();
		uint64_t ns = 0;
		board_rtc_ns(&ns); /* without an RTC UTC starts at 1970 */
		boot_utc_ms = ns / 1000000u;
	}
	return boot_utc_ms + (clock_ms() - boot_mono_ms);
}

static void timer_wake(uint32_t t)
{
	struct trapframe *tf = &threads[t].tf;

	threads[t].timer_wait = false;
	for (int i = 0; i < 8; i++)
		tf->r[REG_A0 + i] = 0; /* Ok */
	thread_make_runnable(t);
}

/* Block thread t (the current one) until deadline, or until a kick. */
void timer_wait(uint32_t t, uint64_t deadline)
{
	struct proc *p = &procs[threads[t].pid];

	if (p->kick_pending || deadline <= clock_ms()) {
		p->kick_pending = false;
		return; /* answered Ok by the caller */
	}
	threads[t].timer_wait = true;
	threads[t].deadline = deadline;
	thread_block_current();
}

void timer_kick(uint32_t pid)
{
	bool woke = false;

	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		if (threads[t].timer_wait && threads[t].pid == pid &&
		    threads[t].state == T_BLOCKED) {
			timer_wake(t);
			woke = true;
		}
	if (!woke)
		procs[pid].kick_pending = true;
}

bool timer_expire(void)
{
	uint64_t now = clock_ms();
	bool woke = false;

	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		if (threads[t].timer_wait && threads[t].state == T_BLOCKED &&
		    threads[t].deadline <= now) {
			timer_wake(t);
			woke = true;
		}
	return woke;
}

/* Whether some thread waits for a deadline: then idling is not a deadlock. */
bool timer_sleepers(void)
{
	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		if (threads[t].timer_wait && threads[t].state == T_BLOCKED &&
		    threads[t].deadline != UINT64_MAX)
			return true;
	return false;
}
