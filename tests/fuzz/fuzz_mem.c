/*
 * fuzz_mem.c - libxous-host's memory registry (libxous-host/mem.c) against a
 * model: buffers mapped with xous_map_memory (small ones plainly, 64 KiB and
 * more in 1 GiB slots), unmapped in any part, lent in any part (the caller's
 * side of a lend: xh_region_lend / xh_region_unlend, Moves included; a small
 * lend may be a copied one, xh_region_lend_copy, whose copy must hold the
 * pages' bytes), written by the caller and, through the lent memfd, by a
 * "server".
 *
 * After every record: each call answered what the model says (OK,
 * BAD_ADDRESS, SHARE_VIOLATION, MEMORY_IN_USE); every page the caller holds
 * has its first byte as last written and is readable and writable; every lent page
 * is neither. After every input, once all is given back and unmapped: no
 * mapping of a xous memfd is left (a slot's tail included) and no memfd is
 * open.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "xous-host-internal.h"

#define PAGE      XOUS_PAGE_SIZE
#define MAX_BUFS  6
#define MAX_LENDS 8
#define MAX_OPS   48

/* Pages per buffer: plain ones, and the sizes that get a slot. */
static const unsigned g_sizes[] = {1, 2, 3, 16, 64, 256};

enum { FREE, HELD, LENT }; /* a page of a buffer: unmapped, the caller's, lent */

struct buf {
	uintptr_t addr;
	unsigned pages;
	uint8_t state[256];
	uint8_t byte[256];
};

struct lend {
	uintptr_t addr;
	size_t len;
	bool copied; /* xh_region_lend_copy: no fd, never moved */
	int fd;
	uint64_t foff;
	int prot;
};

static struct buf g_bufs[MAX_BUFS];
static unsigned g_nbufs;
static struct lend g_lends[MAX_LENDS];
static unsigned g_nlends;

/* The buffer page at addr that is not FREE, or NULL (buffers may reuse the
 * holes of others, so a FREE page says nothing). */
static struct buf *page_owner(uintptr_t addr, unsigned *idx)
{
	*idx = 0;
	for (unsigned i = 0; i < g_nbufs; i++) {
		struct buf *b = &g_bufs[i];
		if (addr < b->addr || addr >= b->addr + (uintptr_t)b->pages * PAGE)
			continue;
		*idx = (unsigned)((addr - b->addr) / PAGE);
		if (b->state[*idx] != FREE)
			return b;
	}
	return NULL;
}

/* What xous_unmap_memory should answer for [addr, addr+len). */
static xous_err_t expect_unmap(uintptr_t addr, size_t len)
{
	bool lent = false;

	for (uintptr_t a = addr; a < addr + len; a += PAGE) {
		unsigned i;
		struct buf *b = page_owner(a, &i);
		if (b == NULL)
			return XOUS_ERR_BAD_ADDRESS;
		lent |= b->state[i] == LENT;
	}
	return lent ? XOUS_ERR_MEMORY_IN_USE : XOUS_OK;
}

/* What xh_region_lend should answer for [addr, addr+len): the range must
 * lie in one piece, that is in pages of one buffer never cut apart (a
 * buffer's pages that are not FREE and touch are one piece; another
 * buffer's pages in its hole are another), and no page of it be lent. */
static xous_err_t expect_lend(uintptr_t addr, size_t len)
{
	struct buf *first = NULL;
	bool lent = false;

	for (uintptr_t a = addr; a < addr + len; a += PAGE) {
		unsigned i;
		struct buf *b = page_owner(a, &i);
		if (b == NULL || (first != NULL && b != first))
			return XOUS_ERR_BAD_ADDRESS;
		first = b;
		lent |= b->state[i] == LENT;
	}
	return lent ? XOUS_ERR_SHARE_VIOLATION : XOUS_OK;
}

/* Can this process read (and write) the page at addr? Asked without
 * touching it: process_vm_readv/writev honour the protection. */
static bool accessible(uintptr_t addr, bool write)
{
	uint8_t v = 0;
	struct iovec local = {&v, 1}, remote = {(void *)addr, 1};

	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
		return false;
	return !write || process_vm_writev(getpid(), &local, 1, &remote, 1, 0) == 1;
}

static void check_pages(void)
{
	for (unsigned k = 0; k < g_nbufs; k++) {
		struct buf *b = &g_bufs[k];
		for (unsigned i = 0; i < b->pages; i++) {
			uintptr_t a = b->addr + (uintptr_t)i * PAGE;
			if (b->state[i] == HELD) {
				FZ_CHECK(accessible(a, true));
				FZ_CHECK(*(volatile uint8_t *)a == b->byte[i]);
			} else if (b->state[i] == LENT) {
				FZ_CHECK(!accessible(a, false));
			}
		}
	}
}

static void op_map(struct fz *f)
{
	unsigned pages = g_sizes[fz_u8(f) % (sizeof g_sizes / sizeof g_sizes[0])];
	xous_range_t r;

	if (g_nbufs == MAX_BUFS)
		return;
	FZ_CHECK(xous_map_memory((size_t)pages * PAGE, 0, &r) == XOUS_OK);
	FZ_CHECK(r.len == (size_t)pages * PAGE);
	struct buf *b = &g_bufs[g_nbufs++];
	b->addr = (uintptr_t)r.addr;
	b->pages = pages;
	memset(b->state, HELD, pages);
	memset(b->byte, 0, pages); /* zero-filled */
}

/* A page range of buffer k from two bytes of input. */
static void pick(struct fz *f, struct buf *b, unsigned *first, unsigned *n)
{
	*first = fz_u8(f) % b->pages;
	*n = 1 + fz_u8(f) % (b->pages - *first);
}

static void op_unmap(struct fz *f, struct buf *b)
{
	unsigned first, n;

	pick(f, b, &first, &n);
	uintptr_t a = b->addr + (uintptr_t)first * PAGE;
	xous_err_t want = expect_unmap(a, (size_t)n * PAGE);
	xous_range_t r = {(void *)a, (size_t)n * PAGE};
	FZ_CHECK(xous_unmap_memory(r) == want);
	for (uintptr_t p = a; want == XOUS_OK && p < a + r.len; p += PAGE) {
		unsigned i;
		struct buf *o = page_owner(p, &i); /* b's, or another's in b's hole */
		o->state[i] = FREE;
	}
}

/* A buffer with no page left is forgotten (its addresses may come back). */
static void forget_empty(void)
{
	for (unsigned k = 0; k < g_nbufs;) {
		if (memchr(g_bufs[k].state, HELD, g_bufs[k].pages) == NULL &&
		    memchr(g_bufs[k].state, LENT, g_bufs[k].pages) == NULL)
			g_bufs[k] = g_bufs[--g_nbufs];
		else
			k++;
	}
}

static void op_lend(struct fz *f, struct buf *b)
{
	unsigned first, n;
	struct lend l;

	pick(f, b, &first, &n);
	l.addr = b->addr + (uintptr_t)first * PAGE;
	l.len = (size_t)n * PAGE;
	xous_err_t want = expect_lend(l.addr, l.len);
	if (want == XOUS_OK && g_nlends == MAX_LENDS)
		return;
	/* a small lend may be a copied one: the bytes come out first */
	static uint8_t copy[XH_INLINE_MAX];
	l.copied = l.len <= sizeof(copy) && (fz_u8(f) & 1);
	l.fd = -1;
	if (l.copied)
		FZ_CHECK(xh_region_lend_copy(l.addr, l.len, fz_u8(f) & 1, copy, &l.prot) == want);
	else
		FZ_CHECK(xh_region_lend(l.addr, l.len, &l.fd, &l.foff, &l.prot) == want);
	if (want != XOUS_OK)
		return;
	for (uintptr_t a = l.addr; a < l.addr + l.len; a += PAGE) {
		unsigned i;
		struct buf *o = page_owner(a, &i);
		o->state[i] = LENT;
		if (l.copied) /* the copy holds each page's bytes as they were */
			FZ_CHECK(copy[a - l.addr] == o->byte[i] &&
			         copy[a - l.addr + PAGE - 1] == 0);
	}
	g_lends[g_nlends++] = l;
}

/* The server writes a lent page through the memfd, as its mapping would. */
static void op_server_write(struct fz *f)
{
	if (g_nlends == 0)
		return;
	struct lend *l = &g_lends[fz_u8(f) % g_nlends];
	if (l->copied)
		return; /* the server's copy is not the caller's memfd */
	size_t page = fz_u8(f) % (l->len / PAGE);
	uint8_t v = fz_u8(f);
	unsigned i;

	FZ_CHECK(pwrite(l->fd, &v, 1, (off_t)(l->foff + page * PAGE)) == 1);
	struct buf *b = page_owner(l->addr + page * PAGE, &i);
	FZ_CHECK(b != NULL && b->state[i] == LENT);
	b->byte[i] = v;
}

static void give_back(unsigned j, bool moved)
{
	struct lend l = g_lends[j];

	g_lends[j] = g_lends[--g_nlends];
	moved = moved && !l.copied;
	xh_region_unlend(l.addr, l.len, l.prot, moved);
	for (uintptr_t a = l.addr; a < l.addr + l.len; a += PAGE) {
		unsigned i;
		struct buf *b = page_owner(a, &i);
		FZ_CHECK(b != NULL && b->state[i] == LENT);
		b->state[i] = moved ? FREE : HELD;
	}
}

static void op_write(struct fz *f, struct buf *b)
{
	unsigned i = fz_u8(f) % b->pages;
	uint8_t v = fz_u8(f);

	if (b->state[i] != HELD)
		return;
	*(volatile uint8_t *)(b->addr + (uintptr_t)i * PAGE) = v;
	b->byte[i] = v;
}

/* How many mappings of a xous memfd this process has, and memfds open. */
static unsigned xous_mappings(void)
{
	char line[512];
	unsigned n = 0;
	FILE *m = fopen("/proc/self/maps", "r");

	FZ_CHECK(m != NULL);
	while (fgets(line, sizeof line, m) != NULL)
		n += strstr(line, "/memfd:xous") != NULL;
	fclose(m);
	return n;
}

static unsigned xous_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	unsigned n = 0;

	FZ_CHECK(d != NULL);
	while ((e = readdir(d)) != NULL) {
		char path[32 + sizeof e->d_name], target[256];
		ssize_t k;
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		k = readlink(path, target, sizeof target - 1);
		if (k > 0) {
			target[k] = '\0';
			n += strstr(target, "memfd:xous") != NULL;
		}
	}
	closedir(d);
	return n;
}

static void clean_up(void)
{
	while (g_nlends > 0)
		give_back(g_nlends - 1, false);
	check_pages();
	for (unsigned k = 0; k < g_nbufs; k++) {
		struct buf *b = &g_bufs[k];
		for (unsigned i = 0; i < b->pages; i++) {
			if (b->state[i] != HELD)
				continue;
			xous_range_t r = {(void *)(b->addr + (uintptr_t)i * PAGE), PAGE};
			FZ_CHECK(xous_unmap_memory(r) == XOUS_OK);
			b->state[i] = FREE;
		}
	}
	g_nbufs = 0;
	FZ_CHECK(xh_region_count() == 0);
	FZ_CHECK(xous_mappings() == 0);
	FZ_CHECK(xous_fds() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = {data, size};

	for (int n = 0; n < MAX_OPS && fz_left(&f) > 0; n++) {
		uint8_t op = fz_u8(&f);
		struct buf *b = g_nbufs ? &g_bufs[fz_u8(&f) % g_nbufs] : NULL;

		switch (op % 7) {
		case 0:
			op_map(&f);
			break;
		case 1:
			if (b)
				op_unmap(&f, b);
			break;
		case 2:
			if (b)
				op_lend(&f, b);
			break;
		case 3:
		case 4:
			if (g_nlends)
				give_back(fz_u8(&f) % g_nlends, op % 7 == 4);
			break;
		case 5:
			op_server_write(&f);
			break;
		default:
			if (b)
				op_write(&f, b);
			break;
		}
		forget_empty();
		check_pages();
	}
	clean_up();
	return 0;
}
