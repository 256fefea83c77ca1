/* param.h - every limit of the RV32 kernel (kcore's KC_* come from CMake). */
#ifndef PARAM_H
#define PARAM_H

#define KSTACK_SIZE       16384         /* the one kernel stack (the kernel is event-driven) */
#define USER_STACK_SIZE   (1024 * 1024) /* main thread */
#define TICK_INTERVAL     (BOARD_TIMEBASE_HZ / 100) /* 10 ms time slice */
#define CONSOLE_WRITE_MAX 4096                      /* bytes per console write syscall */

/* A process's exit status (the task server's exit notice): the exit code
 * 0..255, or 256 + the scause of the fault that ended it. A bad pointer
 * given to a syscall ends it as the load fault it would have been. */
#define STATUS_FAULT(scause) (256u + (scause))
#define STATUS_BAD_POINTER   STATUS_FAULT(SCAUSE_LOAD_PF)

/* Exit codes the kernel reports through the finisher for the main program. */
#define EXIT_FAULT    139 /* the main program faulted (as a SIGSEGV death on Linux) */
#define EXIT_DEADLOCK 125 /* no thread can ever run again */
#define EXIT_PANIC    126 /* the kernel itself failed */

#endif /* PARAM_H */
