/* param.h - every limit of the RV32 kernel (kcore's KC_* come from CMake). */
#ifndef PARAM_H
#define PARAM_H

#define KSTACK_SIZE 16384 /* the one kernel stack (the kernel is event-driven) */
#define USER_STACK_SIZE                                                                            \
	(1024 * 1024)          /* main thread: its top page at start, the others on first touch */
#define TICK_HZ           100  /* a 10 ms time slice (boot_board.c's M-mode timer) */
#define CONSOLE_WRITE_MAX 4096 /* bytes per console write syscall */
#define MAP_CHUNK         (1024 * 1024) /* bytes a MapMemory maps per trap (lend.c) */

/* A process's exit status (the task server's exit notice): the exit code
 * 0..255, or 256 + the scause of the fault that ended it. A bad pointer
 * given to a syscall ends it as the load fault it would have been. */
#define STATUS_FAULT(scause) (256u + (scause))
#define STATUS_BAD_POINTER   STATUS_FAULT(SCAUSE_LOAD_PF)

/* Exit codes the kernel reports through the finisher for the main program. */
#define EXIT_FAULT    139 /* the main program faulted (as a SIGSEGV death on Linux) */
#define EXIT_DEADLOCK 125 /* no thread can ever run again */
#define EXIT_PANIC    126 /* the kernel itself failed */

/* Test hooks, a bitmask: the kernel's weak xk_test_hooks is 0, a test image
 * defines its own (xous_riscv_image TEST_HOOKS) to boot the kernel as a board
 * or a bug would leave it. */
#define XK_HOOK_RESET_VALUES  1u  /* sstatus as VexRiscv resets it: SPP = S, SPIE = 0 */
#define XK_HOOK_LATE_MRET     2u  /* leave M-mode only once the first tick is pending */
#define XK_HOOK_TIMER_WRAP    4u  /* mtime starts 50 ms before its low word wraps */
#define XK_HOOK_FAULT_EARLY   8u  /* main() loads from XK_HOOK_FAULT_ADDR once it has a console */
#define XK_HOOK_FAULT_SYSCALL 16u /* ... and in every console write syscall */
#define XK_HOOK_FAULT_ADDR    0x10u
#ifndef __ASSEMBLER__
extern const uint32_t xk_test_hooks;
#endif

#endif /* PARAM_H */
