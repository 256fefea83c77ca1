/*
 * lend.c - checks of the memfd that comes with a memory message.
 *
 * The caller's library sends the memfd that backs its buffer and the
 * buffer's offset in it (aux). Before kcore sees the message the broker makes
 * sure the server can map exactly [aux, aux+len) of it: a memfd sealed
 * against shrinking and growing (so the pages cannot vanish under the
 * server), big enough, aux page aligned. A Borrow gets a read-only fd of its
 * own, so the server cannot write through it whatever it tries; a
 * MutableBorrow or Move needs a writable one. Failures answer an error; only
 * kcore decides about alignment and ranges, so buffers it will reject are
 * passed through untouched and it answers them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostd.h"

static bool lend_kcore_rejects(kc_word addr, kc_word len)
{
	return len == 0 || addr % XOUS_PAGE_SIZE || len % XOUS_PAGE_SIZE;
}

/* The memfd holds [aux, aux+len) for good; *seals says what else is sealed. */
static uint32_t lend_check_fd(int fd, uint64_t aux, uint64_t len, int *seals_out)
{
	struct stat st;
	int seals = *seals_out = fcntl(fd, F_GET_SEALS);

	if (seals < 0 || (seals & (F_SEAL_SHRINK | F_SEAL_GROW)) != (F_SEAL_SHRINK | F_SEAL_GROW))
		return XOUS_ERR_BAD_ADDRESS;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return XOUS_ERR_BAD_ADDRESS;
	if (aux % XOUS_PAGE_SIZE || aux > (uint64_t)st.st_size || len > (uint64_t)st.st_size - aux)
		return XOUS_ERR_BAD_ADDRESS;
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

/* A new read-only fd of the same file: the server's mapping cannot be made writable. */
static int lend_reopen_ro(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * Check fd for a memory message of kind and fill m. On success m->handle is
 * the fd to hand to the server (fd itself or a read-only reopening; fd is
 * then closed). On failure fd is closed and the error returned.
 */
uint32_t hostd_lend_check(uint32_t kind, const struct xh_frame *f, int fd, kc_mem *m)
{
	uint32_t err = 0;
	int seals;

	m->addr = (kc_word)f->w[4];
	m->len = (kc_word)f->w[5];
	m->offset = (kc_word)f->w[6];
	m->valid = (kc_word)f->w[7];
	m->handle = (kc_word)fd;
	m->handle2 = (kc_word)f->aux;
	if (lend_kcore_rejects(m->addr, m->len))
		return 0;
	err = lend_check_fd(fd, f->aux, f->w[5], &seals);
	if (!err)
		err = lend_check_access(fd, kind, seals);
	if (!err && kind == XOUS_KIND_BORROW) {
		int ro = lend_reopen_ro(fd);

		if (ro < 0)
			err = errno == EMFILE || errno == ENFILE ? XOUS_ERR_OUT_OF_MEMORY
			                                         : XOUS_ERR_BAD_ADDRESS;
		else {
			close(fd);
			m->handle = (kc_word)ro;
			return 0;
		}
	}
	if (err)
		close(fd);
	return err;
}
