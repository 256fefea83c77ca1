/*
 * inline.c - copied lends: small Borrows and MutableBorrows whose bytes
 * travel in the frames instead of as a memfd the server maps.
 *
 * The caller's bytes arrive after its frame; a message delivered at once
 * takes them from the frame buffer, one that is queued keeps them in its
 * record (one per message, its buffer kept for the next message, so
 * nothing is allocated per message once warm; beyond 256 buffers they are
 * given back). On delivery they go into a slot of the
 * receiver's pool: a memfd of XH_POOL_SIZE bytes that the broker keeps
 * mapped and the receiver maps once (its fd goes with the first pooled
 * envelope). The result that ends a delivered MutableBorrow carries its
 * slot back to the caller: the server's answer, or its partial writes if it
 * died (CONTRACT 4.9), read from the pool, which is the broker's as much as
 * the server's. kcore gives that result the message's memory before
 * mem_done ends the record (kcore.h), so the bytes are still in place. A
 * receiver whose pool is full gets a memfd of its own for the message, as a
 * mapped lend.
 */
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
	uint32_t len, kind;
	kc_thread caller;
	uint32_t pool_pid;        /* the receiver whose pool holds the slot, or 0 */
	int slot;                 /* or -1 */
	int fd;                   /* a memfd of its own (pool full), or -1 */
	const unsigned char *src; /* the bytes in the frame buffer, while its frame is handled */
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

/* A record for a message that carries plen bytes at payload; fills m. */
uint32_t hostd_inline_take(kc_thread caller, uint32_t kind, const struct xh_frame *f,
                           const void *payload, size_t plen, kc_mem *m)
{
	uint32_t i = rec_free;
	struct inl *r;

	if (i == KC_NIL)
		return XOUS_ERR_OUT_OF_MEMORY;
	r = &recs[i];
	if (!r->buf) {
		if (!(r->buf = malloc(XH_INLINE_MAX)))
			return XOUS_ERR_OUT_OF_MEMORY;
		bufs++;
	}
	rec_free = r->next_free;
	rec_used++;
	r->src = payload; /* copied to buf only if not delivered at once (hostd_inline_settle) */
	r->used = true;
	r->len = (uint32_t)plen;
	r->kind = kind;
	r->caller = caller;
	r->pool_pid = 0;
	r->slot = -1;
	r->fd = -1;
	m->addr = (kc_word)f->w[4];
	m->len = (kc_word)f->w[5];
	m->offset = (kc_word)f->w[6];
	m->valid = (kc_word)f->w[7];
	m->handle = HOSTD_INLINE_HANDLE;
	m->handle2 = i;
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

/* A memfd of the message's own, when the receiver's pool is full. */
static int own_memfd(struct inl *r)
{
	int fd = memfd_create("xous-copy", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

	if (r->kind == XOUS_KIND_BORROW)
		seals |= F_SEAL_WRITE; /* nobody maps it writable */
	if (fd >= 0 && pwrite(fd, bytes_of(r), r->len, 0) == (ssize_t)r->len &&
	    fcntl(fd, F_ADD_SEALS, seals) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * The envelope f for receiver p: where the bytes are (XH_F_POOL, aux) and
 * the fd to send with it (*fd: the pool on its first trip, a memfd of the
 * message's own, or -1). The fd stays ours.
 */
uint32_t hostd_inline_deliver(struct hostd_proc *p, const kc_mem *m, struct xh_frame *f, int *fd)
{
	struct inl *r = &recs[m->handle2];

	*fd = -1;
	if (!p->pool)
		p->pool = pool_new();
	if (p->pool && p->pool->free_map) {
		struct hostd_pool *pl = p->pool;
		int s = __builtin_ctzll(pl->free_map);

		pl->free_map &= ~((uint64_t)1 << s);
		pl->used++;
		memcpy(pl->base + (size_t)s * XH_INLINE_MAX, bytes_of(r), r->len);
		r->pool_pid = p->pid;
		r->slot = s;
		f->flags = XH_F_POOL | (pl->fd >= 0 ? XH_F_FD : 0);
		f->aux = (uint64_t)s * XH_INLINE_MAX;
		*fd = pl->fd;
		return 0;
	}
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

/*
 * The bytes that go back with the result that ends a message (kcore gives
 * route_reply the message's memory m): a delivered MutableBorrow's, as the
 * server left them; NULL for anything else. They stay in place until
 * hostd_inline_done, which kcore calls after that result.
 */
const void *hostd_inline_answer(const kc_mem *m, size_t *len)
{
	struct inl *r = &recs[m->handle2];

	if (!r->used || r->kind != XOUS_KIND_MUTABLE_BORROW || (r->slot < 0 && r->fd < 0))
		return NULL;
	*len = r->len;
	return inline_bytes(r);
}

/* The message ended: its slot, memfd and record are free again. */
void hostd_inline_done(const kc_mem *m)
{
	struct inl *r = &recs[m->handle2];

	rec_undeliver(r);
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
