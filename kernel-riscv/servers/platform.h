/* platform.h - the kernel services the servers' RV32 platform files use. */
#ifndef XOUS_RV32_SERVER_PLATFORM_H
#define XOUS_RV32_SERVER_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic ms since boot and UTC ms since 1970 (XK_SYS_CLOCK). */
/* One ecall: r[0..7] are a0..a7 in, the result's a0..a7 out. */
void rv32_ecall(uintptr_t r[8]);
/* Syscall n with a1, a2 (a3..a7 zero): out[0..4] = a0..a4 of the result. */
void rv32_sys3(uintptr_t n, uintptr_t a1, uintptr_t a2, uintptr_t out[5]);
void rv32_clock(uint64_t *mono_ms, uint64_t *utc_ms);
/* Block until mono deadline_ms (UINT64_MAX: none) or a kick (XK_SYS_TIMER_WAIT). */
void rv32_timer_wait(uint64_t deadline_ms);
/* Wake this process's timer waiters (XK_SYS_TIMER_KICK). */
void rv32_timer_kick(void);
/* The console (XK_SYS_CONSOLE_WRITE), in pieces the kernel accepts. */
void rv32_console_write(const char *buf, size_t len);

#endif
