/*
 * xous-host-internal.h - what the files of libxous-host share.
 *
 * Public entry points return xous_err_t (CONTRACT section 2). Internals use
 * the same convention, so an error found deep down travels up unchanged.
 * Nothing declared here is exported from the shared library.
 */
#ifndef XOUS_HOST_INTERNAL_H
#define XOUS_HOST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The library is built with -fvisibility=hidden: what <xous.h> declares is
 * the exported API, everything else stays inside (see also xous-host.map). */
#pragma GCC visibility push(default)
#include <xous.h>
#include <xous/host.h>
#pragma GCC visibility pop

#include <xous/hostframe.h>

/* ---- conn.c: the thread's connection and one syscall round trip ---- */

/* One syscall: w[] goes out as a0..a7 and comes back as the result. fd is
 * sent with the frame when >= 0 (the caller keeps its own copy); on return
 * it is the fd that came with the result, or -1. aux travels both ways. */
struct xh_call {
	uint64_t w[8];
	uint64_t aux;
	int fd;
	int want_fd;    /* else an fd that comes with the result is closed */
	uint16_t flags; /* XH_F_NOPAGES for the request; then the result frame's XH_F_* */
	/* A copied lend (XH_F_INLINE): out_len bytes at out follow the frame;
	 * bytes that follow the result land in in (room for in_cap), in_len of
	 * them. */
	const void *out;
	size_t out_len;
	void *in;
	size_t in_cap, in_len;
};

/* Every transport failure (no broker configured, broker gone, a reply the
 * library cannot parse) is reported as this code. */
#define XH_ERR_TRANSPORT XOUS_ERR_INTERNAL_ERROR

xous_err_t xh_syscall(struct xh_call *c);
/* A syscall answered by a packet of up to cap frames (ReceiveMany): they
 * land in out[0..*n); c gets the first one's words and its fd, if any. */
xous_err_t xh_syscall_many(struct xh_call *c, struct xh_frame *out, size_t cap, size_t *n);
/* The calling thread's scratch of XH_INLINE_MAX bytes for copied lends,
 * or NULL (out of memory). */
void *xh_scratch(void);
/* Start a call: zeroed words, a0 = nr, no fd. */
void xh_call_init(struct xh_call *c, uint32_t nr);
/* Map a result to an error: OK if a0 == tag, the code of an Error result,
 * XH_ERR_TRANSPORT for anything unexpected. */
xous_err_t xh_expect(const struct xh_call *c, uint32_t tag);
/* Adopt fd as the calling thread's connection (a thread made by
 * xous_create_thread); it is closed when the thread ends. */
void xh_conn_adopt(int fd);
/* Close the calling thread's own connection now (not the process's). */
void xh_conn_release(void);
/* Make sure the process connection exists (attaching by XH_HELLO if needed);
 * the sandbox calls it before it forbids connect(). */
xous_err_t xh_conn_ensure_process(void);
/* Send syscall w[] ahead (XH_F_AHEAD: no answer) on the calling thread's
 * connection, or else the process's; nothing is made or waited for, so a
 * signal handler may call it (Exception). */
void xh_conn_send_unanswered(const uint64_t w[8]);
/* pager.c: note a fault for the pager (Exception, sent ahead); a signal
 * handler may call it. */
void xh_pager_exception(uint64_t type, uint64_t addr, uint64_t ip);
/* lend.c: the fault thread lends the page buf for the fault at addr to its
 * pager through cid (MutableBorrow, opcode XOUS_PAGE_FAULT_ID, offset
 * addr, valid 1 for a write); the broker admits no other thread's. */
xous_err_t xh_lend_fault(xous_cid_t cid, xous_range_t buf, uintptr_t addr, bool write);
/* The pid the broker gave in XH_HELLO's answer, or 0. */
xous_pid_t xh_conn_hello_pid(void);

/* Send-ahead slots (kcore/kcore.h, kc_send_ahead): send this Scalar
 * (Try)SendMessage ahead if the thread holds a slot on its cid; true if it
 * went (it is then queued, as far as the caller can know). Otherwise the
 * caller forgets the thread's slots (the broker gives them back on every
 * waited-for Scalar send; forget returns the withdrawals counter as it was
 * before the call), makes the call, and records what its OK grants. */
bool xh_send_ahead(const struct xh_call *c);
uint64_t xh_ahead_forget(void);
void xh_ahead_granted(uint64_t cid, uint64_t n, uint64_t seen);
/* The broker's withdrawals page: mapped yet? Map it from the fd that came
 * with a grant (the fd is closed). */
bool xh_withdrawals_mapped(void);
void xh_withdrawals_map(int fd);

/* getenv, but an empty value counts as unset. */
const char *xh_getenv(const char *name);

/* ---- mem.c: the registry of lendable regions ---- */

/* Register pages mapped from memfd fd at file offset foff. The registry
 * adopts fd (closing it when the last piece is unmapped); on failure the
 * caller still owns it. */
xous_err_t xh_region_add(uintptr_t addr, size_t len, int prot, int fd, uint64_t foff);
/* Is [addr, addr+len) entirely registered (possibly over several regions)? */
bool xh_region_covers(uintptr_t addr, size_t len);
/* Number of regions (for tests). */
size_t xh_region_count(void);

/* Lend [addr, addr+len), which must lie in one region: mark it lent, make
 * it PROT_NONE, and give its memfd (*fd, valid until xh_region_unlend; not
 * the caller's to close), the file offset of addr (*foff) and the
 * protection to restore (*prot). XOUS_ERR_BAD_ADDRESS if no single region holds it (the caller
 * bounces it), XOUS_ERR_SHARE_VIOLATION if part of it is lent already. */
xous_err_t xh_region_lend(uintptr_t addr, size_t len, int *fd, uint64_t *foff, int *prot);
/* The same for a lend that is copied: the len bytes go to *out first, and
 * the memfd is not needed. XOUS_ERR_BAD_ADDRESS also when the region's
 * protection does not allow reading (or, if writable, writing) the copy. */
xous_err_t xh_region_lend_copy(uintptr_t addr, size_t len, bool writable, void *out, int *prot);
/* The lend is answered: give the pages back with prot, or, if moved, unmap
 * them and forget them. */
void xh_region_unlend(uintptr_t addr, size_t len, int prot, bool moved);

/* A new sealed memfd of len bytes (a page multiple), or -1. */
int xh_memfd_new(size_t len);
/* len rounded up to whole pages; 0 if that overflows. */
size_t xh_page_round(size_t len);
bool xh_page_aligned(uintptr_t v);

/* ---- fork(): every lock of the library is held across it (conn.c's
 * pthread_atfork handlers call these), so that a child never inherits a lock
 * another thread held, nor a table half changed. ---- */
enum xh_fork_phase { XH_FORK_PREPARE, XH_FORK_PARENT, XH_FORK_CHILD };
void xh_thread_fork(enum xh_fork_phase phase);
void xh_recv_fork(enum xh_fork_phase phase); /* the child forgets held messages, the pool */
void xh_mem_fork(enum xh_fork_phase phase);

/* ---- sandbox.c ---- */
/* Narrow the sandbox to the named policy ("default", "host", "none"),
 * widened by allow (system call names separated by commas, or NULL);
 * XOUS_ERR_INVALID_ARGUMENT for an unknown name, XOUS_ERR_INTERNAL_ERROR if
 * the kernel refused. */
xous_err_t xh_sandbox_install(const char *policy, const char *allow);

#endif /* XOUS_HOST_INTERNAL_H */
