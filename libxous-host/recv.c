/*
 * recv.c - the server's side: receiving messages and answering them.
 *
 * A memory envelope arrives with an fd and its offset (aux); the library
 * maps exactly those pages (read-only for a Borrow, so a write faults the
 * server) and hands out their address. Messages that still need an answer
 * (Borrow, MutableBorrow, BlockingScalar) are kept in a table of held
 * senders, so that their pages can be unmapped before the answer goes out
 * and xous_envelope_done knows what is still unanswered. A Move becomes a
 * region of this process, to unmap or to lend onward.
 *
 * A message this side cannot take (pages it cannot map, no room to hold
 * it) is refused: its caller gets an error (ReturnMemory with the error in
 * a6; docs/abi.md), and the receive takes the next message. The server
 * never sees it, and never gets an error for it.
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

struct held {
	xous_sender_t sender;
	uint32_t kind;
	uintptr_t addr; /* mapped pages of a Borrow/MutableBorrow */
	size_t len;
	bool pooled; /* in the pool: nothing to unmap */
};

/* The pool: its read-write and read-only mappings (NULL until it came). The
 * broker sends its fd once per process, with the first pooled envelope; a
 * thread that gets a later one first waits for the mapping. */
static pthread_mutex_t g_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_pool_cond = PTHREAD_COND_INITIALIZER;
static char *g_pool_rw;
static const char *g_pool_ro;

static pthread_mutex_t g_held_lock = PTHREAD_MUTEX_INITIALIZER;
static struct held *g_held;
static size_t g_nheld, g_cap_held;

static bool held_add(const struct held *h)
{
	bool ok = true;

	pthread_mutex_lock(&g_held_lock);
	if (g_nheld == g_cap_held) {
		size_t ncap = g_cap_held ? g_cap_held * 2 : 16;
		struct held *p = realloc(g_held, ncap * sizeof *p);
		if (p != NULL) {
			g_held = p;
			g_cap_held = ncap;
		}
	}
	if (g_nheld < g_cap_held)
		g_held[g_nheld++] = *h;
	else
		ok = false;
	pthread_mutex_unlock(&g_held_lock);
	return ok;
}

/* Remove sender's entry into *out (if out) and say whether it was there. */
static bool held_take(xous_sender_t sender, struct held *out)
{
	bool found = false;

	pthread_mutex_lock(&g_held_lock);
	for (size_t i = 0; i < g_nheld; i++) {
		if (g_held[i].sender == sender) {
			if (out != NULL)
				*out = g_held[i];
			g_held[i] = g_held[--g_nheld];
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&g_held_lock);
	return found;
}

static bool held_has(xous_sender_t sender)
{
	bool found = false;

	pthread_mutex_lock(&g_held_lock);
	for (size_t i = 0; i < g_nheld && !found; i++)
		found = g_held[i].sender == sender;
	pthread_mutex_unlock(&g_held_lock);
	return found;
}

/* fork(): hold the locks across it, so that the child's copy of the held
 * table and the pool is whole; the child forgets both (the pool is its
 * parent's: its mappings stay, unused, and a child that attaches gets its
 * own). */
void xh_recv_fork(enum xh_fork_phase phase)
{
	if (phase == XH_FORK_PREPARE) {
		pthread_mutex_lock(&g_held_lock);
		pthread_mutex_lock(&g_pool_lock);
		return;
	}
	if (phase == XH_FORK_CHILD) {
		g_nheld = 0;
		g_pool_rw = NULL;
		g_pool_ro = NULL;
		pthread_cond_init(&g_pool_cond, NULL);
	}
	pthread_mutex_unlock(&g_pool_lock);
	pthread_mutex_unlock(&g_held_lock);
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

/* envelope_from's word for a message that was refused (never returned
 * from the library): the receive takes the next one. */
#define XH_REFUSED ((xous_err_t)0x10000)

static bool is_memory(uint32_t kind)
{
	return kind == XOUS_KIND_MUTABLE_BORROW || kind == XOUS_KIND_BORROW ||
	       kind == XOUS_KIND_MOVE;
}

/* Refuse a message this side cannot take: its caller gets err (a Move's
 * caller was told when it was queued; its pages are simply dropped). */
static void refuse(xous_sender_t sender, uint32_t kind, xous_err_t err)
{
	struct xh_call c;

	if (kind == XOUS_KIND_MOVE || kind == XOUS_KIND_SCALAR)
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

static xous_err_t memory_envelope(const struct xh_call *c, xous_envelope_t *env)
{
	xous_sender_t sender = (xous_sender_t)c->w[1];
	uint32_t kind = (uint32_t)c->w[2];
	bool pooled = c->flags & XH_F_POOL;
	void *addr = NULL;
	xous_err_t err = pooled ? XOUS_OK : map_envelope(c, kind, &addr);

	if (pooled && (addr = pool_envelope(c, kind)) == NULL)
		err = XOUS_ERR_OUT_OF_MEMORY;
	if (err != XOUS_OK) {
		refuse(sender, kind, XOUS_ERR_BAD_ADDRESS);
		return XH_REFUSED;
	}
	struct held h = {sender, kind, (uintptr_t)addr, (size_t)c->w[5], pooled};
	if (kind != XOUS_KIND_MOVE && !held_add(&h)) {
		if (!pooled)
			munmap(addr, h.len);
		refuse(sender, kind, XOUS_ERR_OUT_OF_MEMORY);
		return XH_REFUSED;
	}
	env->memory.id = (uint32_t)c->w[3];
	env->memory.buf.addr = addr;
	env->memory.buf.len = h.len;
	env->memory.offset = (size_t)c->w[6];
	env->memory.valid = (size_t)c->w[7];
	return XOUS_OK;
}

static xous_err_t scalar_envelope(const struct xh_call *c, xous_envelope_t *env)
{
	uint32_t kind = (uint32_t)c->w[2];
	struct held h = {(xous_sender_t)c->w[1], kind, 0, 0, false};

	if (kind == XOUS_KIND_BLOCKING_SCALAR && !held_add(&h)) {
		refuse(h.sender, kind, XOUS_ERR_OUT_OF_MEMORY);
		return XH_REFUSED;
	}
	env->scalar.id = (uint32_t)c->w[3];
	for (int i = 0; i < 4; i++)
		env->scalar.arg[i] = (uintptr_t)c->w[4 + i];
	return XOUS_OK;
}

/* Turn the result of a receive into env (NO_MESSAGE for None). */
static xous_err_t envelope_from(struct xh_call *c, xous_envelope_t *env)
{
	xous_err_t err =
	        c->w[0] == XOUS_RESULT_NONE ? XOUS_OK : xh_expect(c, XOUS_RESULT_MESSAGE_ENVELOPE);
	uint32_t kind = (uint32_t)c->w[2];

	env->kind = XOUS_NO_MESSAGE;
	env->sender = 0;
	if (err != XOUS_OK || c->w[0] == XOUS_RESULT_NONE) {
		if (c->fd >= 0)
			close(c->fd);
		return err;
	}
	if (is_memory(kind)) {
		err = memory_envelope(c, env);
	} else {
		if (c->fd >= 0)
			close(c->fd); /* an fd with a scalar: nothing to map */
		err = kind == XOUS_KIND_SCALAR || kind == XOUS_KIND_BLOCKING_SCALAR
		              ? scalar_envelope(c, env)
		              : XH_ERR_TRANSPORT;
	}
	if (err == XOUS_OK) {
		env->sender = (xous_sender_t)c->w[1];
		env->kind = (enum xous_kind)kind;
	}
	return err;
}

static xous_err_t receive_as(uint32_t nr, const xous_sid_t *sid, xous_envelope_t *env)
{
	struct xh_call c;
	xous_err_t err;

	if (sid == NULL || env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	do { /* a refused message: take the next one */
		xh_call_init(&c, nr);
		for (int i = 0; i < 4; i++)
			c.w[1 + i] = sid->w[i];
		c.want_fd = 1;
		err = xh_syscall(&c);
		if (err != XOUS_OK) {
			env->kind = XOUS_NO_MESSAGE;
			return err;
		}
		err = envelope_from(&c, env);
	} while (err == XH_REFUSED);
	return err;
}

xous_err_t xous_receive_message(const xous_sid_t *sid, xous_envelope_t *env)
{
	return receive_as(XOUS_SYS_RECEIVE_MESSAGE, sid, env);
}

xous_err_t xous_try_receive_message(const xous_sid_t *sid, xous_envelope_t *env)
{
	return receive_as(XOUS_SYS_TRY_RECEIVE_MESSAGE, sid, env);
}

/* The envelopes of n frames of a ReceiveMany into envs; how many were
 * taken; *first is the first error of those that were not. */
static size_t many_envelopes(struct xh_call *c, const struct xh_frame *frames, size_t n,
                             xous_envelope_t *envs, xous_err_t *first)
{
	size_t i, got = 0;
	xous_err_t err;

	*first = XOUS_OK;
	/* Each frame is an envelope as a receive gives; one that cannot be
	 * taken (an error answer, refused) is skipped. */
	for (i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(c->w, frames[i].w, sizeof c->w);
			c->aux = frames[i].aux;
			c->flags = frames[i].flags;
			c->fd = -1;
		}
		err = envelope_from(c, &envs[got]);
		if (err == XOUS_OK)
			got++;
		else if (*first == XOUS_OK)
			*first = err;
	}
	return got;
}

xous_err_t xous_receive_many(const xous_sid_t *sid, xous_envelope_t *envs, size_t max,
                             size_t *count)
{
	struct xh_frame frames[XOUS_RECEIVE_MANY_MAX];
	struct xh_call c;
	xous_err_t err, first;
	size_t n, got;

	if (count != NULL)
		*count = 0;
	if (sid == NULL || envs == NULL || count == NULL || max == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (max > XOUS_RECEIVE_MANY_MAX)
		max = XOUS_RECEIVE_MANY_MAX;
	do { /* every message refused: take the next ones */
		xh_call_init(&c, XOUS_SYS_RECEIVE_MANY);
		for (int i = 0; i < 4; i++)
			c.w[1 + i] = sid->w[i];
		c.w[5] = max;
		err = xh_syscall_many(&c, frames, max, &n);
		if (err != XOUS_OK)
			return err;
		got = many_envelopes(&c, frames, n, envs, &first);
	} while (got == 0 && first == XH_REFUSED);
	*count = got;
	return got > 0 ? XOUS_OK : first;
}

/* Scalar answers: the message stops being held only once the kernel took
 * the answer (a scalar answer to a memory message is refused and the
 * message stays held). */
static xous_err_t return_scalar_as(uint32_t nr, xous_sender_t sender, const uintptr_t *v, int n)
{
	struct xh_call c;

	xh_call_init(&c, nr);
	c.w[1] = sender;
	for (int i = 0; i < n; i++)
		c.w[2 + i] = v[i];
	xous_err_t err = xh_syscall(&c);
	if (err == XOUS_OK)
		err = xh_expect(&c, XOUS_RESULT_OK);
	if (err == XOUS_OK)
		held_take(sender, NULL);
	return err;
}

xous_err_t xous_return_scalar(xous_sender_t sender, uintptr_t v1)
{
	return return_scalar_as(XOUS_SYS_RETURN_SCALAR1, sender, &v1, 1);
}

xous_err_t xous_return_scalar2(xous_sender_t sender, uintptr_t v1, uintptr_t v2)
{
	const uintptr_t v[2] = {v1, v2};

	return return_scalar_as(XOUS_SYS_RETURN_SCALAR2, sender, v, 2);
}

xous_err_t xous_return_scalar5(xous_sender_t sender, uintptr_t v1, uintptr_t v2, uintptr_t v3,
                               uintptr_t v4, uintptr_t v5)
{
	const uintptr_t v[5] = {v1, v2, v3, v4, v5};

	return return_scalar_as(XOUS_SYS_RETURN_SCALAR5, sender, v, 5);
}

/* The pages leave this process before the caller may touch them again. */
static void held_unmap(const struct held *h)
{
	if (h->len != 0 && !h->pooled)
		munmap((void *)h->addr, h->len);
}

xous_err_t xous_return_memory(xous_sender_t sender, size_t offset, size_t valid)
{
	struct xh_call c;
	struct held h = {0};

	held_take(sender, &h);
	held_unmap(&h);
	xh_call_init(&c, XOUS_SYS_RETURN_MEMORY);
	c.w[1] = sender;
	c.w[2] = h.addr;
	c.w[3] = h.len;
	c.w[4] = offset;
	c.w[5] = valid;
	xous_err_t err = xh_syscall(&c);
	return err != XOUS_OK ? err : xh_expect(&c, XOUS_RESULT_OK);
}

/* A Move is done with by unmapping it, if it is still here. */
static xous_err_t move_done(const xous_envelope_t *env)
{
	uintptr_t a = (uintptr_t)env->memory.buf.addr;

	if (!xh_region_covers(a, env->memory.buf.len))
		return XOUS_OK;
	return xous_unmap_memory(env->memory.buf);
}

xous_err_t xous_envelope_done(xous_envelope_t *env)
{
	xous_err_t err = XOUS_OK;

	if (env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	switch ((int)env->kind) {
	case XOUS_NO_MESSAGE:
	case XOUS_SCALAR:
		break;
	case XOUS_MOVE:
		err = move_done(env);
		break;
	case XOUS_BORROW:
	case XOUS_MUTABLE_BORROW:
		if (held_has(env->sender))
			err = xous_return_memory(env->sender, env->memory.offset,
			                         env->memory.valid);
		break;
	case XOUS_BLOCKING_SCALAR:
		if (held_has(env->sender))
			err = xous_return_memory(env->sender, 0, 0);
		break;
	default:
		return XOUS_ERR_INVALID_ARGUMENT;
	}
	if (err == XOUS_OK)
		env->kind = XOUS_NO_MESSAGE;
	return err;
}

/* What ReplyAndReceiveNext must answer for env: a5 sender (0 for nothing),
 * a6 offset, a7 valid; BlockingScalar gets the "dropped" answer. */
static void reply_words(const xous_envelope_t *env, struct xh_call *c)
{
	struct held h;

	switch ((int)env->kind) {
	case XOUS_MOVE:
		move_done(env);
		return;
	case XOUS_BORROW:
	case XOUS_MUTABLE_BORROW:
		if (!held_take(env->sender, &h))
			return;
		held_unmap(&h);
		c->w[5] = env->sender;
		c->w[6] = env->memory.offset;
		c->w[7] = env->memory.valid;
		return;
	case XOUS_BLOCKING_SCALAR:
		if (held_take(env->sender, NULL))
			c->w[5] = env->sender;
		return;
	default:
		return;
	}
}

static xous_err_t reply_receive(const xous_sid_t *sid, xous_envelope_t *env, struct xh_call *c)
{
	for (int i = 0; i < 4; i++)
		c->w[1 + i] = sid->w[i];
	env->kind = XOUS_NO_MESSAGE;
	c->want_fd = 1;
	xous_err_t err = xh_syscall(c);
	if (err != XOUS_OK)
		return err;
	err = envelope_from(c, env);
	/* a refused message: the answer went, take the next one */
	return err == XH_REFUSED ? xous_receive_message(sid, env) : err;
}

xous_err_t xous_reply_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env)
{
	struct xh_call c;

	if (sid == NULL || env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_REPLY_AND_RECEIVE_NEXT);
	reply_words(env, &c);
	return reply_receive(sid, env, &c);
}

xous_err_t xous_return_scalar2_and_receive_next(const xous_sid_t *sid, xous_envelope_t *env,
                                                uintptr_t v1, uintptr_t v2)
{
	struct xh_call c;

	if (sid == NULL || env == NULL)
		return XOUS_ERR_INVALID_ARGUMENT;
	xh_call_init(&c, XOUS_SYS_REPLY_AND_RECEIVE_NEXT);
	if (env->kind != XOUS_BLOCKING_SCALAR)
		reply_words(env, &c);
	else if (held_take(env->sender, NULL)) {
		c.w[5] = env->sender | XOUS_SENDER_SCALAR_ANSWER;
		c.w[6] = v1;
		c.w[7] = v2;
	}
	return reply_receive(sid, env, &c);
}
