/*
 * hook.c - the ABI hook on kernel-riscv (CONTRACT section 7,
 * docs/resea-abi-hook.md): a task launched as "abi-hook=NAME PROGRAM
 * ARGS" runs PROGRAM as a foreign RV32 Linux binary, each of whose ecalls
 * goes to the server registered as NAME.
 *
 * Rules:
 * - Names: the name server tells the kernel each name it registers
 *   (ServerLabel, 1107, allowed to the owner of "xous-name-server" alone);
 *   a name longer than HOOK_NAME_MAX - 1 bytes is not kept, so it cannot
 *   name a hook. A label holds while its server lives.
 * - A hooked task starts with Linux's initial stack (argc, argv, NULL, an
 *   empty environment and auxiliary vector) and one frame page of its own.
 *   Every ecall it makes (a7 the number, a0..a5 the arguments) is written
 *   into that page as struct abi_hook_frame (arch ABI_HOOK_ARCH_RISCV32)
 *   and lent to the hook (kc_abi_hook_call) while the thread waits.
 * - The answer comes back through the thread: it is made to fetch from
 *   USER_HOOK_RETURN, whose fault (hook_return) finishes the call in the
 *   task's own trap, where the kernel may act for it: ABI_HOOK_RESULT sets
 *   a0 to the result (-4095..-1 or not negative; else -ENOSYS);
 *   ABI_HOOK_HOST makes the kernel's subset of the call (host_call).
 * - A hook that is gone, or that fails the message, ends the task
 *   (status STATUS_FAULT(SCAUSE_ECALL_U)) with a line on the console.
 * - AbiHookRead/Write/Fd (1116-1118) are granted to the owner of the
 *   task's hook while a call of the task is with the hook: ACCESS_DENIED
 *   otherwise, PROCESS_NOT_FOUND for a task that is not hooked.
 */
#include "defs.h"
#include "proc.h"
#include <resea/abi_hook.h>

#define HOOK_NAME_MAX 32
#define HOOK_FDS      64 /* descriptors 0..63: 0-2 the console, the rest AbiHookFd's */

/* Linux's numbers of the kernel's subset (asm-generic, RV32) and errors. */
enum { L_OPENAT = 56, L_CLOSE = 57, L_READ = 63, L_WRITE = 64, L_EXIT = 93, L_EXIT_GROUP = 94 };
enum { L_ENOENT = 2, L_EBADF = 9, L_EFAULT = 14, L_ENOSYS = 38, L_ERRNO_MAX = 4095 };

static struct label {
	uint32_t sid[4];
	char name[HOOK_NAME_MAX];
} labels[KC_MAX_SERVERS];

static struct hook {
	bool on, in_call, answered, failed;
	kc_thread thread;
	uint32_t sid[4];     /* the hook server */
	uint32_t frame_va;   /* the frame page in the task */
	uint32_t regs[8];    /* a0..a7 of the call */
	uint32_t pc;         /* after the ecall */
	uint64_t fds, calls; /* descriptors in use; calls made (the cookie) */
} hooks[KC_MAX_PROCS + 1];

/* ---- names ---- */

static const uint32_t name_server_sid[4] = {0x73756f78, 0x6d616e2d, 0x65732d65, 0x72657672};

/* Server s is known as name now, and no other server is (a name names one). */
static void label_set(uint32_t s, const uint32_t sid[4], const char *name, uint32_t len)
{
	memcpy(labels[s].sid, sid, sizeof(labels[s].sid));
	memset(labels[s].name, 0, sizeof(labels[s].name));
	if (len == 0 || len >= HOOK_NAME_MAX)
		return;
	memcpy(labels[s].name, name, len);
	for (uint32_t o = 0; o < KC_MAX_SERVERS; o++)
		if (o != s && !strcmp(labels[o].name, labels[s].name))
			labels[o].name[0] = 0;
}

uint32_t hook_server_label(uint32_t pid, const uint32_t sid[4], uint32_t addr, uint32_t len)
{
	struct kc_server_info ns;
	char name[HOOK_NAME_MAX];
	uint32_t s = kc_server_slot(&kcore, sid);

	if (!kc_server_info(&kcore, kc_server_slot(&kcore, name_server_sid), &ns) ||
	    ns.owner != pid)
		return XOUS_ERR_ACCESS_DENIED;
	if (len && !uvm_user_readable(procs[pid].pt, addr, len))
		return XOUS_ERR_BAD_ADDRESS;
	if (s == KC_NIL)
		return XOUS_OK;
	if (len < HOOK_NAME_MAX) {
		w_sstatus(r_sstatus() | SSTATUS_SUM);
		memcpy(name, (const void *)addr, len);
		w_sstatus(r_sstatus() & ~SSTATUS_SUM);
	}
	label_set(s, sid, name, len);
	return XOUS_OK;
}

/* The server registered as name (len bytes), if it still lives. */
static bool label_find(const char *name, uint32_t sid[4])
{
	size_t len = strlen(name);

	if (len == 0 || len >= HOOK_NAME_MAX)
		return false;
	for (uint32_t s = 0; s < KC_MAX_SERVERS; s++)
		if (!strcmp(labels[s].name, name) && kc_server_slot(&kcore, labels[s].sid) == s) {
			memcpy(sid, labels[s].sid, sizeof(labels[s].sid));
			return true;
		}
	return false;
}

/* ---- launching ---- */

uint32_t hook_resolve(const char *name, uint32_t sid[4])
{
	return label_find(name, sid) ? XOUS_OK : XOUS_ERR_SERVER_NOT_FOUND;
}

uint32_t hook_attach(uint32_t pid, const uint32_t sid[4])
{
	struct proc *p = &procs[pid];
	struct hook *h = &hooks[pid];
	uint32_t va = uvm_find_free(p->pt, &p->mmap_hint, PGSIZE);

	if (!va || uvm_alloc(p->pt, va, PGSIZE, PTE_R | PTE_W) < 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	memset(h, 0, sizeof(*h)); /* a call: LTO may drop memset before a struct literal's */
	h->on = true;
	h->frame_va = va;
	h->fds = 7; /* 0, 1, 2: the console */
	memcpy(h->sid, sid, sizeof(h->sid));
	return XOUS_OK;
}

bool hook_is_on(uint32_t pid)
{
	return hooks[pid].on;
}

void hook_proc_exit(uint32_t pid)
{
	hooks[pid].on = false;
}

/* ---- a call ---- */

/* The kernel's address of the task's frame page. */
static struct abi_hook_frame *frame_of(uint32_t pid)
{
	return P2V(PTE2PA(*walk(procs[pid].pt, hooks[pid].frame_va, false)));
}

static void hook_kill(uint32_t pid, const char *why)
{
	kprintf("[kernel] pid %u (%s): %s: process terminated\n", pid, procs[pid].name, why);
	proc_kill(pid, STATUS_FAULT(SCAUSE_ECALL_U));
}

void hook_ecall(struct trapframe *tf, uint32_t pid)
{
	struct hook *h = &hooks[pid];
	struct abi_hook_frame *f = frame_of(pid);
	kc_mem mem = {.addr = h->frame_va, .len = PGSIZE, .offset = 0, .valid = sizeof(*f)};

	memset(f, 0, sizeof(*f));
	f->magic = ABI_HOOK_MAGIC;
	f->arch = ABI_HOOK_ARCH_RISCV32;
	f->task = pid;
	f->nr = tf->r[REG_A0 + 7];
	f->cookie = ++h->calls;
	f->ip = tf->pc - 4;
	for (int i = 0; i < 8; i++) {
		h->regs[i] = tf->r[REG_A0 + i];
		if (i < 6)
			f->args[i] = tf->r[REG_A0 + i];
	}
	h->pc = tf->pc;
	if (kc_server_slot(&kcore, h->sid) == KC_NIL) {
		hook_kill(pid, "its abi hook is gone");
		return;
	}
	if (lend_take(pid, XOUS_KIND_MUTABLE_BORROW, &mem) != 0) {
		hook_kill(pid, "its abi hook frame cannot be lent");
		return;
	}
	h->thread = cur;
	h->in_call = true;
	h->answered = h->failed = false;
	thread_block_current();
	threads[cur].for_kernel = true;
	if (kc_abi_hook_call(&kcore, cur, kc_server_slot(&kcore, h->sid), h->frame_va, mem.valid,
	                     &mem) < 0) {
		h->in_call = false;
		threads[cur].for_kernel = false;
		kernel_kc_ops.mem_done(NULL, pid, 0, &mem);
		hook_kill(pid, "its abi hook cannot be reached");
	}
}

bool hook_reply(uint32_t t, const void *rv)
{
	const kc_regs *r = rv;
	uint32_t pid = threads[t].pid;
	struct hook *h = &hooks[pid];

	if (!h->on || !h->in_call || h->thread != t)
		return false;
	h->answered = true;
	h->failed = r->a[0] != XOUS_RESULT_MEMORY_RETURNED;
	threads[t].tf.pc = USER_HOOK_RETURN; /* hook_return finishes the call */
	thread_make_runnable(t);
	return true;
}

static bool fd_open(const struct hook *h, uint32_t fd)
{
	return fd < HOOK_FDS && (h->fds >> fd & 1);
}

/* write to the console (fd 1, 2 while open): at most CONSOLE_WRITE_MAX bytes. */
static int32_t host_write(uint32_t pid, const struct hook *h, uint32_t fd, uint32_t addr,
                          uint32_t len)
{
	if ((fd != 1 && fd != 2) || !fd_open(h, fd))
		return -L_EBADF;
	if (len > CONSOLE_WRITE_MAX)
		len = CONSOLE_WRITE_MAX;
	return console_write(pid, addr, len) ? (int32_t)len : -L_EFAULT;
}

/* The kernel's subset of a Linux call, for ABI_HOOK_HOST: the console,
 * empty reads of the descriptors it gave, no files, exit. */
static int32_t host_call(uint32_t pid, struct hook *h, const uint32_t *a)
{
	switch (a[7]) {
	case L_WRITE:
		return host_write(pid, h, a[0], a[1], a[2]);
	case L_READ: /* the console gives no input; AbiHookFd's read as empty */
		return fd_open(h, a[0]) && a[0] != 1 && a[0] != 2 ? 0 : -L_EBADF;
	case L_CLOSE:
		if (!fd_open(h, a[0]))
			return -L_EBADF;
		h->fds &= ~(1ull << a[0]);
		return 0;
	case L_OPENAT:
		return -L_ENOENT; /* the kernel has no files of its own */
	default:
		return -L_ENOSYS;
	}
}

bool hook_return(struct trapframe *tf, uint32_t pid)
{
	struct hook *h = &hooks[pid];
	const struct abi_hook_frame *f = frame_of(pid);
	int64_t res;

	if (!h->on || !h->in_call || !h->answered || h->thread != cur)
		return false;
	h->in_call = false;
	if (h->failed) {
		hook_kill(pid, "its abi hook failed the call");
		return true;
	}
	if (f->action == ABI_HOOK_HOST && (h->regs[7] == L_EXIT || h->regs[7] == L_EXIT_GROUP)) {
		proc_kill(pid, h->regs[0] & 0xff);
		return true;
	}
	for (int i = 0; i < 8; i++)
		tf->r[REG_A0 + i] = h->regs[i];
	tf->pc = h->pc;
	res = f->action == ABI_HOOK_HOST ? host_call(pid, h, h->regs) : f->result;
	if (f->action > ABI_HOOK_RESULT || res < -L_ERRNO_MAX || res > INT32_MAX)
		res = -L_ENOSYS;
	tf->r[REG_A0] = (uint32_t)(int32_t)res;
	return true;
}

/* ---- the hook's calls ---- */

/* The hook of task, for its owner pid while a call is with it. */
static uint32_t hook_check(uint32_t pid, uint32_t task, struct hook **hp)
{
	struct kc_server_info si;
	struct hook *h = task <= KC_MAX_PROCS ? &hooks[task] : NULL;

	if (!h || !h->on || !procs[task].used)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	if (!h->in_call || h->answered ||
	    !kc_server_info(&kcore, kc_server_slot(&kcore, h->sid), &si) || si.owner != pid)
		return XOUS_ERR_ACCESS_DENIED;
	*hp = h;
	return XOUS_OK;
}

/* The kernel's address of byte va of pt, if it is a user page of RAM
 * that allows write (or read); pages on first touch are mapped. Device
 * registers (MapMemory of a physical address) are not in the linear map:
 * never the kernel's to move. */
static uint8_t *user_byte(pagetable_t pt, uint32_t va, bool write)
{
	uint32_t need = PTE_V | PTE_U | (write ? PTE_W : PTE_R);
	pte_t *pte;

	if (va >= USER_TOP || uvm_touch(pt, va, 1) < 0 || !(pte = walk(pt, va, false)) ||
	    (*pte & need) != need || !is_ram(PTE2PA(*pte)))
		return NULL;
	return (uint8_t *)P2V(PTE2PA(*pte)) + (va & (PGSIZE - 1));
}

/* len bytes from (spt, src) to (dpt, dst), page by page: *n moved. A
 * byte of the caller's that is not there: BAD_ADDRESS; of the task's:
 * the move stops (none moved: BAD_ADDRESS). */
static uint32_t move(pagetable_t dpt, uint32_t dst, pagetable_t spt, uint32_t src, uint32_t len,
                     bool caller_is_dst, uint32_t *n)
{
	for (*n = 0; *n < len;) {
		uint8_t *d = user_byte(dpt, dst + *n, true), *s = user_byte(spt, src + *n, false);
		uint32_t dl = PGSIZE - ((dst + *n) & (PGSIZE - 1)),
		         sl = PGSIZE - ((src + *n) & (PGSIZE - 1)), c = len - *n;

		if (!(caller_is_dst ? d : s))
			return XOUS_ERR_BAD_ADDRESS;
		if (!d || !s)
			break;
		c = c < dl ? c : dl;
		c = c < sl ? c : sl;
		memcpy(d, s, c);
		*n += c;
	}
	return *n == 0 && len ? XOUS_ERR_BAD_ADDRESS : XOUS_OK;
}

uint32_t hook_read(uint32_t pid, uint32_t task, uint32_t addr, uint32_t len, uint32_t buf,
                   uint32_t *n)
{
	struct hook *h;
	uint32_t err = hook_check(pid, task, &h);

	return err ? err : move(procs[pid].pt, buf, procs[task].pt, addr, len, true, n);
}

uint32_t hook_write(uint32_t pid, uint32_t task, uint32_t addr, uint32_t len, uint32_t buf,
                    uint32_t *n)
{
	struct hook *h;
	uint32_t err = hook_check(pid, task, &h);

	if (err || (err = move(procs[task].pt, addr, procs[pid].pt, buf, len, false, n)))
		return err;
	fence_i(); /* the hook may have written the task's code */
	return XOUS_OK;
}

uint32_t hook_fd(uint32_t pid, uint32_t task, uint32_t *fd)
{
	struct hook *h;
	uint32_t err = hook_check(pid, task, &h);

	if (err)
		return err;
	for (uint32_t i = 3; i < HOOK_FDS; i++)
		if (!fd_open(h, i)) {
			h->fds |= 1ull << i;
			*fd = i;
			return XOUS_OK;
		}
	return XOUS_ERR_OUT_OF_MEMORY;
}
