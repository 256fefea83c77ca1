/*
 * hook_cmp: a foreign program for the ABI hook on kernel-riscv (RV32
 * Linux's system call ABI, no Xous runtime): it starts from Linux's initial
 * stack and makes only Linux calls by ecall (a7 the number, a0..a5 the
 * arguments, the result or -errno in a0).
 *
 *   hook_cmp [-s] A B    as cmp: exit 0 if the files are the same, 1 if they
 *                        differ (without -s, a line saying where), 2 if one
 *                        cannot be read
 *   hook_cmp --refusals /fs/FILE
 *                        the answers a read-only hook under /fs and the
 *                        kernel's own subset give; exit 0, or the number of
 *                        the first answer that was not the expected one
 */
#include <stddef.h>
#include <stdint.h>

enum { L_OPENAT = 56, L_CLOSE = 57, L_READ = 63, L_WRITE = 64, L_EXIT = 93, L_GETPID = 172 };
enum { L_ENOENT = 2, L_EBADF = 9, L_EFAULT = 14, L_EROFS = 30, L_ENOSYS = 38 };
#define AT_FDCWD (-100)
#define O_WRONLY 1

static long lcall(long nr, long a0, long a1, long a2, long a3)
{
	register long r0 asm("a0") = a0;
	register long r1 asm("a1") = a1;
	register long r2 asm("a2") = a2;
	register long r3 asm("a3") = a3;
	register long r7 asm("a7") = nr;

	asm volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r7) : "memory");
	return r0;
}

static size_t len_of(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(int fd, const char *s)
{
	lcall(L_WRITE, fd, (long)s, (long)len_of(s), 0);
}

static void put_num(int fd, unsigned long v)
{
	char b[12];
	int i = sizeof(b) - 1;

	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(fd, b + i);
}

static __attribute__((noreturn)) void finish(long status)
{
	for (;;)
		lcall(L_EXIT, status, 0, 0, 0);
}

/* The next bytes of fd into buf (a whole buffer unless the file ends). */
static long fill(int fd, char *buf, long cap)
{
	long got = 0, r;

	while (got < cap && (r = lcall(L_READ, fd, (long)(buf + got), cap - got, 0)) > 0)
		got += r;
	return r < 0 ? r : got;
}

static int open_or_say(const char *path)
{
	long fd = lcall(L_OPENAT, AT_FDCWD, (long)path, 0, 0);

	if (fd < 0) {
		put(2, "hook_cmp: ");
		put(2, path);
		put(2, ": cannot open, errno ");
		put_num(2, (unsigned long)-fd);
		put(2, "\n");
	}
	return (int)fd;
}

static long cmp(const char *a, const char *b, int quiet)
{
	static char x[700], y[700]; /* odd sizes: reads cross pages and chunks */
	unsigned long at = 1;
	int fa = open_or_say(a), fb = fa < 0 ? -1 : open_or_say(b);

	if (fa < 0 || fb < 0)
		return 2;
	for (;;) {
		long na = fill(fa, x, sizeof(x)), nb = fill(fb, y, sizeof(y));
		long n = na < nb ? na : nb;

		if (na < 0 || nb < 0)
			return 2;
		for (long i = 0; i < n; i++, at++)
			if (x[i] != y[i]) {
				if (!quiet) {
					put(1, a);
					put(1, " ");
					put(1, b);
					put(1, " differ: byte ");
					put_num(1, at);
					put(1, "\n");
				}
				return 1;
			}
		if (na != nb) {
			if (!quiet) {
				put(2, "hook_cmp: EOF on ");
				put(2, na < nb ? a : b);
				put(2, "\n");
			}
			return 1;
		}
		if (na == 0)
			break;
	}
	if (lcall(L_CLOSE, fa, 0, 0, 0) != 0 || lcall(L_CLOSE, fb, 0, 0, 0) != 0)
		return 2;
	return 0;
}

/* One call and the answer it must get: 0, or the check's number n. */
static long expect(unsigned n, long got, long want)
{
	if (got == want)
		return 0;
	put(1, "hook_cmp: answer ");
	put_num(1, n);
	put(1, " was not the expected one\n");
	return n;
}

/* Each answer expected of the hook and of the kernel's subset, in order
 * (stderr is closed on the way: the verdict goes to stdout). */
static long refusals(const char *file)
{
	long bad = 0;

	/* fshook: read-only */
	bad = bad ? bad : expect(1, lcall(L_OPENAT, AT_FDCWD, (long)file, O_WRONLY, 0), -L_EROFS);
	/* no such descriptor; no host files; a bad pointer; not in the subset */
	bad = bad ? bad : expect(2, lcall(L_READ, 99, 0, 0, 0), -L_EBADF);
	bad = bad ? bad
	          : expect(3, lcall(L_OPENAT, AT_FDCWD, (long)"/etc/hostname", 0, 0), -L_ENOENT);
	bad = bad ? bad : expect(4, lcall(L_WRITE, 1, 16, 1, 0), -L_EFAULT);
	bad = bad ? bad : expect(5, lcall(L_GETPID, 0, 0, 0, 0), -L_ENOSYS);
	bad = bad
	              ?: expect(6, lcall(L_OPENAT, AT_FDCWD, (long)"/fs/no-such-file", 0, 0),
	                        -L_ENOENT);
	/* stderr closes once, and takes no more writes */
	bad = bad ? bad : expect(7, lcall(L_CLOSE, 2, 0, 0, 0), 0);
	bad = bad ? bad : expect(8, lcall(L_WRITE, 2, (long)"x", 1, 0), -L_EBADF);
	bad = bad ? bad : expect(9, lcall(L_CLOSE, 2, 0, 0, 0), -L_EBADF);
	if (!bad)
		put(1, "hook_cmp: refusals as expected\n");
	return bad;
}

static __attribute__((used, noreturn)) void start(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)&sp[1];
	int quiet = argc > 1 && argv[1][0] == '-' && argv[1][1] == 's' && !argv[1][2];

	if (argc == 3 && argv[1][0] == '-' && argv[1][1] == '-')
		finish(refusals(argv[2]));
	if (argc != 3 + quiet || argv[argc] != NULL) {
		put(2, "usage: hook_cmp [-s] A B | hook_cmp --refusals /fs/FILE\n");
		finish(2);
	}
	finish(cmp(argv[1 + quiet], argv[2 + quiet], quiet));
}

/* Linux's entry: sp at argc. gp as the linker placed it; then start(sp). */
__attribute__((naked, section(".text.start"))) void _start(void)
{
	asm volatile(".option push\n"
	             ".option norelax\n"
	             "la gp, __global_pointer$\n"
	             ".option pop\n"
	             "mv a0, sp\n"
	             "j start\n");
}
