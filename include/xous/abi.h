/*
 * xous/abi.h - the ABI numbers of the contract (docs/contract.md section 1).
 *
 * Freestanding: included by the Linux broker, libxous-host, the RV32 kernel
 * and its user runtime alike. Numbers follow Xous so traces read the same.
 */
#ifndef XOUS_ABI_H
#define XOUS_ABI_H

#include <stdint.h>

#define XOUS_PAGE_SIZE 4096u

/* Syscall numbers (a0 of a request). */
#define XOUS_SYS_MAP_MEMORY                 2
#define XOUS_SYS_YIELD                      3
#define XOUS_SYS_CLAIM_INTERRUPT            5
#define XOUS_SYS_FREE_INTERRUPT             6
#define XOUS_SYS_WAIT_EVENT                 9
#define XOUS_SYS_UPDATE_MEMORY_FLAGS        12
#define XOUS_SYS_CREATE_SERVER_WITH_ADDRESS 14
#define XOUS_SYS_RECEIVE_MESSAGE            15
#define XOUS_SYS_SEND_MESSAGE               16
#define XOUS_SYS_CONNECT                    17
#define XOUS_SYS_CREATE_THREAD              18
#define XOUS_SYS_UNMAP_MEMORY               19
#define XOUS_SYS_RETURN_MEMORY              20
#define XOUS_SYS_CREATE_PROCESS             21
#define XOUS_SYS_TERMINATE_PROCESS          22
#define XOUS_SYS_SHUTDOWN                   23
#define XOUS_SYS_TRY_SEND_MESSAGE           24
#define XOUS_SYS_TRY_CONNECT                25
#define XOUS_SYS_RETURN_SCALAR1             26
#define XOUS_SYS_RETURN_SCALAR2             27
#define XOUS_SYS_TRY_RECEIVE_MESSAGE        28
#define XOUS_SYS_CREATE_SERVER              29
#define XOUS_SYS_CONNECT_FOR_PROCESS        30
#define XOUS_SYS_CREATE_SERVER_ID           31
#define XOUS_SYS_GET_THREAD_ID              32
#define XOUS_SYS_GET_PROCESS_ID             33
#define XOUS_SYS_DESTROY_SERVER             34
#define XOUS_SYS_DISCONNECT                 35
#define XOUS_SYS_JOIN_THREAD                36
#define XOUS_SYS_VIRT_TO_PHYS               39
#define XOUS_SYS_RETURN_SCALAR5             40
#define XOUS_SYS_REPLY_AND_RECEIVE_NEXT     41

/* Extensions, outside Xous's numbers; both kernels answer them.
 * ProcessName(a1 pid): Scalar5(a1..a5) holds the name the kernel knows the
 * process by (its program's file name), NUL-padded, in the words' memory
 * order; PROCESS_NOT_FOUND if there is no such process. */
#define XOUS_SYS_PROCESS_NAME 1100
/* ReceiveMany(a1..a4 sid, a5 max): as ReceiveMessage, but when the first
 * message is a Scalar or BlockingScalar, the Scalars and BlockingScalars
 * queued right behind it come too, up to max in all (at most the kernel's
 * own limit: 32 on Linux, 1 on kernel-riscv). Linux sends them as one
 * packet of envelope frames. */
#define XOUS_SYS_RECEIVE_MANY 1101
/* ServerOwner(a1..a4 sid): ProcessID(a1) of the process that created the
 * server; SERVER_NOT_FOUND if there is none. The name server's alone, as
 * ConnectForProcess (ACCESS_DENIED for anyone else). */
#define XOUS_SYS_SERVER_OWNER 1102
/* PhysGrant(a1 to, a2 paddr, a3 size, a4 flags): the pool manager's (the
 * process the fleet names phys=pool: the vm server) alone, ACCESS_DENIED for
 * anyone else. Gives the right to map [paddr, paddr+size) of the physical
 * pool with MapMemory(phys), writable if flags has XOUS_MEM_W, to `to`: the
 * sender token of a message the caller holds (its caller gets the right), or
 * 0 (the caller itself). paddr 0: a fresh zeroed run of size bytes
 * (OUT_OF_MEMORY if the pool has no room); else the range must lie inside one
 * run already handed out (ACCESS_DENIED otherwise). MemoryRange(a1 paddr,
 * a2 size). A run lives while some process holds a right on it; rights end
 * with their process or PhysRelease (docs/abi.md, "Physical memory"). */
#define XOUS_SYS_PHYS_GRANT 1103
/* PhysRelease(a1 paddr): the caller gives up its right on the run that holds
 * paddr (BAD_ADDRESS if it holds none); the run ends with its last right. */
#define XOUS_SYS_PHYS_RELEASE 1105
/* CreateProcess (21) takes a1 addr, a2 len: the command line, "prog arg1
 * arg2", 1 to XOUS_CMDLINE_MAX bytes split on spaces (no quoting) into at
 * most XOUS_CMDLINE_ARGS words; on Linux the bytes travel in the frame
 * (XH_F_INLINE) and a1 is 0. ProcessID(a1) of the new process. It and the
 * two calls below are the task server's alone: the holder of the role
 * XOUS_NAME_TASK (ACCESS_DENIED for anyone else). */
#define XOUS_CMDLINE_MAX  1024
#define XOUS_CMDLINE_ARGS 32
/* ExitNotify(a1..a4 sid, a5 id): from now on, whenever any process ends,
 * the kernel sends sid (a server of the caller's) Scalar(id, pid, status,
 * 0, 0), sender pid 1; status is the exit code 0..255, or 256 + the signal
 * (Linux) or the fault cause scause (kernel-riscv) that ended it. A notice
 * that finds the queue full waits in the kernel (nothing is lost) until
 * there is room. Ok. */
#define XOUS_SYS_EXIT_NOTIFY 1104
/* PidHold(a1 op, a2 pid): op XOUS_PID_RESERVE: ProcessID(a1) of a pid that
 * no process has and none is given until it is released; op
 * XOUS_PID_RELEASE: Ok, the pid of a reservation, or of a process that
 * CreateProcess made and that ended (kept until released), is free again;
 * NOT_FOUND if pid is neither, INVALID_ARGUMENT if a process has it now.
 * Needs the caller's ExitNotify server (SERVER_NOT_FOUND without); when
 * that server goes, its reservations and kept pids go too. */
#define XOUS_SYS_PID_HOLD 1106
#define XOUS_PID_RESERVE  0
#define XOUS_PID_RELEASE  1
/* An exit status past the exit codes: 256 + a signal or fault cause. */
#define XOUS_STATUS_SIGNALED 256u
/* ServerLabel(a1..a4 sid, a5 len), the name's len bytes after the frame
 * (Linux: XH_F_INLINE): the name server tells the broker the name it
 * registered sid under, for xousctl's listings (len 0: forget it). OK; the
 * name server's alone (ACCESS_DENIED for anyone else); kernel-riscv does
 * not keep names (its name server does not call it). */
#define XOUS_SYS_SERVER_LABEL 1107
/* SetNotifyServer(a1..a4 sid): the caller's notifications land on sid, a
 * server of its own (SERVER_NOT_FOUND, ACCESS_DENIED otherwise). The next
 * receive on it, whenever bits are pending, takes Scalar(GLOBAL_NOTIFICATIONS,
 * all pending bits) from sender pid 1 ahead of any queued message, and clears
 * them (<resea/global.h>, docs/resea-global.md). Ok. */
#define XOUS_SYS_SET_NOTIFY_SERVER 1108
/* Notify(a1 task, a2 bits): bits become pending for task, merged with those
 * it has (PROCESS_NOT_FOUND if no such task). Ok. */
#define XOUS_SYS_NOTIFY 1109
/* AsyncSend(a1 dst, a2 opcode, a3 addr, a4 len): queues len bytes (at most
 * XOUS_ASYNC_MAX, INVALID_ARGUMENT past it) for dst and makes NOTIFY_ASYNC
 * pending for it; on Linux the bytes travel in the frame (XH_F_INLINE) and
 * a3 is 0. SERVER_QUEUE_FULL past the sender's quota of queued messages or
 * the kernel's table; PROCESS_NOT_FOUND for no such dst. Ok. */
#define XOUS_SYS_ASYNC_SEND 1110
/* AsyncRecv(a1 src, a2 addr, a3 cap): takes the oldest message src queued
 * for the caller: Scalar2(a1 opcode, a2 len), its bytes at addr (on Linux
 * after the result frame, XH_F_INLINE, and a2 is 0). NOT_FOUND when none is
 * queued; NO_SPACE when cap is smaller than len (the message stays queued). */
#define XOUS_SYS_ASYNC_RECV 1111
#define XOUS_ASYNC_MAX      4096u
/* The kernel's own messages and notification bits these calls use, the
 * values of <resea/global.h>'s GLOBAL_* and NOTIFY_*. A memory message that
 * cannot be delivered intact (its pages cannot be taken from the caller or
 * mapped into the server) answers its caller BAD_ADDRESS with the lend
 * untouched, and its server gets Scalar(XOUS_GLOBAL_INVALID, the message's
 * opcode, the caller's pid) from sender pid 1, where its queue has room. */
#define XOUS_GLOBAL_NOTIFICATIONS 0x7f000001u
#define XOUS_GLOBAL_INVALID       0x7f000003u
#define XOUS_NOTIFY_ASYNC         0x2u
/* SetPager(a1 task, a2..a5 sid): the server sid (which must exist:
 * SERVER_NOT_FOUND) becomes the pager of process task (PROCESS_NOT_FOUND if
 * none): its faults (Exception) and its paged memory go there; the id 0
 * gives it back to the default pager, the task server's ExitNotify server.
 * Allowed to the task itself, to the owner of its current pager (the task
 * server while it has the default) and to the task server (which does it
 * for the client that launched the task); ACCESS_DENIED for anyone else.
 * Ok. */
#define XOUS_SYS_SET_PAGER 1112
/* PagerOf(): ServerID(a1..a4) of the caller's pager (its own, or else the
 * default); SERVER_NOT_FOUND if it has none. The Linux library connects
 * there to send its page faults (docs/resea-pager.md). */
#define XOUS_SYS_PAGER_OF 1113
/* Exception(a1 type, a2 address, a3 ip): Linux only, sent ahead
 * (XH_F_AHEAD, no answer; allowed even while the thread is blocked) by
 * libxous-host's fault handler just before its process dies of the fault:
 * the broker keeps the details for the exception its pager is told of once
 * the death is known. Types: XOUS_EXC_*. kernel-riscv takes them from its
 * trap (INVALID_SYSCALL as a syscall). */
#define XOUS_SYS_EXCEPTION 1114
/* PagedRegion(a1 len): kernel-riscv only: MemoryRange(a1 addr, a2 len) of
 * len bytes (rounded up to pages) of unmapped address space whose pages
 * the caller's pager supplies on first touch; on Linux libxous-host makes
 * such regions itself with userfaultfd (INVALID_SYSCALL from the broker). */
#define XOUS_SYS_PAGED_REGION 1115
/* The exception types of GLOBAL_EXCEPTION's third word (docs/resea-pager.md). */
#define XOUS_EXC_BAD_ACCESS 1 /* an access to memory it may not touch (SIGSEGV) */
#define XOUS_EXC_ILLEGAL    2 /* an illegal instruction (SIGILL) */
#define XOUS_EXC_SANDBOX    3 /* a system call its sandbox denies (SIGSYS); address: its number */
#define XOUS_EXC_MISALIGNED 4 /* a misaligned access, a bus error (SIGBUS) */
#define XOUS_EXC_ARITHMETIC 5 /* an arithmetic fault (SIGFPE) */
#define XOUS_EXC_BREAKPOINT 6 /* a breakpoint or trap instruction (SIGTRAP, ebreak) */
#define XOUS_EXC_PAGER      7 /* its pager died or answered a page fault wrongly */
#define XOUS_EXC_ABORT      8 /* it aborted (SIGABRT) */
/* The opcode of a page fault: GLOBAL_PAGE_FAULT of <resea/global.h>. Such a
 * MutableBorrow of one page carries the faulting address in its offset and
 * 1 (a write) or 0 (a read) in its valid. Its offset may lie past its len
 * only when the kernel sends it for the faulting thread (kernel-riscv) or
 * the process's fault thread (FaultThread) sends it to the process's
 * pager; any other send with offset > len is INVALID_ARGUMENT. */
#define XOUS_PAGE_FAULT_ID 0x7f000005u
/* The ABI hook's calls (<resea/abi_hook.h>, docs/resea-abi-hook.md): only
 * the owner of the hook server of task, and only while a call of task is
 * with it (ACCESS_DENIED otherwise; PROCESS_NOT_FOUND: task is not hooked).
 * AbiHookRead(a1 task, a2 addr, a3 len): Scalar1(n), the first n bytes of
 * task's memory at addr (n < len where it ends in unmapped memory; none:
 * BAD_ADDRESS); on Linux they follow the result frame (XH_F_INLINE), at
 * most XH_INLINE_MAX. AbiHookWrite(a1 task, a2 addr, a3 len), the len
 * bytes after the frame: Scalar1(n) written, as AbiHookRead. AbiHookFd(a1
 * task, a2 flags): Scalar1(fd), a new file descriptor of task that the
 * host reads as empty, for the hook to answer an open with (flags:
 * XOUS_ABI_HOOK_FD_CLOEXEC). 1119 is reserved for the hook. */
#define XOUS_SYS_ABI_HOOK_READ   1116
#define XOUS_SYS_ABI_HOOK_WRITE  1117
#define XOUS_SYS_ABI_HOOK_FD     1118
#define XOUS_ABI_HOOK_FD_CLOEXEC 1u
/* FaultThread(): Linux only: the calling thread becomes its process's fault
 * thread, the one that sends the process's page faults to its pager (the
 * thread of libxous-host that serves userfaultfd registers itself when it
 * starts). Once per process: ALREADY_EXISTS after that. Ok. kernel-riscv
 * sends page faults itself: INVALID_SYSCALL. */
#define XOUS_SYS_FAULT_THREAD 1120

/* Result tags (a0 of a reply). */
#define XOUS_RESULT_OK               0
#define XOUS_RESULT_ERROR            1
#define XOUS_RESULT_MEMORY_ADDRESS   2
#define XOUS_RESULT_MEMORY_RANGE     3
#define XOUS_RESULT_SERVER_ID        6
#define XOUS_RESULT_CONNECTION_ID    7
#define XOUS_RESULT_NEW_SERVER_ID    8
#define XOUS_RESULT_MESSAGE_ENVELOPE 9
#define XOUS_RESULT_THREAD_ID        10
#define XOUS_RESULT_PROCESS_ID       11
#define XOUS_RESULT_UNIMPLEMENTED    12
#define XOUS_RESULT_SCALAR1          14
#define XOUS_RESULT_SCALAR2          15
#define XOUS_RESULT_NONE             17
#define XOUS_RESULT_MEMORY_RETURNED  18
#define XOUS_RESULT_SCALAR5          20

/* ReplyAndReceiveNext: this top bit of a5 (the sender) asks for the
 * BlockingScalar form of the answer, Scalar2(a6, a7); with the bit below it
 * set too, Scalar1(a6). */
#define XOUS_SENDER_SCALAR_ANSWER  ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))
#define XOUS_SENDER_SCALAR1_ANSWER ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 2))

/* Sender tokens: the kernel names a message by its slot in the kernel's
 * message table, the slot's generation (never 0, so no token is 0) and the
 * caller's pid, each a field of the token at these bits. The top two bits
 * are never part of a token (they are the ReplyAndReceiveNext flags). */
#if UINTPTR_MAX > 0xffffffffu
#define XOUS_SENDER_SLOT_BITS 16 /* bits 0..15 */
#define XOUS_SENDER_GEN_BITS  15 /* bits 16..30 */
#define XOUS_SENDER_PID_SHIFT 32
#define XOUS_SENDER_PID_BITS  16 /* bits 32..47 */
#else
#define XOUS_SENDER_SLOT_BITS 10 /* bits 0..9 */
#define XOUS_SENDER_GEN_BITS  11 /* bits 10..20 */
#define XOUS_SENDER_PID_SHIFT 21
#define XOUS_SENDER_PID_BITS  9 /* bits 21..29 */
#endif
#ifndef __cplusplus
_Static_assert(XOUS_SENDER_SLOT_BITS + XOUS_SENDER_GEN_BITS <= XOUS_SENDER_PID_SHIFT,
               "slot and generation lie below the pid");
_Static_assert(XOUS_SENDER_PID_SHIFT + XOUS_SENDER_PID_BITS <= sizeof(uintptr_t) * 8 - 2,
               "the top two bits are never part of a token");
#endif

/* Message kinds, the same in requests and envelopes. */
#define XOUS_KIND_MUTABLE_BORROW  1
#define XOUS_KIND_BORROW          2
#define XOUS_KIND_MOVE            3
#define XOUS_KIND_SCALAR          4
#define XOUS_KIND_BLOCKING_SCALAR 5

/* Memory flags. */
#define XOUS_MEM_R 0x2u
#define XOUS_MEM_W 0x4u
#define XOUS_MEM_X 0x8u

/* Errors (xous_err_t); 0 is success. */
#define XOUS_OK                       0
#define XOUS_ERR_BAD_ALIGNMENT        1
#define XOUS_ERR_BAD_ADDRESS          2
#define XOUS_ERR_OUT_OF_MEMORY        3
#define XOUS_ERR_MEMORY_IN_USE        4
#define XOUS_ERR_INTERRUPT_NOT_FOUND  5
#define XOUS_ERR_INTERRUPT_IN_USE     6
#define XOUS_ERR_INVALID_STRING       7
#define XOUS_ERR_SERVER_EXISTS        8
#define XOUS_ERR_SERVER_NOT_FOUND     9
#define XOUS_ERR_PROCESS_NOT_FOUND    10
#define XOUS_ERR_PROCESS_NOT_CHILD    11
#define XOUS_ERR_PROCESS_TERMINATED   12
#define XOUS_ERR_TIMEOUT              13
#define XOUS_ERR_INTERNAL_ERROR       14
#define XOUS_ERR_SERVER_QUEUE_FULL    15
#define XOUS_ERR_THREAD_NOT_AVAILABLE 16
#define XOUS_ERR_UNHANDLED_SYSCALL    17
#define XOUS_ERR_INVALID_SYSCALL      18
#define XOUS_ERR_SHARE_VIOLATION      19
#define XOUS_ERR_INVALID_THREAD       20
#define XOUS_ERR_INVALID_PID          21
#define XOUS_ERR_UNKNOWN_ERROR        22
#define XOUS_ERR_ACCESS_DENIED        23
#define XOUS_ERR_USE_BEFORE_INIT      24
#define XOUS_ERR_DOUBLE_FREE          25
#define XOUS_ERR_DEBUG_IN_PROGRESS    26
#define XOUS_ERR_INVALID_LIMIT        27
#define XOUS_ERR_NOT_FOUND            28
#define XOUS_ERR_ALREADY_EXISTS       29
#define XOUS_ERR_VERSION_MISMATCH     30
#define XOUS_ERR_SERIALIZATION_ERROR  31
#define XOUS_ERR_INVALID_ARGUMENT     32
#define XOUS_ERR_INVALID_COORDINATE   33
#define XOUS_ERR_STORAGE_ERROR        34
#define XOUS_ERR_UNAVAILABLE          35
#define XOUS_ERR_MAX                  39 /* the largest kernel error */
/* Numbers from 64 are the project's own (servers' errors, never the kernel's). */
#define XOUS_ERR_NO_SPACE 64

/* Well-known server names: 16 ASCII bytes read as four little-endian words. */
#define XOUS_NAME_TICKTIMER "ticktimer-server"
#define XOUS_NAME_NAMES     "xous-name-server"
#define XOUS_NAME_LOG       "xous-log-server "
#define XOUS_NAME_TIME      "timeserverpublic"
/* The task server's role (no server has this id): CreateProcess, ExitNotify, PidHold. */
#define XOUS_NAME_TASK "xous-task-server"

#endif /* XOUS_ABI_H */
