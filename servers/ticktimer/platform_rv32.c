/*
 * platform_rv32.c - the ticktimer's platform code on kernel-riscv: the
 * machine timer through XK_SYS_CLOCK, and the wake-up thread's wait, a
 * kernel timer wait that tt_platform_arm() cuts short with a kick, so an
 * earlier deadline is never missed.
 */
#include "platform.h"
#include "ticktimer.h"

static volatile int armed;
static volatile uint32_t armed_lo, armed_hi;

uint64_t tt_platform_now_ms(void)
{
	uint64_t now;

	rv32_clock(&now, NULL);
	return now;
}

void tt_platform_arm(int any, uint64_t deadline_ms)
{
	armed = 0;
	armed_lo = (uint32_t)deadline_ms;
	armed_hi = (uint32_t)(deadline_ms >> 32);
	armed = any;
	rv32_timer_kick(); /* the waiter re-reads the deadline */
}

void tt_platform_wait(void)
{
	for (;;) {
		int any = armed;
		uint64_t deadline = (uint64_t)armed_hi << 32 | armed_lo;

		if (any && tt_platform_now_ms() >= deadline)
			break;
		rv32_timer_wait(any ? deadline : UINT64_MAX);
	}
	armed = 0; /* the server re-arms once it has expired what is due */
}
