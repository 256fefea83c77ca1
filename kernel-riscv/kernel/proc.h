/* proc.h - processes and threads as the RV32 kernel sees them. */
#ifndef PROC_H
#define PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "kcore.h"
#include "riscv.h"

/* Saved user registers. r[0] (x0 is always 0) holds the kernel stack top;
 * trampoline.S knows these offsets. */
struct trapframe {
	uint32_t r[32];
	uint32_t pc;   /* offset 128 */
	uint32_t satp; /* offset 132: the process's address space */
};
#define REG_RA 1
#define REG_SP 2
#define REG_GP 3
#define REG_A0 10

enum tstate { T_FREE, T_RUNNABLE, T_RUNNING, T_BLOCKED };

struct thread {
	struct trapframe tf; /* first: &threads[t] is what sscratch holds */
	uint32_t pid;
	enum tstate state;
	kc_thread next;    /* run queue link */
	bool timer_wait;   /* blocked in XK_SYS_TIMER_WAIT (kcore does not know) */
	bool for_kernel;   /* waits in a send the kernel made for it (pager.c, hook.c) */
	uint64_t deadline; /* of the timer wait, ms; UINT64_MAX: none */
	struct {           /* a MapMemory under way (lend.c); size 0: none */
		uint32_t va, size, done, perm;
	} map;
};

struct proc {
	bool used;
	pagetable_t pt;
	uint32_t satp;
	uint32_t mmap_hint; /* next-fit start for MapMemory and lends */
	const char *name;
	bool kick_pending; /* an XK_SYS_TIMER_KICK no thread was waiting for */
};

extern struct kc kcore;
extern struct thread threads[KC_MAX_THREADS];
extern struct proc procs[KC_MAX_PROCS + 1]; /* indexed by pid */
extern kc_thread cur;                       /* the running thread, or KC_NO_THREAD */

#endif /* PROC_H */
