/*
 * pager.c - exceptions (CONTRACT section 7, docs/resea-pager.md): a process
 * that dies of a fault is reported to its pager.
 *
 * Rules:
 * - libxous-host's fault handler sends Exception(type, address, ip) ahead
 *   (no answer) just before its process dies of the signal; the broker
 *   keeps the first one a process sends.
 * - The report goes out once the death and its signal are known, before
 *   the exit notice: the kept details, or, without them, the type the
 *   signal names with address and ip 0 (a program that does not link the
 *   library, a sandbox kill). A death by a signal that is no fault
 *   (SIGKILL, SIGTERM, ...) is no exception.
 * - Page faults are the library's: its thread that serves userfaultfd
 *   names itself the process's fault thread (FaultThread) and lends each
 *   faulting page to the pager; kcore admits that shape from that thread
 *   to the pager only (kcore/pager.c).
 */
#include <signal.h>

#include "hostd.h"

void hostd_pager_note(struct hostd_conn *c, const kc_regs *r)
{
	struct hostd_proc *p = c->proc;

	if (p->exc_type || r->a[1] < XOUS_EXC_BAD_ACCESS || r->a[1] > XOUS_EXC_ABORT)
		return;
	p->exc_type = r->a[1];
	p->exc_addr = r->a[2];
	p->exc_ip = r->a[3];
}

void hostd_pager_fault_thread(struct hostd_conn *c)
{
	uint32_t err = kc_fault_thread(hostd.kc, c->t);
	kc_regs ok = {{XOUS_RESULT_OK}};

	if (err)
		hostd_conn_error(c, err);
	else
		hostd_conn_result(c, &ok);
}

void hostd_pager_report(struct hostd_proc *p, uint32_t status)
{
	kc_word type;

	if (status < XOUS_STATUS_SIGNALED || status == KC_STATUS_LATER)
		return;
	type = xh_signal_exception((int)(status - XOUS_STATUS_SIGNALED));
	if (!type)
		return;
	if (p->exc_type)
		kc_process_exception(hostd.kc, p->pid, p->exc_type, p->exc_addr, p->exc_ip);
	else
		kc_process_exception(hostd.kc, p->pid, type, 0, 0);
	p->exc_type = 0;
}
