/* The fs server's platform code on kernel-riscv: the time from the time
 * server. */
#include <xous/time.h>

#include "fssrv.h"

uint64_t fs_platform_now(void *ctx)
{
	uint64_t ms = 0;

	(void)ctx;
	return xtime_utc_ms(&ms) == XOUS_OK ? ms / 1000 : 0;
}
