/* platform.c - the kernel services of xous/rv32.h as C calls, for the servers' platform files. */
#include <xous.h>
#include <xous/rv32.h>

#include "platform.h"

void rv32_sys3(uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t out[5])
{
	register uintptr_t a0 asm("a0") = n;
	register uintptr_t r1 asm("a1") = a1;
	register uintptr_t r2 asm("a2") = a2;
	register uintptr_t r3 asm("a3") = 0;
	register uintptr_t r4 asm("a4") = 0;
	register uintptr_t r5 asm("a5") = 0;
	register uintptr_t r6 asm("a6") = 0;
	register uintptr_t r7 asm("a7") = 0;

	asm volatile("ecall"
	             : "+r"(a0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6),
	               "+r"(r7)
	             :
	             : "memory");
	out[0] = a0;
	out[1] = r1;
	out[2] = r2;
	out[3] = r3;
	out[4] = r4;
}

void rv32_clock(uint64_t *mono_ms, uint64_t *utc_ms)
{
	uintptr_t r[5];

	rv32_sys3(XK_SYS_CLOCK, 0, 0, r);
	if (mono_ms)
		*mono_ms = (uint64_t)r[2] << 32 | r[1];
	if (utc_ms)
		*utc_ms = (uint64_t)r[4] << 32 | r[3];
}

void rv32_timer_wait(uint64_t deadline_ms)
{
	uintptr_t r[5];

	rv32_sys3(XK_SYS_TIMER_WAIT, (uint32_t)deadline_ms, (uint32_t)(deadline_ms >> 32), r);
}

void rv32_timer_kick(void)
{
	uintptr_t r[5];

	rv32_sys3(XK_SYS_TIMER_KICK, 0, 0, r);
}

void rv32_console_write(const char *buf, size_t len)
{
	uintptr_t r[5];

	while (len > 0) {
		size_t n = len > 1024 ? 1024 : len;
		rv32_sys3(XK_SYS_CONSOLE_WRITE, (uintptr_t)buf, n, r);
		buf += n;
		len -= n;
	}
}
