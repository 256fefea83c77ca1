/*
 * policy.c - what a sandboxed server may call (CONTRACT section 4.13).
 *
 *   default  the runtime list: talk to the broker over the sockets it
 *            already has (and make socketpairs for its threads'
 *            connections), manage its own memory (memfds included) and
 *            threads, read clocks and sleep, write to the stdout and stderr
 *            it inherited; nothing else.
 *   host     default plus file I/O on the host's file system.
 *   none     no filter.
 *
 * A policy has two filters. The broker installs the BASELINE between fork
 * and exec: the runtime list plus what the dynamic loader and libc's
 * start-up need (read-only openat, read, pread64, fstat, mmap of files with
 * PROT_EXEC, mprotect, execve, arch_prctl, prlimit64, access, and seccomp
 * itself so the library can narrow it), so a program that does not link
 * libxous-host is confined too. libxous-host stacks the NARROW filter, the
 * runtime list alone, before main(). Both apply to every call, so the
 * narrow one only takes away. A fleet file's allow= adds whole system
 * calls to both.
 *
 * A call outside the baseline kills the whole process (KILL_PROCESS, also
 * for another architecture's calls), so the broker sees a SIGSYS death; a
 * call outside the narrow filter traps (SIGSYS to libxous-host's handler,
 * sandbox.c, which names the call and then dies by SIGSYS too). A few
 * answer an error instead, because libc makes them on its own: clone3
 * (ENOSYS: glibc falls back to clone, whose flags a filter can read), the
 * stat family in the narrow default filter (stdio asks about stdout before
 * its first write and copes with EPERM), and an mremap that grows or
 * aliases a mapping (EPERM: glibc's realloc then copies).
 *
 * The ways out that are closed, each tested live in tests/reliability:
 * - Sockets: no socket(), connect() or bind(); socketpair() only AF_UNIX +
 *   SOCK_SEQPACKET. A connected seqpacket socket ignores msg_name, so
 *   sendmsg reaches only its peer, which is the broker or the process
 *   itself: neither a datagram to an address nor an fd (SCM_RIGHTS) can
 *   leave. sendto and recvfrom carry no address.
 * - clone: threads only (CLONE_THREAD), without namespace flags.
 * - No PROT_EXEC from mmap or mprotect after the loader (NARROW), none
 *   from anonymous mmap at all; no pkey_mprotect.
 * - memfd_create without MFD_HUGETLB.
 * - mremap only with the flags libxous-host and glibc use, never growing
 *   (new_size > old_size) nor aliasing (old_size == 0). libseccomp compares
 *   an argument only with constants, so the sizes are checked by a small
 *   raw BPF program stacked beside the libseccomp filter.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/seccomp.h>
#include <linux/userfaultfd.h>

#include "policy.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* Where a rule applies: a policy (default, host) at a stage. */
#define IN_DN      1u /* default, narrow */
#define IN_DB      2u /* default, baseline */
#define IN_HN      4u /* host, narrow */
#define IN_HB      8u /* host, baseline */
#define IN_DEFAULT (IN_DN | IN_DB)
#define IN_HOST    (IN_HN | IN_HB)
#define IN_BASE    (IN_DB | IN_HB)
#define IN_ALL     (IN_DEFAULT | IN_HOST)

#define NS_FLAGS                                                                                   \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |             \
	 CLONE_NEWPID | CLONE_NEWNET)
#define MAYMOVE_FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)

/* Allowed with any arguments. */
static const int g_runtime[] = {
        /* the broker: the connections it already gave us */
        SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(close),
        /* memory */
        SCMP_SYS(munmap), SCMP_SYS(madvise), SCMP_SYS(brk), SCMP_SYS(ftruncate),
        /* threads */
        SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(get_robust_list), SCMP_SYS(rseq),
        SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
        SCMP_SYS(set_tid_address), SCMP_SYS(restart_syscall),
        /* clocks */
        SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(clock_nanosleep),
        SCMP_SYS(nanosleep), SCMP_SYS(gettimeofday), SCMP_SYS(time),
        /* self */
        SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(geteuid), SCMP_SYS(rt_sigprocmask),
        SCMP_SYS(rt_sigreturn),
        SCMP_SYS(rt_sigaction), /* glibc's first pthread_create installs SIGRT_1 */
        SCMP_SYS(sigaltstack), SCMP_SYS(getrandom)};

/* The dynamic loader, libc's start-up, and the library's narrowing. The
 * loader reads /proc/self/exe (readlink) for an rpath of $ORIGIN, which
 * installed programs have. */
static const int g_loader[] = {SCMP_SYS(execve),  SCMP_SYS(read),       SCMP_SYS(pread64),
                               SCMP_SYS(fstat),   SCMP_SYS(newfstatat), SCMP_SYS(mprotect),
                               SCMP_SYS(access),  SCMP_SYS(arch_prctl), SCMP_SYS(prlimit64),
                               SCMP_SYS(seccomp), SCMP_SYS(readlink)};

/* File I/O on the host's file system. */
static const int g_host[] = {
        SCMP_SYS(openat),     SCMP_SYS(open),       SCMP_SYS(creat),      SCMP_SYS(read),
        SCMP_SYS(readv),      SCMP_SYS(write),      SCMP_SYS(writev),     SCMP_SYS(pread64),
        SCMP_SYS(pwrite64),   SCMP_SYS(lseek),      SCMP_SYS(fstat),      SCMP_SYS(newfstatat),
        SCMP_SYS(statx),      SCMP_SYS(stat),       SCMP_SYS(lstat),      SCMP_SYS(access),
        SCMP_SYS(faccessat),  SCMP_SYS(faccessat2), SCMP_SYS(getdents64), SCMP_SYS(readlink),
        SCMP_SYS(readlinkat), SCMP_SYS(mkdir),      SCMP_SYS(mkdirat),    SCMP_SYS(unlink),
        SCMP_SYS(unlinkat),   SCMP_SYS(rename),     SCMP_SYS(renameat),   SCMP_SYS(renameat2),
        SCMP_SYS(fsync),      SCMP_SYS(fdatasync),  SCMP_SYS(dup),        SCMP_SYS(dup2),
        SCMP_SYS(dup3),       SCMP_SYS(fcntl),      SCMP_SYS(flock),      SCMP_SYS(getcwd),
        SCMP_SYS(poll),       SCMP_SYS(ppoll),      SCMP_SYS(fallocate),  SCMP_SYS(truncate),
};

#ifdef __SANITIZE_ADDRESS__
/* What the ASan/UBSan runtime calls after start-up (opening files stays
 * forbidden: a report is written to stderr unsymbolized); while starting
 * it reads /proc/self/maps with open() and calls readlink, as the loader. */
static const int g_asan[] = {
        SCMP_SYS(prctl),   SCMP_SYS(getrlimit),      SCMP_SYS(prlimit64),
        SCMP_SYS(getppid), SCMP_SYS(sched_getparam),
};
#endif

static const struct {
	const int *nrs;
	size_t n;
	unsigned at;
} g_lists[] = {
        {g_runtime, sizeof g_runtime / sizeof g_runtime[0], IN_ALL},
        {g_loader, sizeof g_loader / sizeof g_loader[0], IN_BASE},
        {g_host, sizeof g_host / sizeof g_host[0], IN_HOST},
#ifdef __SANITIZE_ADDRESS__
        {g_asan, sizeof g_asan / sizeof g_asan[0], IN_ALL},
#endif
};

struct cond {
	unsigned arg;
	enum scmp_compare op;
	scmp_datum_t a, b;
};

/* Calls allowed (or answered) only with these arguments. */
static const struct rule {
	int nr;
	unsigned at;
	uint32_t action;
	unsigned n;
	struct cond c[2];
} g_rules[] = {
        /* stdout and stderr; memfds (fd >= 3) for copied lends */
        {SCMP_SYS(write), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_EQ, 1, 0}}},
        {SCMP_SYS(write), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_EQ, 2, 0}}},
        {SCMP_SYS(writev), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_EQ, 1, 0}}},
        {SCMP_SYS(writev), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_EQ, 2, 0}}},
        {SCMP_SYS(pwrite64), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_GE, 3, 0}}},
        {SCMP_SYS(pread64), IN_DN, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_GE, 3, 0}}},
        /* fd flags and memfd seals */
        {SCMP_SYS(fcntl), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, F_GETFD, 0}}},
        {SCMP_SYS(fcntl), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, F_SETFD, 0}}},
        {SCMP_SYS(fcntl), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, F_GETFL, 0}}},
        {SCMP_SYS(fcntl), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, F_ADD_SEALS, 0}}},
        {SCMP_SYS(fcntl), IN_DEFAULT, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, F_GET_SEALS, 0}}},
        /* stdio asks about stdout; it copes with an error */
        {SCMP_SYS(fstat), IN_DN, SCMP_ACT_ERRNO(EPERM), 0, {{0}}},
        {SCMP_SYS(newfstatat), IN_DN, SCMP_ACT_ERRNO(EPERM), 0, {{0}}},
        {SCMP_SYS(statx), IN_DEFAULT, SCMP_ACT_ERRNO(EPERM), 0, {{0}}},
        /* memory: code only from files, and only while loading */
        {SCMP_SYS(mmap), IN_ALL, SCMP_ACT_ALLOW, 1, {{2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0}}},
        {SCMP_SYS(mmap), IN_BASE, SCMP_ACT_ALLOW, 1, {{3, SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, 0}}},
        {SCMP_SYS(mprotect), IN_ALL, SCMP_ACT_ALLOW, 1, {{2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0}}},
        {SCMP_SYS(memfd_create),
         IN_ALL,
         SCMP_ACT_ALLOW,
         1,
         {{1, SCMP_CMP_MASKED_EQ, MFD_HUGETLB, 0}}},
        /* glibc's realloc (in place or moving) and libxous-host's lends (moving
         * page tables, with or without MREMAP_DONTUNMAP); sizes: see above */
        {SCMP_SYS(mremap), IN_ALL, SCMP_ACT_ALLOW, 1, {{3, SCMP_CMP_EQ, 0, 0}}},
        {SCMP_SYS(mremap), IN_ALL, SCMP_ACT_ALLOW, 1, {{3, SCMP_CMP_EQ, MREMAP_MAYMOVE, 0}}},
        {SCMP_SYS(mremap), IN_ALL, SCMP_ACT_ALLOW, 1, {{3, SCMP_CMP_EQ, MAYMOVE_FIXED, 0}}},
        {SCMP_SYS(mremap),
         IN_ALL,
         SCMP_ACT_ALLOW,
         1,
         {{3, SCMP_CMP_EQ, MAYMOVE_FIXED | MREMAP_DONTUNMAP, 0}}},
        /* threads, never processes or namespaces */
        {SCMP_SYS(clone),
         IN_ALL,
         SCMP_ACT_ALLOW,
         1,
         {{0, SCMP_CMP_MASKED_EQ, CLONE_THREAD | NS_FLAGS, CLONE_THREAD}}},
        {SCMP_SYS(clone3), IN_ALL, SCMP_ACT_ERRNO(ENOSYS), 0, {{0}}},
        /* sockets: seqpacket pairs, no addresses */
        {SCMP_SYS(socketpair),
         IN_ALL,
         SCMP_ACT_ALLOW,
         2,
         {{0, SCMP_CMP_EQ, AF_UNIX, 0},
          {1, SCMP_CMP_MASKED_EQ, ~(scmp_datum_t)(SOCK_CLOEXEC | SOCK_NONBLOCK), SOCK_SEQPACKET}}},
        {SCMP_SYS(sendto), IN_ALL, SCMP_ACT_ALLOW, 1, {{4, SCMP_CMP_EQ, 0, 0}}},
        {SCMP_SYS(recvfrom), IN_ALL, SCMP_ACT_ALLOW, 1, {{4, SCMP_CMP_EQ, 0, 0}}},
        /* the loader reads its libraries; the library sets no_new_privs */
        {SCMP_SYS(openat),
         IN_BASE,
         SCMP_ACT_ALLOW,
         1,
         {{2, SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, 0}}},
        {SCMP_SYS(prctl), IN_BASE, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_EQ, PR_SET_NO_NEW_PRIVS, 0}}},
        /* paged memory (global_paged_region): user-mode userfaultfd, its
         * ioctls, and reading its events (read of fd >= 3 reads nothing
         * recvmsg and pread64 cannot) */
        {SCMP_SYS(userfaultfd),
         IN_ALL,
         SCMP_ACT_ALLOW,
         1,
         {{0, SCMP_CMP_MASKED_EQ, ~(scmp_datum_t)(O_CLOEXEC | UFFD_USER_MODE_ONLY), 0}}},
        {SCMP_SYS(ioctl), IN_ALL, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, UFFDIO_API, 0}}},
        {SCMP_SYS(ioctl), IN_ALL, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, UFFDIO_REGISTER, 0}}},
        {SCMP_SYS(ioctl), IN_ALL, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, UFFDIO_COPY, 0}}},
        {SCMP_SYS(ioctl), IN_ALL, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, UFFDIO_WAKE, 0}}},
        {SCMP_SYS(read), IN_DN, SCMP_ACT_ALLOW, 1, {{0, SCMP_CMP_GE, 3, 0}}},
        /* who is at the other end of the broker's socket */
        {SCMP_SYS(getsockopt),
         IN_ALL,
         SCMP_ACT_ALLOW,
         2,
         {{1, SCMP_CMP_EQ, SOL_SOCKET, 0}, {2, SCMP_CMP_EQ, SO_PEERCRED, 0}}},
        /* a fleet server makes itself undumpable before main() */
        {SCMP_SYS(prctl),
         IN_BASE,
         SCMP_ACT_ALLOW,
         2,
         {{0, SCMP_CMP_EQ, PR_SET_DUMPABLE, 0}, {1, SCMP_CMP_EQ, 0, 0}}},
#ifdef __SANITIZE_ADDRESS__
        {SCMP_SYS(open),
         IN_BASE,
         SCMP_ACT_ALLOW,
         1,
         {{1, SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC, 0}}},
#endif
        {SCMP_SYS(ioctl), IN_HOST, SCMP_ACT_ALLOW, 1, {{1, SCMP_CMP_EQ, TCGETS, 0}}},
};

int xh_policy_find(const char *name)
{
	static const char *const names[] = {[XH_POLICY_NONE] = "none",
	                                    [XH_POLICY_DEFAULT] = "default",
	                                    [XH_POLICY_HOST] = "host"};

	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

int xh_policy_allow_parse(const char *list, struct xh_allow *out, char *bad, size_t badlen)
{
	out->n = 0;
	for (const char *s = list;; s++) {
		size_t len = strcspn(s, ",");
		char name[64];
		int nr;

		if (len == 0 || len >= sizeof name) {
			snprintf(bad, badlen, "'%.*s' is not a system call name", (int)len, s);
			return -1;
		}
		memcpy(name, s, len);
		name[len] = 0;
		nr = seccomp_syscall_resolve_name(name);
		if (nr < 0) {
			snprintf(bad, badlen, "'%s' is not a system call of this machine", name);
			return -1;
		}
		if (out->n == XH_ALLOW_MAX) {
			snprintf(bad, badlen, "more than %d system calls", XH_ALLOW_MAX);
			return -1;
		}
		out->nr[out->n++] = nr;
		s += len;
		if (*s == 0)
			return 0;
	}
}

static unsigned at_bit(enum xh_policy p, enum xh_stage s)
{
	unsigned bit = s == XH_STAGE_NARROW ? IN_DN : IN_DB;

	return p == XH_POLICY_HOST ? bit << 2 : bit;
}

/* -EDOM/-EFAULT: the call does not exist on this architecture. */
static int add(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n,
               const struct scmp_arg_cmp *c)
{
	int rc = seccomp_rule_add_array(ctx, action, nr, n, c);

	return rc == -EDOM || rc == -EFAULT || rc == -EEXIST ? 0 : rc;
}

static int add_rules(scmp_filter_ctx ctx, unsigned at)
{
	int rc = 0;

	for (size_t i = 0; i < sizeof g_lists / sizeof g_lists[0] && rc == 0; i++)
		for (size_t j = 0; (g_lists[i].at & at) && j < g_lists[i].n && rc == 0; j++)
			rc = add(ctx, SCMP_ACT_ALLOW, g_lists[i].nrs[j], 0, NULL);
	for (size_t i = 0; i < sizeof g_rules / sizeof g_rules[0] && rc == 0; i++) {
		const struct rule *r = &g_rules[i];
		struct scmp_arg_cmp c[2];

		if (!(r->at & at))
			continue;
		for (unsigned k = 0; k < r->n; k++)
			c[k] = (struct scmp_arg_cmp){r->c[k].arg, r->c[k].op, r->c[k].a, r->c[k].b};
		rc = add(ctx, r->action, r->nr, r->n, c);
	}
	return rc;
}

scmp_filter_ctx xh_policy_filter(enum xh_policy p, enum xh_stage s, const struct xh_allow *allow)
{
	scmp_filter_ctx ctx;
	int rc = 0;

	if (p != XH_POLICY_DEFAULT && p != XH_POLICY_HOST)
		return NULL;
	ctx = seccomp_init(s == XH_STAGE_NARROW ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		return NULL;
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* First, so that they win over the policy's answers for the same calls. */
	for (size_t i = 0; allow && i < allow->n && rc == 0; i++)
		rc = add(ctx, SCMP_ACT_ALLOW, allow->nr[i], 0, NULL);
	if (rc == 0)
		rc = add_rules(ctx, at_bit(p, s));
	if (rc != 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* ---- the stacked mremap program ---- */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#endif
#define ARG_HI(i)        (ARG_LO(i) ^ 4)
#define LD(off)          BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)(off))
#define JMP(op, k, t, f) BPF_JUMP(BPF_JMP | (op) | BPF_K, (k), (t), (f))
#define JMPX(op, t, f)   BPF_JUMP(BPF_JMP | (op) | BPF_X, 0, (t), (f))
#define MREMAP_LEN       18
#define L_ALLOW          16 /* the two exits, by index */
#define L_DENY           17
#define TO(l, from)      ((l) - (from)-1)

static bool allows(const struct xh_allow *allow, int nr)
{
	for (size_t i = 0; allow && i < allow->n; i++)
		if (allow->nr[i] == nr)
			return true;
	return false;
}

/* mremap(old, old_size, new_size, ...) with old_size == 0 or new_size >
 * old_size answers EPERM; everything else is left to the other filter. */
static void mremap_prog(struct sock_filter p[MREMAP_LEN])
{
	const struct sock_filter prog[MREMAP_LEN] = {
	        /* 0 */ LD(offsetof(struct seccomp_data, arch)),
	        /* 1 */ JMP(BPF_JEQ, seccomp_arch_native(), 0, TO(L_ALLOW, 1)),
	        /* 2 */ LD(offsetof(struct seccomp_data, nr)),
	        /* 3 */ JMP(BPF_JEQ, (uint32_t)SCMP_SYS(mremap), 0, TO(L_ALLOW, 3)),
	        /* 4 */ LD(ARG_HI(1)),
	        /* 5 */ BPF_STMT(BPF_MISC | BPF_TAX, 0), /* X = old_size's high word */
	        /* 6 */ LD(ARG_LO(1)),
	        /* 7 */ BPF_STMT(BPF_ST, 0), /* M[0] = its low word */
	        /* 8 */ BPF_STMT(BPF_ALU | BPF_OR | BPF_X, 0),
	        /* 9 */ JMP(BPF_JEQ, 0, TO(L_DENY, 9), 0), /* old_size == 0 */
	        /* 10 */ LD(ARG_HI(2)),
	        /* 11 */ JMPX(BPF_JGT, TO(L_DENY, 11), 0),
	        /* 12 */ JMPX(BPF_JEQ, 0, TO(L_ALLOW, 12)),
	        /* 13 */ LD(ARG_LO(2)),
	        /* 14 */ BPF_STMT(BPF_LDX | BPF_MEM, 0),
	        /* 15 */ JMPX(BPF_JGT, TO(L_DENY, 15), TO(L_ALLOW, 15)), /* new_size > old_size */
	        /* 16 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	        /* 17 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};

	memcpy(p, prog, sizeof prog);
}

int xh_policy_load(scmp_filter_ctx ctx, const struct xh_allow *allow)
{
	struct sock_filter insns[MREMAP_LEN];
	struct sock_fprog prog = {MREMAP_LEN, insns};

	mremap_prog(insns);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (!allows(allow, SCMP_SYS(mremap)) &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return seccomp_load(ctx);
}

int xh_policy_export(scmp_filter_ctx ctx, const struct xh_allow *allow, int fd)
{
	struct sock_filter p[MREMAP_LEN];
	int rc = seccomp_export_pfc(ctx, fd);

	if (rc != 0 || allows(allow, SCMP_SYS(mremap)))
		return rc;
	mremap_prog(p);
	dprintf(fd, "# stacked: mremap never grows nor aliases (raw BPF: code jt jf k)\n");
	for (size_t i = 0; i < MREMAP_LEN; i++)
		dprintf(fd, "0x%04x %2u %2u 0x%08x\n", p[i].code, p[i].jt, p[i].jf, p[i].k);
	return 0;
}
