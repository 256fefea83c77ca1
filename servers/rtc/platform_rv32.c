/* platform_rv32.c - the rtc server's clock on kernel-riscv: the board's RTC via the kernel. */
#include "platform.h"
#include "rtc.h"

int64_t rtc_platform_unix_now(void)
{
	uint64_t utc_ms;

	rv32_clock(NULL, &utc_ms);
	return (int64_t)(utc_ms / 1000);
}
