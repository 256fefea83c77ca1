/*
 * notify.c - the platform part of the global calls that carry bytes,
 * AsyncSend and AsyncRecv (xous/abi.h); kcore (kcore/notify.c) decides
 * them. The bytes go between the caller's memory and kcore through one
 * kernel buffer (one hart: one syscall at a time). Notify and
 * SetNotifyServer carry none and go to kcore as every message syscall.
 *
 * Rules: the caller's buffer is checked (readable, or writable for
 * AsyncRecv) before anything is taken, so a bad pointer answers
 * BAD_ADDRESS and no message is lost.
 */
#include "defs.h"
#include "proc.h"

#define A(i) (tf->r[REG_A0 + (i)])

static uint8_t async_buf[XOUS_ASYNC_MAX];

static void regs_in(const struct trapframe *tf, kc_regs *in)
{
	for (int i = 0; i < 8; i++)
		in->a[i] = A(i);
}

static void regs_out(struct trapframe *tf, const kc_regs *r)
{
	for (int i = 0; i < 8; i++)
		A(i) = r->a[i];
}

static void answer_err(struct trapframe *tf, uint32_t err)
{
	kc_regs r = {{XOUS_RESULT_ERROR, err}};

	regs_out(tf, &r);
}

/* [va, va+len) is the user's and writable (stack pages are grown first). */
static bool user_writable(pagetable_t pt, uint32_t va, uint32_t len)
{
	if (!uvm_user_readable(pt, va, len))
		return false;
	for (uint32_t p = PGROUNDDOWN(va); p < va + len; p += PGSIZE)
		if (!(*walk(pt, p, false) & PTE_W))
			return false;
	return true;
}

void sys_async_send(struct trapframe *tf, uint32_t pid)
{
	uint32_t addr = A(3), len = A(4);
	kc_regs in;

	regs_in(tf, &in);
	if (len > XOUS_ASYNC_MAX) {
		answer_err(tf, XOUS_ERR_INVALID_ARGUMENT);
		return;
	}
	if (len > 0 && !uvm_user_readable(procs[pid].pt, addr, len)) {
		answer_err(tf, XOUS_ERR_BAD_ADDRESS);
		return;
	}
	w_sstatus(r_sstatus() | SSTATUS_SUM);
	memcpy(async_buf, (const void *)addr, len);
	w_sstatus(r_sstatus() & ~SSTATUS_SUM);
	thread_block_current(); /* kcore answers through its reply */
	if (kc_async_send(&kcore, cur, &in, async_buf, len) < 0)
		proc_kill(pid, STATUS_FAULT(SCAUSE_ECALL_U));
}

void sys_async_recv(struct trapframe *tf, uint32_t pid)
{
	uint32_t addr = A(2), cap = A(3) < XOUS_ASYNC_MAX ? A(3) : XOUS_ASYNC_MAX;
	kc_regs in, out;

	regs_in(tf, &in);
	in.a[3] = cap;
	if (cap > 0 && !user_writable(procs[pid].pt, addr, cap)) {
		answer_err(tf, XOUS_ERR_BAD_ADDRESS);
		return;
	}
	if (kc_async_recv(&kcore, cur, &in, async_buf, &out) < 0) {
		proc_kill(pid, STATUS_FAULT(SCAUSE_ECALL_U));
		return;
	}
	if (out.a[0] == XOUS_RESULT_SCALAR2) {
		w_sstatus(r_sstatus() | SSTATUS_SUM);
		memcpy((void *)addr, async_buf, out.a[2]);
		w_sstatus(r_sstatus() & ~SSTATUS_SUM);
	}
	regs_out(tf, &out);
}
