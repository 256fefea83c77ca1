/* platform_rv32.c - Resea's time server's clock on kernel-riscv: the board's RTC via the kernel. */
#include "platform.h"
#include "rtime.h"

uint64_t rtime_platform_unix_now(void)
{
	uint64_t utc_ms;

	rv32_clock(NULL, &utc_ms);
	return utc_ms / 1000;
}
