/*
 * hostd.h - what the files of xous-hostd share.
 *
 * The broker is one libevent loop around one struct kc. Roles, one file each;
 * all but main.c make the library hostd_core (which the fuzz target links):
 *   main.c    options, set-up, the loop, the exit status
 *   hostd.c   the state (struct hostd), warnings, fatal errors, the clock
 *   conn.c    connections: receive and check frames, send results
 *   route.c   frame dispatch, kcore's platform callbacks (kc_ops)
 *   lend.c    checks of a lent memfd; shared or copied
 *   inline.c  copied lends: their bytes, the receivers' pools
 *   proc.c    processes: launch, SIGCHLD, the one death path
 *   task.c    CreateProcess: the task server's programs by name
 *   hook.c    the ABI hook: a foreign task's system calls to its hook server
 *   attach.c  the attach socket (XH_HELLO)
 *   fleet.c   the fleet: file, default fleet, readiness, restarts, shutdown
 *   phys.c    the emulated physical memory, MapMemory with a physical address
 *   control.c the control socket (xousctl): listings, server names
 *   monitor.c the live stream of messages for xousctl monitor and trace
 *   waits.c   long waits and deadlocks of blocked threads
 *   pager.c   exceptions reported to the pager of a process that faulted
 *
 * kcore's callbacks must not re-enter kcore, so anything they learn that
 * needs kcore (a peer that is gone) is queued and handled by
 * hostd_run_pending() once kcore has returned; what a syscall changed (a
 * fleet server that made its server) is looked at after it returned.
 */
#ifndef HOSTD_H
#define HOSTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>

#include <xous/hostframe.h>
#include "kcore.h"

struct event;
struct event_base;

#define HOSTD_NAME_MAX  32
#define HOSTD_FILE_FD   4    /* a server's host file (file=) in its process, after the socket's 3 */
#define HOSTD_LABEL_MAX 64   /* a registered name (63 bytes) and its NUL */
#define HOSTD_ALLOW_MAX 1024 /* bytes of a fleet server's allow= list */
#define HOSTD_DRAIN_MAX 32   /* frames read from one socket per wake-up */
#define HOSTD_FD_LOST   (-2) /* a frame's fd could not be received (fd table full) */
/* kc_mem.handle of a copied lend (handle2: its record in inline.c) */
#define HOSTD_INLINE_HANDLE ((kc_word)-3)
/* The emulated physical memory (phys.c): where it starts, its default
 * size and the largest the fleet file's `physmem` may give. */
#define HOSTD_PHYS_BASE    ((kc_word)0x80000000u)
#define HOSTD_PHYS_DEFAULT ((kc_word)64 << 20)
#define HOSTD_PHYS_MAX     ((kc_word)1 << 30)

enum hostd_role {
	HOSTD_CONN_HELLO,  /* on the attach socket, before XH_HELLO */
	HOSTD_CONN_PROC,   /* a process connection (its main thread's too) */
	HOSTD_CONN_THREAD, /* another thread's connection */
};

struct hostd_proc;

struct hostd_conn {
	int fd;
	enum hostd_role role;
	struct hostd_proc *proc; /* NULL while HOSTD_CONN_HELLO */
	kc_thread t;
	struct event *ev;
	unsigned long ino;                    /* the socket's inode (fstat) */
	uint64_t since_ms;                    /* made (a hello connection's deadline) */
	uint64_t wait_ms;                     /* its thread blocked (hostd_coarse_ms) */
	bool wait_warned;                     /* its long wait was reported */
	bool wait_checked;                    /* a deadlock check has seen this wait */
	bool wait_deadlock;                   /* reported as part of a deadlock */
	bool closed;                          /* fd closed; freed by hostd_gc() */
	bool failed;                          /* queued in the pending list */
	LIST_ENTRY(hostd_conn) link;          /* the process's (or hello) list */
	SLIST_ENTRY(hostd_conn) pending_link; /* pending failures */
	SLIST_ENTRY(hostd_conn) gc_link;      /* closed, waiting to be freed */
};
LIST_HEAD(hostd_conns, hostd_conn);

struct hostd_child;
struct hostd_pool;

struct hostd_proc {
	uint32_t pid;
	bool alive;
	bool doomed;                          /* queued for the death path */
	bool kill;                            /* SIGKILL our child before it dies */
	struct hostd_conn *pconn;             /* the process connection */
	struct hostd_conns conns;             /* every connection, pconn included */
	struct hostd_child *child;            /* NULL if it attached by hand */
	SLIST_ENTRY(hostd_proc) pending_link; /* pending deaths */
	bool has_withdrawals;                 /* was sent the withdrawals page */
	struct hostd_pool *pool;              /* copied lends it receives (inline.c) */
	char name[HOSTD_NAME_MAX];

	uint32_t parent; /* attached on behalf of this process (0: none) */
	pid_t lpid;      /* its Linux process (from fork, or SO_PEERCRED on attach) */
	uid_t uid;       /* and that process's uid */
	bool debug;      /* lpid is a debugging tool that runs it as lpid or lpid's child */
	/* its exit status for kcore's notice, once its child was reaped; or
	 * the code it gave TerminateProcess (a process attached by hand) */
	uint32_t status;
	kc_word exc_type, exc_addr, exc_ip; /* its fault handler's Exception (pager.c) */
};

struct hostd_fleet_srv;

/* A Linux child process of the broker; outlives its Xous process until reaped. */
struct hostd_child {
	pid_t lpid;
	struct hostd_proc *proc;     /* NULL once its Xous process is gone */
	struct hostd_fleet_srv *srv; /* fleet entry, or NULL */
	bool program;                /* the PROGRAM of the command line */
	uint32_t pid;                /* its Xous pid (kcore waits for its status) */
	LIST_ENTRY(hostd_child) link;
};

enum hostd_restart { HOSTD_RESTART_NEVER, HOSTD_RESTART_ON_FAILURE, HOSTD_RESTART_ALWAYS };

struct hostd_fleet_srv {
	char name[HOSTD_NAME_MAX];
	char **argv; /* argv[0] is the program as written; NULL-terminated */
	enum hostd_restart restart;
	char sandbox[HOSTD_NAME_MAX];
	char allow[HOSTD_ALLOW_MAX]; /* system calls added to the sandbox, or "" */
	char debug[HOSTD_NAME_MAX];  /* debug=: strace, valgrind, gdbserver:PORT, or "" */
	unsigned backoff_ms;
	unsigned ready_ms;         /* ready=: it must make a server this soon after it starts */
	unsigned max_restarts;     /* restarts=: quick failures in a row allowed (0: no limit) */
	unsigned log_level;        /* log=: $XOUS_LOG_LEVEL for it (0: not set) */
	unsigned failures;         /* consecutive restarts, for the back-off */
	unsigned restarts;         /* in all */
	bool gave_up;              /* restart limit reached */
	bool ready;                /* has created a server */
	struct hostd_child *child; /* running instance or NULL */
	struct event *timer;       /* pending restart */
	uint64_t started_ms;
	int line; /* in the fleet file; 0 if built in */

	char wellknown[17]; /* its well-known name, padded to 16 bytes; "" if none */
	uint32_t role;      /* kcore's role for wellknown */
	uint32_t phys;      /* KC_PHYS_* of its phys= */
	bool phys_set;      /* phys= was given */
	bool tap;           /* tap=yes: its file_fd is --net's TAP device (netns.c) */
	int file_fd;        /* file=: the host file it gets as HOSTD_FILE_FD, or -1 */
};

struct hostd {
	struct event_base *base;
	struct kc *kc;
	struct hostd_conn **by_thread;          /* KC_MAX_THREADS entries */
	struct hostd_proc *procs;               /* KC_MAX_PROCS + 1 entries, indexed by pid */
	LIST_HEAD(, hostd_child) children;      /* not yet reaped */
	struct hostd_conns hellos;              /* on the attach socket, before XH_HELLO */
	SLIST_HEAD(, hostd_conn) pending_conns; /* failed, handled by hostd_run_pending() */
	SLIST_HEAD(, hostd_proc) pending_procs; /* dying, handled by hostd_run_pending() */
	SLIST_HEAD(, hostd_conn) gc;            /* closed, freed by hostd_gc() */

	struct hostd_fleet_srv *fleet;
	size_t nfleet;
	bool fleet_ready;
	uint32_t program_roles; /* kcore roles PROGRAM holds (bit r: role r) */

	char **program;         /* argv of PROGRAM or NULL */
	const char *fleet_file; /* --fleet FILE or NULL */
	char **paths;           /* --path DIRs, where CreateProcess looks last */
	size_t npaths;
	int exit_status;
	bool shutting_down;
	struct event *kill_timer;

	char sock_path[108];
	char key_path[120];
	int listen_fd;
	struct event *listen_ev;
	uint64_t key[2];

	kc_word phys_size;     /* the emulated physical memory's bytes (phys.c) */
	bool trace;            /* $XOUS_HOSTD_TRACE: every frame in and out on stderr */
	bool watch;            /* a monitor listens: the message path reports to monitor.c */
	unsigned wait_warn_ms; /* a thread waiting this long is reported (0: never) */
	bool strict_lend;      /* --strict-lend: every lend and Move is copied (lend.c) */
	char exe_dir[4096];

	/* The withdrawals page (route.c): one counter, bumped before every
	 * XH_WITHDRAW; every process may map it read-only. */
	int withdrawals_fd;
	volatile uint64_t *withdrawals;
};

extern struct hostd hostd;

/* Warnings a process can cause, each kind limited to HOSTD_WARN_PER_SEC a
 * second; the rest are counted and summarized in one line. */
enum hostd_warn_kind {
	HOSTD_WARN_THREAD,   /* a thread connection refused */
	HOSTD_WARN_ATTACH,   /* an attach connection refused or closed */
	HOSTD_WARN_CONN,     /* a connection that could not be set up */
	HOSTD_WARN_LIBEVENT, /* libevent's own messages */
	HOSTD_WARN_KINDS
};
#define HOSTD_WARN_PER_SEC 5

/* hostd.c */
void hostd_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void hostd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hostd_warn_limited(enum hostd_warn_kind kind, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
void hostd_warn_init(void);
void hostd_warn_flush(void);
uint64_t hostd_now_ms(void);
uint64_t hostd_coarse_ms(void); /* cheaper, to a few ms */

/* conn.c */
struct hostd_conn *hostd_conn_new(int fd, enum hostd_role role, struct hostd_proc *p, kc_thread t);
void hostd_conn_close(struct hostd_conn *c);
void hostd_conn_promote(struct hostd_conn *c, struct hostd_proc *p, kc_thread t);
int hostd_conn_send(struct hostd_conn *c, const struct xh_frame *f, int fd);
int hostd_conn_send_bytes(struct hostd_conn *c, const struct xh_frame *f, const void *payload,
                          size_t plen);
int hostd_conn_send_frames(struct hostd_conn *c, const struct xh_frame *f, unsigned n);
void hostd_conn_result(struct hostd_conn *c, const kc_regs *r);
void hostd_conn_error(struct hostd_conn *c, uint32_t code);
void hostd_conn_fail(struct hostd_conn *c);
void hostd_conn_drain_ahead(struct hostd_conn *c);
uint32_t hostd_conn_thread_check(const struct hostd_proc *p, int fd);
void hostd_conn_trace(const struct hostd_conn *c, const char *dir, const struct xh_frame *f,
                      int fd);
void hostd_run_pending(void);
void hostd_gc(void);

/* route.c */
void hostd_route_init(void);
void hostd_route_frame(struct hostd_conn *c, const struct xh_frame *f, int fd, const void *payload,
                       size_t plen);
void hostd_route_eof(struct hostd_conn *c);

/* lend.c */
uint32_t hostd_lend_check(uint32_t kind, const struct xh_frame *f, int fd, kc_mem *m, bool *copy);
int hostd_lend_chmod(int fd);

/* inline.c */
void hostd_inline_init(void);
uint32_t hostd_inline_take(kc_thread caller, uint32_t kind, const struct xh_frame *f,
                           const void *payload, size_t plen, kc_mem *m);
uint32_t hostd_inline_take_fd(kc_thread caller, uint32_t kind, kc_mem *m);
bool hostd_inline_is(const kc_mem *m);
void hostd_inline_settle(const kc_mem *m);
uint32_t hostd_inline_deliver(struct hostd_proc *p, const kc_mem *m, struct xh_frame *f, int *fd);
void hostd_inline_undeliver(const kc_mem *m);
void hostd_inline_sent(struct hostd_proc *p, const struct xh_frame *f);
const void *hostd_inline_answer(const kc_mem *m, size_t *len);
void hostd_inline_done(const kc_mem *m);
void hostd_inline_proc_gone(struct hostd_proc *p);
uint32_t hostd_inline_count(void);

/* proc.c */
struct hostd_proc *hostd_proc_register(uint32_t pid, const char *name);
struct hostd_hook;
struct hostd_child *hostd_proc_launch(char *const argv[], const char *name, const char *sandbox,
                                      const char *allow, const char *debug, unsigned log_level,
                                      int file_fd, kc_thread by, struct hostd_hook *hook,
                                      uint32_t *err);
void hostd_proc_doom(struct hostd_proc *p, bool kill);
void hostd_proc_dead(struct hostd_proc *p);
void hostd_proc_reap(void);
void hostd_proc_signal_all(int sig);
const char *hostd_proc_resolve(const char *prog, char *buf, size_t len);

/* task.c */
void hostd_task_path_add(const char *dir);
/* pager.c: keep an Exception frame's details; report a death by a fault
 * (status as for the exit notice) to the pager before the notice; answer
 * FaultThread. */
void hostd_pager_note(struct hostd_conn *c, const kc_regs *r);
void hostd_pager_fault_thread(struct hostd_conn *c);
void hostd_pager_report(struct hostd_proc *p, uint32_t status);
void hostd_task_create(struct hostd_conn *c, const kc_regs *r, const void *payload, size_t plen);

/* hook.c: a hooked task has no connection of its own; this fd hands its
 * listener over before exec. */
#define PROC_HOOK_FD 3
struct hostd_hook *hostd_hook_new(const char *server, uint32_t *err);
int hostd_hook_child_fd(struct hostd_hook *h);
int hostd_hook_child(void);
int hostd_hook_started(struct hostd_hook *h, int sock);
void hostd_hook_run(struct hostd_hook *h, struct hostd_child *ch);
void hostd_hook_call(struct hostd_conn *c, const kc_regs *r, const void *payload, size_t plen);
void hostd_hook_close(void);

/* sandbox.c */
struct hostd_sandbox;
int hostd_sandbox_new(const char *policy, const char *allow, struct hostd_sandbox **out);
int hostd_sandbox_enter(struct hostd_sandbox *sb);
void hostd_sandbox_free(struct hostd_sandbox *sb);

/* attach.c */
int hostd_attach_open(const char *path);
void hostd_attach_hello(struct hostd_conn *c, const struct xh_frame *f, int fd);
void hostd_attach_close(void);
pid_t hostd_ppid(pid_t lpid);

/* phys.c */
void hostd_phys_init(void);
uint32_t hostd_phys_alloc(void *ctx, kc_word base, kc_word size, kc_word *handle);
void hostd_phys_free(void *ctx, kc_word base, kc_word size, kc_word handle);
void hostd_phys_map(struct hostd_conn *c, const kc_regs *r);
void hostd_device_call(struct hostd_conn *c, const kc_regs *r);

/* control.c */
struct hostd_ctl {
	int fd;
	struct event *ev;
	bool watching;      /* a monitor */
	uint32_t pid, kind; /* its filters (0: all) */
	char server[HOSTD_LABEL_MAX];
	uint64_t dropped; /* events it missed */
	LIST_ENTRY(hostd_ctl) link;
	LIST_ENTRY(hostd_ctl) watch_link;
};
LIST_HEAD(hostd_ctl_conns, hostd_ctl);
struct ControlPb__Reply;
struct ControlPb__Request;
void hostd_control_adopt(int fd);
void hostd_control_close(void);
int hostd_control_send(struct hostd_ctl *k, struct ControlPb__Reply *r);
void hostd_control_label(const uint32_t sid[4], const char *name, size_t len);
bool hostd_control_find(const char *name, uint32_t sid[4]);
const char *hostd_server_name(uint32_t server, const uint32_t sid[4], char buf[HOSTD_LABEL_MAX]);
const char *hostd_proc_name(uint32_t pid);
const char *hostd_wait_name(enum kc_wait w);
void hostd_wait_target(const struct kc_thread_info *ti, char *buf, size_t len);

/* monitor.c: called only while hostd.watch */
void hostd_monitor_watch(struct hostd_ctl *k, const struct ControlPb__Request *q);
void hostd_monitor_unwatch(struct hostd_ctl *k);
void hostd_monitor_syscall(const struct hostd_conn *c, const kc_regs *r);
void hostd_monitor_result(kc_thread t, const kc_regs *r);
void hostd_monitor_envelope(kc_thread t, const kc_regs *env, const kc_mem *m);

/* waits.c */
void hostd_waits_blocked(struct hostd_conn *c);
void hostd_waits_close(void);

/* fleet.c */
int hostd_fleet_load(const char *file);
void hostd_fleet_default(void);
int hostd_fleet_group_value(const char *group, char *name, size_t size);
int hostd_fleet_group(const char *group, const char *value);
void hostd_fleet_groups_usage(FILE *fp);
void hostd_fleet_start(void);
void hostd_fleet_check(void);
void hostd_fleet_child_exit(struct hostd_child *ch, int status);
void hostd_shutdown(int status);
void hostd_fleet_close(void);

/* netns.c: the network namespace and TAP device of --net (tap=yes) */
/* Before f starts: if it has tap=yes, make the namespace (once) and give f
 * the TAP device as its file_fd; 0, or -1 (it cannot be made: said on
 * stderr). */
int hostd_netns_prepare(struct hostd_fleet_srv *f);
void hostd_netns_close(void);

#endif /* HOSTD_H */
