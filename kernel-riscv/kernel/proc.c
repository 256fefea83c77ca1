/*
 * proc.c - processes, threads and the round-robin scheduler.
 *
 * kcore owns the semantics of processes and threads (ids, joins, blocking);
 * this file owns what the hardware needs: an address space per process, a
 * trapframe per thread, and the run queue. The kernel is event-driven: it
 * never blocks inside itself, so one kernel stack serves every trap and
 * "switching" is only choosing which trapframe userret restores.
 */
#include "defs.h"
#include "proc.h"

struct kc kcore;
struct thread threads[KC_MAX_THREADS];
struct proc procs[KC_MAX_PROCS + 1];
kc_thread cur = KC_NO_THREAD;

static kc_thread runq_head = KC_NO_THREAD, runq_tail = KC_NO_THREAD;
static uint32_t main_pid;
static uint8_t kstack[KSTACK_SIZE] __attribute__((aligned(16)));

static void runq_push(kc_thread t)
{
	threads[t].next = KC_NO_THREAD;
	threads[t].state = T_RUNNABLE;
	if (runq_tail == KC_NO_THREAD)
		runq_head = t;
	else
		threads[runq_tail].next = t;
	runq_tail = t;
}

static void runq_push_front(kc_thread t)
{
	threads[t].next = runq_head;
	threads[t].state = T_RUNNABLE;
	runq_head = t;
	if (runq_tail == KC_NO_THREAD)
		runq_tail = t;
}

static kc_thread runq_pop(void)
{
	kc_thread t = runq_head;

	if (t != KC_NO_THREAD) {
		runq_head = threads[t].next;
		if (runq_head == KC_NO_THREAD)
			runq_tail = KC_NO_THREAD;
	}
	return t;
}

/* Drop a dead process's threads from the queue, keeping the others' order. */
static void runq_remove_pid(uint32_t pid)
{
	kc_thread t = runq_head;

	runq_head = runq_tail = KC_NO_THREAD;
	while (t != KC_NO_THREAD) {
		kc_thread next = threads[t].next;
		if (threads[t].pid != pid)
			runq_push(t);
		t = next;
	}
}

void proc_init(void)
{
	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		threads[t].state = T_FREE;
}

void proc_set_main(uint32_t pid)
{
	main_pid = pid;
}

void thread_make_runnable(uint32_t t)
{
	if (threads[t].state != T_BLOCKED)
		return;
	if (t == cur)
		threads[t].state = T_RUNNING; /* answered within its own syscall */
	else
		runq_push(t);
}

void thread_block_current(void)
{
	threads[cur].state = T_BLOCKED;
}

void thread_yield_current(void)
{
	if (cur != KC_NO_THREAD && threads[cur].state == T_RUNNING && runq_head != KC_NO_THREAD)
		runq_push(cur);
}

/* t runs next, before every queued thread; the running thread goes on
 * right after it (an interrupt handler, irq.c). */
void thread_run_first(uint32_t t)
{
	if (cur != KC_NO_THREAD && threads[cur].state == T_RUNNING)
		runq_push_front(cur);
	runq_push_front(t);
}

static void thread_setup(kc_thread t, uint32_t pid, uint32_t pc, uint32_t arg, uint32_t sp)
{
	struct thread *th = &threads[t];

	memset(&th->tf, 0, sizeof(th->tf));
	th->tf.r[0] = (uint32_t)kstack + sizeof(kstack);
	th->tf.r[REG_RA] = USER_THREAD_EXIT;
	th->tf.r[REG_SP] = sp;
	th->tf.r[REG_A0] = arg;
	th->tf.pc = pc;
	th->tf.satp = procs[pid].satp;
	th->pid = pid;
	th->timer_wait = false;
	th->for_kernel = false;
	th->map.size = 0;
	th->state = T_BLOCKED;
	thread_make_runnable(t);
}

int proc_thread_create(uint32_t pid, uint32_t entry, uint32_t arg, uint32_t sp, uint32_t *t)
{
	kc_thread nt;
	uint32_t err = kc_thread_create(&kcore, pid, true, &nt);

	if (err)
		return (int)err;
	thread_setup(nt, pid, entry, arg, sp);
	threads[nt].tf.r[REG_GP] = threads[cur].tf.r[REG_GP]; /* same program, same gp */
	*t = nt;
	return 0;
}

static bool proc_has_threads(uint32_t pid)
{
	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		if (threads[t].state != T_FREE && threads[t].pid == pid)
			return true;
	return false;
}

/* A thread returned from its entry function (it jumped to USER_THREAD_EXIT). */
void proc_thread_exit(uint32_t t, uint32_t retval)
{
	uint32_t pid = threads[t].pid;

	threads[t].state = T_FREE;
	if (t == cur)
		cur = KC_NO_THREAD;
	kc_thread_exit(&kcore, t, retval);
	if (!proc_has_threads(pid))
		proc_kill(pid, 0);
}

/* The one death path: TerminateProcess, a fault, or the last thread ending.
 * status: the exit code 0..255 or STATUS_FAULT(scause), for the exit notice. */
void proc_kill(uint32_t pid, uint32_t status)
{
	if (pid > KC_MAX_PROCS || !procs[pid].used)
		return;
	irq_release_pid(pid);
	/* kcore first: its callbacks may still give lent pages back to pid */
	kc_process_exit_status(&kcore, pid, status);
	runq_remove_pid(pid);
	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		if (threads[t].pid == pid)
			threads[t].state = T_FREE;
	if (cur != KC_NO_THREAD && threads[cur].state == T_FREE)
		cur = KC_NO_THREAD;
	if (r_satp() == procs[pid].satp)
		kvminithart(); /* never run on a freed page table */
	uvm_destroy(procs[pid].pt);
	pager_proc_exit(pid);
	hook_proc_exit(pid);
	procs[pid].used = false;
	if (pid == main_pid) {
		kprintf("[kernel] %s exited with status %u, %u KiB of RAM free\n", procs[pid].name,
		        status, kfree_pages() * (PGSIZE / 1024));
		board_exit(status < 256 ? status : EXIT_FAULT);
	}
}

/*
 * argv[0..argc) and its strings at the top of the new stack (its last
 * page), as main(argc, argv) expects; argv[argc] is NULL. The strings of a
 * command line (kc_cmdline_split) and the pointers fit in the page. With
 * linux, the stack pointer points at argc, argv follows, then an empty
 * environment and auxiliary vector: Linux's initial stack.
 */
static uint32_t push_args(pagetable_t pt, uint32_t argc, char *const argv[], bool linux,
                          uint32_t *argv_va)
{
	uint32_t page = USER_STACK_TOP - PGSIZE, str = USER_STACK_TOP, ptrs[XOUS_CMDLINE_ARGS + 5];
	uint8_t *pa = P2V(PTE2PA(*walk(pt, page, false)));
	uint32_t n = argc + 1, at = 0;

	for (uint32_t i = argc; i-- > 0;) {
		uint32_t len = strlen(argv[i]) + 1;

		str -= len;
		memcpy(pa + (str - page), argv[i], len);
		ptrs[i] = str;
	}
	ptrs[argc] = 0;
	if (linux) { /* argc before argv; envp's NULL and auxv's AT_NULL after */
		memmove(&ptrs[1], ptrs, n * 4);
		ptrs[0] = argc;
		ptrs[n + 1] = ptrs[n + 2] = ptrs[n + 3] = 0;
		n += 4;
		at = 4;
	}
	uint32_t vec = ((str - n * 4) & ~15u);
	memcpy(pa + (vec - page), ptrs, n * 4);
	*argv_va = vec + at;
	return linux ? vec : vec - 16; /* the stack pointer, 16-byte aligned */
}

/*
 * Start prog as a new process with argv[0..argc) (at most
 * XOUS_CMDLINE_ARGS words of at most XOUS_CMDLINE_MAX bytes in all): the
 * kernel's own at boot (by KC_NO_THREAD), or for the task server thread by
 * (CreateProcess); hook: the hook server of a foreign binary (hook.c), or
 * NULL. Returns 0 or an error; nothing is left behind on one.
 */
static uint32_t proc_start(const struct xk_program *prog, uint32_t argc, char *const argv[],
                           uint32_t by, const uint32_t *hook, uint32_t *pidp)
{
	uint32_t pid, entry, err;
	kc_thread t;

	err = by == KC_NO_THREAD ? kc_process_create(&kcore, &pid, &t)
	                         : kc_process_launch(&kcore, by, &pid, &t);
	if (err)
		return err;
	struct proc *p = &procs[pid];
	p->used = true;
	p->name = prog->name;
	p->mmap_hint = USER_MMAP_BASE;
	p->kick_pending = false;
	p->pt = uvm_create();
	if (!p->pt) {
		kc_process_exit(&kcore, pid);
		p->used = false;
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	p->satp = MAKE_SATP(V2P(p->pt));
	threads[t].pid = pid;
	threads[t].state = T_FREE;
	if (exec_load(p->pt, prog, &entry) < 0 ||
	    uvm_alloc(p->pt, USER_STACK_TOP - PGSIZE, PGSIZE, PTE_R | PTE_W) < 0 ||
	    (hook && hook_attach(pid, hook) != XOUS_OK)) {
		proc_kill(pid, 1);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	uint32_t argv_va, sp = push_args(p->pt, argc, argv, hook != NULL, &argv_va);
	thread_setup(t, pid, entry, argc, sp);
	threads[t].tf.r[REG_A0 + 1] = argv_va;
	*pidp = pid;
	return 0;
}

uint32_t proc_load(const struct xk_program *prog, uint32_t argc, char *const argv[], uint32_t by,
                   uint32_t *pidp)
{
	return proc_start(prog, argc, argv, by, NULL, pidp);
}

/*
 * CreateProcess for process pid (the task server, kcore checks): the
 * command line's len bytes at addr in its memory, a program of the image by
 * name. A first word "abi-hook=NAME" starts the rest as a foreign binary
 * whose calls go to the server registered as NAME (hook.c): none,
 * SERVER_NOT_FOUND; no program after it, INVALID_ARGUMENT.
 */
uint32_t proc_create_process(uint32_t pid, uint32_t addr, uint32_t len, uint32_t *newpid)
{
	static const char prefix[] = "abi-hook=";
	char line[XOUS_CMDLINE_MAX + 1], *words[XOUS_CMDLINE_ARGS], **argv = words;
	uint32_t argc, hook[4], err = kc_task_check(&kcore, cur);
	bool hooked = false;

	if (err)
		return err;
	if (len == 0 || len > XOUS_CMDLINE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (!uvm_user_readable(procs[pid].pt, addr, len))
		return XOUS_ERR_BAD_ADDRESS;
	w_sstatus(r_sstatus() | SSTATUS_SUM);
	memcpy(line, (const void *)addr, len);
	w_sstatus(r_sstatus() & ~SSTATUS_SUM);
	err = kc_cmdline_split(line, len, argv, XOUS_CMDLINE_ARGS, &argc);
	if (!err && strlen(argv[0]) >= sizeof(prefix) - 1 &&
	    !memcmp(argv[0], prefix, sizeof(prefix) - 1)) {
		hooked = true;
		err = hook_resolve(argv[0] + sizeof(prefix) - 1, hook);
		argv++;
		if (!err && --argc == 0)
			err = XOUS_ERR_INVALID_ARGUMENT;
	}
	if (err)
		return err;
	for (const struct xk_program *p = kprograms; p->name; p++)
		if (strcmp(p->name, argv[0]) == 0)
			return proc_start(p, argc, argv, cur, hooked ? hook : NULL, newpid);
	return XOUS_ERR_NOT_FOUND;
}

/* Wait for the next tick (wfi wakes on a pending interrupt even with SIE off). */
static void idle(void)
{
	while (!(r_sip() & (SIP_SSIP | SIP_SEIP)))
		asm volatile("wfi");
	if (r_sip() & SIP_SEIP)
		device_intr();
	if (r_sip() & SIP_SSIP) {
		w_sip(r_sip() & ~SIP_SSIP);
		timer_expire();
	}
}

/*
 * With nothing runnable and no timer wait pending, only console input could
 * wake a thread, and no thread waits for it: every blocked thread waits for
 * another thread, so the system is deadlocked.
 */
static __attribute__((noreturn)) void deadlock(void)
{
	uint32_t blocked = 0;

	for (uint32_t t = 0; t < KC_MAX_THREADS; t++)
		if (threads[t].state == T_BLOCKED) {
			if (blocked++ < 8)
				kprintf("[kernel] blocked: pid %u (%s) tid %u\n", threads[t].pid,
				        procs[threads[t].pid].name, kc_thread_tid(&kcore, t));
		}
	kprintf("[kernel] deadlock: no thread can run (%u blocked)\n", blocked);
	board_exit(EXIT_DEADLOCK);
}

/* Nothing to run: wait for a timer wait to expire (or give up). Kept out of
 * schedule() so that its fast path saves no registers. */
static __attribute__((noinline, cold)) kc_thread wait_for_runnable(void)
{
	kc_thread t;

	while ((t = runq_pop()) == KC_NO_THREAD) {
		if (!timer_sleepers() && !irq_claimed_any())
			deadlock();
		cur = KC_NO_THREAD;
		idle();
	}
	return t;
}

/* The trapframe to resume: the current thread if it may go on, else the next. */
struct trapframe *schedule(void)
{
	if (cur != KC_NO_THREAD && threads[cur].state == T_RUNNING)
		return &threads[cur].tf;
	kc_thread t = runq_pop();
	if (t == KC_NO_THREAD)
		t = wait_for_runnable();
	cur = t;
	threads[t].state = T_RUNNING;
	return &threads[t].tf;
}
