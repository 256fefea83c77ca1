/*
 * mem.c - memory that can be lent: memfd-backed pages and their registry.
 *
 * Every page xous_map_memory hands out lives in a sealed memfd mapped
 * shared, so a lend passes the memfd and the server maps the very same
 * pages (no copy). The registry remembers, for each mapped piece, its memfd
 * and file offset; a partial unmap splits a piece, and the pieces of one
 * mapping share the memfd through a reference count. Lent ranges are kept
 * here too, under the same lock, so an unmap of lent pages is refused.
 *
 * While lent, the caller's pages must be out of its reach, at a cost that
 * does not grow with the buffer:
 * - below HIDE_REMAP_MIN, mprotect(PROT_NONE), whose cost grows per page;
 * - above it, mremap(MREMAP_DONTUNMAP) moves the page tables into a private
 *   reservation (whole page-table pages move) and the emptied range is
 *   protected, which is then cheap; the range never becomes a hole that
 *   another thread's mmap could take;
 * - a buffer of SLOT_MIN or more gets a 1 GiB slot of its own: the memfd is
 *   mapped over the whole aligned slot (the part past the buffer lies beyond
 *   the file's end: a touch there is SIGBUS), so a lend of the whole buffer
 *   moves the slot's one upper-level entry, the same cost at every size,
 *   also where the hypervisor traps every page-table write. A partial unmap
 *   gives the slot's tail back and leaves a plain mapping.
 * The thresholds are measured crossovers (docs/performance.md, "Lends: no
 * copies above 16 KiB, but page tables").
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xous-host-internal.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#define HIDE_REMAP_MIN (256u * 1024)      /* see above */
#define HUGE_ALIGN     (2u * 1024 * 1024) /* page-table page span on x86-64 and arm64 */
#define SLOT           ((size_t)1 << 30)  /* span of one upper-level entry there */
#define SLOT_MIN       (64u * 1024)       /* see above */

struct memref {
	int fd;
	unsigned refs;
};

struct piece {
	uintptr_t addr;
	size_t len;
	int prot;
	struct memref *ref;
	uint64_t foff;
	size_t tail; /* mapped past the end to fill a 1 GiB slot (see above) */
};

struct span {
	uintptr_t addr;
	size_t len;
	size_t mlen;   /* what moves: len, or the whole 1 GiB slot */
	void *reserve; /* where a large lend's page tables wait (NULL: mprotect'ed) */
	size_t reserve_len;
	uintptr_t hidden; /* the pages' address inside reserve */
};

static pthread_mutex_t g_mem_lock = PTHREAD_MUTEX_INITIALIZER;
static struct piece *g_pieces;
static size_t g_npieces, g_cap_pieces;
static struct span *g_lent;
static size_t g_nlent, g_cap_lent;

bool xh_page_aligned(uintptr_t v)
{
	return (v & (XOUS_PAGE_SIZE - 1)) == 0;
}

size_t xh_page_round(size_t len)
{
	if (len > SIZE_MAX - (XOUS_PAGE_SIZE - 1))
		return 0;
	return (len + XOUS_PAGE_SIZE - 1) & ~(size_t)(XOUS_PAGE_SIZE - 1);
}

int xh_memfd_new(size_t len)
{
	int fd = memfd_create("xous", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)len) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, ncap * elem);
	if (p == NULL)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

static void ref_put(struct memref *r)
{
	if (--r->refs == 0) {
		close(r->fd);
		free(r);
	}
}

static bool overlap(uintptr_t a, size_t alen, uintptr_t b, size_t blen)
{
	return a < b + blen && b < a + alen;
}

static xous_err_t region_add(uintptr_t addr, size_t len, size_t tail, int prot, int fd,
                             uint64_t foff)
{
	struct memref *r = malloc(sizeof *r);
	xous_err_t err = XOUS_OK;

	if (r == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	r->fd = fd;
	r->refs = 1;
	pthread_mutex_lock(&g_mem_lock);
	if (grow((void **)&g_pieces, &g_cap_pieces, g_npieces + 1, sizeof *g_pieces))
		g_pieces[g_npieces++] = (struct piece){addr, len, prot, r, foff, tail};
	else
		err = XOUS_ERR_OUT_OF_MEMORY;
	pthread_mutex_unlock(&g_mem_lock);
	if (err != XOUS_OK)
		free(r);
	return err;
}

xous_err_t xh_region_add(uintptr_t addr, size_t len, int prot, int fd, uint64_t foff)
{
	return region_add(addr, len, 0, prot, fd, foff);
}

/* Bytes of [addr, addr+len) that registered pieces hold (they never overlap). */
static size_t covered_locked(uintptr_t addr, size_t len)
{
	size_t sum = 0;

	for (size_t i = 0; i < g_npieces; i++) {
		struct piece *p = &g_pieces[i];
		if (!overlap(addr, len, p->addr, p->len))
			continue;
		uintptr_t lo = p->addr > addr ? p->addr : addr;
		uintptr_t hi = p->addr + p->len < addr + len ? p->addr + p->len : addr + len;
		sum += hi - lo;
	}
	return sum;
}

bool xh_region_covers(uintptr_t addr, size_t len)
{
	pthread_mutex_lock(&g_mem_lock);
	bool all = covered_locked(addr, len) == len;
	pthread_mutex_unlock(&g_mem_lock);
	return all;
}

size_t xh_region_count(void)
{
	pthread_mutex_lock(&g_mem_lock);
	size_t n = g_npieces;
	pthread_mutex_unlock(&g_mem_lock);
	return n;
}

static bool lent_overlaps_locked(uintptr_t addr, size_t len)
{
	for (size_t i = 0; i < g_nlent; i++)
		if (overlap(addr, len, g_lent[i].addr, g_lent[i].len))
			return true;
	return false;
}

/* Cut [addr, addr+len) out of piece i; returns false if out of memory (the
 * right-hand rest of a piece cut in the middle needs a new slot). */
static bool cut_piece_locked(size_t i, uintptr_t addr, size_t len)
{
	struct piece p = g_pieces[i];
	uintptr_t end = addr + len, pend = p.addr + p.len;
	bool left = p.addr < addr, right = end < pend;

	if (left && right) {
		if (!grow((void **)&g_pieces, &g_cap_pieces, g_npieces + 1, sizeof *g_pieces))
			return false;
		p.ref->refs++;
		g_pieces[g_npieces++] =
		        (struct piece){end, pend - end, p.prot, p.ref, p.foff + (end - p.addr), 0};
		g_pieces[i].len = addr - p.addr;
	} else if (left) {
		g_pieces[i].len = addr - p.addr;
	} else if (right) {
		g_pieces[i].addr = end;
		g_pieces[i].len = pend - end;
		g_pieces[i].foff = p.foff + (end - p.addr);
	} else {
		g_pieces[i] = g_pieces[--g_npieces];
		ref_put(p.ref);
	}
	return true;
}

static bool forget_locked(uintptr_t addr, size_t len)
{
	for (size_t i = 0; i < g_npieces;) {
		struct piece *p = &g_pieces[i];
		if (!overlap(addr, len, p->addr, p->len)) {
			i++;
			continue;
		}
		bool whole = addr <= p->addr && p->addr + p->len <= addr + len;
		if (p->tail != 0) { /* the slot's tail goes with any cut */
			munmap((void *)(p->addr + p->len), p->tail);
			p->tail = 0;
		}
		if (!cut_piece_locked(i, addr, len))
			return false;
		if (!whole)
			i++; /* the piece stays (shrunk); a removed one was replaced by the last */
	}
	return true;
}

/* [base, base + span) aligned to align, inside a fresh PROT_NONE
 * reservation r of rlen bytes; MAP_FAILED if there is no room. */
static void *reserve_aligned(size_t span, size_t align, void **r, size_t *rlen)
{
	*rlen = span + 2 * align;
	*r = mmap(NULL, *rlen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (*r == MAP_FAILED)
		return MAP_FAILED;
	return (void *)(((uintptr_t)*r + align - 1) & ~(uintptr_t)(align - 1));
}

/* The memfd over a whole aligned 1 GiB slot, or MAP_FAILED (then the
 * caller maps it plainly: address space may be limited). */
static void *map_slot(int fd, int prot)
{
	void *r;
	size_t rlen;
	char *base = reserve_aligned(SLOT, SLOT, &r, &rlen);

	if (base == MAP_FAILED)
		return MAP_FAILED;
	if (mmap(base, SLOT, prot, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
		munmap(r, rlen);
		return MAP_FAILED;
	}
	/* Give back the reservation around the slot. */
	if (base > (char *)r)
		munmap(r, (size_t)(base - (char *)r));
	munmap(base + SLOT, (size_t)((char *)r + rlen - (base + SLOT)));
	return base;
}

xous_err_t xous_map_memory(size_t len, uint32_t flags, xous_range_t *out)
{
	size_t size = xh_page_round(len);
	int prot = PROT_READ | PROT_WRITE;

	if (out == NULL || len == 0 || (flags & ~(XOUS_MEM_R | XOUS_MEM_W | XOUS_MEM_X)) != 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (size == 0 || size > (size_t)INT64_MAX)
		return XOUS_ERR_OUT_OF_MEMORY;
	if (flags != 0) /* 0 means the usual read-write */
		prot = ((flags & XOUS_MEM_R) ? PROT_READ : 0) |
		       ((flags & XOUS_MEM_W) ? PROT_WRITE : 0) |
		       ((flags & XOUS_MEM_X) ? PROT_EXEC : 0);
	int fd = xh_memfd_new(size);
	if (fd < 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	size_t mapped = size;
	void *p = size >= SLOT_MIN && size <= SLOT ? map_slot(fd, prot) : MAP_FAILED;
	if (p != MAP_FAILED)
		mapped = SLOT;
	else
		p = mmap(NULL, size, prot, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	if (region_add((uintptr_t)p, size, mapped - size, prot, fd, 0) != XOUS_OK) {
		munmap(p, mapped);
		close(fd);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	out->addr = p;
	out->len = size;
	return XOUS_OK;
}

xous_err_t xous_unmap_memory(xous_range_t range)
{
	uintptr_t a = (uintptr_t)range.addr;
	xous_err_t err = XOUS_OK;

	if (!xh_page_aligned(a) || !xh_page_aligned(range.len) || range.len == 0)
		return XOUS_ERR_BAD_ALIGNMENT;
	if (a + range.len < a)
		return XOUS_ERR_BAD_ADDRESS;
	pthread_mutex_lock(&g_mem_lock);
	if (covered_locked(a, range.len) != range.len)
		err = XOUS_ERR_BAD_ADDRESS;
	else if (lent_overlaps_locked(a, range.len))
		err = XOUS_ERR_MEMORY_IN_USE;
	else if (!forget_locked(a, range.len))
		err = XOUS_ERR_OUT_OF_MEMORY;
	else
		munmap(range.addr, range.len);
	pthread_mutex_unlock(&g_mem_lock);
	return err;
}

static struct piece *find_whole_locked(uintptr_t addr, size_t len)
{
	for (size_t i = 0; i < g_npieces; i++) {
		struct piece *p = &g_pieces[i];
		if (p->addr <= addr && addr + len <= p->addr + p->len)
			return p;
	}
	return NULL;
}

/* Take the pages out of the caller's reach; s says how to bring them back. */
static bool hide_pages(struct span *s)
{
	s->reserve = NULL;
	if (s->mlen == SLOT || s->len >= HIDE_REMAP_MIN) {
		/* Same offset within an aligned span, so the kernel can move
		 * whole page-table pages (or a slot's one entry). */
		size_t align = s->mlen == SLOT ? SLOT : HUGE_ALIGN, rlen;
		void *r;
		char *base = reserve_aligned(s->mlen, align, &r, &rlen);
		if (base != MAP_FAILED) {
			uintptr_t dst = (uintptr_t)base + (s->addr & (align - 1));
			void *m = mremap((void *)s->addr, s->mlen, s->mlen,
			                 MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
			                 (void *)dst);
			if (m != MAP_FAILED && mprotect((void *)s->addr, s->mlen, PROT_NONE) == 0) {
				s->reserve = r;
				s->reserve_len = rlen;
				s->hidden = dst;
				return true;
			}
			if (m != MAP_FAILED) /* put the page tables back where they were */
				mremap((void *)dst, s->mlen, s->mlen, MREMAP_MAYMOVE | MREMAP_FIXED,
				       (void *)s->addr);
			munmap(r, rlen);
		}
	}
	return mprotect((void *)s->addr, s->mlen, PROT_NONE) == 0;
}

/* The answer came: the pages are the caller's again, with protection prot. */
static void unhide_pages(const struct span *s, int prot)
{
	if (s->reserve == NULL) {
		mprotect((void *)s->addr, s->mlen, prot);
		return;
	}
	/* The moved mapping kept its protection; it replaces the PROT_NONE one. */
	if (mremap((void *)s->hidden, s->mlen, s->mlen, MREMAP_MAYMOVE | MREMAP_FIXED,
	           (void *)s->addr) == MAP_FAILED)
		mprotect((void *)s->addr, s->mlen, prot); /* pages fault back in from the memfd */
	munmap(s->reserve, s->reserve_len);
}

/* copy: NULL, or where the bytes go before the pages are hidden (a copied
 * lend; the region must be readable, and writable if need_write). */
static xous_err_t lend_locked(uintptr_t addr, size_t len, int *fd, uint64_t *foff, int *prot,
                              void *copy, bool need_write)
{
	struct piece *p = find_whole_locked(addr, len);
	struct span s = {addr, len, len, NULL, 0, 0};

	if (p == NULL)
		return XOUS_ERR_BAD_ADDRESS;
	if (copy != NULL && (!(p->prot & PROT_READ) || (need_write && !(p->prot & PROT_WRITE))))
		return XOUS_ERR_BAD_ADDRESS;
	if (p->tail != 0 && p->addr == addr && p->len == len)
		s.mlen = len + p->tail; /* the whole slot moves */
	if (lent_overlaps_locked(addr, len))
		return XOUS_ERR_SHARE_VIOLATION;
	if (!grow((void **)&g_lent, &g_cap_lent, g_nlent + 1, sizeof *g_lent))
		return XOUS_ERR_OUT_OF_MEMORY;
	if (copy != NULL) {
		memcpy(copy, (const void *)addr, len);
		s.mlen = len; /* a slot stays where it is: only these pages hide */
	}
	if (!hide_pages(&s))
		return XOUS_ERR_INTERNAL_ERROR;
	/* No duplicate needed: while the range is lent its piece cannot be
	 * unmapped, so the memfd stays open until xh_region_unlend. */
	*fd = p->ref->fd;
	*foff = p->foff + (addr - p->addr);
	*prot = p->prot;
	g_lent[g_nlent++] = s;
	return XOUS_OK;
}

/* fork(): the child's copy of the registry is whole (it keeps its memory). */
void xh_mem_fork(enum xh_fork_phase phase)
{
	if (phase == XH_FORK_PREPARE)
		pthread_mutex_lock(&g_mem_lock);
	else
		pthread_mutex_unlock(&g_mem_lock);
}

xous_err_t xh_region_lend(uintptr_t addr, size_t len, int *fd, uint64_t *foff, int *prot)
{
	pthread_mutex_lock(&g_mem_lock);
	xous_err_t err = lend_locked(addr, len, fd, foff, prot, NULL, false);
	pthread_mutex_unlock(&g_mem_lock);
	return err;
}

xous_err_t xh_region_lend_copy(uintptr_t addr, size_t len, bool writable, void *out, int *prot)
{
	int fd;
	uint64_t foff;

	pthread_mutex_lock(&g_mem_lock);
	xous_err_t err = lend_locked(addr, len, &fd, &foff, prot, out, writable);
	pthread_mutex_unlock(&g_mem_lock);
	return err;
}

void xh_region_unlend(uintptr_t addr, size_t len, int prot, bool moved)
{
	struct span s = {addr, len, len, NULL, 0, 0};

	pthread_mutex_lock(&g_mem_lock);
	for (size_t i = 0; i < g_nlent; i++) {
		if (g_lent[i].addr == addr && g_lent[i].len == len) {
			s = g_lent[i];
			g_lent[i] = g_lent[--g_nlent];
			break;
		}
	}
	if (moved && forget_locked(addr, len)) {
		if (s.reserve != NULL)
			munmap(s.reserve, s.reserve_len);
		munmap((void *)addr, len);
	} else {
		unhide_pages(&s, prot);
	}
	pthread_mutex_unlock(&g_mem_lock);
}
