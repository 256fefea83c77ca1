/*
 * libc.c - what picolibc asks of the platform: the standard streams (the
 * kernel console, a line at a time), sbrk (MapMemory at fixed addresses
 * above USER_HEAP_BASE), _exit (TerminateProcess) and the locks.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <sys/lock.h>
#include <unistd.h>

#include <xous/rv32.h>

#include "syscall.h"

#define HEAP_BASE 0x20000000u
#define HEAP_TOP  0x40000000u

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

/*
 * picolibc's locks (malloc, atexit, environment), made real: threads are
 * preemptive here. A lock is owned by a thread, named by its tp (each thread
 * has its own TLS block); a busy lock yields the CPU until it is free.
 * Defined here, beside _exit, so the linker never takes picolibc's no-op ones.
 */

struct __lock {
	volatile uintptr_t owner;
	unsigned count;
};

struct __lock __lock___libc_recursive_mutex;

static uintptr_t self(void)
{
	uintptr_t tp;

	asm volatile("mv %0, tp" : "=r"(tp));
	return tp;
}

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(struct __lock));
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	uintptr_t me = self(), none = 0;

	if (!lock)
		return 1;
	if (lock->owner == me || __atomic_compare_exchange_n(&lock->owner, &none, me, false,
	                                                     __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		lock->count++;
		return 1;
	}
	return 0;
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return __retarget_lock_try_acquire_recursive(lock);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	while (!__retarget_lock_try_acquire_recursive(lock))
		xous_yield();
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	__retarget_lock_acquire_recursive(lock);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (lock && lock->owner == self() && --lock->count == 0)
		__atomic_store_n(&lock->owner, 0, __ATOMIC_RELEASE);
}

void __retarget_lock_release(_LOCK_T lock)
{
	__retarget_lock_release_recursive(lock);
}

/* raise() (and so abort()) signals the process itself: that ends it, as a
 * signal's default action would, with the shell's 128 + signal status. */
pid_t getpid(void)
{
	return (pid_t)xous_process_id();
}

int kill(pid_t pid, int sig)
{
	if (pid != getpid())
		return -1; /* no other process is this one's to signal */
	if (sig != 0)
		_exit(128 + sig);
	return 0;
}
