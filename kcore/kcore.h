/*
 * kcore.h - the one portable message-passing core that both kernels link.
 *
 * It owns the semantics: processes, threads, servers, connections, bounded
 * queues, blocked callers, deferred answers, lending state and every error
 * decision. It is freestanding C11 (no libc beyond <stdint.h>, <stddef.h>,
 * <stdbool.h>), never allocates (all tables live in struct kc, sized at
 * compile time by the KC_* limits below) and makes no OS calls: everything
 * platform-specific goes through struct kc_ops.
 *
 * xous-hostd calls it from its frame handlers; kernel-riscv calls it from its
 * trap handler.
 *
 * The platform's callbacks (struct kc_ops), the contract of their order:
 * - They never call back into kcore, except its read-only introspection (a
 *   platform that must react, e.g. to a failed send, defers the reaction
 *   until kcore returns).
 * - Every syscall a thread makes gets exactly one result: ops->reply, or
 *   ops->deliver for an envelope, now or after the thread blocked, or the
 *   envelopes kc_receive_many returns; a send ahead (kc_send_ahead) none.
 * - The result that ends a memory message (its answer, or the error of a
 *   message that failed) comes through ops->reply with that message's
 *   memory, and ops->mem_done releases the memory only after that reply
 *   returned: during the reply the platform may still read the memory the
 *   server had (e.g. copy a MutableBorrow's bytes back to the caller).
 * - ops->withdraw reaches a thread before anything else can tell it that
 *   its send-ahead slots are gone.
 *
 * Register convention (CONTRACT section 1): a request is 8 words, a[0] is the
 * syscall number; a result is 8 words, a[0] is the result tag.
 *   SendMessage/TrySendMessage: a1 cid, a2 kind, a3 id, a4..a7 scalar args or
 *     (addr, len, offset, valid) for memory kinds.
 *   Envelope result: a0 MESSAGE_ENVELOPE, a1 sender, a2 kind, a3 id,
 *     a4..a7 args, or (addr, len, offset, valid); addr is set by ops->deliver.
 *   Borrow/MutableBorrow answer: a0 MEMORY_RETURNED, a1 offset, a2 valid.
 *   ReturnMemory's a6: 0, or an error (1..XOUS_ERR_MAX) its caller gets
 *     instead: a refusal, by a server that could not take the message.
 *   Error: a0 ERROR, a1 code.
 * See docs/abi.md for the full table.
 */
#ifndef KCORE_H
#define KCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xous/abi.h>

/* Limits. Each kernel may override them with -D; the unit tests use small ones. */
#ifndef KC_MAX_PROCS
#define KC_MAX_PROCS 64 /* pid 1 is the kernel/broker itself */
#endif
#ifndef KC_MAX_THREADS
#define KC_MAX_THREADS 256 /* all processes together */
#endif
#ifndef KC_MAX_SERVERS
#define KC_MAX_SERVERS 128
#endif
#ifndef KC_MAX_MSGS
#define KC_MAX_MSGS 1024 /* queued plus held (received, not yet answered) */
#endif
#ifndef KC_MAX_CONNS
#define KC_MAX_CONNS 64 /* connection ids per process */
#endif
#ifndef KC_QUEUE_DEPTH
#define KC_QUEUE_DEPTH 32 /* queued messages per server */
#endif
#ifndef KC_MAX_LENT_BYTES
#define KC_MAX_LENT_BYTES                                                                          \
	(64u * 1024 * 1024) /* bytes one process may have lent or moved out and unanswered */
#endif
#ifndef KC_MAX_THREADS_PER_PROC
#define KC_MAX_THREADS_PER_PROC 64
#endif
/*
 * Per-process quotas (CONTRACT promise 12): the most of a shared table one
 * process may hold, so that no process can take a table from the others.
 * Each defaults to the whole table (no quota of its own).
 *   servers: servers it owns; past it CreateServer* answers OUT_OF_MEMORY.
 *   msgs: messages it sent that are not finished (queued, waiting for
 *     queue room, or held by a server), plus its threads' send-ahead
 *     slots; past it TrySendMessage answers SERVER_QUEUE_FULL and
 *     SendMessage OUT_OF_MEMORY (at least KC_QUEUE_DEPTH, so that one
 *     server's queue can always be filled).
 *   mem_msgs: of those, the memory messages (Borrow, MutableBorrow, a Move
 *     not yet delivered): what the platform keeps for them (the broker's
 *     fds and copies); the same answers.
 *   children: live processes created on its behalf (kc_process_create_by:
 *     the processes it attached); past it OUT_OF_MEMORY.
 * Threads (KC_MAX_THREADS_PER_PROC) and lent bytes (KC_MAX_LENT_BYTES) are
 * per-process limits too.
 */
#ifndef KC_MAX_SERVERS_PER_PROC
#define KC_MAX_SERVERS_PER_PROC KC_MAX_SERVERS
#endif
#ifndef KC_MAX_MSGS_PER_PROC
#define KC_MAX_MSGS_PER_PROC KC_MAX_MSGS
#endif
#ifndef KC_MAX_MEM_MSGS_PER_PROC
#define KC_MAX_MEM_MSGS_PER_PROC KC_MAX_MSGS_PER_PROC
#endif
#ifndef KC_MAX_CHILDREN_PER_PROC
#define KC_MAX_CHILDREN_PER_PROC KC_MAX_PROCS
#endif
#ifndef KC_RECEIVE_MANY
#define KC_RECEIVE_MANY 1 /* envelopes one kc_receive_many may return (the platform's room) */
#endif
#ifndef KC_SEND_AHEAD
#define KC_SEND_AHEAD 0 /* send-ahead slots one thread may hold (0: none; see kc_send_ahead) */
#endif
#ifndef KC_MAX_RUNS
#define KC_MAX_RUNS 256 /* runs of the physical pool handed out (PhysGrant) */
#endif
#ifndef KC_MAX_RIGHTS
#define KC_MAX_RIGHTS 1024 /* rights to map a run, all processes together */
#endif
#ifndef KC_MAX_RIGHTS_PER_PROC
#define KC_MAX_RIGHTS_PER_PROC 64 /* runs one process may hold a right on */
#endif
#ifndef KC_MAX_ASYNC
#define KC_MAX_ASYNC 16 /* async messages queued, all processes together (notify.c) */
#endif
#ifndef KC_MAX_ASYNC_PER_PROC
#define KC_MAX_ASYNC_PER_PROC 4 /* of them, sent by one process and not yet pulled */
#endif
#ifndef KC_MAX_ROLES
#define KC_MAX_ROLES 16 /* well-known server ids kept for their roles (at most 32) */
#endif
#if KC_MAX_ROLES > 32
#error "KC_MAX_ROLES: a process's roles are the bits of one 32-bit word"
#endif

typedef uintptr_t kc_word;
typedef struct {
	kc_word a[8];
} kc_regs;

/* Thread handle: index into the kernel's thread table (not the user-visible tid). */
typedef uint32_t kc_thread;
#define KC_NO_THREAD ((kc_thread)-1)

/*
 * Memory attached to a memory message. The platform validates the caller's
 * buffer and fills this in before kc_syscall(); kcore copies it into the
 * message and gives it back through ops->deliver and ops->mem_done.
 */
typedef struct {
	kc_word addr, len;     /* the caller's range */
	kc_word offset, valid; /* the message's offset and valid fields */
	kc_word handle;        /* platform's own (an fd on Linux, page run on RV32) */
	kc_word handle2;       /* platform's own (fd offset on Linux) */
} kc_mem;

struct kc;

struct kc_ops {
	void *ctx;
	/*
	 * Give a thread the result of its syscall, now or after it blocked.
	 * m is the memory of the message this result ends (its answer, or its
	 * failure) if it is a memory message, else NULL; mem_done for m comes
	 * after this call returns.
	 */
	void (*reply)(void *ctx, kc_thread t, const kc_regs *r, const kc_mem *m);
	/*
	 * Give an envelope to a thread in (Try)ReceiveMessage, ReceiveMany or
	 * ReplyAndReceiveNext. For memory kinds m is the message's memory and the
	 * platform maps it into the receiver, writing the receiver's address into
	 * env->a[4]. Returns 0, or an error code: then the message fails back to
	 * its caller with that error and the receiver keeps waiting.
	 */
	uint32_t (*deliver)(void *ctx, kc_thread t, kc_regs *env, const kc_mem *m);
	/*
	 * kcore is finished with a message's memory: it was returned, or the
	 * message was dropped (undelivered, server died, caller died), after the
	 * reply that ended it (if its caller waited). caller_pid is 0 if the
	 * caller is gone; server_pid is 0 if it was never delivered. Not called
	 * for a Move that was delivered: those pages are the server's.
	 */
	void (*mem_done)(void *ctx, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m);
	/* 128 unguessable bits for a new server id. */
	void (*random_sid)(void *ctx, uint32_t w[4]);
	/*
	 * Thread t lost its send-ahead slots on cid (the server died, or its
	 * process disconnected cid). Called before anyone else hears of it, so
	 * the platform tells t first. May be NULL if KC_SEND_AHEAD is 0.
	 */
	void (*withdraw)(void *ctx, kc_thread t, kc_word cid);
	/*
	 * The physical pool (kc_phys_init). phys_alloc backs a new run
	 * [base, base+size) with zeroed memory and gives its handle; it answers
	 * MEMORY_IN_USE when those addresses cannot be taken now (kcore then
	 * tries higher ones) or another error that ends the allocation.
	 * phys_free: the run's last right is gone (its pages live on while
	 * mapped). Both may be NULL when there is no pool.
	 */
	uint32_t (*phys_alloc)(void *ctx, kc_word base, kc_word size, kc_word *handle);
	void (*phys_free)(void *ctx, kc_word base, kc_word size, kc_word handle);
};

/*
 * Sender tokens name one message until it is answered, and carry the
 * caller's pid, stamped by the kernel (servers such as the name server and
 * the log server rely on it). Never 0 (generations start at 1). The top two
 * bits are flags of ReplyAndReceiveNext: the top one answers a
 * BlockingScalar with Scalar2(a6, a7), both together with Scalar1(a6). The
 * layout is the ABI's (<xous/abi.h>).
 */
#define KC_SENDER_SLOT_BITS      XOUS_SENDER_SLOT_BITS
#define KC_SENDER_GEN_BITS       XOUS_SENDER_GEN_BITS
#define KC_SENDER_PID_SHIFT      XOUS_SENDER_PID_SHIFT
#define KC_SENDER_PID_BITS       XOUS_SENDER_PID_BITS
#define KC_SENDER_SCALAR_ANSWER  ((kc_word)XOUS_SENDER_SCALAR_ANSWER)
#define KC_SENDER_SCALAR1_ANSWER ((kc_word)XOUS_SENDER_SCALAR1_ANSWER)
#if KC_MAX_MSGS > (1 << KC_SENDER_SLOT_BITS) || KC_MAX_PROCS >= (1 << KC_SENDER_PID_BITS)
#error "KC_MAX_MSGS or KC_MAX_PROCS too large for the sender token"
#endif
#if KC_MAX_MSGS_PER_PROC < KC_QUEUE_DEPTH && KC_MAX_MSGS_PER_PROC < KC_MAX_MSGS
#error "KC_MAX_MSGS_PER_PROC must let one process fill a server's queue"
#endif

/* Set up an empty kernel; pid 1 (the kernel itself) exists afterwards. */
void kc_init(struct kc *k, const struct kc_ops *ops);

/* Processes and threads (platform-driven; CreateThread and process launch are
 * platform syscalls that use these). Return 0 or an xous error. */
uint32_t kc_process_create(struct kc *k, uint32_t *pid, kc_thread *main_thread);
/* The same on behalf of process parent (one that attached or launched
 * another): the new process counts against parent's
 * KC_MAX_CHILDREN_PER_PROC while it lives (OUT_OF_MEMORY past it;
 * PROCESS_NOT_FOUND if parent is not alive). parent 0: the kernel's own
 * process, as kc_process_create (no quota); parent 1 is the kernel too, but
 * charged: the platform's bucket for processes whose parent it cannot name. */
uint32_t kc_process_create_by(struct kc *k, uint32_t parent, uint32_t *pid, kc_thread *main_thread);
/* The one death path: its servers die (their callers get SERVER_NOT_FOUND),
 * its pending messages are dropped, messages it sent and that are held by a
 * server become orphans whose later answer succeeds quietly. */
void kc_process_exit(struct kc *k, uint32_t pid);
/*
 * Tasks (tasks.c): CreateProcess and the task server's calls, ExitNotify
 * and PidHold (xous/abi.h), are the task server's: the holder of the role
 * of XOUS_NAME_TASK (none if that id is no role). kc_process_exit_status
 * is the death path with the process's exit status (kc_process_exit gives
 * 0): the status the task server's exit notice carries. KC_STATUS_LATER:
 * the platform does not know it yet and gives it with kc_process_status
 * once it does (the broker, when it reaps the child); until then the pid
 * is not given to a new process.
 */
#define KC_STATUS_LATER 0xffffffffu
void kc_process_exit_status(struct kc *k, uint32_t pid, uint32_t status);
void kc_process_status(struct kc *k, uint32_t pid, uint32_t status);
/*
 * Pagers (pager.c, docs/resea-pager.md). kc_process_exception: process pid
 * (alive, or ended and its slot not yet reused) faulted: its pager, or
 * else the default pager, gets Scalar(GLOBAL_EXCEPTION, pid, type, addr,
 * ip) from pid 1 (types XOUS_EXC_*); call it before the death path's
 * notice (kc_process_exit_status or kc_process_status) so the pager hears
 * first. kc_process_pager: the server slot of live pid's pager, or KC_NIL.
 * kc_page_fault: thread t (running) touched addr, not yet present, of a
 * paged region; it sends its pager a MutableBorrow of the page at page
 * (mem: taken from t as for a send), opcode XOUS_PAGE_FAULT_ID, offset
 * addr, valid 1 for a write; the answer (or the error if the pager dies)
 * reaches t through ops->reply as for any MutableBorrow. -1 if t may not
 * send now or has no pager (nothing sent, mem not released).
 * kc_fault_thread: live thread t becomes its process's fault thread, the
 * one whose sends of that shape (a MutableBorrow of one page, opcode
 * XOUS_PAGE_FAULT_ID, its offset past its len) reach the process's pager;
 * for any other thread, or toward another server, they are
 * INVALID_ARGUMENT. For a platform whose page faults a thread of the
 * process itself reports (Linux: FaultThread, xous/abi.h); a kernel that
 * sends them itself (kc_page_fault) never calls it. Once per process:
 * ALREADY_EXISTS after that; INVALID_THREAD for no live thread.
 */
void kc_process_exception(struct kc *k, uint32_t pid, kc_word type, kc_word addr, kc_word ip);
uint32_t kc_process_pager(const struct kc *k, uint32_t pid);
int kc_page_fault(struct kc *k, kc_thread t, kc_word page, kc_word addr, bool write,
                  const kc_mem *mem);
/*
 * kc_abi_hook_call: thread t (running) of a hooked task made a system call;
 * it sends server s (a slot, the task's hook) a MutableBorrow of the frame
 * page at page (mem: taken from t as for a send), opcode GLOBAL_ABI_HOOK,
 * offset 0, valid the frame's length; the answer reaches t through
 * ops->reply. -1 if t may not send now or s cannot be reached (nothing
 * sent, mem not released).
 */
int kc_abi_hook_call(struct kc *k, kc_thread t, uint32_t s, kc_word page, kc_word valid,
                     const kc_mem *mem);
uint32_t kc_fault_thread(struct kc *k, kc_thread t);
/* CreateProcess's check: 0 if thread t's process is the task server, else
 * ACCESS_DENIED. */
uint32_t kc_task_check(const struct kc *k, kc_thread t);
/* CreateProcess's new process, on behalf of the task server t (its child
 * for the quotas): ACCESS_DENIED, or as kc_process_create_by. Once it has
 * ended its pid is kept until the task server releases it (PidHold). */
uint32_t kc_process_launch(struct kc *k, kc_thread t, uint32_t *pid, kc_thread *main_thread);
/*
 * CreateProcess's command line: s holds len bytes and room for one more.
 * Split on spaces (runs of them; no quoting) into argv[0..*argc), NUL-
 * terminated in place. INVALID_ARGUMENT: len 0 or past XOUS_CMDLINE_MAX, a
 * control byte (below 0x20, 0x7f), no word, more than max words (at most
 * XOUS_CMDLINE_ARGS); NOT_FOUND: the program name holds '/' or "..".
 */
uint32_t kc_cmdline_split(char *s, size_t len, char *argv[], uint32_t max, uint32_t *argc);
/*
 * Roles: well-known server ids kept for the processes the platform starts
 * for them (its fleet servers). kc_role_define makes sid a role and gives
 * its number (the same one if sid already is a role; OutOfMemory past
 * KC_MAX_ROLES; InvalidArgument for the id 0). From then on only a process
 * that holds the role may create a server with that id (others:
 * AccessDenied), and no random id is ever that id. kc_process_set_role
 * gives a live process a role (ProcessNotFound, InvalidArgument for an
 * unknown role); a new process holds none. A role outlives the processes
 * that held it: while none holds it, nobody can take its id.
 * ConnectForProcess is the name server's: the owner of the
 * xous-name-server server, which must hold that id's role if it is one.
 */
uint32_t kc_role_define(struct kc *k, const uint32_t sid[4], uint32_t *role);
uint32_t kc_process_set_role(struct kc *k, uint32_t pid, uint32_t role);

/* joinable: a JoinThread will collect it (and its tid stays taken until then). */
uint32_t kc_thread_create(struct kc *k, uint32_t pid, bool joinable, kc_thread *t);
void kc_thread_exit(struct kc *k, kc_thread t, kc_word retval);

/*
 * Handle one syscall of thread t (which must be running, i.e. not blocked).
 * The result reaches t through ops->reply, now or later (then t is blocked).
 * mem is the memory of a memory-kind SendMessage/TrySendMessage (NULL
 * otherwise; ignored and released through mem_done if the call fails).
 * Returns 0, or -1 if t may not make a syscall now (it is blocked, or not a
 * thread): a protocol violation the platform answers by dropping the process.
 */
int kc_syscall(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem);

/*
 * Send-ahead slots (a platform whose syscalls cost a round trip between
 * processes, i.e. the Linux broker): CONTRACT 4.2 says a Scalar returns once
 * it is queued, and a thread that must hear "queued" from the broker for
 * every Scalar pays a round trip each. So when a waited-for Scalar
 * (Try)SendMessage succeeds, its OK answer carries in a1 a number of slots
 * (at most KC_SEND_AHEAD, at most half of the queue room left): room kept
 * in the server's queue for this thread's next Scalars on the same cid,
 * which it then sends with kc_send_ahead() and does not wait for: their
 * room is already theirs. Any waited-for Scalar send gives the thread's
 * slots back first (the answer then grants new ones); so do its end and
 * ops->withdraw (server gone, cid disconnected), which the platform passes
 * on to the thread before anything else can tell it the news.
 *
 * kc_send_ahead: a Scalar (Try)SendMessage of t's that gets no answer at
 * all. On a slot it is queued or delivered at once; without one (withdrawn
 * while the message was on its way) it is a TrySendMessage whose answer
 * nobody reads. Returns 0, or -1 if t may not send now or the call is not
 * a Scalar send (a protocol violation, as for kc_syscall).
 */
int kc_send_ahead(struct kc *k, kc_thread t, const kc_regs *in);

/*
 * ReceiveMany, for a platform whose one syscall result can carry several
 * envelopes (the broker sends them as one packet). in is the syscall
 * (a0 XOUS_SYS_RECEIVE_MANY, a1..a4 the sid, a5 the most envelopes wanted;
 * 0 or more than KC_RECEIVE_MANY: KC_RECEIVE_MANY). While the messages at
 * the head of the server's queue need no pages (Scalar, BlockingScalar),
 * up to that many of them are taken, in order, into env[0..*n-1]: they are
 * t's result, t keeps running, and neither ops->reply nor ops->deliver is
 * called for them. If none is taken (*n is 0) the call is exactly a
 * ReceiveMessage: its result reaches t through ops->deliver or ops->reply,
 * now or later. Returns 0, or -1 as kc_syscall does (then *n is 0).
 *
 * kc_syscall answers XOUS_SYS_RECEIVE_MANY as a ReceiveMessage: one
 * envelope, through ops->deliver (a platform whose result is one set of
 * registers).
 */
int kc_receive_many(struct kc *k, kc_thread t, const kc_regs *in, kc_regs env[KC_RECEIVE_MANY],
                    uint32_t *n);

/*
 * Async messages (notify.c; xous/abi.h: AsyncSend, AsyncRecv), whose bytes
 * the platform carries: kc_async_send queues the len bytes at data (at
 * most XOUS_ASYNC_MAX) for the syscall in (a0 XOUS_SYS_ASYNC_SEND, a1 dst,
 * a2 opcode), its result through ops->reply. kc_async_recv takes the
 * oldest message in->a[1] queued for t's process into buf (room for
 * in->a[3] bytes, the caller's, or XOUS_ASYNC_MAX if that is less): its
 * result is *out,
 * Scalar2(opcode, len) or an error, which the platform gives t with the
 * len bytes; ops->reply is not called. Both return 0, or -1 as kc_syscall
 * does. The bytes move once, between data or buf and kcore's table,
 * through copy: the platform's way to reach them where they are (e.g. the
 * caller's own memory, checked beforehand); NULL when they are in the
 * platform's memory. kc_async_count: messages queued from pid (0: all),
 * for tests.
 */
typedef void kc_copy_fn(void *dst, const void *src, size_t len);
int kc_async_send(struct kc *k, kc_thread t, const kc_regs *in, const void *data, size_t len,
                  kc_copy_fn *copy);
int kc_async_recv(struct kc *k, kc_thread t, const kc_regs *in, void *buf, kc_regs *out,
                  kc_copy_fn *copy);
uint32_t kc_async_count(const struct kc *k, uint32_t pid);

/*
 * Physical memory (docs/abi.md, "Physical memory"). The platform names its
 * pool, [base, base+size), page aligned (size 0: none), and which processes
 * may do more than map what they were granted: KC_PHYS_POOL (the pool's
 * manager, the vm server: PhysGrant, and MapMemory of any page of a live
 * run) and KC_PHYS_DEVICES (MapMemory outside the pool: device registers);
 * a new process has neither. kc_phys_check decides a MapMemory(phys):
 * inside the pool, the range must lie in one live run and the process must
 * hold a right on it (writable for XOUS_MEM_W), or be the manager
 * (ACCESS_DENIED otherwise; BAD_ADDRESS for the manager where no run is);
 * outside it, only a KC_PHYS_DEVICES process (ACCESS_DENIED), and then
 * out->device is set: what is there is the platform's to decide.
 */
#define KC_PHYS_POOL    1u
#define KC_PHYS_DEVICES 2u
struct kc_phys_map {
	bool device;                /* outside the pool */
	kc_word run_base, run_size; /* the run that holds the range */
	kc_word handle;             /* its phys_alloc handle */
};
void kc_phys_init(struct kc *k, kc_word base, kc_word size);
uint32_t kc_process_set_phys(struct kc *k, uint32_t pid, uint32_t flags);
uint32_t kc_phys_check(struct kc *k, uint32_t pid, kc_word paddr, kc_word size, kc_word flags,
                       struct kc_phys_map *out);
/* Live runs and rights (for tests and the process table). */
void kc_phys_counts(const struct kc *k, uint32_t *runs, uint32_t *rights);

/* Introspection for platforms and tests (read-only; callbacks may use it). */
uint32_t kc_thread_pid(const struct kc *k, kc_thread t);
uint32_t kc_thread_tid(const struct kc *k, kc_thread t);
bool kc_thread_blocked(const struct kc *k, kc_thread t);
kc_thread kc_thread_find(const struct kc *k, uint32_t pid, uint32_t tid);
bool kc_process_alive(const struct kc *k, uint32_t pid);
uint32_t kc_process_servers(const struct kc *k, uint32_t pid); /* servers pid owns now */
struct kc_counts {
	uint32_t procs, threads, servers, msgs, conns;
	uint64_t lent_bytes;
	uint64_t sent, answered; /* totals since kc_init */
	/* send-ahead slots held by threads and kept by servers (always equal),
	 * and servers whose queue plus kept room exceeds KC_QUEUE_DEPTH (always 0) */
	uint32_t ahead, reserved, overfull;
};
void kc_counts(const struct kc *k, struct kc_counts *out);
/* What process pid holds against its quotas (all 0 if it is not alive). */
struct kc_usage {
	uint32_t servers, msgs, mem_msgs, ahead, children, threads;
	uint64_t lent_bytes;
};
void kc_process_usage(const struct kc *k, uint32_t pid, struct kc_usage *out);

/*
 * Views for a platform's tools (kcore/inspect.c; read-only, callbacks may
 * use them). A server is named by its slot (0 .. KC_MAX_SERVERS - 1).
 */
enum kc_wait {
	KC_WAIT_NONE,    /* no such thread */
	KC_WAIT_RUNNING, /* not in a syscall kcore holds */
	KC_WAIT_RECEIVE, /* for a message to its server */
	KC_WAIT_REPLY,   /* for the answer to its message */
	KC_WAIT_SEND,    /* for room in a server's queue */
	KC_WAIT_CONNECT, /* for a server id to exist */
	KC_WAIT_JOIN,    /* for a thread of its process to end */
};
struct kc_thread_info {
	uint32_t pid, tid;
	enum kc_wait wait;
	uint32_t server; /* the server waited on or received on, or KC_NIL */
	uint32_t owner;  /* that server's owner */
	uint32_t sid[4]; /* that server's id; KC_WAIT_CONNECT: the awaited id */
	uint32_t kind;   /* REPLY, SEND: the message's kind and id; JOIN: id is the tid */
	kc_word id;
};
struct kc_server_info {
	uint32_t sid[4];
	uint32_t owner;
	uint32_t queued, room;  /* in its queue; room left (send-ahead slots kept count as used) */
	uint32_t waiting, held; /* senders waiting for room; received and not answered */
	uint32_t receivers;     /* threads waiting in ReceiveMessage */
	uint32_t conns;         /* connection ids that name it */
};
enum kc_wait kc_thread_wait(const struct kc *k, kc_thread t);
bool kc_thread_info(const struct kc *k, kc_thread t, struct kc_thread_info *out);
bool kc_server_info(const struct kc *k, uint32_t server, struct kc_server_info *out);
uint32_t kc_server_slot(const struct kc *k, const uint32_t sid[4]);   /* KC_NIL if none */
uint32_t kc_conn_slot(const struct kc *k, uint32_t pid, kc_word cid); /* KC_NIL if none */
kc_thread kc_sender_caller(const struct kc *k,
                           kc_word sender); /* the thread a token's caller waits in */

/* The state itself lives here so that a kernel can place it statically. */
#include "kcore_state.h"

#endif /* KCORE_H */
