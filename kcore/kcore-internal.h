/*
 * kcore-internal.h - what kcore's sections share; never included by a
 * platform (they include kcore.h).
 *
 * kcore is one translation unit: kcore.c includes this header, then the
 * sections core.c, messages.c, send.c, servers.c and inspect.c (kcore.c
 * says why).
 * So every helper is static, and this header declares the ones a section
 * calls from another section.
 *
 * Freestanding: no libc, no allocation, no OS calls, no 64-bit division.
 * Every result leaves through k->ops; callbacks never re-enter kcore.
 *
 * Invariants kept throughout:
 * - a message is in exactly one list while in use: its server's queue
 *   (QUEUED), pending list (PENDING) or held list (HELD, ORPHAN);
 * - a server's pending list is non-empty only while its queue is full, and
 *   receivers wait only while its queue is empty;
 * - a blocked thread waits on exactly one thing (its state says which), and
 *   only Scalar/Move messages live without a caller thread before delivery.
 */
#ifndef KCORE_INTERNAL_H
#define KCORE_INTERNAL_H

#ifndef KCORE_UNITY
#error "kcore's sections are compiled only through kcore.c, as one translation unit"
#endif

#include "kcore.h"

#define KC_PAGE_MASK ((kc_word)XOUS_PAGE_SIZE - 1)
#define KC_SLOT_MASK (((kc_word)1 << KC_SENDER_SLOT_BITS) - 1)
#define KC_GEN_MASK  (((kc_word)1 << KC_SENDER_GEN_BITS) - 1)
#define KC_PID_MASK  (((kc_word)1 << KC_SENDER_PID_BITS) - 1)
#define KC_TOKEN_BITS                                                                              \
	(KC_SLOT_MASK | (KC_GEN_MASK << KC_SENDER_SLOT_BITS) | (KC_PID_MASK << KC_SENDER_PID_SHIFT))

/* How a held message is answered. */
enum kc_answer { KC_ANS_S1, KC_ANS_S2, KC_ANS_S5, KC_ANS_MEM };

/* How a message is sent: by a syscall whose caller hears the result, or
 * ahead (kc_send_ahead: nobody hears it), on a slot or not, or by the
 * kernel for a page fault of its caller. */
enum kc_send_how {
	KC_SEND_WAIT,       /* SendMessage: waits for queue room */
	KC_SEND_FAULT,      /* kc_page_fault: a SendMessage whose offset is an address */
	KC_SEND_TRY,        /* TrySendMessage: SERVER_QUEUE_FULL instead */
	KC_SEND_UNANSWERED, /* sent ahead without a slot: a TrySendMessage nobody hears */
	KC_SEND_ON_SLOT,    /* sent ahead on a slot: its queue room is kept */
};

/* ---- core.c: helpers, platform calls, lists, processes and threads ---- */

static void regs_set(kc_regs *r, kc_word tag);
static bool kind_valid(kc_word kind);
static bool kind_is_mem(unsigned kind);
static bool kind_blocks(unsigned kind);
static void op_reply(struct kc *k, kc_thread t, const kc_regs *r, const kc_mem *m);
static void op_mem_done(struct kc *k, uint32_t caller_pid, uint32_t server_pid, const kc_mem *m);
static void reply_tag(struct kc *k, kc_thread t, kc_word tag, kc_word a1);
static void reply_err(struct kc *k, kc_thread t, uint32_t err);
static void reply_ok(struct kc *k, kc_thread t);
static void wake(struct kc *k, kc_thread t, const kc_regs *r, const kc_mem *m);
static void wake_err(struct kc *k, kc_thread t, uint32_t err);
static void list_init(struct kc_list *l);
static void msg_push(struct kc *k, struct kc_list *l, uint32_t m);
static void msg_unlink(struct kc *k, struct kc_list *l, uint32_t m);
static void thr_push(struct kc *k, struct kc_list *l, kc_thread t);
static void thr_push_front(struct kc *k, struct kc_list *l, kc_thread t);
static void thr_unlink(struct kc *k, struct kc_list *l, kc_thread t);
static struct kc_proc *proc_get(struct kc *k, uint32_t pid);
static bool thread_live(const struct kc *k, kc_thread t);
static bool may_call(const struct kc *k, kc_thread t, const kc_regs *in);

/* ---- messages.c: messages, delivery, receiving and answering ---- */

static uint32_t msg_alloc(struct kc *k);
static void msg_finish(struct kc *k, uint32_t m, uint32_t server_pid, const kc_regs *r);
static void msg_fail(struct kc *k, uint32_t m, uint32_t server_pid, uint32_t err);
static uint32_t deliver(struct kc *k, kc_thread t, uint32_t m);
static void sys_receive(struct kc *k, kc_thread t, const kc_word *sidw, bool try);
static void sys_return(struct kc *k, kc_thread t, const kc_regs *in, enum kc_answer how);
static void sys_reply_and_receive(struct kc *k, kc_thread t, const kc_regs *in);

/* ---- send.c: sending, queue room and send-ahead slots ---- */

static void server_refill(struct kc *k, uint32_t s);
static void queue_take(struct kc *k, uint32_t s, uint32_t m);
static void ahead_release(struct kc *k, kc_thread t, bool refill);
static void ahead_withdraw_all(struct kc *k, uint32_t s, uint32_t pid, kc_word cid);
static void sys_send(struct kc *k, kc_thread t, const kc_regs *in, const kc_mem *mem,
                     enum kc_send_how how);

/* ---- servers.c: servers and connections ---- */

static void sid_from_regs(uint32_t sid[4], const kc_word *w);
static void server_die(struct kc *k, uint32_t s);
static uint32_t conn_server(struct kc *k, uint32_t pid, kc_word cid);
static uint32_t owned_server(struct kc *k, uint32_t pid, const kc_word *w, uint32_t *s);
static void sys_create_server(struct kc *k, kc_thread t, const uint32_t sid[4]);
static void sys_create_random(struct kc *k, kc_thread t, bool make);
static void sys_destroy_server(struct kc *k, kc_thread t, const kc_regs *in);
static void sys_connect(struct kc *k, kc_thread t, const kc_regs *in, bool try);
static void sys_connect_for(struct kc *k, kc_thread t, const kc_regs *in);
static void sys_server_owner(struct kc *k, kc_thread t, const kc_regs *in);
static void sys_disconnect(struct kc *k, kc_thread t, kc_word cid);
static uint32_t role_find(const struct kc *k, const uint32_t sid[4]);
static void sid_from_name(uint32_t sid[4], const char *name);

/* ---- tasks.c: the task server's calls, exit notices, held pids ---- */

static void process_die(struct kc *k, uint32_t pid);
static bool server_room(const struct kc_server *sv);
static void notices_flush(struct kc *k);
static void notify_gone(struct kc *k, uint32_t s);
static void sys_exit_notify(struct kc *k, kc_thread t, const kc_regs *in);
static void sys_pid_hold(struct kc *k, kc_thread t, const kc_regs *in);

/* ---- pager.c: pagers, exceptions and page faults ---- */

static void sys_set_pager(struct kc *k, kc_thread t, const kc_regs *in);
static void sys_pager_of(struct kc *k, kc_thread t);
static bool fault_send_ok(const struct kc *k, kc_thread t, const kc_regs *in, uint32_t s,
                          enum kc_send_how how);

/* ---- phys.c: the physical pool's runs and rights ---- */

static void phys_proc_exit(struct kc *k, uint32_t pid);
static void sys_phys_grant(struct kc *k, kc_thread t, const kc_regs *in);
static void sys_phys_release(struct kc *k, kc_thread t, kc_word paddr);

/* ---- tasks.c: the kernel's own Scalars ---- */

static uint32_t kernel_msg(struct kc *k, uint32_t s, kc_word id, const kc_word args[4]);
static bool kernel_scalar(struct kc *k, uint32_t s, kc_word id, const kc_word args[4]);

/* ---- notify.c: notifications, async messages, invalid messages ---- */

static bool notify_due(const struct kc *k, uint32_t s);
static bool notify_take(struct kc *k, kc_thread t, uint32_t s);
static void notify_proc_init(struct kc_proc *p);
static void sys_notify(struct kc *k, kc_thread t, const kc_regs *in);
static void sys_set_notify_server(struct kc *k, kc_thread t, const kc_regs *in);
static void async_init(struct kc *k);
static void async_proc_exit(struct kc *k, uint32_t pid, uint32_t gen);
static void invalid_send(struct kc *k, uint32_t pid, const kc_regs *in);
static void deliver_failed(struct kc *k, uint32_t m, uint32_t err);

#endif /* KCORE_INTERNAL_H */
