/*
 * held.c - the messages this process received and has still to answer
 * (BlockingScalar, Borrow, MutableBorrow), the same table on both kernels.
 *
 * Indexed by the sender token's slot (<xous/abi.h>): the kernel never has
 * two live messages in one slot, so the table needs no search and never
 * fills. An entry's key is its token; a thread owns the entry while it has
 * swapped the key for the key with HELD_BUSY set, so an answer and the
 * receipt of the slot's next message never see half an entry, and no lock
 * is needed.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "runtime.h"

#define HELD_SLOTS ((size_t)1 << XOUS_SENDER_SLOT_BITS)
#define HELD_BUSY  XOUS_SENDER_SCALAR_ANSWER /* never a bit of a token */

struct held {
	_Atomic(xous_sender_t) key; /* the token, 0 if free */
	xous_range_t pages;         /* what this process unmaps itself once answered */
	xous_range_t buf;           /* a lend's pages as this process sees them */
};

static struct held g_held[HELD_SLOTS];
static atomic_size_t g_top; /* entries at or above it were never used */

static struct held *held_entry(xous_sender_t s)
{
	return &g_held[s & (HELD_SLOTS - 1)];
}

static void held_raise_top(size_t slot)
{
	size_t top = atomic_load(&g_top);

	while (top <= slot && !atomic_compare_exchange_weak(&g_top, &top, slot + 1))
		;
}

/* Own e (its key gets HELD_BUSY) and return its key as it was. */
static xous_sender_t held_own(struct held *e)
{
	xous_sender_t k = atomic_load(&e->key);

	for (;;) {
		if (k & HELD_BUSY) {
			xous_yield();
			k = atomic_load(&e->key);
		} else if (atomic_compare_exchange_weak(&e->key, &k, k | HELD_BUSY)) {
			return k;
		}
	}
}

void xous_rt_hold(const xous_envelope_t *env, xous_range_t pages)
{
	if (env->kind != XOUS_BLOCKING_SCALAR && env->kind != XOUS_BORROW &&
	    env->kind != XOUS_MUTABLE_BORROW)
		return;
	struct held *e = held_entry(env->sender);
	xous_sender_t old = held_own(e);
	xous_range_t old_pages = e->pages;

	e->pages = pages;
	e->buf = env->kind == XOUS_BLOCKING_SCALAR ? (xous_range_t){NULL, 0} : env->memory.buf;
	atomic_store(&e->key, env->sender);
	held_raise_top((size_t)(e - g_held));
	/* The kernel gave the slot to a new message, so the one held in it
	 * before is over (its server was destroyed): its pages go too. */
	if (old != 0 && old_pages.len != 0)
		xous_rt_unmap_pages(old_pages);
}

/* Own s's entry (its key gets HELD_BUSY) if s is held; else NULL. */
static struct held *held_claim(xous_sender_t s)
{
	struct held *e = held_entry(s);
	xous_sender_t k = s;

	if (s == 0 || (s & HELD_BUSY) ||
	    !atomic_compare_exchange_strong(&e->key, &k, s | HELD_BUSY))
		return NULL;
	return e;
}

bool xous_rt_unhold(xous_sender_t s, xous_range_t *pages)
{
	struct held *e = held_claim(s);
	xous_range_t mine;

	if (e == NULL)
		return false;
	mine = e->pages;
	e->pages = (xous_range_t){NULL, 0};
	e->buf = (xous_range_t){NULL, 0};
	atomic_store(&e->key, 0);
	if (mine.len != 0)
		xous_rt_unmap_pages(mine);
	if (pages != NULL)
		*pages = mine;
	return true;
}

bool xous_rt_keep_pages(xous_sender_t s, xous_range_t *pages)
{
	struct held *e = held_claim(s);
	bool kept;

	if (e == NULL)
		return false;
	kept = e->pages.len != 0 && e->pages.addr == e->buf.addr && e->pages.len == e->buf.len;
	if (kept) {
		*pages = e->pages;
		e->pages = (xous_range_t){NULL, 0};
	}
	atomic_store(&e->key, s);
	return kept;
}

bool xous_rt_held_overlaps(uintptr_t addr, size_t len)
{
	size_t top = atomic_load(&g_top);

	for (size_t i = 0; i < top; i++) {
		const struct held *e = &g_held[i];
		uintptr_t a = (uintptr_t)e->buf.addr;

		if (atomic_load(&e->key) != 0 && e->buf.len != 0 && addr < a + e->buf.len &&
		    a < addr + len)
			return true;
	}
	return false;
}

void xous_rt_held_forget(void)
{
	size_t top = atomic_load(&g_top);

	memset(g_held, 0, top * sizeof g_held[0]);
	atomic_store(&g_top, 0);
}
