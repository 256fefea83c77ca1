/* platform.c - the kernel services of xous/rv32.h as C calls, for the servers' platform files. */
#include <xous.h>
#include <xous/rv32.h>

#include "platform.h"

void rv32_ecall(uintptr_t r[8])
{
	register uintptr_t a0 asm("a0") = r[0];
	register uintptr_t a1 asm("a1") = r[1];
	register uintptr_t a2 asm("a2") = r[2];
	register uintptr_t a3 asm("a3") = r[3];
	register uintptr_t a4 asm("a4") = r[4];
	register uintptr_t a5 asm("a5") = r[5];
	register uintptr_t a6 asm("a6") = r[6];
	register uintptr_t a7 asm("a7") = r[7];

	asm volatile("ecall"
	             : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
	               "+r"(a7)
	             :
	             : "memory");
	r[0] = a0;
	r[1] = a1;
	r[2] = a2;
	r[3] = a3;
	r[4] = a4;
	r[5] = a5;
	r[6] = a6;
	r[7] = a7;
}

void rv32_sys3(uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t out[5])
{
	uintptr_t r[8] = {n, a1, a2};

	rv32_ecall(r);
	for (int i = 0; i < 5; i++)
		out[i] = r[i];
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
