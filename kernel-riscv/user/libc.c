/*
 * libc.c - what picolibc asks of the platform: the standard streams (the
 * kernel console, a line at a time), sbrk (MapMemory at fixed addresses
 * above USER_HEAP_BASE) and _exit (TerminateProcess).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <xous/rv32.h>

#include "syscall.h"

#define HEAP_BASE 0x20000000u
#define HEAP_TOP 0x40000000u

static char line[256];
static size_t line_len;
static volatile int console_lock;

static void console_flush_locked(void)
{
	xrt_regs r;

	if (line_len)
		xrt_call(&r, XK_SYS_CONSOLE_WRITE, (uintptr_t)line, line_len, 0, 0, 0, 0, 0);
	line_len = 0;
}

static int console_put(char c, FILE *f)
{
	(void)f;
	xrt_lock(&console_lock);
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		console_flush_locked();
	xrt_unlock(&console_lock);
	return (unsigned char)c;
}

static int console_flush(FILE *f)
{
	(void)f;
	xrt_lock(&console_lock);
	console_flush_locked();
	xrt_unlock(&console_lock);
	return 0;
}

static int console_get(FILE *f)
{
	(void)f;
	return EOF;
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, console_flush, _FDEV_SETUP_RW);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;

void *sbrk(ptrdiff_t incr)
{
	static uintptr_t brk = HEAP_BASE, mapped = HEAP_BASE;
	xrt_regs r;

	if (incr < 0 || (uintptr_t)incr > HEAP_TOP - brk)
		return (void *)-1;
	uintptr_t want = (brk + incr + XOUS_PAGE_SIZE - 1) & ~(uintptr_t)(XOUS_PAGE_SIZE - 1);
	if (want > mapped) {
		if (xrt_call(&r, XOUS_SYS_MAP_MEMORY, 0, mapped, want - mapped,
			     XOUS_MEM_R | XOUS_MEM_W, 0, 0, 0))
			return (void *)-1;
		mapped = want;
	}
	void *old = (void *)brk;
	brk += incr;
	return old;
}

void _exit(int code)
{
	xrt_regs r;

	console_flush(stdout);
	for (;;)
		xrt_call(&r, XOUS_SYS_TERMINATE_PROCESS, (uintptr_t)code, 0, 0, 0, 0, 0, 0);
}
