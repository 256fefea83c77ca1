/*
 * <resea/abi_hook.h> - the ABI hook (CONTRACT section 7, docs/resea-abi-hook.md):
 * a task started by task_launch("abi-hook=NAME /abs/path args") runs an
 * unmodified foreign (Linux) binary; each of its system calls reaches the
 * server NAME as a MutableBorrow of one page, opcode GLOBAL_ABI_HOOK, whose
 * sender is the task and which starts with struct abi_hook_frame. The
 * server answers in the same frame (action, result) and returns the page.
 * While it holds the call, the server (its owner alone) reads and writes
 * the task's memory with the calls below.
 */
#ifndef RESEA_ABI_HOOK_H
#define RESEA_ABI_HOOK_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ABI_HOOK_MAGIC 0x4b4f4f48u /* "HOOK" */

/* arch: the system call table nr belongs to (Linux's AUDIT_ARCH_* values). */
#define ABI_HOOK_ARCH_X86_64  0xc000003eu
#define ABI_HOOK_ARCH_RISCV32 0x400000f3u

/* action: what the hook decided. */
enum {
	ABI_HOOK_HOST = 0,  /* let the host (Linux, or the kernel's subset) do the call */
	ABI_HOOK_RESULT = 1 /* the call returns result (a value, or -errno) */
};

struct abi_hook_frame {
	uint32_t magic;  /* ABI_HOOK_MAGIC */
	uint32_t arch;   /* ABI_HOOK_ARCH_* */
	uint32_t task;   /* the calling task (the envelope's sender) */
	uint32_t nr;     /* the system call's number in arch's table */
	uint64_t cookie; /* this call, as the kernel knows it */
	uint64_t ip;     /* where the task made it */
	uint64_t args[6];
	/* the answer, written by the hook */
	uint32_t action; /* ABI_HOOK_HOST or ABI_HOOK_RESULT */
	uint32_t reserved;
	int64_t result;
};

/* The first n bytes of task's memory at addr, at most len (fewer where the
 * range runs into unmapped memory; none: BadAddress). */
xous_err_t abi_hook_read(uint32_t task, uint64_t addr, void *buf, size_t len, size_t *n);
/* Write len bytes at addr of task's memory; *n as abi_hook_read. */
xous_err_t abi_hook_write(uint32_t task, uint64_t addr, const void *buf, size_t len, size_t *n);
/* A new file descriptor of task that the host reads as empty, to answer an
 * open the hook serves (flags: XOUS_ABI_HOOK_FD_CLOEXEC). */
xous_err_t abi_hook_fd(uint32_t task, uint32_t flags, int *fd);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_ABI_HOOK_H */
