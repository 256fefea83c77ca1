/*
 * start.c - M-mode set-up, then mret into main() in S-mode.
 * M-mode keeps only the timer: each tick it re-arms mtimecmp and raises a
 * supervisor software interrupt (xv6's design before Sstc).
 */
#include "defs.h"

void main(void);
void timervec(void);

static uint32_t timer_scratch[8];

static void timer_init(void)
{
	volatile uint32_t *cmp = (volatile uint32_t *)BOARD_CLINT_MTIMECMP;
	volatile uint32_t *now = (volatile uint32_t *)BOARD_CLINT_MTIME;
	uint32_t lo = now[0] + TICK_INTERVAL, hi = now[1];

	if (lo < TICK_INTERVAL)
		hi++;
	cmp[0] = 0xffffffffu; /* three stores, never below the target */
	cmp[1] = hi;
	cmp[0] = lo;
	timer_scratch[4] = BOARD_CLINT_MTIMECMP;
	timer_scratch[5] = BOARD_CLINT_MTIME;
	timer_scratch[6] = TICK_INTERVAL;
	w_mscratch((uint32_t)timer_scratch);
	w_mtvec((uint32_t)timervec);
	w_mstatus(r_mstatus() | MSTATUS_MIE);
	w_mie(r_mie() | MIE_MTIE);
}

void start(void)
{
	w_mstatus((r_mstatus() & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S);
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
	asm volatile("mret");
}
