/* platform_rv32.c - the time server's clock on kernel-riscv: the board's RTC via the kernel. */
#include "platform.h"
#include "timesrv.h"

uint64_t time_platform_utc_ms(void)
{
	uint64_t utc;

	rv32_clock(NULL, &utc);
	return utc;
}
