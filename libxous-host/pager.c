/*
 * pager.c - the task's side of its pager (CONTRACT section 7,
 * docs/resea-pager.md): fault reports and paged memory.
 *
 * Rules:
 * - Faults: SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP are caught before
 *   main(); the handler sends Exception(type, address, ip) ahead (no
 *   answer) and lets the fault kill the process as it would have: with
 *   the signal at its default it returns to the faulting instruction, or
 *   raises the signal again for one that was sent rather than caused. The
 *   broker tells the pager once the death is known. A program that sets
 *   its own handlers replaces these.
 * - Paged memory: global_paged_region maps anonymous memory registered
 *   with a user-mode userfaultfd (UFFD_USER_MODE_ONLY: a touch from inside
 *   a system call fails with EFAULT instead) that reports the exact
 *   address touched (UFFD_FEATURE_EXACT_ADDRESS, Linux 6.1; without it
 *   Linux gives the page's address). One thread of the library
 *   reads the faults: the process's fault thread (FaultThread, named before
 *   the first region is returned; the broker admits a page fault's lend
 *   from no other thread). The faulting thread stays parked in Linux while
 *   that thread lends one page to the pager (MutableBorrow, opcode
 *   GLOBAL_PAGE_FAULT, offset the address, valid 1 for a write), copies
 *   the answered page in (UFFDIO_COPY) and so wakes it.
 * - A pager that cannot be reached, dies, or answers with an error ends
 *   the task: the exception XOUS_EXC_PAGER is noted, the cause is written
 *   to stderr, and the page is made inaccessible, so that the parked
 *   thread, woken, dies of SIGSEGV.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "xous-host-internal.h"

#pragma GCC visibility push(default)
#include <resea/global.h>
#pragma GCC visibility pop

/* ---- faults ---- */

static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};

static uint64_t fault_ip(const void *ucv)
{
	const ucontext_t *uc = ucv;

#if defined(__x86_64__)
	return (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return (uint64_t)uc->uc_mcontext.pc;
#else
	(void)uc;
	return 0;
#endif
}

void xh_pager_exception(uint64_t type, uint64_t addr, uint64_t ip)
{
	const uint64_t w[8] = {XOUS_SYS_EXCEPTION, type, addr, ip};

	xh_conn_send_unanswered(w);
}

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	xh_pager_exception(xh_signal_exception(sig), (uint64_t)(uintptr_t)si->si_addr,
	                   fault_ip(uc));
	signal(sig, SIG_DFL);
	if (si->si_code <= 0 || sig == SIGTRAP) /* sent, or a trap that does not repeat */
		raise(sig);
	errno = saved;
}

/* After the sandbox (102): a denied call's SIGSYS is sandbox.c's. */
__attribute__((constructor(103))) static void pager_faults_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fault_signals) / sizeof(fault_signals[0]); i++) {
		struct sigaction old;

		/* a handler the program inherited stays */
		if (sigaction(fault_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(fault_signals[i], &sa, NULL);
	}
}

/* ---- paged memory ---- */

static pthread_mutex_t pager_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pager_named = PTHREAD_COND_INITIALIZER;
static int pager_uffd = -1;

/* The fault thread's start: it names itself (err), under pager_lock. */
struct pager_start {
	int uffd;
	bool done;
	xous_err_t err;
};

static void pager_say(const char *what, uintptr_t addr, xous_err_t err)
{
	fprintf(stderr, "libxous-host: %s: %s on the page at %#lx (%s): the task ends\n",
	        program_invocation_short_name, what, (unsigned long)addr, xous_strerror(err));
}

/* The pager's connection: asked of the kernel for each fault, so that a
 * new pager (SetPager) takes over at once; *sid the pager. */
static xous_err_t pager_connect(xous_sid_t *sid, xous_cid_t *cid)
{
	struct xh_call c;
	xous_err_t err;

	xh_call_init(&c, XOUS_SYS_PAGER_OF);
	err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_SERVER_ID);
	if (err)
		return err;
	for (int i = 0; i < 4; i++)
		sid->w[i] = (uint32_t)c.w[1 + i];
	return xous_try_connect(sid, cid);
}

/* Ask the pager for the page at addr into buf; its error, if any. A
 * SetPager between PagerOf and the lend makes the kernel refuse it
 * (INVALID_ARGUMENT: not the pager): then the new pager is asked, once. */
static xous_err_t pager_ask(xous_range_t buf, uintptr_t addr, bool write)
{
	xous_sid_t asked = {{0}}, sid;
	xous_cid_t cid;
	xous_err_t err;

	for (int i = 0;; i++) {
		if ((err = pager_connect(&sid, &cid)) != XOUS_OK)
			return err;
		if (i > 0 && !memcmp(&sid, &asked, sizeof(sid)))
			return XOUS_ERR_INVALID_ARGUMENT; /* the same pager refused it */
		memset(buf.addr, 0, buf.len);
		err = xh_lend_fault(cid, buf, addr, write);
		if (err != XOUS_ERR_INVALID_ARGUMENT || i > 0)
			return err;
		asked = sid;
	}
}

/* The faulting thread dies of the page it cannot have (see the rules). */
static void pager_fail(int uffd, uintptr_t page, uintptr_t addr, xous_err_t err)
{
	struct uffdio_range r = {.start = page, .len = XOUS_PAGE_SIZE};

	xh_pager_exception(XOUS_EXC_PAGER, addr, 0);
	pager_say("its pager failed", addr, err);
	mprotect((void *)page, XOUS_PAGE_SIZE, PROT_NONE);
	ioctl(uffd, UFFDIO_WAKE, &r);
}

static void pager_serve_fault(int uffd, xous_range_t buf, const struct uffd_msg *m)
{
	uintptr_t addr = (uintptr_t)m->arg.pagefault.address;
	uintptr_t page = addr & ~(uintptr_t)(XOUS_PAGE_SIZE - 1);
	bool write = (m->arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE) != 0;
	xous_err_t err = pager_ask(buf, addr, write);
	struct uffdio_copy cp = {.dst = page, .src = (uintptr_t)buf.addr, .len = XOUS_PAGE_SIZE};

	if (err) {
		pager_fail(uffd, page, addr, err);
		return;
	}
	if (ioctl(uffd, UFFDIO_COPY, &cp) < 0 && errno != EEXIST) {
		pager_fail(uffd, page, addr, XOUS_ERR_OUT_OF_MEMORY);
		return;
	}
	if (errno == EEXIST) { /* present already: wake whoever waits for it */
		struct uffdio_range r = {.start = page, .len = XOUS_PAGE_SIZE};

		ioctl(uffd, UFFDIO_WAKE, &r);
	}
}

/* The calling thread becomes the fault thread; tells pager_start how it went. */
static xous_err_t pager_name_thread(struct pager_start *st)
{
	struct xh_call c;
	xous_err_t err;

	xh_call_init(&c, XOUS_SYS_FAULT_THREAD);
	err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_OK);
	pthread_mutex_lock(&pager_lock);
	st->err = err;
	st->done = true;
	pthread_cond_signal(&pager_named);
	pthread_mutex_unlock(&pager_lock);
	return err;
}

static void *pager_thread(void *arg)
{
	struct pager_start *st = arg;
	int uffd = st->uffd;
	xous_range_t buf;

	if (pager_name_thread(st) != XOUS_OK)
		return NULL; /* st is gone: pager_start has its answer */
	if (xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &buf) != XOUS_OK) {
		pager_say("no page to lend", 0, XOUS_ERR_OUT_OF_MEMORY);
		return NULL;
	}
	for (;;) {
		struct uffd_msg m;
		ssize_t n = read(uffd, &m, sizeof(m));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(m))
			break;
		if (m.event == UFFD_EVENT_PAGEFAULT)
			pager_serve_fault(uffd, buf, &m);
	}
	xous_unmap_memory(buf);
	return NULL;
}

/* A user-mode userfaultfd with features, or -1. */
static int pager_uffd_open(uint64_t features)
{
	struct uffdio_api api = {.api = UFFD_API, .features = features};
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);

	if (fd >= 0 && ioctl(fd, UFFDIO_API, &api) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The userfaultfd and its thread, made once per process (pager_lock held). */
static xous_err_t pager_start(int *uffd)
{
	struct pager_start st = {.done = false};
	pthread_t th;

	if (pager_uffd >= 0) {
		*uffd = pager_uffd;
		return XOUS_OK;
	}
	st.uffd = pager_uffd_open(UFFD_FEATURE_EXACT_ADDRESS);
	if (st.uffd < 0) /* an older Linux: the page's address only */
		st.uffd = pager_uffd_open(0);
	if (st.uffd < 0)
		return XOUS_ERR_UNAVAILABLE;
	if (pthread_create(&th, NULL, pager_thread, &st) != 0) {
		close(st.uffd);
		return XOUS_ERR_UNAVAILABLE;
	}
	pthread_detach(th);
	while (!st.done)
		pthread_cond_wait(&pager_named, &pager_lock);
	if (st.err != XOUS_OK) {
		close(st.uffd);
		return st.err;
	}
	pager_uffd = *uffd = st.uffd;
	return XOUS_OK;
}

xous_err_t global_paged_region(size_t len, void **vaddr)
{
	size_t n = xh_page_round(len);
	struct uffdio_register reg = {.mode = UFFDIO_REGISTER_MODE_MISSING};
	xous_err_t err;
	void *p;
	int uffd = -1;

	if (vaddr == NULL || len == 0 || n == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	pthread_mutex_lock(&pager_lock);
	err = pager_start(&uffd);
	pthread_mutex_unlock(&pager_lock);
	if (err)
		return err;
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return XOUS_ERR_OUT_OF_MEMORY;
	reg.range.start = (uintptr_t)p;
	reg.range.len = n;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
		munmap(p, n);
		return XOUS_ERR_UNAVAILABLE;
	}
	*vaddr = p;
	return XOUS_OK;
}
