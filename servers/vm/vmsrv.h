/*
 * The vm process's servers as pure dispatch functions: vm_dispatch (pages
 * of the physical pool) and ool_dispatch (out-of-line payloads). The
 * kernel calls they make come through struct vm_kernel_ops, so that the
 * unit tests and the fuzz target run them without a kernel.
 */
#ifndef XOUS_VM_SERVER_H
#define XOUS_VM_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xous/serve.h>

#include "api.h"
#include "who.h"

struct vm_kernel_ops {
	/* PhysGrant (vm_kernel.h) */
	xous_err_t (*grant)(xous_sender_t to, uintptr_t paddr, size_t len, uint32_t flags,
	                    uintptr_t *paddr_out);
	/* the kernel's name of a live process (xous_process_name) */
	xous_err_t (*process_name)(xous_pid_t pid, char *buf, size_t len);
};

struct vm_state {
	const struct vm_kernel_ops *k;
};

void vm_init(struct vm_state *st, const struct vm_kernel_ops *k);
xous_answer_t vm_dispatch(struct vm_state *st, xous_envelope_t *env);

/* A registered buffer, and the payload staged for it (full). */
struct ool_buf {
	bool used, full;
	struct who owner;
	uintptr_t addr; /* in the owner's address space: the payload's id */
	size_t cap;
	struct who src; /* full: who sent it */
	void *data;     /* full: the payload (malloc'd) */
	size_t len;
};

struct ool_state {
	const struct vm_kernel_ops *k;
	struct ool_buf bufs[OOL_MAX_BUFS];
};

void ool_init(struct ool_state *st, const struct vm_kernel_ops *k);
/* Registrations and payloads of processes that are gone are dropped at
 * the start of every call (ool_sweep). */
xous_answer_t ool_dispatch(struct ool_state *st, xous_envelope_t *env);
void ool_sweep(struct ool_state *st);
/* Everything staged is freed. */
void ool_fini(struct ool_state *st);

/* The kernel calls of the real servers (main.c). */
extern const struct vm_kernel_ops vm_kernel_real;

#endif
