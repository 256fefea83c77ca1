/*
 * kcore_state.h - the tables of struct kc, sized by the KC_* limits.
 *
 * Included at the end of kcore.h. Platforms only allocate a struct kc (or
 * place it statically) and call kc_init(); they never touch the fields.
 * Every index below is a slot number; KC_NIL marks "none".
 */
#ifndef KCORE_STATE_H
#define KCORE_STATE_H

#define KC_NIL 0xffffffffu

/* Thread states. */
enum kc_thread_state {
	KC_T_FREE = 0,
	KC_T_RUNNING,
	KC_T_RECV,    /* waits in a server's receiver FIFO (wait = server slot) */
	KC_T_REPLY,   /* waits for the answer to its message (wait = msg slot) */
	KC_T_CONNECT, /* waits for a server with sid to appear */
	KC_T_SEND,    /* its message waits for queue room (wait = msg slot) */
	KC_T_JOIN,    /* waits for thread tid `wait` of its process to end */
	KC_T_ZOMBIE,  /* joinable, ended, not yet joined (retval kept) */
};

/* Message states. */
enum kc_msg_state {
	KC_M_FREE = 0,
	KC_M_QUEUED,  /* in its server's queue */
	KC_M_PENDING, /* built, waits for queue room (caller in KC_T_SEND) */
	KC_M_HELD,    /* received, not yet answered, caller waits */
	KC_M_ORPHAN,  /* received, not yet answered, caller gone */
};

/* Why a slot that no process has is kept (bits of kc_proc.hold). */
enum kc_hold {
	KC_HOLD_RESERVED = 1, /* PidHold reserved it */
	KC_HOLD_KEPT = 2,     /* a launched process that ended, kept until released */
	KC_HOLD_STATUS = 4,   /* ended; the platform reports its status later */
	KC_HOLD_NOTICE = 8,   /* its exit notice waits for room in the notify queue */
};

/* A doubly-linked list of slots threaded through the elements. */
struct kc_list {
	uint32_t head, tail;
};

struct kc_thread_slot {
	uint8_t state; /* enum kc_thread_state */
	uint8_t joinable;
	uint8_t fault; /* pager.c: its process's fault thread (kc_fault_thread) */
	uint32_t pid, tid;
	uint32_t wait;       /* see the states */
	uint32_t next, prev; /* receiver FIFO links */
	uint32_t sid[4];     /* KC_T_CONNECT: the awaited server id */
	kc_word retval;      /* KC_T_ZOMBIE */
	uint32_t ahead;      /* send-ahead slots held on ahead_server through ahead_cid */
	uint32_t ahead_server;
	kc_word ahead_cid;
};

struct kc_conn {
	uint32_t server; /* server slot + 1; 0 = free cid */
	uint32_t gen;    /* the server's generation when connected */
};

struct kc_proc {
	uint8_t alive;
	uint32_t gen;      /* bumped on each create, so stale messages see a reused pid */
	uint32_t nthreads; /* live and zombie threads */
	kc_word lent;      /* bytes lent or moved out, unanswered */
	uint32_t roles;    /* bit r: it holds role r (kc_process_set_role) */
	uint32_t phys;     /* KC_PHYS_* (kc_process_set_phys) */
	uint32_t nrights;  /* rights it holds on runs of the physical pool */
	/* held against its quotas (kcore.h): servers it owns, messages it sent
	 * and not finished (mem: of them memory messages), its threads'
	 * send-ahead slots, live processes created on its behalf */
	uint32_t nservers, nmsgs, nmem, ahead, nchildren;
	uint32_t parent, parent_gen; /* charged to parent (0: nobody) */
	/* tasks.c: launched by CreateProcess; why the slot is kept while
	 * no process has it (KC_HOLD_*, 0: free); the status of its notice */
	uint8_t launched, hold;
	uint32_t status;
	/* notify.c: its notify server (slot + 1, 0: none) and that server's
	 * generation, its pending notification bits, the async messages it
	 * sent that wait in the table (its quota) */
	uint32_t nsrv, nsrv_gen, pending, nasync;
	uint32_t pager, pager_gen; /* pager.c: its pager (server slot + 1, 0: the default) */
	uint8_t fault_named;       /* pager.c: it has named its fault thread */
	uint32_t tids[KC_MAX_THREADS_PER_PROC / 32 + 1]; /* bit n: tid n taken */
	struct kc_conn conns[KC_MAX_CONNS];              /* cid n is conns[n - 1] */
};

struct kc_server {
	uint8_t alive;
	uint32_t owner; /* pid */
	uint32_t gen;   /* bumped on each create, so stale cids fail */
	uint32_t sid[4];
	uint32_t hnext;                      /* sid hash chain */
	uint32_t qcount;                     /* messages in queue */
	uint32_t reserved;                   /* send-ahead slots held by threads */
	struct kc_list queue, pending, held; /* messages */
	struct kc_list receivers;            /* threads in KC_T_RECV, FIFO */
};

/* An async message (notify.c): queued from src to dst until dst pulls it. */
struct kc_async {
	uint32_t src, src_gen; /* the sender and its generation (its quota) */
	uint32_t dst, dst_gen; /* the receiver and its generation */
	uint32_t next;         /* the table's FIFO, or the free list */
	uint32_t len;
	kc_word opcode;
	uint8_t data[XOUS_ASYNC_MAX];
};

/* A run of the physical pool: contiguous pages handed out by PhysGrant. */
struct kc_run {
	uint8_t used;
	kc_word base, size;
	kc_word handle;  /* the platform's (phys_alloc) */
	uint32_t rights; /* rights held on it; the run ends at 0 */
};

/* A process's right to map a run (MapMemory with phys). */
struct kc_right {
	uint8_t used, writable;
	uint32_t run;       /* run slot */
	uint32_t pid, pgen; /* the holder and its generation */
};

struct kc_msg {
	uint8_t state;      /* enum kc_msg_state */
	uint8_t kind;       /* XOUS_KIND_* */
	uint32_t gen;       /* sender token generation, never 0 while in use */
	uint32_t pid, pgen; /* the caller's process and its generation */
	uint32_t server;    /* server slot */
	kc_thread caller;   /* the thread waiting for it, or KC_NO_THREAD */
	uint32_t next, prev;
	kc_word id;
	union {
		kc_word args[4]; /* scalar kinds */
		kc_mem mem;      /* memory kinds */
	} u;
};

struct kc {
	struct kc_ops ops;
	struct kc_proc procs[KC_MAX_PROCS]; /* pid n is procs[n - 1] */
	struct kc_thread_slot threads[KC_MAX_THREADS];
	struct kc_server servers[KC_MAX_SERVERS];
	uint32_t sid_hash[KC_MAX_SERVERS]; /* chain heads, by sid hash */
	struct kc_msg msgs[KC_MAX_MSGS];
	uint32_t msg_free; /* free list through msgs[].next */
	uint64_t sent, answered;

	uint32_t role_sid[KC_MAX_ROLES][4]; /* the ids of roles 0 .. nroles - 1 */
	uint32_t nroles;

	/* tasks.c: the ExitNotify server (slot + 1, 0: none), its generation and id */
	uint32_t notify, notify_gen;
	kc_word notify_id;
	kc_word pool_base, pool_size;    /* the physical pool (kc_phys_init) */
	struct kc_run runs[KC_MAX_RUNS]; /* its runs handed out */
	struct kc_right rights[KC_MAX_RIGHTS];

	/* notify.c: async messages in sending order, and the free slots */
	uint32_t async_head, async_tail, async_free;
	struct kc_async async[KC_MAX_ASYNC];
};

#endif /* KCORE_STATE_H */
