/* rtc.c - the goldfish real-time clock of qemu virt. */
#include "defs.h"

uint64_t goldfish_rtc_ns(void)
{
	volatile uint32_t *rtc = (volatile uint32_t *)dev_va(BOARD_RTC);
	uint32_t lo = rtc[0];

	return (uint64_t)rtc[1] << 32 | lo;
}
