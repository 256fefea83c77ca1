/*
 * hostframe.h - the Linux transport between libxous-host and xous-hostd.
 *
 * Every message on a SOCK_SEQPACKET connection is exactly one struct
 * xh_frame (80 bytes, fixed), optionally with one fd in SCM_RIGHTS. The
 * receiver checks the size, magic and type before anything else; a frame it
 * cannot parse gets its sender's process disconnected.
 *
 * Connections: a process has one "process connection" (inherited as fd
 * $XOUS_FD when the broker launched it, or made by XH_HELLO on the attach
 * socket), which is also its main thread's connection. Every other thread
 * that makes syscalls has a connection of its own, made by the thread
 * itself: socketpair(), keep one end, pass the other to the broker either
 * with XH_ATTACH_THREAD on the process connection (a detached thread, e.g. a
 * plain pthread) or with the CreateThread syscall (a joinable thread). A
 * blocked thread is simply a connection whose syscall has no answer yet.
 */
#ifndef XOUS_HOSTFRAME_H
#define XOUS_HOSTFRAME_H

#include <signal.h>
#include <stdint.h>

#include <xous/abi.h>

#define XH_MAGIC 0x31484f58u /* "XOH1" little-endian */

enum xh_type {
	/* client -> broker: w = a0..a7 of a syscall. Memory kinds of
	 * (Try)SendMessage carry the memfd of the buffer as the frame's fd and
	 * aux = the buffer's byte offset in that memfd. CreateThread carries the
	 * broker's end of the new thread's connection. */
	XH_SYSCALL = 1,
	/* broker -> client: w = a0..a7 of a result. An envelope of a memory
	 * message carries an fd (read-only for a Borrow) and aux = the offset of
	 * the lent pages in it; the library maps them and fills in a4 (addr). */
	XH_RESULT = 2,
	/* client -> broker, on the process connection only: the frame's fd is the
	 * broker's end of a new detached thread's connection. No reply. */
	XH_ATTACH_THREAD = 3,
	/* client -> broker, first frame on a connection to the attach socket:
	 * w[0], w[1] = the 128-bit key the broker printed. Answered by an
	 * XH_RESULT with a0 = PROCESS_ID (a1 = pid) or ERROR. */
	XH_HELLO = 4,
	/* broker -> client, on a thread's connection: the thread's send-ahead
	 * slots are withdrawn (w[0] = their cid; the server died or the cid was
	 * disconnected). Sent before anyone else can learn the news; the
	 * library reads it before it sends ahead and skips it while it waits
	 * for a result. */
	XH_WITHDRAW = 5,
	/* client -> broker, first frame on a connection to the attach socket,
	 * instead of XH_HELLO: w[0], w[1] = the key. The connection becomes a
	 * control connection (xousctl): every later packet, both ways, is one
	 * message of idl/control.proto, the first an empty Reply that says the
	 * key was right. A wrong key is answered as for XH_HELLO. */
	XH_CONTROL = 6,
};

#define XH_F_FD 0x1u /* one fd travels with this frame */
/* On an XH_SYSCALL of a Scalar (Try)SendMessage: sent ahead on a slot that
 * the OK of the thread's last waited-for Scalar send granted (its a1); no
 * result comes back (kcore/kcore.h, kc_send_ahead). */
#define XH_F_AHEAD 0x2u

/* Small lends are copied, not mapped (a pass of the memfd and an mmap and
 * munmap in the server cost more than copying a few pages; docs/performance.md
 * has the crossover). On an XH_SYSCALL of a Borrow or MutableBorrow: the
 * buffer's len (w[5]) bytes follow the frame in the same packet, no fd. On
 * an XH_RESULT: the bytes of a MutableBorrow that the server had follow the
 * frame (its answer, or the error after its death, with its partial
 * writes). On an XH_SYSCALL of CreateProcess: its command line, w[2]
 * bytes (the task server's; docs/abi.md). */
#define XH_F_INLINE 0x4u
/* On an envelope: the lent bytes are in the receiver's pool (a memfd the
 * broker shares with it, XH_POOL_SIZE bytes) at offset aux; the first such
 * envelope carries the pool itself as its fd. */
#define XH_F_POOL 0x8u
/* On an XH_SYSCALL of a Borrow, MutableBorrow or Move, with no fd and no
 * bytes: the caller's pages could not be lent (not readable, or not
 * writable for a MutableBorrow). The broker answers BAD_ADDRESS and the
 * server receives GLOBAL_INVALID (docs/resea-global.md). */
#define XH_F_NOPAGES 0x10u

#define XH_INLINE_MAX (16u * 1024) /* the most a frame carries; one pool slot */
#define XH_POOL_SLOTS 64u          /* copied lends one process holds in its pool */
#define XH_POOL_SIZE  (XH_INLINE_MAX * XH_POOL_SLOTS)

struct xh_frame {
	uint32_t magic;
	uint16_t type;
	uint16_t flags;
	uint64_t aux;
	uint64_t w[8];
};

_Static_assert(sizeof(struct xh_frame) == 80, "frame is 80 bytes");

/* Environment of a process launched by the broker. */
#define XH_ENV_FD            "XOUS_FD"    /* the process connection's fd number */
#define XH_ENV_SOCKET        "XOUS_HOSTD" /* attach socket path, for processes started by hand */
#define XH_ENV_KEY           "XOUS_KEY"   /* 32 hex digits: the key for XH_HELLO */
#define XH_ENV_SANDBOX       "XOUS_SANDBOX" /* policy name for the library to install (fleet servers) */
#define XH_ENV_SANDBOX_ALLOW "XOUS_SANDBOX_ALLOW" /* system calls it adds (allow=), by name */
#define XH_ENV_DEBUG         "XOUS_DEBUG" /* a debugging tool runs it (debug=): it stays dumpable */
#define XH_ENV_FILE          "XOUS_FILE_FD" /* the fd of its host file (file=), opened read-write */

/* The exception (XOUS_EXC_*) a deadly signal stands for, on both sides of
 * the transport (the library's fault handler, the broker's reaper); 0 for
 * none. */
static inline uint32_t xh_signal_exception(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return XOUS_EXC_BAD_ACCESS;
	case SIGILL:
		return XOUS_EXC_ILLEGAL;
	case SIGSYS:
		return XOUS_EXC_SANDBOX;
	case SIGBUS:
		return XOUS_EXC_MISALIGNED;
	case SIGFPE:
		return XOUS_EXC_ARITHMETIC;
	case SIGTRAP:
		return XOUS_EXC_BREAKPOINT;
	case SIGABRT:
		return XOUS_EXC_ABORT;
	default:
		return 0;
	}
}

#endif /* XOUS_HOSTFRAME_H */
