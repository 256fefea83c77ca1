/* The task server's platform code on kernel-riscv: the kernel's clock. */
#include "platform.h"
#include "task.h"

uint64_t task_platform_now_ms(void)
{
	uint64_t now;

	rv32_clock(&now, NULL);
	return now;
}
