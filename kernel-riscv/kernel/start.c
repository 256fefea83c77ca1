/*
 * start.c - M-mode set-up, then mret into main() in S-mode.
 * M-mode keeps only the timer: each tick it re-arms mtimecmp and raises a
 * supervisor software interrupt (xv6's design before Sstc). M-mode
 * interrupts stay off while in M-mode: mret to S-mode is what lets the
 * timer in.
 */
#include "defs.h"

void main(void);
void start(uint32_t hart, uint32_t fdt);
void timervec(void);

const uint32_t xk_test_hooks __attribute__((weak)) = 0;

static uint32_t timer_scratch[8];

static void timer_init(void)
{
	volatile uint32_t *cmp = (volatile uint32_t *)board.mtimecmp;
	volatile uint32_t *now = (volatile uint32_t *)board.mtime;
	uint64_t next;

	if (xk_test_hooks & XK_HOOK_TIMER_WRAP) {
		now[0] = 0;
		now[1] = 0;
		now[0] = 0u - BOARD_TIMEBASE_HZ / 20;
	}
	next = mtime_read(board.mtime) + TICK_INTERVAL;
	cmp[0] = 0xffffffffu; /* three stores, never below the target */
	cmp[1] = (uint32_t)(next >> 32);
	cmp[0] = (uint32_t)next;
	timer_scratch[4] = board.mtimecmp;
	timer_scratch[5] = board.mtime;
	timer_scratch[6] = TICK_INTERVAL;
	w_mscratch((uint32_t)timer_scratch);
	w_mtvec((uint32_t)timervec);
	w_mie(r_mie() | MIE_MTIE);
}

/* A trap M-mode did not expect (entry.S's mfaultvec, timervec's non-timer causes). */
void mfault(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	panic("trap in M-mode: mcause %u mepc %p mtval %p", mcause, mepc, mtval);
}

/* The boot hart, from entry.S, with the device tree qemu passed (or 0). */
void start(uint32_t hart, uint32_t fdt)
{
	board_init(hart, fdt);
	uint32_t mstatus = r_mstatus() & ~(MSTATUS_MPP_MASK | MSTATUS_MIE);

	if (xk_test_hooks & XK_HOOK_RESET_VALUES)
		mstatus = (mstatus | SSTATUS_SPP) & ~SSTATUS_SPIE;
	w_mstatus(mstatus | MSTATUS_MPP_S);
	w_mepc((uint32_t)main);
	w_satp(0);
	w_medeleg(0xffff);
	w_mideleg(0xffff);
	w_sie(r_sie() | SIE_SEIE | SIE_STIE | SIE_SSIE);
	/* let S-mode reach all of memory */
	w_pmpaddr0(0xffffffffu);
	w_pmpcfg0(0xf);
	w_mcounteren(7); /* cycle, time, instret readable below M */
	timer_init();
	if (xk_test_hooks & XK_HOOK_LATE_MRET)
		while (!(r_mip() & MIE_MTIE))
			;
	asm volatile("mret");
}
