/* platform_rv32.c - the log server on kernel-riscv: the console UART, and the board's clock. */
#include "logsrv.h"
#include "platform.h"

void log_platform_write(const char *buf, size_t len)
{
	rv32_console_write(buf, len);
}

uint64_t log_platform_utc_ms(void)
{
	uint64_t utc;

	rv32_clock(NULL, &utc);
	return utc;
}
