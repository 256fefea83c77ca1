/*
 * lend.c - the caller's side of Borrow, MutableBorrow and Move.
 *
 * A Borrow or MutableBorrow of at most inline_max() bytes (16 KiB) of
 * xous_map_memory pages is copied: the bytes travel after the frame, the
 * broker puts them in the server's pool, and a MutableBorrow's bytes come
 * back after the answer (docs/performance.md: below the crossover a copy
 * costs less than passing and mapping the memfd). The pages are PROT_NONE
 * meanwhile, as for any lend. Bigger pages from xous_map_memory are lent as
 * they are: the frame carries their
 * memfd and their offset in it, and the caller's mapping is PROT_NONE until
 * the answer, whatever the answer is (an error after a server death too).
 * Any other page-aligned buffer goes through a bounce memfd: copied in
 * before the call and, for a MutableBorrow, copied back after it; a Move of
 * such a buffer leaves the caller's copy where it was, and pages lent to
 * this process (a held Borrow) cannot be moved on (MEMORY_IN_USE: they are
 * their lender's). The copies go through
 * pwrite/pread so that a buffer the caller cannot read or write is an
 * error (BAD_ADDRESS), not a crash.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xous-host-internal.h"

#include "runtime.h" /* after <xous.h>, which the line above exports */

struct lend {
	uintptr_t addr;
	size_t len;
	int fd;        /* the memfd that travels with the frame */
	uint64_t foff; /* file offset of addr in fd */
	int prot;      /* protection to restore (direct lends) */
	bool bounce;
	void *copy; /* a copied lend: the bytes, in the thread's scratch */
};

/* Lends up to this many bytes are copied: XH_INLINE_MAX, all a frame can
 * carry, is below the measured crossover (docs/performance.md);
 * $XOUS_INLINE_MAX (bytes, 0 for never) lowers it, for measuring. Read
 * once per process. */
static size_t g_inline_max;
static pthread_once_t g_inline_once = PTHREAD_ONCE_INIT;

static void inline_max_init(void)
{
	const char *s = xh_getenv("XOUS_INLINE_MAX");
	size_t v = s ? strtoul(s, NULL, 0) : XH_INLINE_MAX;

	g_inline_max = v > XH_INLINE_MAX ? XH_INLINE_MAX : v;
}

static size_t inline_max(void)
{
	pthread_once(&g_inline_once, inline_max_init);
	return g_inline_max;
}

/* Bigger lends of a whole region map it in the server. */
size_t xous_rt_channel_min(void)
{
	return inline_max() + 1;
}

static xous_err_t lend_check(xous_range_t buf, size_t offset, size_t valid)
{
	uintptr_t a = (uintptr_t)buf.addr;

	if (!xh_page_aligned(a) || !xh_page_aligned(buf.len) || buf.len == 0)
		return XOUS_ERR_BAD_ALIGNMENT;
	if (a + buf.len < a)
		return XOUS_ERR_BAD_ADDRESS;
	if (offset > buf.len || valid > buf.len)
		return XOUS_ERR_INVALID_ARGUMENT;
	return XOUS_OK;
}

/* Copy between the caller's buffer and the bounce memfd; false on EFAULT. */
static bool bounce_copy(int fd, uintptr_t addr, size_t len, bool to_fd)
{
	size_t done = 0;

	while (done < len) {
		void *p = (void *)(addr + done);
		ssize_t n = to_fd ? pwrite(fd, p, len - done, (off_t)done)
		                  : pread(fd, p, len - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

static xous_err_t bounce_prepare(struct lend *l, uint32_t kind)
{
	l->fd = xh_memfd_new(l->len);
	if (l->fd < 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	l->bounce = true;
	l->foff = 0;
	/* Reading back what was just written proves the buffer writable before
	 * the server works on it, so the answer cannot be lost to EFAULT. */
	if (!bounce_copy(l->fd, l->addr, l->len, true) ||
	    (kind == XOUS_KIND_MUTABLE_BORROW && !bounce_copy(l->fd, l->addr, l->len, false))) {
		close(l->fd);
		return XOUS_ERR_BAD_ADDRESS;
	}
	return XOUS_OK;
}

/* A copied lend if it qualifies: XOUS_ERR_BAD_ADDRESS if it does not. */
static xous_err_t copy_prepare(struct lend *l, uint32_t kind)
{
	if (kind == XOUS_KIND_MOVE || l->len > inline_max() || (l->copy = xh_scratch()) == NULL)
		return XOUS_ERR_BAD_ADDRESS;
	xous_err_t err = xh_region_lend_copy(l->addr, l->len, kind == XOUS_KIND_MUTABLE_BORROW,
	                                     l->copy, &l->prot);
	if (err != XOUS_OK)
		l->copy = NULL;
	return err;
}

static xous_err_t lend_prepare(struct lend *l, xous_range_t buf, uint32_t kind)
{
	l->addr = (uintptr_t)buf.addr;
	l->len = buf.len;
	l->bounce = false;
	l->copy = NULL;
	l->fd = -1;
	l->foff = 0;
	xous_err_t err = copy_prepare(l, kind);
	if (err != XOUS_ERR_BAD_ADDRESS)
		return err;
	err = xh_region_lend(l->addr, l->len, &l->fd, &l->foff, &l->prot);
	if (err != XOUS_ERR_BAD_ADDRESS)
		return err;
	return bounce_prepare(l, kind);
}

/* The answer came (or the call failed): the pages are the caller's again,
 * with what a server wrote into a copied MutableBorrow (back is how many
 * bytes came back: all of them, or none). */
static void lend_finish(struct lend *l, uint32_t kind, bool accepted, size_t back)
{
	if (l->copy != NULL) {
		xh_region_unlend(l->addr, l->len, l->prot, false);
		if (kind == XOUS_KIND_MUTABLE_BORROW && back == l->len)
			memcpy((void *)l->addr, l->copy, l->len);
		return;
	}
	if (!l->bounce) {
		xh_region_unlend(l->addr, l->len, l->prot, kind == XOUS_KIND_MOVE && accepted);
		return;
	}
	if (kind == XOUS_KIND_MUTABLE_BORROW)
		bounce_copy(l->fd, l->addr, l->len, false);
	close(l->fd);
}

/* Pages this process cannot lend (not readable, or not writable for a
 * MutableBorrow) are BAD_ADDRESS; the send goes without them
 * (XH_F_NOPAGES), so that the server hears of it (GLOBAL_INVALID). */
static xous_err_t lend_invalid(uint32_t kind, xous_cid_t cid, uint32_t id, xous_range_t buf,
                               size_t offset, size_t valid, struct xh_call *c)
{
	xh_call_init(c, XOUS_SYS_SEND_MESSAGE);
	c->w[1] = cid;
	c->w[2] = kind;
	c->w[3] = id;
	c->w[4] = (uintptr_t)buf.addr;
	c->w[5] = buf.len;
	c->w[6] = offset;
	c->w[7] = valid;
	c->flags = XH_F_NOPAGES;
	xh_syscall(c); /* the kernel answers BAD_ADDRESS too */
	return XOUS_ERR_BAD_ADDRESS;
}

/* A lend of kind; fault: a page fault, whose offset is an address
 * (xh_lend_fault). */
static xous_err_t lend_call(uint32_t kind, xous_cid_t cid, uint32_t id, xous_range_t buf,
                            size_t offset, size_t valid, bool fault, struct xh_call *c)
{
	struct lend l;
	xous_err_t err = lend_check(buf, fault ? 0 : offset, valid);

	if (err == XOUS_OK && kind == XOUS_KIND_MOVE &&
	    xous_rt_held_overlaps((uintptr_t)buf.addr, buf.len))
		err = XOUS_ERR_MEMORY_IN_USE; /* borrowed pages are their lender's */
	if (err == XOUS_OK)
		err = lend_prepare(&l, buf, kind);
	if (err == XOUS_ERR_BAD_ADDRESS)
		return lend_invalid(kind, cid, id, buf, offset, valid, c);
	if (err != XOUS_OK)
		return err;
	xh_call_init(c, XOUS_SYS_SEND_MESSAGE);
	c->w[1] = cid;
	c->w[2] = kind;
	c->w[3] = id;
	c->w[4] = l.addr;
	c->w[5] = l.len;
	c->w[6] = offset;
	c->w[7] = valid;
	c->fd = l.fd;
	c->aux = l.foff;
	if (l.copy != NULL) {
		c->out = c->in = l.copy;
		c->out_len = c->in_cap = l.len;
	}
	err = xh_syscall(c);
	if (err == XOUS_OK)
		err = xh_expect(c, kind == XOUS_KIND_MOVE ? XOUS_RESULT_OK
		                                          : XOUS_RESULT_MEMORY_RETURNED);
	lend_finish(&l, kind, err == XOUS_OK, c->in_len);
	return err;
}

xous_err_t xous_send_memory(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset,
                            size_t valid)
{
	struct xh_call c;

	return lend_call(XOUS_KIND_MOVE, cid, id, buf, offset, valid, false, &c);
}

static xous_err_t borrow(uint32_t kind, xous_cid_t cid, uint32_t id, xous_range_t buf,
                         size_t offset, size_t valid, size_t *ret_offset, size_t *ret_valid)
{
	struct xh_call c;
	xous_err_t err = lend_call(kind, cid, id, buf, offset, valid, false, &c);

	if (err != XOUS_OK)
		return err;
	if (ret_offset != NULL)
		*ret_offset = (size_t)c.w[1];
	if (ret_valid != NULL)
		*ret_valid = (size_t)c.w[2];
	return XOUS_OK;
}

xous_err_t xous_lend(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset, size_t valid,
                     size_t *ret_offset, size_t *ret_valid)
{
	return borrow(XOUS_KIND_BORROW, cid, id, buf, offset, valid, ret_offset, ret_valid);
}

xous_err_t xous_lend_mut(xous_cid_t cid, uint32_t id, xous_range_t buf, size_t offset, size_t valid,
                         size_t *ret_offset, size_t *ret_valid)
{
	return borrow(XOUS_KIND_MUTABLE_BORROW, cid, id, buf, offset, valid, ret_offset, ret_valid);
}

xous_err_t xh_lend_fault(xous_cid_t cid, xous_range_t buf, uintptr_t addr, bool write)
{
	struct xh_call c;

	return lend_call(XOUS_KIND_MUTABLE_BORROW, cid, XOUS_PAGE_FAULT_ID, buf, addr,
	                 write ? 1 : 0, true, &c);
}
