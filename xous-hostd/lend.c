/*
 * lend.c - checks of the memfd that comes with a memory message, and the
 * choice between sharing its pages and copying them.
 *
 * The caller's library sends the memfd that backs its buffer and the
 * buffer's offset in it (aux). Before kcore sees the message the broker makes
 * sure of the memfd: a tmpfs memfd (not hugetlbfs, whose pages not every
 * server can map), sealed against shrinking and growing and against any
 * later seal (F_SEAL_SEAL: nobody can add F_SEAL_FUTURE_WRITE while a server
 * maps it), big enough, aux page aligned. A Borrow needs a readable fd, a
 * MutableBorrow or Move a writable one without write seals.
 *
 * Then the rule of docs/security.md ("Memory and quotas"): the server maps
 * the caller's own pages only for a Borrow or MutableBorrow of a whole memfd
 * in the default mode. Everything else is copied (inline.c) into pages that
 * only the receiver maps: a Move (the caller keeps its memfd, so shared
 * pages would stay writable by it), a part of a memfd (its other pages must
 * stay out of the server's reach) and, with --strict-lend, every lend. A
 * shared Borrow gets a read-only fd of its own; every memfd a server gets is
 * mode 0400, so that it cannot be reopened writable through /proc/PID/fd.
 * Failures answer an error; only kcore decides about alignment and ranges,
 * so buffers it will reject are passed through untouched and it answers
 * them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hostd.h"

#define LEND_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

static bool lend_kcore_rejects(kc_word addr, kc_word len)
{
	return len == 0 || addr % XOUS_PAGE_SIZE || len % XOUS_PAGE_SIZE;
}

/* The memfd holds [aux, aux+len) for good; *seals says what else is sealed,
 * *whole whether the range is all of it. */
static uint32_t lend_check_fd(int fd, uint64_t aux, uint64_t len, int *seals_out, bool *whole)
{
	struct statfs sfs;
	struct stat st;
	int seals = *seals_out = fcntl(fd, F_GET_SEALS);

	if (seals < 0 || (seals & LEND_SEALS) != LEND_SEALS)
		return XOUS_ERR_BAD_ADDRESS;
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != TMPFS_MAGIC)
		return XOUS_ERR_BAD_ADDRESS;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return XOUS_ERR_BAD_ADDRESS;
	if (aux % XOUS_PAGE_SIZE || aux > (uint64_t)st.st_size || len > (uint64_t)st.st_size - aux)
		return XOUS_ERR_BAD_ADDRESS;
	*whole = aux == 0 && len == (uint64_t)st.st_size;
	return 0;
}

static uint32_t lend_check_access(int fd, uint32_t kind, int seals)
{
	int fl = fcntl(fd, F_GETFL);

	if (kind == XOUS_KIND_BORROW)
		return (fl & O_ACCMODE) == O_WRONLY ? XOUS_ERR_ACCESS_DENIED : 0;
	if ((fl & O_ACCMODE) != O_RDWR || (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return XOUS_ERR_ACCESS_DENIED;
	return 0;
}

/* A new read-only fd of the same file: the server's mapping cannot be made
 * writable through it. */
static int lend_reopen_ro(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* A memfd that reaches a server cannot be reopened with more access than
 * its fd has (DAC: root and the file's owner can chmod it back). */
int hostd_lend_chmod(int fd)
{
	return fchmod(fd, 0400);
}

/* The fd a shared lend hands to the server, in *out (fd is used up). */
static uint32_t lend_share(uint32_t kind, int fd, int *out)
{
	int give = fd;

	if (kind == XOUS_KIND_BORROW) {
		give = lend_reopen_ro(fd);
		if (give < 0) {
			uint32_t err = errno == EMFILE || errno == ENFILE ? XOUS_ERR_OUT_OF_MEMORY
			                                                  : XOUS_ERR_BAD_ADDRESS;
			close(fd);
			return err;
		}
		close(fd);
	}
	if (hostd_lend_chmod(give) < 0) {
		close(give);
		return XOUS_ERR_BAD_ADDRESS;
	}
	*out = give;
	return 0;
}

/*
 * Check fd for a memory message of kind and fill m. On success *copy says
 * whether the message must be copied (then m->handle is fd and m->handle2
 * the offset, for inline.c), or else m->handle is the fd to hand to the
 * server (fd itself or a read-only reopening; fd is then closed). On
 * failure fd is closed and the error returned.
 */
uint32_t hostd_lend_check(uint32_t kind, const struct xh_frame *f, int fd, kc_mem *m, bool *copy)
{
	uint32_t err;
	bool whole = false;
	int seals, give = -1;

	m->addr = (kc_word)f->w[4];
	m->len = (kc_word)f->w[5];
	m->offset = (kc_word)f->w[6];
	m->valid = (kc_word)f->w[7];
	m->handle = (kc_word)fd;
	m->handle2 = (kc_word)f->aux;
	*copy = false;
	if (lend_kcore_rejects(m->addr, m->len))
		return 0;
	err = lend_check_fd(fd, f->aux, f->w[5], &seals, &whole);
	if (!err)
		err = lend_check_access(fd, kind, seals);
	if (err) {
		close(fd);
		return err;
	}
	*copy = hostd.strict_lend || kind == XOUS_KIND_MOVE || !whole;
	if (*copy)
		return 0;
	err = lend_share(kind, fd, &give);
	if (!err)
		m->handle = (kc_word)give;
	return err;
}
