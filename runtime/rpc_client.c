/*
 * Client side of <xous/rpc.h>: the request's frame written into a whole
 * region, lent mutably, and the reply's frame read back from it.
 *
 * Regions are kept between calls, so that a call costs its lend and not also
 * a map and an unmap (on Linux: memfd_create, ftruncate, fcntl, mmap, munmap,
 * close) nor the first touch of fresh pages. A region's size is a size class:
 * the pages needed, rounded up to one of 16 steps per doubling (so at most
 * 1/16 more than needed; up to 32 pages, exact). A process keeps at most
 * RPC_KEEP_SLOTS regions, XOUS_RPC_KEEP_BYTES bytes in all; a call takes an
 * idle kept region of its class, or maps one and offers it back afterwards
 * (the least recently used idle regions are unmapped to make room; what does
 * not fit the bound is unmapped). A region is taken by one call at a time.
 * A kept region remembers how far earlier calls wrote (their frames, and the
 * replies' frames as their servers gave their lengths); what a call does not
 * overwrite of that is zeroed, so a server never sees the bytes of an earlier
 * call (another server's reply). A forked child
 * (a new process id) forgets its parent's regions: their memfd pages are
 * shared between the two.
 *
 * Regions of xous_rt_channel_min() bytes or more (those a lend maps in the
 * server) are bound to the connection they were first lent on: no other
 * server ever gets them. Their first lend offers them as a channel
 * (<xous/rpc.h>); once the server kept one, the region's calls go as a
 * BlockingScalar naming it, with no lend (no page of the caller's moves
 * or is mapped per call). A channel the server does not know any more
 * (XOUS_RPC_CHANNEL_LOST: nothing ran) is unmapped and the call goes again
 * as a lend; one that fails on its first use (the server's pages are a
 * copy: xous-hostd --strict-lend, or a server that does not route channel
 * calls) turns channels off in this process; one whose call fails
 * otherwise is unmapped with the error returned.
 */
#include <stdatomic.h>
#include <string.h>
#include <xous/rpc.h>

#include "export.h"
#include "rpc_ool.h"
#include "runtime.h"

#ifndef XOUS_RPC_KEEP_BYTES
#if UINTPTR_MAX > 0xffffffffu
#define XOUS_RPC_KEEP_BYTES (32u << 20)
#else
#define XOUS_RPC_KEEP_BYTES (4u << 20)
#endif
#endif
#define RPC_KEEP_SLOTS 8

/* The frame of a reply beyond its packed size, for up to four values out of
 * line: the head's alignment, then per value its alignment and table item. */
#define RPC_REPLY_FRAME                                                                            \
	(8 + sizeof(struct xous_rpc_trailer) + 4 * (OOL_ALIGN + sizeof(struct xous_rpc_ool_item)))

/* A region's channel: the connection it is bound to and the server's handle. */
struct chan_ref {
	xous_cid_t cid;
	uintptr_t handle; /* 0: not (yet) a channel */
	int proven;       /* a call through it was answered */
};

struct kept {
	xous_range_t r; /* len 0: a free slot */
	xous_pid_t pid; /* the process it was mapped for */
	int busy;
	unsigned long used; /* when it was last taken */
	size_t dirty;       /* region[dirty, len) is zero */
	struct chan_ref ch;
};

static struct kept kept[RPC_KEEP_SLOTS];
static size_t kept_bytes;
static unsigned long kept_clock;
static atomic_flag kept_lock = ATOMIC_FLAG_INIT;
static atomic_int chan_off; /* a channel failed on its first use */
static _Atomic uintptr_t chan_stamp;

/* A call's region: kept slot, or -1 when mapped for the call. */
struct region {
	xous_range_t r;
	int slot;
	size_t dirty; /* region[dirty, len) is zero */
	struct chan_ref ch;
	int retire;  /* unmap it when the call is over */
	int stamped; /* sent with a stamp after its frames: a channel, or offered as one */
};

/* Whether a region of len bytes is bound to its connection. */
static int bound(size_t len)
{
	size_t min = xous_rt_channel_min();

	return min != 0 && len >= min;
}

static void lock(void)
{
	while (atomic_flag_test_and_set_explicit(&kept_lock, memory_order_acquire))
		xous_yield();
}

static void unlock(void)
{
	atomic_flag_clear_explicit(&kept_lock, memory_order_release);
}

/* Under the lock: the regions of another process (a forked child's parent)
 * are left to it. */
static void forget_others(xous_pid_t me)
{
	for (int i = 0; i < RPC_KEEP_SLOTS; i++) {
		if (kept[i].r.len && kept[i].pid != me) {
			kept_bytes -= kept[i].r.len;
			memset(&kept[i], 0, sizeof(kept[i]));
		}
	}
}

static size_t size_class(size_t len)
{
	size_t pages = len / XOUS_PAGE_SIZE + (len % XOUS_PAGE_SIZE != 0), step = 1;

	if (pages == 0)
		pages = 1;
	while (step * 32 <= pages)
		step *= 2;
	return (pages + step - 1) / step * step * XOUS_PAGE_SIZE;
}

static xous_err_t region_take(size_t len, xous_cid_t cid, struct region *g)
{
	xous_pid_t me = xous_process_id();
	int only_cid = bound(len);

	g->retire = 0;
	g->stamped = 0;
	g->ch = (struct chan_ref){cid, 0, 0};
	lock();
	forget_others(me);
	for (int i = 0; i < RPC_KEEP_SLOTS; i++) {
		if (kept[i].r.len == len && !kept[i].busy && (!only_cid || kept[i].ch.cid == cid)) {
			kept[i].busy = 1;
			kept[i].used = ++kept_clock;
			g->r = kept[i].r;
			g->slot = i;
			g->dirty = kept[i].dirty;
			if (only_cid)
				g->ch = kept[i].ch;
			unlock();
			return XOUS_OK;
		}
	}
	unlock();
	g->slot = -1;
	g->dirty = 0; /* a new mapping is zero-filled */
	return xous_map_memory(len, XOUS_MEM_R | XOUS_MEM_W, &g->r);
}

/* Under the lock: a free slot with room for len more bytes, made by
 * evicting idle regions (least recently used first) into victims; -1 when
 * the busy ones leave no room. */
static int make_room(size_t len, xous_range_t *victims, int *nv)
{
	size_t busy = 0;
	int nbusy = 0;

	for (int i = 0; i < RPC_KEEP_SLOTS; i++) {
		busy += kept[i].busy ? kept[i].r.len : 0;
		nbusy += kept[i].busy;
	}
	if (busy + len > XOUS_RPC_KEEP_BYTES || nbusy == RPC_KEEP_SLOTS)
		return -1;
	for (;;) {
		int free_slot = -1, lru = -1;
		for (int i = 0; i < RPC_KEEP_SLOTS; i++) {
			if (kept[i].r.len == 0)
				free_slot = i;
			else if (!kept[i].busy && (lru < 0 || kept[i].used < kept[lru].used))
				lru = i;
		}
		if (free_slot >= 0 && kept_bytes + len <= XOUS_RPC_KEEP_BYTES)
			return free_slot;
		victims[(*nv)++] = kept[lru].r;
		kept_bytes -= kept[lru].r.len;
		memset(&kept[lru], 0, sizeof(kept[lru]));
	}
}

static void region_give(const struct region *g)
{
	xous_range_t victims[RPC_KEEP_SLOTS];
	xous_pid_t me = xous_process_id();
	int nv = 0, slot = -1;

	lock();
	if (g->slot >= 0 && g->retire) {
		kept_bytes -= kept[g->slot].r.len;
		memset(&kept[g->slot], 0, sizeof(kept[g->slot]));
	} else if (g->slot >= 0) {
		kept[g->slot].busy = 0;
		kept[g->slot].dirty = g->dirty;
		kept[g->slot].ch = g->ch;
		unlock();
		return;
	}
	forget_others(me);
	if (g->r.len <= XOUS_RPC_KEEP_BYTES && !g->retire)
		slot = make_room(g->r.len, victims, &nv);
	if (slot >= 0) {
		kept[slot] = (struct kept){g->r, me, 0, ++kept_clock, g->dirty, g->ch};
		kept_bytes += g->r.len;
	}
	unlock();
	for (int i = 0; i < nv; i++)
		xous_unmap_memory(victims[i]);
	if (slot < 0)
		xous_unmap_memory(g->r);
}

void xous_rt_rpc_unbind(xous_cid_t cid)
{
	xous_range_t victims[RPC_KEEP_SLOTS];
	int nv = 0;

	lock();
	for (int i = 0; i < RPC_KEEP_SLOTS; i++) {
		if (kept[i].r.len && !kept[i].busy && bound(kept[i].r.len) &&
		    kept[i].ch.cid == cid) {
			victims[nv++] = kept[i].r;
			kept_bytes -= kept[i].r.len;
			memset(&kept[i], 0, sizeof(kept[i]));
		}
	}
	unlock();
	for (int i = 0; i < nv; i++)
		xous_unmap_memory(victims[i]);
}

/* An answer that says the channel is not there (nothing ran). */
#define RPC_LOST ((xous_err_t)-1)

/* Where the reply's frame may be in g: not over a stamp. */
static size_t frame_room(const struct region *g)
{
	return g->stamped ? g->r.len - XOUS_RPC_STAMP_BYTES : g->r.len;
}

/* The call through g's channel: its status in *ret_offset, as a lend's. */
static xous_err_t channel_call(xous_cid_t cid, uint32_t opcode, struct region *g, size_t valid,
                               size_t *ret_offset, size_t *ret_valid)
{
	uintptr_t stamp = atomic_fetch_add(&chan_stamp, 1) + 1;
	xous_scalar_reply_t r;
	xous_err_t err;

	g->stamped = 1;
	memcpy((uint8_t *)g->r.addr + g->r.len - XOUS_RPC_STAMP_BYTES, &stamp, sizeof stamp);
	err = xous_blocking_scalar(cid, XOUS_RPC_CHANNEL_ID | opcode, g->ch.handle, valid, stamp, 0,
	                           &r);
	if (err == XOUS_OK && (r.count != 2 || r.v[0] == XOUS_RPC_CHANNEL_LOST))
		err = RPC_LOST;
	if (err == XOUS_ERR_UNAVAILABLE && !g->ch.proven)
		err = RPC_LOST; /* dropped unanswered: a server that does not route them */
	if (err == RPC_LOST && !g->ch.proven)
		atomic_store(&chan_off, 1);
	if (err != XOUS_OK) {
		g->retire = 1;
		return err;
	}
	g->ch.proven = 1;
	*ret_offset = r.v[0];
	*ret_valid = r.v[1];
	return XOUS_OK;
}

/* The call as a lend of g; a bound region is offered as a channel. */
static xous_err_t lend_call(xous_cid_t cid, uint32_t opcode, struct region *g, size_t valid,
                            size_t *ret_offset, size_t *ret_valid)
{
	int offer = bound(g->r.len) && !atomic_load(&chan_off) && opcode < XOUS_RPC_CHANNEL_ID;
	xous_err_t err = xous_lend_mut(cid, opcode, g->r,
	                               offer ? XOUS_RPC_CHANNEL_OFFSET : XOUS_RPC_FRAMED_OFFSET,
	                               valid, ret_offset, ret_valid);

	g->stamped = offer;
	if (err == XOUS_OK && offer && (*ret_offset & XOUS_RPC_CHANNEL_KEPT)) {
		g->ch.handle = *ret_offset & ~(size_t)XOUS_RPC_CHANNEL_KEPT;
		*ret_offset = 0;
	}
	return err;
}

/* Write the frame, send it (through the channel, or lent), read the reply. */
static xous_err_t rpc_exchange(xous_cid_t cid, uint32_t opcode, const struct ool_frame *f,
                               struct region *g, const ProtobufCMessageDescriptor *reply_desc,
                               ProtobufCMessage **reply)
{
	uint8_t *base = g->r.addr;
	size_t valid = ool_write(f, base, g->dirty > 0), ret_offset = 0, ret_valid = 0, room;
	struct ool_received in;
	xous_err_t err;

	if (g->dirty > valid)
		memset(base + valid, 0, g->dirty - valid);
	err = g->ch.handle ? channel_call(cid, opcode, g, valid, &ret_offset, &ret_valid)
	                   : lend_call(cid, opcode, g, valid, &ret_offset, &ret_valid);
	room = frame_room(g);
	g->dirty = ret_valid > valid && ret_valid <= room ? ret_valid : valid;
	if (err == XOUS_OK && ret_offset != 0)
		err = (xous_err_t)ret_offset; /* the server's status */
	if (err || reply_desc == NULL || reply == NULL)
		return err;
	if (ret_valid > room)
		return XOUS_ERR_SERIALIZATION_ERROR;
	/* valid 0: an empty reply, written by a server that had nothing to say */
	err = ool_receive(reply_desc, base, ret_valid, ret_valid > 0, OOL_COPY, &in);
	if (err == XOUS_OK)
		*reply = in.msg;
	return err;
}

XOUS_EXPORT xous_err_t xous_rpc_call_sized(xous_cid_t cid, uint32_t opcode,
                                           const ProtobufCMessage *req,
                                           const ProtobufCMessageDescriptor *reply_desc,
                                           ProtobufCMessage **reply, size_t reply_max)
{
	struct ool_frame f;
	struct region g;
	size_t need = 0;
	xous_err_t err;

	if (reply)
		*reply = NULL;
	if (req == NULL || reply_max > OOL_FRAME_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	err = ool_plan(&f, req, NULL, 0, XOUS_OOL_CROSSOVER);
	if (err == XOUS_OK) {
		need = reply_max + RPC_REPLY_FRAME > f.total ? reply_max + RPC_REPLY_FRAME
		                                             : f.total;
		if (bound(size_class(need)))
			need += XOUS_RPC_STAMP_BYTES;
		err = region_take(size_class(need), cid, &g);
	}
	if (err == XOUS_OK) {
		err = rpc_exchange(cid, opcode, &f, &g, reply_desc, reply);
		region_give(&g);
	}
	if (err == RPC_LOST) { /* nothing ran: again, lent */
		err = region_take(size_class(need), cid, &g);
		if (err == XOUS_OK) {
			g.ch.handle = 0;
			err = rpc_exchange(cid, opcode, &f, &g, reply_desc, reply);
			region_give(&g);
		}
	}
	ool_frame_free(&f);
	return err == RPC_LOST ? XOUS_ERR_INTERNAL_ERROR : err;
}

XOUS_EXPORT xous_err_t xous_rpc_call(xous_cid_t cid, uint32_t opcode, const ProtobufCMessage *req,
                                     const ProtobufCMessageDescriptor *reply_desc,
                                     ProtobufCMessage **reply)
{
	return xous_rpc_call_sized(cid, opcode, req, reply_desc, reply, 0);
}
