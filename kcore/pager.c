/*
 * pager.c - kcore's pagers (CONTRACT section 7, docs/resea-pager.md): the
 * server a process's faults and paged memory go to. A section of kcore.c
 * (one translation unit).
 *
 * Rules:
 * - A process's pager is the server SetPager named, while that server
 *   lives; else the default pager: the ExitNotify server (the task
 *   server's).
 * - SetPager is allowed to the process itself, to the owner of its current
 *   pager and to the task server.
 * - An exception is a Scalar(GLOBAL_EXCEPTION, pid, type, address, ip)
 *   from pid 1 to the pager; one the pager has no room for goes to the
 *   default pager instead, and one neither has room for is dropped (the
 *   exit notice still tells of the death).
 * - The pager stays known after the process died, until its slot is
 *   given to a new process, so that the platform may report the fault
 *   once it learns the cause (the broker, when it reaps the child).
 * - A page fault is the one message whose offset may lie past its len (it
 *   is the faulting address): a MutableBorrow of one page, opcode
 *   XOUS_PAGE_FAULT_ID, either sent by the kernel for the faulting thread
 *   (kc_page_fault) or sent by the process's fault thread to its pager
 *   (Linux: libxous-host's thread that serves userfaultfd). Every other
 *   message of that shape is INVALID_ARGUMENT, as any offset past len.
 * - A process names its fault thread once (kc_fault_thread); the thread
 *   keeps the role until it ends, and no other thread of the process ever
 *   gets it.
 */
#include "kcore-internal.h"

#define KC_GLOBAL_EXCEPTION 0x7f000004u /* GLOBAL_EXCEPTION of <resea/global.h> */
#define KC_GLOBAL_ABI_HOOK  0x7f000006u /* GLOBAL_ABI_HOOK */

/* The pager p named, if that server still lives; else KC_NIL. */
static uint32_t pager_named(const struct kc *k, const struct kc_proc *p)
{
	uint32_t s = p->pager - 1;

	if (p->pager == 0 || !k->servers[s].alive || k->servers[s].gen != p->pager_gen)
		return KC_NIL;
	return s;
}

/* The pager of p: the one it named, or the default; KC_NIL if none. */
static uint32_t pager_of(const struct kc *k, const struct kc_proc *p)
{
	uint32_t s = pager_named(k, p);

	return s != KC_NIL ? s : notify_server(k);
}

static void sys_set_pager(struct kc *k, kc_thread t, const kc_regs *in)
{
	uint32_t caller = k->threads[t].pid, sid[4], s = KC_NIL, cur;
	struct kc_proc *p = in->a[1] > 1 ? proc_get(k, (uint32_t)in->a[1]) : NULL;

	if (!p) {
		reply_err(k, t, XOUS_ERR_PROCESS_NOT_FOUND);
		return;
	}
	cur = pager_of(k, p);
	if (in->a[1] != caller && !is_task_server(k, caller) &&
	    (cur == KC_NIL || k->servers[cur].owner != caller)) {
		reply_err(k, t, XOUS_ERR_ACCESS_DENIED);
		return;
	}
	sid_from_regs(sid, &in->a[2]);
	if ((sid[0] | sid[1] | sid[2] | sid[3]) != 0 && (s = server_find(k, sid)) == KC_NIL) {
		reply_err(k, t, XOUS_ERR_SERVER_NOT_FOUND);
		return;
	}
	p->pager = s == KC_NIL ? 0 : s + 1;
	p->pager_gen = s == KC_NIL ? 0 : k->servers[s].gen;
	reply_ok(k, t);
}

static void sys_pager_of(struct kc *k, kc_thread t)
{
	uint32_t s = pager_of(k, proc_get(k, k->threads[t].pid)), i;
	kc_regs r;

	if (s == KC_NIL) {
		reply_err(k, t, XOUS_ERR_SERVER_NOT_FOUND);
		return;
	}
	regs_set(&r, XOUS_RESULT_SERVER_ID);
	for (i = 0; i < 4; i++)
		r.a[1 + i] = k->servers[s].sid[i];
	wake(k, t, &r, NULL);
}

void kc_process_exception(struct kc *k, uint32_t pid, kc_word type, kc_word addr, kc_word ip)
{
	const kc_word args[4] = {pid, type, addr, ip};
	uint32_t s, def;

	if (pid <= 1 || pid > KC_MAX_PROCS)
		return;
	s = pager_named(k, &k->procs[pid - 1]);
	def = notify_server(k);
	if (s != KC_NIL && kernel_scalar(k, s, KC_GLOBAL_EXCEPTION, args))
		return;
	if (def != KC_NIL && def != s)
		kernel_scalar(k, def, KC_GLOBAL_EXCEPTION, args);
}

uint32_t kc_process_pager(const struct kc *k, uint32_t pid)
{
	if (pid <= 1 || pid > KC_MAX_PROCS || !k->procs[pid - 1].alive)
		return KC_NIL;
	return pager_of(k, &k->procs[pid - 1]);
}

uint32_t kc_fault_thread(struct kc *k, kc_thread t)
{
	struct kc_proc *p = thread_live(k, t) ? proc_get(k, k->threads[t].pid) : NULL;

	if (!p)
		return XOUS_ERR_INVALID_THREAD;
	if (p->fault_named)
		return XOUS_ERR_ALREADY_EXISTS;
	p->fault_named = 1;
	k->threads[t].fault = 1;
	return XOUS_OK;
}

/* May in, sent how by t to server s (KC_NIL: none), carry an address in
 * its offset: a page fault (see the rules). */
static bool fault_send_ok(const struct kc *k, kc_thread t, const kc_regs *in, uint32_t s,
                          enum kc_send_how how)
{
	if (in->a[2] != XOUS_KIND_MUTABLE_BORROW || in->a[3] != XOUS_PAGE_FAULT_ID ||
	    in->a[5] != XOUS_PAGE_SIZE)
		return false;
	if (how == KC_SEND_FAULT)
		return true;
	return k->threads[t].fault && s != KC_NIL && s == kc_process_pager(k, k->threads[t].pid);
}

/* t's lend (in: a SendMessage without its cid) to server s, made by the
 * kernel on t's behalf, as how (a page fault: KC_SEND_FAULT): -1 if t may not send now or s cannot be reached. */
static int kernel_lend(struct kc *k, kc_thread t, uint32_t s, kc_regs *in, const kc_mem *mem,
                       enum kc_send_how how)
{
	uint32_t cid = 0;

	if (!may_call(k, t, in) || s == KC_NIL ||
	    conn_get(k, k->threads[t].pid, s, &cid) != XOUS_OK)
		return -1;
	in->a[1] = cid;
	sys_send(k, t, in, mem, how);
	return 0;
}

int kc_page_fault(struct kc *k, kc_thread t, kc_word page, kc_word addr, bool write,
                  const kc_mem *mem)
{
	kc_regs in = {{XOUS_SYS_SEND_MESSAGE, 0, XOUS_KIND_MUTABLE_BORROW, XOUS_PAGE_FAULT_ID, page,
	               XOUS_PAGE_SIZE, addr, write ? 1 : 0}};

	return kernel_lend(k, t, kc_process_pager(k, k->threads[t].pid), &in, mem, KC_SEND_FAULT);
}

int kc_abi_hook_call(struct kc *k, kc_thread t, uint32_t s, kc_word page, kc_word valid,
                     const kc_mem *mem)
{
	kc_regs in = {{XOUS_SYS_SEND_MESSAGE, 0, XOUS_KIND_MUTABLE_BORROW, KC_GLOBAL_ABI_HOOK, page,
	               XOUS_PAGE_SIZE, 0, valid}};

	return kernel_lend(k, t, s, &in, mem, KC_SEND_WAIT);
}
