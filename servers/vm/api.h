/*
 * The vm process's two servers, registered with the name server as "vm"
 * and "ool"; their opcodes and limits.
 *
 * "vm"
 *  1 AllocPages(num_pages, paddr)  BlockingScalar -> Scalar2(err, paddr):
 *      vm gives the caller the right to map those pages (PhysGrant, a fresh
 *      run when paddr is 0) and answers their physical address; the client
 *      maps them itself (MapMemory with phys). a3 = VM_GRANT_READ_ONLY
 *      gives a read-only right only.
 *
 * "ool" (seed 003's protocol; the buffers travel as lends, so it works the
 * same on both kernels; payloads are copied twice: into ool, out of it)
 *  1 Recv(addr, len)   BlockingScalar -> Scalar1(err): registers the
 *      caller's buffer at addr (its own address space) for one payload.
 *  2 Send              Borrow of a page-multiple buffer: struct ool_req
 *      {peer = dst, len} then the len bytes of the payload; answered with
 *      offset = err, valid = the payload's id (the address of the buffer
 *      it went to, in dst).
 *  3 Verify            MutableBorrow of a page-multiple buffer of at least
 *      len bytes: struct ool_req {peer = src, id, len}; ool writes the len
 *      bytes of the payload at its start; answered with offset = err,
 *      valid = len. The buffer at id is the caller's own again (a buffer
 *      takes one payload; ool_recv registers it anew).
 */
#ifndef XOUS_VM_API_H
#define XOUS_VM_API_H

#include <stdint.h>

#define VM_SERVER_NAME  "vm"
#define OOL_SERVER_NAME "ool"

enum vm_opcode {
	VM_OP_ALLOC_PAGES = 1,
};

enum ool_opcode {
	OOL_OP_RECV = 1,
	OOL_OP_SEND = 2,
	OOL_OP_VERIFY = 3,
};

#define VM_GRANT_READ_ONLY 1u
#define VM_MAX_PAGES       (256u * 1024) /* 1 GiB, the largest pool */

/* The request at the start of a Send or Verify buffer. */
struct ool_req {
	uint64_t peer; /* Send: the destination; Verify: the source */
	uint64_t id;   /* Verify: the payload's id */
	uint64_t len;  /* the payload's bytes */
};

#define OOL_MAX_LEN        (16u * 1024 * 1024) /* one payload, one buffer */
#define OOL_BUFS_PER_PROC  8                   /* buffers one process registers */
#define OOL_MAX_BUFS       64                  /* all processes together */
#define OOL_STAGED_PER_SRC (32u * 1024 * 1024) /* bytes one sender may have staged */

#endif
