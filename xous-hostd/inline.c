/*
 * inline.c - copied lends: lends whose bytes reach the receiver as a copy
 * that only it maps, instead of as the caller's own memfd.
 *
 * Two sources. Small Borrows and MutableBorrows of the caller's library
 * travel in their frames (XH_F_INLINE): a message delivered at once takes
 * its bytes from the frame buffer, one that is queued keeps them in its
 * record (one per message, its buffer kept for the next message, so
 * nothing is allocated per message once warm; beyond 256 buffers they are
 * given back). The lends lend.c decides to copy (a Move, part of a memfd,
 * every lend with --strict-lend) come as the caller's memfd and offset:
 * the record keeps that fd, and a Move is copied at once (its pages are
 * the server's from the moment the caller is told it was sent), a Borrow
 * or MutableBorrow on delivery. Holes of the caller's memfd stay holes.
 *
 * On delivery the bytes go into a slot of the receiver's pool (up to
 * XH_INLINE_MAX bytes; not a Move): a memfd of XH_POOL_SIZE bytes that the
 * broker keeps mapped and the receiver maps once (its fd goes with the
 * first pooled envelope). Otherwise, or when the pool is full, they go into
 * a memfd of the message's own, made by the broker (mode 0400, a Borrow's
 * sealed against writing). The result that ends a delivered MutableBorrow
 * carries its bytes back to the caller: the server's answer, or its partial
 * writes if it died (CONTRACT 4.9), read from the pool or the memfd, which
 * are the broker's as much as the server's; they follow the result frame
 * for a lend that came in its frame, and are written into the caller's
 * memfd for one that came as a memfd. kcore gives that result the
 * message's memory before mem_done ends the record (kcore.h), so the bytes
 * are still in place. What the server does with its copy after that
 * reaches nobody.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostd.h"

struct hostd_pool {
	int fd; /* until the receiver has it (then closed: the mapping is enough) */
	char *base;
	uint32_t used;
	uint64_t free_map; /* bit i: slot i free */
};
_Static_assert(XH_POOL_SLOTS == 64, "one word of slot bits");

struct inl {
	unsigned char *buf; /* the bytes until delivery (kept when the record is free) */
	size_t len;
	uint32_t kind;
	kc_thread caller;
	uint32_t pool_pid;        /* the receiver whose pool holds the slot, or 0 */
	int slot;                 /* or -1 */
	int fd;                   /* a memfd of its own, or -1 */
	const unsigned char *src; /* the bytes in the frame buffer, while its frame is handled */
	int src_fd;               /* or the caller's memfd (until the message ends), or -1 */
	uint64_t src_off;         /* the lent range's offset in src_fd */
	bool used;
	uint32_t next_free;
};

static struct inl *recs;
static uint32_t rec_free = KC_NIL;
static uint32_t rec_used;
/* Buffers allocated; past INLINE_KEEP a freed record gives its buffer back,
 * so a burst of copied lends does not stay in the broker's memory. */
static uint32_t bufs;
#define INLINE_KEEP 256

void hostd_inline_init(void)
{
	if (recs)
		return;
	recs = calloc(KC_MAX_MSGS, sizeof(*recs));
	if (!recs)
		hostd_fatal("out of memory");
	for (uint32_t i = KC_MAX_MSGS; i-- > 0;) {
		recs[i].next_free = rec_free;
		rec_free = i;
	}
}

/* A free record for a message of kind and len bytes, or NULL. */
static struct inl *rec_take(kc_thread caller, uint32_t kind, size_t len)
{
	uint32_t i = rec_free;
	struct inl *r;

	if (i == KC_NIL)
		return NULL;
	r = &recs[i];
	rec_free = r->next_free;
	rec_used++;
	r->used = true;
	r->src = NULL;
	r->src_fd = -1;
	r->src_off = 0;
	r->len = len;
	r->kind = kind;
	r->caller = caller;
	r->pool_pid = 0;
	r->slot = -1;
	r->fd = -1;
	return r;
}

/* A record for a message that carries plen bytes at payload; fills m. */
uint32_t hostd_inline_take(kc_thread caller, uint32_t kind, const struct xh_frame *f,
                           const void *payload, size_t plen, kc_mem *m)
{
	struct inl *r = rec_take(caller, kind, plen);

	if (!r)
		return XOUS_ERR_OUT_OF_MEMORY;
	if (!r->buf) {
		if (!(r->buf = malloc(XH_INLINE_MAX))) {
			hostd_inline_done(&(kc_mem){.handle2 = (kc_word)(r - recs)});
			return XOUS_ERR_OUT_OF_MEMORY;
		}
		bufs++;
	}
	r->src = payload; /* copied to buf only if not delivered at once (hostd_inline_settle) */
	m->addr = (kc_word)f->w[4];
	m->len = (kc_word)f->w[5];
	m->offset = (kc_word)f->w[6];
	m->valid = (kc_word)f->w[7];
	m->handle = HOSTD_INLINE_HANDLE;
	m->handle2 = (kc_word)(r - recs);
	return 0;
}

bool hostd_inline_is(const kc_mem *m)
{
	return m && m->handle == HOSTD_INLINE_HANDLE;
}

/* The caller's bytes: still in the frame buffer, or kept in the record. */
static const void *bytes_of(const struct inl *r)
{
	return r->src ? (const void *)r->src : r->buf;
}

/* The frame is handled: a message kcore queued keeps its bytes (one that
 * was delivered at once went from the frame buffer straight to its slot). */
void hostd_inline_settle(const kc_mem *m)
{
	struct inl *r = &recs[m->handle2];

	if (!r->used || !r->src)
		return;
	if (r->slot < 0 && r->fd < 0)
		memcpy(r->buf, r->src, r->len);
	r->src = NULL;
}

static struct hostd_pool *pool_new(void)
{
	struct hostd_pool *pl = calloc(1, sizeof(*pl));
	int fd = memfd_create("xous-pool", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (!pl || fd < 0 || ftruncate(fd, XH_POOL_SIZE) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0 ||
	    hostd_lend_chmod(fd) < 0 ||
	    (pl->base = mmap(NULL, XH_POOL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) ==
	            MAP_FAILED) {
		if (fd >= 0)
			close(fd);
		free(pl);
		return NULL;
	}
	pl->fd = fd;
	pl->free_map = ~(uint64_t)0;
	return pl;
}

/* p is dead and no message holds a slot of its pool any more. */
static void pool_drop(struct hostd_proc *p)
{
	munmap(p->pool->base, XH_POOL_SIZE);
	if (p->pool->fd >= 0)
		close(p->pool->fd);
	free(p->pool);
	p->pool = NULL;
}

/* All len bytes between buf and fd at off (to_fd: written, else read). */
static bool io_all(int fd, void *buf, size_t len, uint64_t off, bool to_fd)
{
	size_t done = 0;

	while (done < len) {
		char *p = (char *)buf + done;
		ssize_t n = to_fd ? pwrite(fd, p, len - done, (off_t)(off + done))
		                  : pread(fd, p, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

/* Copy [soff, soff+n) of src to doff of dst, data only (both tmpfs). */
static bool copy_data(int src, uint64_t soff, int dst, uint64_t doff, size_t n)
{
	off_t in = (off_t)soff, out = (off_t)doff;

	while (n > 0) {
		ssize_t k = copy_file_range(src, &in, dst, &out, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		n -= (size_t)k;
	}
	return true;
}

/*
 * dst[doff, doff+len) becomes src[soff, soff+len): its data is copied and
 * its holes read as holes (punched in dst, unless dst is fresh and all hole
 * already), so a sparse lend costs what it holds.
 */
static bool copy_range(int src, uint64_t soff, int dst, uint64_t doff, size_t len, bool fresh)
{
	uint64_t pos = soff, end = soff + len;

	while (pos < end) {
		off_t data = lseek(src, (off_t)pos, SEEK_DATA), hole;

		if (data < 0 && errno != ENXIO)
			return false;
		if (data < 0 || (uint64_t)data > end)
			data = (off_t)end; /* no data up to the end */
		if ((uint64_t)data > pos && !fresh &&
		    fallocate(dst, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		              (off_t)(doff + (pos - soff)), (off_t)((uint64_t)data - pos)) < 0)
			return false;
		if ((uint64_t)data >= end)
			return true;
		hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0 || (uint64_t)hole > end)
			hole = (off_t)end;
		if (!copy_data(src, (uint64_t)data, dst, doff + ((uint64_t)data - soff),
		               (size_t)(hole - data)))
			return false;
		pos = (uint64_t)hole;
	}
	return true;
}

/* A memfd of the message's own with its bytes (pool full, too big, or a
 * Move), mode 0400; a Borrow's sealed against writing. */
static int own_memfd(struct inl *r)
{
	int fd = memfd_create("xous-copy", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
	bool ok;

	if (fd < 0)
		return -1;
	if (r->kind == XOUS_KIND_BORROW)
		seals |= F_SEAL_WRITE; /* nobody maps it writable */
	ok = ftruncate(fd, (off_t)r->len) == 0;
	if (ok && r->src_fd >= 0)
		ok = copy_range(r->src_fd, r->src_off, fd, 0, r->len, true);
	else if (ok)
		ok = io_all(fd, (void *)bytes_of(r), r->len, 0, true);
	if (ok && fcntl(fd, F_ADD_SEALS, seals) == 0 && hostd_lend_chmod(fd) == 0)
		return fd;
	close(fd);
	return -1;
}

/*
 * A record for a memory message that lend.c decided to copy: m holds the
 * caller's memfd (handle, which the record takes) and the range's offset
 * in it (handle2). A Move is copied now; the others on delivery.
 */
uint32_t hostd_inline_take_fd(kc_thread caller, uint32_t kind, kc_mem *m)
{
	struct inl *r = rec_take(caller, kind, (size_t)m->len);

	if (!r) {
		close((int)m->handle);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	r->src_fd = (int)m->handle;
	r->src_off = (uint64_t)m->handle2;
	m->handle = HOSTD_INLINE_HANDLE;
	m->handle2 = (kc_word)(r - recs);
	if (kind != XOUS_KIND_MOVE)
		return 0;
	r->fd = own_memfd(r);
	close(r->src_fd); /* what the caller does with its memfd now reaches nobody */
	r->src_fd = -1;
	if (r->fd >= 0)
		return 0;
	hostd_inline_done(m);
	return XOUS_ERR_OUT_OF_MEMORY;
}

/*
 * The envelope f for receiver p: where the bytes are (XH_F_POOL, aux) and
 * the fd to send with it (*fd: the pool on its first trip, a memfd of the
 * message's own, or -1). The fd stays ours.
 */
/* Put r's bytes into a free slot of p's pool; false if there is none. */
static bool pool_put(struct hostd_proc *p, struct inl *r, struct xh_frame *f, int *fd)
{
	struct hostd_pool *pl;
	char *slot;
	int s;

	if (r->kind == XOUS_KIND_MOVE || r->len > XH_INLINE_MAX)
		return false;
	if (!p->pool)
		p->pool = pool_new();
	if (!p->pool || !p->pool->free_map)
		return false;
	pl = p->pool;
	s = __builtin_ctzll(pl->free_map);
	slot = pl->base + (size_t)s * XH_INLINE_MAX;
	if (r->src_fd < 0)
		memcpy(slot, bytes_of(r), r->len);
	else if (!io_all(r->src_fd, slot, r->len, r->src_off, false))
		return false;
	pl->free_map &= ~((uint64_t)1 << s);
	pl->used++;
	r->pool_pid = p->pid;
	r->slot = s;
	f->flags = XH_F_POOL | (pl->fd >= 0 ? XH_F_FD : 0);
	f->aux = (uint64_t)s * XH_INLINE_MAX;
	*fd = pl->fd;
	return true;
}

uint32_t hostd_inline_deliver(struct hostd_proc *p, const kc_mem *m, struct xh_frame *f, int *fd)
{
	struct inl *r = &recs[m->handle2];

	*fd = -1;
	if (r->fd < 0 && pool_put(p, r, f, fd))
		return 0;
	if (r->fd < 0)
		r->fd = own_memfd(r);
	if (r->fd < 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	f->flags = XH_F_FD;
	f->aux = 0;
	*fd = r->fd;
	return 0;
}

/* The record holds no slot and no memfd any more; a dead receiver's pool
 * goes with its last slot. */
static void rec_undeliver(struct inl *r)
{
	struct hostd_proc *p = r->pool_pid ? &hostd.procs[r->pool_pid] : NULL;

	if (p && p->pool && r->slot >= 0) {
		p->pool->free_map |= (uint64_t)1 << r->slot;
		if (--p->pool->used == 0 && !p->alive)
			pool_drop(p);
	}
	if (r->fd >= 0)
		close(r->fd);
	r->pool_pid = 0;
	r->slot = -1;
	r->fd = -1;
}

/* The envelope of m could not be sent: the message was not delivered. */
void hostd_inline_undeliver(const kc_mem *m)
{
	rec_undeliver(&recs[m->handle2]);
}

/* The envelope reached p: its pool's fd (if it went along) is p's now. */
void hostd_inline_sent(struct hostd_proc *p, const struct xh_frame *f)
{
	if (p->pool && (f->flags & XH_F_POOL) && (f->flags & XH_F_FD) && p->pool->fd >= 0) {
		close(p->pool->fd);
		p->pool->fd = -1;
	}
}

/* Where the bytes the server had are now, or NULL. */
static const void *inline_bytes(struct inl *r)
{
	if (r->slot >= 0 && hostd.procs[r->pool_pid].pool)
		return hostd.procs[r->pool_pid].pool->base + (size_t)r->slot * XH_INLINE_MAX;
	if (r->fd >= 0 && pread(r->fd, r->buf, r->len, 0) == (ssize_t)r->len)
		return r->buf;
	return NULL;
}

/* A delivered MutableBorrow that came as a memfd: the server's bytes go
 * back into the caller's memfd. */
static void answer_into_memfd(struct inl *r)
{
	bool ok;

	if (r->slot >= 0 && hostd.procs[r->pool_pid].pool)
		ok = io_all(r->src_fd, (void *)inline_bytes(r), r->len, r->src_off, true);
	else
		ok = copy_range(r->fd, 0, r->src_fd, r->src_off, r->len, false);
	if (!ok)
		hostd_warn("cannot copy a MutableBorrow back to its caller: %s", strerror(errno));
}

/*
 * The result that ends a message (kcore gives route_reply the message's
 * memory m) is about to go: a delivered MutableBorrow's bytes, as the
 * server left them, go back to the caller. Returns the bytes that follow
 * the result frame (a lend that came in its frame), or NULL (nothing
 * follows: none to give back, or they went into the caller's memfd). They
 * stay in place until hostd_inline_done, which kcore calls after that
 * result.
 */
const void *hostd_inline_answer(const kc_mem *m, size_t *len)
{
	struct inl *r = &recs[m->handle2];

	if (!r->used || r->kind != XOUS_KIND_MUTABLE_BORROW || (r->slot < 0 && r->fd < 0))
		return NULL;
	if (r->src_fd >= 0) {
		answer_into_memfd(r);
		return NULL;
	}
	*len = r->len;
	return inline_bytes(r);
}

/* The message ended: its slot, memfd and record are free again. */
void hostd_inline_done(const kc_mem *m)
{
	struct inl *r = &recs[m->handle2];

	rec_undeliver(r);
	if (r->src_fd >= 0)
		close(r->src_fd);
	r->src_fd = -1;
	r->used = false;
	r->src = NULL;
	if (bufs > INLINE_KEEP) {
		free(r->buf);
		r->buf = NULL;
		bufs--;
	}
	r->next_free = rec_free;
	rec_free = (uint32_t)m->handle2;
	rec_used--;
}

/* Copied lends not yet ended (tests: back to 0 once every peer is gone). */
uint32_t hostd_inline_count(void)
{
	return rec_used;
}

/* p is dead: its pool goes once no message holds a slot in it. */
void hostd_inline_proc_gone(struct hostd_proc *p)
{
	if (p->pool && p->pool->used == 0)
		pool_drop(p);
}
