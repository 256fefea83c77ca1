/*
 * The vm folder's kernel calls and its internal client call, for the vm
 * and ool servers and for the clients of vm pages (shm). Linux:
 * kernel_calls.c in libxous-host; kernel-riscv: its user runtime.
 * Registers: docs/abi.md, "Physical memory".
 */
#ifndef XOUS_VM_KERNEL_H
#define XOUS_VM_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>
#include <xous/device.h> /* xous_map_physical */
#include <xous/names.h>

/* PhysGrant(to, paddr, len, flags): the pool manager's (xous/abi.h). */
xous_err_t xous_phys_grant(xous_sender_t to, uintptr_t paddr, size_t len, uint32_t flags,
                           uintptr_t *paddr_out);
/* PhysRelease(paddr): give up the caller's right on the run at paddr. */
xous_err_t xous_phys_release(uintptr_t paddr);

/* vm's AllocPages without the mapping: the caller gets the right to map
 * num_pages at paddr (0: fresh pages), read-only or writable; their
 * address in *paddr_out. */
xous_err_t vm_grant_pages(size_t num_pages, uintptr_t paddr, int writable, uintptr_t *paddr_out);

/* A client's connection to a server registered under name, made once per
 * process (keyed by the pid, as conn_cache.h's): waits until the name is
 * registered. */
struct vm_named_conn {
	volatile xous_pid_t pid;
	volatile xous_cid_t cid;
};

static inline xous_err_t vm_named_connect(struct vm_named_conn *c, const char *name,
                                          xous_cid_t *cid)
{
	xous_pid_t pid = xous_process_id();
	xous_err_t err;

	if (c->cid != 0 && c->pid == pid) {
		*cid = c->cid;
		return XOUS_OK;
	}
	err = xns_request_connection_blocking(name, cid);
	if (err == XOUS_OK) {
		c->cid = 0; /* never a new pid with an old cid */
		c->pid = pid;
		c->cid = *cid;
	}
	return err;
}

#endif
