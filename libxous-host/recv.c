/*
 * recv.c - the server's side on Linux: receiving messages, and the
 * platform part of answering them (runtime/answer.c decides what an answer
 * sends; runtime/held.c keeps what is still to answer).
 *
 * A memory envelope arrives with an fd and its offset (aux); the library
 * maps exactly those pages (read-only for a Borrow, so a write faults the
 * server) and hands out their address. A held Borrow's or MutableBorrow's
 * pages are unmapped before its answer goes out. A Move becomes a region
 * of this process, to unmap or to lend onward.
 *
 * A small Borrow or MutableBorrow comes copied into this process's pool, a
 * memfd the broker shares with it (include/xous/hostframe.h, XH_F_POOL): mapped
 * once read-write and once read-only, so a Borrow is read-only here too,
 * and nothing is mapped or unmapped per message. The broker reads a
 * MutableBorrow's bytes back from the pool when it is answered, or when
 * this process dies with the server's partial writes in it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "xous-host-internal.h"

#include "runtime.h" /* after <xous.h>, which the line above exports */

/* The pool: its read-write and read-only mappings (NULL until it came). The
 * broker sends its fd once per process, with the first pooled envelope; a
 * thread that gets a later one first waits for the mapping. */
static pthread_mutex_t g_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_pool_cond = PTHREAD_COND_INITIALIZER;
static char *g_pool_rw;
static const char *g_pool_ro;

/* fork(): hold the pool's lock across it, so that the child's copy is
 * whole; the child forgets held messages and the pool (the pool is its
 * parent's: its mappings stay, unused, and a child that attaches gets its
 * own). */
void xh_recv_fork(enum xh_fork_phase phase)
{
	if (phase == XH_FORK_PREPARE) {
		pthread_mutex_lock(&g_pool_lock);
		return;
	}
	if (phase == XH_FORK_CHILD) {
		xous_rt_held_forget();
		g_pool_rw = NULL;
		g_pool_ro = NULL;
		pthread_cond_init(&g_pool_cond, NULL);
	}
	pthread_mutex_unlock(&g_pool_lock);
}

/* The pool's fd came with an envelope: map it, once per process. */
static void pool_map_locked(int fd)
{
	char *rw = mmap(NULL, XH_POOL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *ro = mmap(NULL, XH_POOL_SIZE, PROT_READ, MAP_SHARED, fd, 0);

	close(fd);
	if (rw != MAP_FAILED && ro != MAP_FAILED && g_pool_rw == NULL) {
		g_pool_rw = rw;
		g_pool_ro = ro;
		pthread_cond_broadcast(&g_pool_cond);
		return;
	}
	if (rw != MAP_FAILED)
		munmap(rw, XH_POOL_SIZE);
	if (ro != MAP_FAILED)
		munmap(ro, XH_POOL_SIZE);
}

/* The pool's mapping for kind, mapping it first if fd came; if another
 * thread got the fd, wait for it (a second at most: then it is lost). */
static char *pool_base(int fd, uint32_t kind)
{
	struct timespec until;
	char *base;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&g_pool_lock);
	if (fd >= 0)
		pool_map_locked(fd);
	while (g_pool_rw == NULL && pthread_cond_timedwait(&g_pool_cond, &g_pool_lock, &until) == 0)
		;
	base = kind == XOUS_KIND_BORROW ? (char *)g_pool_ro : g_pool_rw;
	pthread_mutex_unlock(&g_pool_lock);
	return base;
}

/* Where a pooled envelope's bytes are, or NULL if they cannot be. */
static void *pool_envelope(const struct xh_call *c, uint32_t kind)
{
	size_t len = (size_t)c->w[5];
	char *base = pool_base(c->fd, kind);

	if (base == NULL || kind == XOUS_KIND_MOVE || len == 0 || len > XH_INLINE_MAX ||
	    c->aux > XH_POOL_SIZE - len || !xh_page_aligned(c->aux))
		return NULL;
	return base + c->aux;
}

/* memory_envelope's word for a message it refused: envelope_from makes
 * it a GLOBAL_INVALID Scalar. */
#define XH_REFUSED ((xous_err_t)0x10000)

static bool is_memory(uint32_t kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_MOVE;
}

/* Refuse a memory message this side cannot take: its caller gets err
 * (ReturnMemory with the error in a6) and its lend back untouched; a
 * refused Move's pages stay the broker's to free. */
static void refuse(xous_sender_t sender, uint32_t kind, xous_err_t err)
{
	struct xh_call c;

	if (kind == XOUS_KIND_MOVE)
		return;
	xh_call_init(&c, XOUS_SYS_RETURN_MEMORY);
	c.w[1] = sender;
	c.w[6] = err;
	xh_syscall(&c);
}

/* Map the pages of a memory envelope; the fd is used up either way. */
static xous_err_t map_envelope(const struct xh_call *c, uint32_t kind, void **addr)
{
	size_t len = (size_t)c->w[5];
	int prot = kind == XOUS_KIND_BORROW ? PROT_READ : PROT_READ | PROT_WRITE;
	void *p = MAP_FAILED;

	if (c->fd >= 0 && len != 0 && xh_page_aligned(len) && xh_page_aligned(c->aux))
		p = mmap(NULL, len, prot, MAP_SHARED, c->fd, (off_t)c->aux);
	if (p == MAP_FAILED) {
		if (c->fd >= 0)
			close(c->fd);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	if (kind == XOUS_KIND_MOVE) {
		if (xh_region_add((uintptr_t)p, len, prot, c->fd, c->aux) == XOUS_OK) {
			*addr = p;
			return XOUS_OK;
		}
		munmap(p, len);
	}
	close(c->fd);
	*addr = p;
	return kind == XOUS_KIND_MOVE ? XOUS_ERR_OUT_OF_MEMORY : XOUS_OK;
}

/* A memory message this side could not take (refused): the server hears
 * of it as Scalar(GLOBAL_INVALID, its opcode, its caller's pid), as the
 * kernel tells it of one it could not deliver. */
static void invalid_envelope(const struct xh_call *c, xous_envelope_t *env)
{
	env->scalar.id = XOUS_GLOBAL_INVALID;
	env->scalar.arg[0] = (uintptr_t)c->w[3];
	env->scalar.arg[1] = (uintptr_t)((c->w[1] >> XOUS_SENDER_PID_SHIFT) &
	                                 ((1u << XOUS_SENDER_PID_BITS) - 1));
	env->scalar.arg[2] = env->scalar.arg[3] = 0;
}

/* A memory envelope's pages into env; *own is what this process unmaps
 * itself once the message is answered (mapped pages, not the pool's). */
static xous_err_t memory_envelope(const struct xh_call *c, xous_envelope_t *env, xous_range_t *own)
{
	uint32_t kind = (uint32_t)c->w[2];
	bool pooled = c->flags & XH_F_POOL;
	void *addr = NULL;
	xous_err_t err = pooled ? XOUS_OK : map_envelope(c, kind, &addr);

	if (pooled && (addr = pool_envelope(c, kind)) == NULL)
		err = XOUS_ERR_OUT_OF_MEMORY;
	if (err != XOUS_OK) {
		refuse((xous_sender_t)c->w[1], kind, XOUS_ERR_BAD_ADDRESS);
		return XH_REFUSED;
	}
	env->memory.id = (uint32_t)c->w[3];
	env->memory.buf.addr = addr;
	env->memory.buf.len = (size_t)c->w[5];
	env->memory.offset = (size_t)c->w[6];
	env->memory.valid = (size_t)c->w[7];
	if (!pooled)
		*own = env->memory.buf;
	return XOUS_OK;
}

static void scalar_envelope(const struct xh_call *c, xous_envelope_t *env)
{
	env->scalar.id = (uint32_t)c->w[3];
	for (int i = 0; i < 4; i++)
		env->scalar.arg[i] = (uintptr_t)c->w[4 + i];
}

/* Turn the result of a receive into env (NO_MESSAGE for None). */
static xous_err_t envelope_from(struct xh_call *c, xous_envelope_t *env)
{
	xous_err_t err =
	        c->w[0] == XOUS_RESULT_NONE ? XOUS_OK : xh_expect(c, XOUS_RESULT_MESSAGE_ENVELOPE);
	uint32_t kind = (uint32_t)c->w[2];
	xous_range_t own = {NULL, 0};

	env->kind = XOUS_NO_MESSAGE;
	env->sender = 0;
	if (err != XOUS_OK || c->w[0] == XOUS_RESULT_NONE) {
		if (c->fd >= 0)
			close(c->fd);
		return err;
	}
	if (is_memory(kind) && memory_envelope(c, env, &own) == XH_REFUSED) {
		invalid_envelope(c, env);
		kind = XOUS_KIND_SCALAR;
	} else if (!is_memory(kind)) {
		if (c->fd >= 0)
			close(c->fd); /* an fd with a scalar: nothing to map */
		if (kind == XOUS_KIND_SCALAR || kind == XOUS_KIND_BLOCKING_SCALAR)
			scalar_envelope(c, env);
		else
			err = XH_ERR_TRANSPORT;
	}
	if (err == XOUS_OK) {
		env->sender = (xous_sender_t)c->w[1];
		env->kind = (enum xous_kind)kind;
		xous_rt_hold(env, own);
	}
	return err;
}

/* Receive syscall nr on sid into env; reply (if not NULL) are a5..a7. */
static xous_err_t receive_as(uint32_t nr, const xous_sid_t *sid, const uintptr_t *reply,
                             xous_envelope_t *env)
{
	struct xh_call c;
	xous_err_t err;

	if (sid == NULL || env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, nr);
	for (int i = 0; i < 4; i++)
		c.w[1 + i] = sid->w[i];
	for (int i = 0; reply != NULL && i < 3; i++)
		c.w[5 + i] = reply[i];
	c.want_fd = 1;
	err = xh_syscall(&c);
	if (err != XOUS_OK) {
		env->kind = XOUS_NO_MESSAGE;
		return err;
	}
	return envelope_from(&c, env);
}

xous_err_t xous_receive_message(const xous_sid_t *sid, xous_envelope_t *env)
{
	return receive_as(XOUS_SYS_RECEIVE_MESSAGE, sid, NULL, env);
}

xous_err_t xous_try_receive_message(const xous_sid_t *sid, xous_envelope_t *env)
{
	return receive_as(XOUS_SYS_TRY_RECEIVE_MESSAGE, sid, NULL, env);
}

xous_err_t xous_receive_many(const xous_sid_t *sid, xous_envelope_t *envs, size_t max,
                             size_t *count)
{
	struct xh_frame frames[XOUS_RECEIVE_MANY_MAX];
	struct xh_call c;
	xous_err_t err, first = XOUS_OK;
	size_t n, i, got = 0;

	if (count != NULL)
		*count = 0;
	if (sid == NULL || envs == NULL || count == NULL || max == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (max > XOUS_RECEIVE_MANY_MAX)
		max = XOUS_RECEIVE_MANY_MAX;
	xh_call_init(&c, XOUS_SYS_RECEIVE_MANY);
	for (i = 0; i < 4; i++)
		c.w[1 + i] = sid->w[i];
	c.w[5] = max;
	err = xh_syscall_many(&c, frames, max, &n);
	if (err != XOUS_OK)
		return err;
	/* Each frame is an envelope as a receive gives; one that cannot be
	 * taken (an error answer, no memory to hold it) was given back. */
	for (i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(c.w, frames[i].w, sizeof c.w);
			c.aux = frames[i].aux;
			c.flags = frames[i].flags;
			c.fd = -1;
		}
		err = envelope_from(&c, &envs[got]);
		if (err == XOUS_OK)
			got++;
		else if (first == XOUS_OK)
			first = err;
	}
	*count = got;
	return got > 0 ? XOUS_OK : first;
}

/* ---- the platform part of runtime/answer.c ---- */

xous_err_t xous_rt_call_ok(const uintptr_t a[8])
{
	struct xh_call c;

	xh_call_init(&c, (uint32_t)a[0]);
	for (int i = 1; i < 8; i++)
		c.w[i] = a[i];
	xous_err_t err = xh_syscall(&c);
	return err != XOUS_OK ? err : xh_expect(&c, XOUS_RESULT_OK);
}

void xous_rt_unmap_pages(xous_range_t pages)
{
	munmap(pages.addr, pages.len);
}

xous_err_t xous_rt_reply_receive(const xous_sid_t *sid, const uintptr_t reply[3],
                                 xous_envelope_t *env)
{
	return receive_as(XOUS_SYS_REPLY_AND_RECEIVE_NEXT, sid, reply, env);
}
