/*
 * tasks.c - kcore's tasks: the task server's role (CreateProcess,
 * ExitNotify, PidHold), exit notices, kept and reserved pids, and the
 * command line of CreateProcess. A section of kcore.c (one translation
 * unit).
 *
 * Rules:
 * - An exit notice is a Scalar from pid 1 to the ExitNotify server. One
 *   that finds no room waits in its process's slot (KC_HOLD_NOTICE): the
 *   slots are the table of pending notices, fixed at start-up, and a slot
 *   is never given to a new process while its notice waits, so no notice
 *   is lost. Waiting notices go out first whenever the queue has room.
 * - A slot with any hold bit is not free: kc_process_create_by skips it.
 * - When the ExitNotify server goes, everything it held goes with it:
 *   waiting notices, reserved and kept pids.
 */
#include "kcore-internal.h"

/* ---- the task server ---- */

static bool is_task_server(const struct kc *k, uint32_t pid)
{
	uint32_t sid[4], r;

	sid_from_name(sid, XOUS_NAME_TASK);
	r = role_find(k, sid);
	return r != KC_NIL && pid > 1 && pid <= KC_MAX_PROCS && k->procs[pid - 1].alive &&
	       (k->procs[pid - 1].roles >> r & 1u);
}

uint32_t kc_task_check(const struct kc *k, kc_thread t)
{
	return thread_live(k, t) && is_task_server(k, k->threads[t].pid) ? XOUS_OK
	                                                                 : XOUS_ERR_ACCESS_DENIED;
}

uint32_t kc_process_launch(struct kc *k, kc_thread t, uint32_t *pid, kc_thread *main_thread)
{
	uint32_t err = kc_task_check(k, t), p = 0;

	if (err)
		return err;
	err = kc_process_create_by(k, k->threads[t].pid, &p, main_thread);
	if (err)
		return err;
	k->procs[p - 1].launched = 1;
	if (pid)
		*pid = p;
	return XOUS_OK;
}

/* The ExitNotify server's slot, or KC_NIL if there is none. */
static uint32_t notify_server(const struct kc *k)
{
	uint32_t s = k->notify - 1;

	if (k->notify == 0 || !k->servers[s].alive || k->servers[s].gen != k->notify_gen)
		return KC_NIL;
	return s;
}

/* ---- exit notices ---- */

/* A Scalar from the kernel (pid 1) to server s, counted as sent and on no
 * list yet; KC_NIL if there is no message slot. */
static uint32_t kernel_msg(struct kc *k, uint32_t s, kc_word id, const kc_word args[4])
{
	uint32_t m = msg_alloc(k);
	struct kc_msg *x;

	if (m == KC_NIL)
		return KC_NIL;
	x = &k->msgs[m];
	x->kind = XOUS_KIND_SCALAR;
	x->id = id;
	x->pid = 1;
	x->pgen = k->procs[0].gen;
	x->server = s;
	for (int i = 0; i < 4; i++)
		x->u.args[i] = args[i];
	k->procs[0].nmsgs++;
	k->sent++;
	return m;
}

/* A Scalar from the kernel (pid 1) to server s, if it has room now. */
static bool kernel_scalar(struct kc *k, uint32_t s, kc_word id, const kc_word args[4])
{
	struct kc_server *sv = &k->servers[s];
	uint32_t m;

	if (sv->receivers.head == KC_NIL && !server_room(sv))
		return false;
	m = kernel_msg(k, s, id, args);
	if (m == KC_NIL)
		return false;
	if (sv->receivers.head != KC_NIL) {
		kc_thread r = sv->receivers.head;
		uint32_t err;

		thr_unlink(k, &sv->receivers, r);
		err = deliver(k, r, m);
		if (err == XOUS_OK)
			return true;
		thr_push_front(k, &sv->receivers, r);
		k->sent--;
		msg_fail(k, m, 0, err);
		return false;
	}
	k->msgs[m].state = KC_M_QUEUED;
	msg_push(k, &sv->queue, m);
	sv->qcount++;
	return true;
}

/* Send the waiting notices while the notify server has room. */
static void notices_flush(struct kc *k)
{
	uint32_t s = notify_server(k), i;

	if (s == KC_NIL)
		return;
	for (i = 1; i < KC_MAX_PROCS; i++) {
		struct kc_proc *p = &k->procs[i];

		if (!(p->hold & KC_HOLD_NOTICE))
			continue;
		const kc_word args[4] = {i + 1, p->status, 0, 0};

		if (!kernel_scalar(k, s, k->notify_id, args))
			return;
		p->hold &= (uint8_t)~KC_HOLD_NOTICE;
	}
}

/* Process pid ended with status: its notice, if anyone listens. */
static void notice_post(struct kc *k, uint32_t pid, uint32_t status)
{
	struct kc_proc *p = &k->procs[pid - 1];

	if (notify_server(k) == KC_NIL)
		return;
	p->status = status;
	p->hold |= KC_HOLD_NOTICE;
	notices_flush(k);
}

/* No notify server any more: what it held goes too. */
static void notify_drop(struct kc *k)
{
	uint32_t i;

	k->notify = 0;
	for (i = 1; i < KC_MAX_PROCS; i++)
		k->procs[i].hold &= KC_HOLD_STATUS;
}

static void notify_gone(struct kc *k, uint32_t s)
{
	if (k->notify == s + 1)
		notify_drop(k);
}

void kc_process_exit_status(struct kc *k, uint32_t pid, uint32_t status)
{
	struct kc_proc *p = proc_get(k, pid);

	if (!p || pid == 1)
		return;
	process_die(k, pid);
	if (p->launched && notify_server(k) != KC_NIL)
		p->hold |= KC_HOLD_KEPT;
	p->launched = 0;
	if (status == KC_STATUS_LATER)
		p->hold |= KC_HOLD_STATUS;
	else
		notice_post(k, pid, status);
}

void kc_process_status(struct kc *k, uint32_t pid, uint32_t status)
{
	struct kc_proc *p;

	if (pid <= 1 || pid > KC_MAX_PROCS || status == KC_STATUS_LATER)
		return;
	p = &k->procs[pid - 1];
	if (p->alive || !(p->hold & KC_HOLD_STATUS))
		return;
	p->hold &= (uint8_t)~KC_HOLD_STATUS;
	notice_post(k, pid, status);
}

/* ---- syscalls ---- */

static void sys_exit_notify(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t s, err = kc_task_check(k, t);

	if (!err)
		err = owned_server(k, k->threads[t].pid, &in->a[1], &s);
	if (err) {
		reply_err(k, t, err);
		return;
	}
	if (k->notify != s + 1)
		notify_drop(k); /* a new server: the old one's holds go */
	k->notify = s + 1;
	k->notify_gen = k->servers[s].gen;
	k->notify_id = in->a[5];
	reply_ok(k, t);
	notices_flush(k);
}

static void pid_reserve(struct kc *k, kc_thread t)
{
	uint32_t i;

	for (i = 1; i < KC_MAX_PROCS && (k->procs[i].alive || k->procs[i].hold); i++)
		;
	if (i == KC_MAX_PROCS) {
		reply_err(k, t, XOUS_ERR_OUT_OF_MEMORY);
		return;
	}
	k->procs[i].hold = KC_HOLD_RESERVED;
	reply_tag(k, t, XOUS_RESULT_PROCESS_ID, i + 1);
}

static void pid_release(struct kc *k, kc_thread t, kc_word pid)
{
	struct kc_proc *p;

	if (pid <= 1 || pid > KC_MAX_PROCS) {
		reply_err(k, t, XOUS_ERR_NOT_FOUND);
		return;
	}
	p = &k->procs[pid - 1];
	if (p->alive) {
		reply_err(k, t, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	if (!(p->hold & (KC_HOLD_RESERVED | KC_HOLD_KEPT))) {
		reply_err(k, t, XOUS_ERR_NOT_FOUND);
		return;
	}
	p->hold &= (uint8_t) ~(KC_HOLD_RESERVED | KC_HOLD_KEPT);
	reply_ok(k, t);
}

static void sys_pid_hold(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t err = kc_task_check(k, t);

	if (!err && notify_server(k) == KC_NIL)
		err = XOUS_ERR_SERVER_NOT_FOUND;
	if (!err && k->servers[k->notify - 1].owner != k->threads[t].pid)
		err = XOUS_ERR_ACCESS_DENIED;
	if (err)
		reply_err(k, t, err);
	else if (in->a[1] == XOUS_PID_RESERVE)
		pid_reserve(k, t);
	else if (in->a[1] == XOUS_PID_RELEASE)
		pid_release(k, t, in->a[2]);
	else
		reply_err(k, t, XOUS_ERR_INVALID_ARGUMENT);
}

/* ---- the command line ---- */

static bool name_ok(const char *s)
{
	for (; *s; s++)
		if (*s == '/' || (s[0] == '.' && s[1] == '.'))
			return false;
	return true;
}

uint32_t kc_cmdline_split(char *s, size_t len, char *argv[], uint32_t max, uint32_t *argc)
{
	uint32_t n = 0;
	size_t i;

	*argc = 0;
	if (!s || len == 0 || len > XOUS_CMDLINE_MAX || max > XOUS_CMDLINE_ARGS)
		return XOUS_ERR_INVALID_ARGUMENT;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return XOUS_ERR_INVALID_ARGUMENT;
	}
	s[len] = 0;
	for (i = 0; i < len; i++) {
		if (s[i] == ' ') {
			s[i] = 0;
			continue;
		}
		if (i > 0 && s[i - 1] != 0)
			continue;
		if (n == max)
			return XOUS_ERR_INVALID_ARGUMENT;
		argv[n++] = &s[i];
	}
	if (n == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (!name_ok(argv[0]))
		return XOUS_ERR_NOT_FOUND;
	*argc = n;
	return XOUS_OK;
}
