/*
 * The FAT core's file data: read, write and truncate on an open node.
 *
 * Rules:
 * - Runs of contiguous clusters move in one device call; only a partial
 *   sector at either end of a run goes through the bounce buffer.
 * - A write first takes every cluster it needs (all or nothing) and
 *   writes the FAT, then zeroes the gap between the old end and its
 *   offset, then writes the data, then stores size and time in the
 *   directory entry.
 * - The node remembers the last cluster it reached, so sequential access
 *   does not walk the chain from its start.
 */
#include <string.h>

#include "fat.h"

enum io_mode { IO_READ, IO_WRITE, IO_ZERO };

/* Cluster idx of n's chain is clu: the extents grow when it extends them. */
static void ext_note(struct fat_node *n, uint32_t idx, uint32_t clu)
{
	struct fat_extent *last = n->n_ext ? &n->ext[n->n_ext - 1] : NULL;

	if (idx != n->known)
		return;
	if (last && clu == last->clu + last->len)
		last->len++;
	else if (n->n_ext < FAT_EXTENTS)
		n->ext[n->n_ext++] = (struct fat_extent){idx, clu, 1};
	else
		return;
	n->known++;
}

/* Forget what n knows of its chain (it was cut). */
static void ext_forget(struct fat_node *n)
{
	n->known = 0;
	n->n_ext = 0;
	n->hint_clu = 0;
}

/* Where a walk to cluster k starts: the end of the extents, or the hint
 * when it is further and not past k. */
static void walk_from(const struct fat_node *n, uint32_t k, uint32_t *idx, uint32_t *cur)
{
	const struct fat_extent *last = n->n_ext ? &n->ext[n->n_ext - 1] : NULL;

	*idx = last ? last->idx + last->len - 1 : 0;
	*cur = last ? last->clu + last->len - 1 : n->first;
	if (n->hint_clu && n->hint_idx <= k && n->hint_idx > *idx) {
		*idx = n->hint_idx;
		*cur = n->hint_clu;
	}
}

/* The k-th cluster of n's chain, and how many clusters from it on are
 * known to follow it contiguously (*run >= 1). */
static xous_err_t chain_at(struct fat_vol *v, struct fat_node *n, uint32_t k, uint32_t *c,
                           uint32_t *run)
{
	uint32_t idx, cur;
	xous_err_t err;

	for (uint32_t i = 0; i < n->n_ext; i++)
		if (k - n->ext[i].idx < n->ext[i].len) {
			*c = n->ext[i].clu + (k - n->ext[i].idx);
			*run = n->ext[i].len - (k - n->ext[i].idx);
			return XOUS_OK;
		}
	if (k >= v->clusters || !fat_cluster_ok(v, n->first))
		return XOUS_ERR_STORAGE_ERROR;
	walk_from(n, k, &idx, &cur);
	ext_note(n, idx, cur);
	while (idx < k) {
		if ((err = fat_next(v, cur, &cur)))
			return err;
		if (cur == 0)
			return XOUS_ERR_STORAGE_ERROR; /* the chain is shorter than the size says */
		ext_note(n, ++idx, cur);
	}
	n->hint_idx = k;
	n->hint_clu = cur;
	*c = cur;
	*run = 1;
	return XOUS_OK;
}

/* Move m bytes at device byte `at` (one run of sectors). */
static xous_err_t xfer(struct fat_vol *v, uint64_t at, size_t m, uint8_t *buf, enum io_mode mode)
{
	uint32_t sec = (uint32_t)(at / FAT_SECTOR), o = (uint32_t)(at % FAT_SECTOR);
	xous_err_t err = XOUS_OK;

	while (m && err == XOUS_OK) {
		size_t k, whole = o ? 0 : m / FAT_SECTOR;

		if (whole) {
			if (mode == IO_READ)
				err = v->dev.read(v->dev.ctx, sec, whole, buf);
			else if (mode == IO_WRITE)
				err = v->dev.write(v->dev.ctx, sec, whole, buf);
			else
				err = fat_zero_sectors(v, sec, (uint32_t)whole);
			k = whole * FAT_SECTOR;
			sec += (uint32_t)whole;
		} else {
			k = FAT_SECTOR - o < m ? FAT_SECTOR - o : m;
			err = v->dev.read(v->dev.ctx, sec, 1, v->scratch);
			if (err == XOUS_OK && mode == IO_READ)
				memcpy(buf, v->scratch + o, k);
			if (err == XOUS_OK && mode != IO_READ) {
				if (mode == IO_WRITE)
					memcpy(v->scratch + o, buf, k);
				else
					memset(v->scratch + o, 0, k);
				err = v->dev.write(v->dev.ctx, sec, 1, v->scratch);
			}
			sec++;
			o = 0;
		}
		m -= k;
		if (buf)
			buf += k;
	}
	return err ? XOUS_ERR_STORAGE_ERROR : XOUS_OK;
}

/* Bytes [off, off + len) of n's clusters, which exist. */
static xous_err_t file_io(struct fat_vol *v, struct fat_node *n, uint64_t off, size_t len,
                          uint8_t *buf, enum io_mode mode)
{
	uint32_t cb = v->cluster_bytes;
	xous_err_t err;

	while (len) {
		uint32_t k = (uint32_t)(off / cb), in = (uint32_t)(off % cb), c, run, next;
		size_t span, m;

		if ((err = chain_at(v, n, k, &c, &run)))
			return err;
		span = (size_t)run * cb - in;
		while (span < len) { /* the run may go on past what is known */
			if ((err = fat_next(v, c + run - 1, &next)))
				return err;
			if (next != c + run)
				break;
			ext_note(n, k + run, next);
			n->hint_idx = k + run;
			n->hint_clu = next;
			run++;
			span += cb;
		}
		m = span < len ? span : len;
		if ((err = xfer(v, (uint64_t)fat_cluster_sector(v, c) * FAT_SECTOR + in, m, buf,
		                mode)))
			return err;
		off += m;
		len -= m;
		if (buf)
			buf += m;
	}
	return XOUS_OK;
}

/* n's chain holds at least need clusters (all or nothing). */
static xous_err_t ensure(struct fat_vol *v, struct fat_node *n, uint32_t need)
{
	uint32_t have = 0, last = 0, first;
	xous_err_t err;

	if (n->first) {
		uint32_t idx;
		if (!fat_cluster_ok(v, n->first))
			return XOUS_ERR_STORAGE_ERROR;
		walk_from(n, UINT32_MAX, &idx, &last);
		ext_note(n, idx, last);
		for (;;) {
			uint32_t next;
			if (idx >= v->clusters)
				return XOUS_ERR_STORAGE_ERROR; /* a loop */
			if ((err = fat_next(v, last, &next)))
				return err;
			if (next == 0)
				break;
			last = next;
			ext_note(n, ++idx, last);
		}
		have = idx + 1;
		n->hint_idx = idx;
		n->hint_clu = last;
	}
	if (need <= have)
		return XOUS_OK;
	if ((err = fat_alloc(v, need - have, last, &first)))
		return err;
	if (n->first == 0)
		n->first = first;
	return fat_commit(v); /* the clusters are taken before data goes into them */
}

static uint32_t clusters_for(const struct fat_vol *v, uint64_t size)
{
	return (uint32_t)((size + v->cluster_bytes - 1) / v->cluster_bytes);
}

/* The file grows to end: clusters, then zeros from the old end. */
static xous_err_t grow_to(struct fat_vol *v, struct fat_node *n, uint64_t end)
{
	xous_err_t err = ensure(v, n, clusters_for(v, end));

	if (err == XOUS_OK && end > n->size)
		err = file_io(v, n, n->size, (size_t)(end - n->size), NULL, IO_ZERO);
	return err;
}

/* The entry takes the new size and time (unless the call failed), then
 * everything goes to the device. */
static xous_err_t finish(struct fat_vol *v, struct fat_node *n, xous_err_t err)
{
	xous_err_t c;

	if (err == XOUS_OK)
		err = fat_node_store(v, n, true);
	c = fat_commit(v);
	return err ? err : c;
}

xous_err_t fat_read(struct fat_vol *v, struct fat_node *n, uint64_t off, size_t len, void *buf,
                    size_t *got)
{
	size_t m;
	xous_err_t err;

	*got = 0;
	if (off >= n->size || len == 0)
		return XOUS_OK;
	m = n->size - off < len ? (size_t)(n->size - off) : len;
	err = file_io(v, n, off, m, buf, IO_READ);
	if (err == XOUS_OK)
		*got = m;
	fat_commit(v);
	return err;
}

xous_err_t fat_write(struct fat_vol *v, struct fat_node *n, uint64_t off, const void *data,
                     size_t len)
{
	uint64_t end = off + len;
	xous_err_t err;

	if (n->attr & FAT_ATTR_RO)
		return XOUS_ERR_ACCESS_DENIED;
	if (off > FAT_FILE_MAX || len > FAT_FILE_MAX || end > FAT_FILE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (len == 0)
		return XOUS_OK;
	if ((err = ensure(v, n, clusters_for(v, end))))
		return finish(v, n, err);
	if (off > n->size && (err = grow_to(v, n, off)))
		return finish(v, n, err);
	if ((err = file_io(v, n, off, len, (uint8_t *)(uintptr_t)data, IO_WRITE)))
		return finish(v, n, err);
	if (end > n->size)
		n->size = (uint32_t)end;
	return finish(v, n, XOUS_OK);
}

xous_err_t fat_truncate(struct fat_vol *v, struct fat_node *n, uint64_t size)
{
	uint32_t keep = clusters_for(v, size), c, run, next;
	xous_err_t err = XOUS_OK;

	if (n->attr & FAT_ATTR_RO)
		return XOUS_ERR_ACCESS_DENIED;
	if (size > FAT_FILE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (size > n->size) {
		err = grow_to(v, n, size);
	} else if (keep == 0 && n->first) {
		err = fat_free_chain(v, n->first);
		n->first = 0;
	} else if (keep) {
		if ((err = chain_at(v, n, keep - 1, &c, &run)) == XOUS_OK &&
		    (err = fat_next(v, c, &next)) == XOUS_OK && next &&
		    (err = fat_set_end(v, c)) == XOUS_OK)
			err = fat_free_chain(v, next);
	}
	ext_forget(n);
	if (err == XOUS_OK)
		n->size = (uint32_t)size;
	return finish(v, n, err);
}
