/*
 * The FAT core's directories: entries and their long names, paths, open
 * nodes, and the calls on names (open, stat, mkdir, list, remove, rename).
 *
 * Rules:
 * - A long name counts only when its pieces are in sequence, complete, and
 *   carry the checksum of the short entry that follows them; else the
 *   short name is the entry's name.
 * - A directory grows by whole zeroed clusters; the fixed root of FAT12/16
 *   does not grow (XOUS_ERR_NO_SPACE when full).
 * - One node per open file, shared by its handles: a rename moves it with
 *   the entry, a remove of an open file is refused.
 */
#include <string.h>

#include "fat.h"

#define ENT       32u
#define LFN_CHARS 13u
#define TAIL_MAX  4096u /* ~N tails looked for in a directory */

static const uint8_t lfn_off[LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

/* A directory being walked: the cluster that holds entry clu_idx * per. */
struct dcur {
	uint32_t dir, clu, clu_idx;
};

/* An entry as found: its slots [first, index], the short entry, its name. */
struct dent {
	uint32_t first, index;
	uint8_t e[ENT];
	uint16_t name[FAT_NAME_UNITS + 1];
	size_t nlen;
	uint16_t sname[13];
	size_t snlen;
};

/* A path resolved: the directory of its last component, that name, and
 * the entry if found (n == 0: the root itself). */
struct where {
	uint32_t dir;
	uint16_t name[FAT_NAME_UNITS];
	size_t n;
	bool found;
	struct dent d;
};

static uint32_t root_dir(const struct fat_vol *v)
{
	return v->type == 32 ? v->root_cluster : 0;
}

static uint32_t ent_cluster(const struct fat_vol *v, const uint8_t *e)
{
	return (v->type == 32 ? (uint32_t)fat_get16(e + 20) << 16 : 0) | fat_get16(e + 26);
}

static void ent_set_cluster(uint8_t *e, uint32_t c)
{
	fat_put16(e + 20, c >> 16);
	fat_put16(e + 26, c);
}

static bool ent_is_dir(const uint8_t *e)
{
	return e[11] & FAT_ATTR_DIR;
}

/* The directory an entry's cluster names (0 in an entry is the root). */
static uint32_t dir_of(const struct fat_vol *v, uint32_t c)
{
	return c ? c : root_dir(v);
}

/* ---- slots ---- */

/* The sector holding slot index of c->dir; *end past its last cluster. */
static xous_err_t slot_sector(struct fat_vol *v, struct dcur *c, uint32_t index, uint32_t *sec,
                              bool *end)
{
	uint32_t per = v->cluster_bytes / ENT, ci = index / per;
	xous_err_t err;

	*end = false;
	if (c->dir == 0) {
		*end = index >= v->root_entries;
		*sec = v->root_start + index / (FAT_SECTOR / ENT);
		return XOUS_OK;
	}
	if (index >= FAT_DIR_ENTRIES) {
		*end = true;
		return XOUS_OK;
	}
	if (c->clu == 0 || ci < c->clu_idx) {
		c->clu = c->dir;
		c->clu_idx = 0;
	}
	while (c->clu_idx < ci) {
		uint32_t next;
		if ((err = fat_next(v, c->clu, &next)))
			return err;
		if (next == 0) {
			*end = true;
			return XOUS_OK;
		}
		c->clu = next;
		c->clu_idx++;
	}
	if (!fat_cluster_ok(v, c->clu))
		return XOUS_ERR_STORAGE_ERROR;
	*sec = fat_cluster_sector(v, c->clu) + (index % per) / (FAT_SECTOR / ENT);
	return XOUS_OK;
}

/* Slot index: *e points at its 32 bytes until the next cache call; NULL
 * past the end of the directory. */
static xous_err_t slot_get(struct fat_vol *v, struct dcur *c, uint32_t index, uint8_t **e,
                           uint32_t *sec)
{
	uint8_t *s;
	bool end;
	xous_err_t err = slot_sector(v, c, index, sec, &end);

	*e = NULL;
	if (err || end)
		return err;
	if ((err = fat_sector(v, *sec, &s)))
		return err;
	*e = s + (index % (FAT_SECTOR / ENT)) * ENT;
	return XOUS_OK;
}

static xous_err_t slot_put(struct fat_vol *v, struct dcur *c, uint32_t index, const uint8_t *in)
{
	uint8_t *e;
	uint32_t sec;
	xous_err_t err = slot_get(v, c, index, &e, &sec);

	if (err == XOUS_OK && e == NULL)
		err = XOUS_ERR_STORAGE_ERROR;
	if (err)
		return err;
	memcpy(e, in, ENT);
	fat_sector_dirty(v, sec);
	return XOUS_OK;
}

/* ---- entries ---- */

/* The next entry at or after *pos (not the volume label): XOUS_ERR_NOT_FOUND
 * at the end. *pos moves past it. */
static xous_err_t dir_next(struct fat_vol *v, struct dcur *c, uint32_t *pos, struct dent *d)
{
	int32_t want = -1; /* the next long-name piece expected; -1: none */
	uint32_t first = 0;
	uint8_t sum = 0;
	xous_err_t err;

	for (;; (*pos)++) {
		uint8_t *e;
		uint32_t sec;

		if ((err = slot_get(v, c, *pos, &e, &sec)))
			return err;
		if (e == NULL || e[0] == 0)
			return XOUS_ERR_NOT_FOUND;
		if (e[0] == 0xe5) {
			want = -1;
			continue;
		}
		if ((e[11] & 0x3f) == FAT_ATTR_LFN) {
			uint32_t ord = e[0] & 0x1f;
			if (e[0] & 0x40) {
				if (ord == 0 || ord > 20) {
					want = -1;
					continue;
				}
				d->nlen = ord * LFN_CHARS;
				first = *pos;
				sum = e[13];
			} else if ((int32_t)ord != want || ord == 0 || e[13] != sum) {
				want = -1;
				continue;
			}
			for (uint32_t i = 0; i < LFN_CHARS; i++) {
				uint16_t ch = fat_get16(e + lfn_off[i]);
				uint32_t at = (ord - 1) * LFN_CHARS + i;
				if (at < FAT_NAME_UNITS + 1)
					d->name[at] = ch;
				if (ch == 0 && at < d->nlen)
					d->nlen = at;
			}
			want = (int32_t)ord - 1;
			continue;
		}
		if (e[11] & FAT_ATTR_VOLUME) {
			want = -1;
			continue;
		}
		memcpy(d->e, e, ENT);
		d->index = *pos;
		d->snlen = fat_name_of_short(e, e[12], d->sname);
		if (want == 0 && sum == fat_name_checksum(e) && d->nlen > 0 &&
		    d->nlen <= FAT_NAME_UNITS) {
			d->first = first;
		} else {
			d->first = *pos;
			memcpy(d->name, d->sname, d->snlen * sizeof(uint16_t));
			d->nlen = d->snlen;
		}
		(*pos)++;
		return XOUS_OK;
	}
}

static bool is_dot(const struct dent *d)
{
	return d->e[0] == '.' && (d->e[1] == ' ' || (d->e[1] == '.' && d->e[2] == ' '));
}

static xous_err_t dir_find(struct fat_vol *v, uint32_t dir, const uint16_t *u, size_t n,
                           struct dent *d)
{
	struct dcur c = {dir, 0, 0};
	uint32_t pos = 0;
	xous_err_t err;

	while ((err = dir_next(v, &c, &pos, d)) == XOUS_OK)
		if (!is_dot(d) &&
		    (fat_name_eq(d->name, d->nlen, u, n) || fat_name_eq(d->sname, d->snlen, u, n)))
			return XOUS_OK;
	return err;
}

/* Resolve path; a directory on the way whose cluster is avoid (not 0):
 * InvalidArgument (a directory moved into itself). */
static xous_err_t resolve(struct fat_vol *v, const char *path, uint32_t avoid, struct where *w)
{
	const char *p = path;
	xous_err_t err;

	if (path == NULL || path[0] != '/' || strlen(path) > FAT_PATH_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	for (const char *q = path; *q;) { /* every name is checked before any is looked for */
		size_t len = strcspn(q, "/");
		if (len && (err = fat_name_from_utf8(q, len, w->name, &w->n)))
			return err;
		q += len;
		q += *q == '/';
	}
	w->dir = root_dir(v);
	w->n = 0;
	w->found = false;
	for (;;) {
		size_t len;

		while (*p == '/')
			p++;
		if (*p == '\0')
			return XOUS_OK;
		if (w->n) { /* the previous component is a directory on the way */
			if (!w->found || !ent_is_dir(w->d.e))
				return XOUS_ERR_NOT_FOUND;
			w->dir = dir_of(v, ent_cluster(v, w->d.e));
			if (avoid && w->dir == avoid)
				return XOUS_ERR_INVALID_ARGUMENT;
		}
		len = strcspn(p, "/");
		if ((err = fat_name_from_utf8(p, len, w->name, &w->n)))
			return err;
		p += len;
		err = dir_find(v, w->dir, w->name, w->n, &w->d);
		if (err && err != XOUS_ERR_NOT_FOUND)
			return err;
		w->found = err == XOUS_OK;
	}
}

/* ---- adding and deleting entries ---- */

/* What one pass over a directory finds for a new entry of `need` slots. */
struct plan {
	uint32_t start, run, end; /* a free run [start, start + run); end: the slots there are */
	bool collide;             /* the exact short name is taken */
	uint8_t tails[TAIL_MAX / 8];
};

static xous_err_t plan_slots(struct fat_vol *v, uint32_t dir, uint32_t need, const uint8_t sfn[11],
                             bool tailed, struct plan *pl)
{
	struct dcur c = {dir, 0, 0};
	bool ended = false;
	xous_err_t err;

	memset(pl, 0, sizeof(*pl));
	for (uint32_t i = 0;; i++) {
		uint8_t *e;
		uint32_t sec;

		if ((err = slot_get(v, &c, i, &e, &sec)))
			return err;
		if (e == NULL) {
			pl->end = i;
			return XOUS_OK;
		}
		if (ended || e[0] == 0 || e[0] == 0xe5) {
			ended = ended || e[0] == 0;
			if (pl->run < need && pl->run++ == 0)
				pl->start = i;
			continue;
		}
		if (pl->run < need)
			pl->run = 0;
		if ((e[11] & 0x3f) == FAT_ATTR_LFN || (e[11] & FAT_ATTR_VOLUME))
			continue;
		if (memcmp(e, sfn, 11) == 0)
			pl->collide = true;
		if (tailed) {
			uint32_t t = fat_name_tail_of(sfn, e);
			if (t && t < TAIL_MAX)
				pl->tails[t / 8] |= (uint8_t)(1u << (t % 8));
		}
	}
}

/* Room for need slots at the end of a directory that has pl->end slots. */
static xous_err_t grow(struct fat_vol *v, uint32_t dir, uint32_t need, struct plan *pl)
{
	uint32_t per = v->cluster_bytes / ENT, add, last = dir, next, first;
	xous_err_t err;

	if (pl->run == 0 || pl->start + pl->run != pl->end) {
		pl->start = pl->end;
		pl->run = 0;
	}
	add = (need - pl->run + per - 1) / per;
	if (dir == 0 || pl->end + add * per > FAT_DIR_ENTRIES)
		return XOUS_ERR_NO_SPACE;
	for (uint32_t steps = 0;; steps++) {
		if (steps > v->clusters)
			return XOUS_ERR_STORAGE_ERROR;
		if ((err = fat_next(v, last, &next)))
			return err;
		if (next == 0)
			break;
		last = next;
	}
	if ((err = fat_alloc(v, add, last, &first)))
		return err;
	for (uint32_t i = 0, x = first; i < add; i++) {
		if ((err = fat_zero_clusters(v, x, 1)))
			return err;
		if (i + 1 < add && (err = fat_next(v, x, &x)))
			return err;
	}
	pl->run = need;
	return XOUS_OK;
}

/* Write the long name's slots and the short entry e from slot start on. */
static xous_err_t write_slots(struct fat_vol *v, uint32_t dir, uint32_t start, const uint16_t *u,
                              size_t n, uint32_t nlfn, const uint8_t *e)
{
	struct dcur c = {dir, 0, 0};
	uint8_t sum = fat_name_checksum(e), s[ENT];
	xous_err_t err;

	for (uint32_t k = nlfn; k >= 1; k--) {
		memset(s, 0, sizeof(s));
		s[0] = (uint8_t)(k | (k == nlfn ? 0x40 : 0));
		s[11] = FAT_ATTR_LFN;
		s[13] = sum;
		for (uint32_t i = 0; i < LFN_CHARS; i++) {
			size_t at = (k - 1) * LFN_CHARS + i;
			fat_put16(s + lfn_off[i], at < n ? u[at] : at == n ? 0 : 0xffff);
		}
		if ((err = slot_put(v, &c, start + (nlfn - k), s)))
			return err;
	}
	return slot_put(v, &c, start + nlfn, e);
}

/* Add name u to dir as entry tmpl (its name bytes are made here). */
static xous_err_t dir_add(struct fat_vol *v, uint32_t dir, const uint16_t *u, size_t n,
                          uint8_t tmpl[ENT], struct fat_loc *loc)
{
	struct plan pl;
	uint8_t sfn[11], ntres = 0;
	bool exact = fat_name_short_exact(u, n, sfn, &ntres);
	uint32_t nlfn = exact ? 0 : (uint32_t)((n + LFN_CHARS - 1) / LFN_CHARS), t = 1;
	xous_err_t err;

	if (!exact)
		fat_name_basis(u, n, sfn);
	if ((err = plan_slots(v, dir, nlfn + 1, sfn, !exact, &pl)))
		return err;
	if (exact && pl.collide) { /* taken by another's short name: a long name after all */
		nlfn = (uint32_t)((n + LFN_CHARS - 1) / LFN_CHARS);
		ntres = 0;
		fat_name_basis(u, n, sfn);
		if ((err = plan_slots(v, dir, nlfn + 1, sfn, true, &pl)))
			return err;
		exact = false;
	}
	if (!exact) {
		uint8_t basis[11];
		memcpy(basis, sfn, 11);
		while (t < TAIL_MAX && (pl.tails[t / 8] & (1u << (t % 8))))
			t++;
		if (t == TAIL_MAX)
			return XOUS_ERR_NO_SPACE;
		fat_name_tail(basis, t, sfn);
	}
	if (pl.run < nlfn + 1 && (err = grow(v, dir, nlfn + 1, &pl)))
		return err;
	memcpy(tmpl, sfn, 11);
	tmpl[12] = ntres;
	loc->dir = dir;
	loc->index = pl.start + nlfn;
	return write_slots(v, dir, pl.start, u, n, nlfn, tmpl);
}

static xous_err_t dir_delete(struct fat_vol *v, uint32_t dir, const struct dent *d)
{
	struct dcur c = {dir, 0, 0};
	xous_err_t err = XOUS_OK;

	for (uint32_t i = d->first; i <= d->index && err == XOUS_OK; i++) {
		uint8_t *e;
		uint32_t sec;
		if ((err = slot_get(v, &c, i, &e, &sec)) == XOUS_OK && e) {
			e[0] = 0xe5;
			fat_sector_dirty(v, sec);
		}
	}
	return err;
}

static void ent_stamp(struct fat_vol *v, uint8_t *e, bool created)
{
	uint16_t time, date;

	fat_now(v, &time, &date);
	if (created) {
		e[13] = 0;
		fat_put16(e + 14, time);
		fat_put16(e + 16, date);
	}
	fat_put16(e + 18, date);
	fat_put16(e + 22, time);
	fat_put16(e + 24, date);
}

/* ---- nodes ---- */

static struct fat_node *node_find(struct fat_vol *v, struct fat_loc loc)
{
	for (size_t i = 0; i < FAT_MAX_NODES; i++)
		if (v->nodes[i].refs && v->nodes[i].loc.dir == loc.dir &&
		    v->nodes[i].loc.index == loc.index)
			return &v->nodes[i];
	return NULL;
}

static xous_err_t node_get(struct fat_vol *v, struct fat_loc loc, const uint8_t *e,
                           struct fat_node **out)
{
	struct fat_node *n = node_find(v, loc);

	for (size_t i = 0; n == NULL && i < FAT_MAX_NODES; i++)
		if (v->nodes[i].refs == 0) {
			n = &v->nodes[i];
			memset(n, 0, sizeof(*n));
			n->loc = loc;
			n->first = ent_cluster(v, e);
			n->size = fat_get32(e + 28);
			n->attr = e[11];
		}
	if (n == NULL)
		return XOUS_ERR_OUT_OF_MEMORY;
	n->refs++;
	*out = n;
	return XOUS_OK;
}

static bool nodes_full(const struct fat_vol *v)
{
	for (size_t i = 0; i < FAT_MAX_NODES; i++)
		if (v->nodes[i].refs == 0)
			return false;
	return true;
}

void fat_close(struct fat_vol *v, struct fat_node *n)
{
	(void)v;
	if (n && n->refs)
		n->refs--;
}

xous_err_t fat_node_store(struct fat_vol *v, struct fat_node *n, bool modified)
{
	struct dcur c = {n->loc.dir, 0, 0};
	uint8_t *e;
	uint32_t sec;
	xous_err_t err = slot_get(v, &c, n->loc.index, &e, &sec);

	if (err == XOUS_OK && e == NULL)
		err = XOUS_ERR_STORAGE_ERROR;
	if (err)
		return err;
	ent_set_cluster(e, n->first);
	fat_put32(e + 28, n->size);
	if (modified) {
		ent_stamp(v, e, false);
		e[11] |= 0x20; /* archive */
	}
	fat_sector_dirty(v, sec);
	return XOUS_OK;
}

/* ---- the calls ---- */

static xous_err_t done(struct fat_vol *v, xous_err_t err)
{
	xous_err_t c = fat_commit(v);

	return err ? err : c;
}

xous_err_t fat_open(struct fat_vol *v, const char *path, bool create, bool excl,
                    struct fat_node **n)
{
	struct where w;
	uint8_t e[ENT];
	struct fat_loc loc;
	xous_err_t err = resolve(v, path, 0, &w);

	if (err)
		return done(v, err);
	if (w.n == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (w.found) {
		if (create && excl)
			return XOUS_ERR_ALREADY_EXISTS;
		if (ent_is_dir(w.d.e))
			return XOUS_ERR_INVALID_ARGUMENT;
		loc.dir = w.dir;
		loc.index = w.d.index;
		return node_get(v, loc, w.d.e, n);
	}
	if (!create)
		return XOUS_ERR_NOT_FOUND;
	if (nodes_full(v))
		return XOUS_ERR_OUT_OF_MEMORY;
	memset(e, 0, sizeof(e));
	e[11] = 0x20;
	ent_stamp(v, e, true);
	err = dir_add(v, w.dir, w.name, w.n, e, &loc);
	if (err == XOUS_OK)
		err = node_get(v, loc, e, n);
	return done(v, err);
}

static void stat_fill(struct fat_vol *v, const struct where *w, struct fat_stat *st)
{
	struct fat_loc loc = {w->dir, w->d.index};
	const struct fat_node *n = node_find(v, loc);

	fat_name_to_utf8(w->d.name, w->d.nlen, st->name, sizeof(st->name));
	st->is_dir = ent_is_dir(w->d.e);
	st->size = st->is_dir ? 0 : n ? n->size : fat_get32(w->d.e + 28);
}

xous_err_t fat_stat(struct fat_vol *v, const char *path, struct fat_stat *st)
{
	struct where w;
	xous_err_t err = resolve(v, path, 0, &w);

	memset(st, 0, sizeof(*st));
	if (err)
		return done(v, err);
	if (w.n == 0) {
		st->is_dir = true;
		return XOUS_OK;
	}
	if (!w.found)
		return XOUS_ERR_NOT_FOUND;
	stat_fill(v, &w, st);
	return XOUS_OK;
}

xous_err_t fat_mkdir(struct fat_vol *v, const char *path)
{
	struct where w;
	uint8_t e[ENT], dot[ENT];
	uint32_t c;
	struct fat_loc loc;
	struct dcur dc;
	xous_err_t err = resolve(v, path, 0, &w);

	if (err)
		return done(v, err);
	if (w.n == 0 || w.found)
		return XOUS_ERR_ALREADY_EXISTS;
	if ((err = fat_alloc(v, 1, 0, &c)) || (err = fat_zero_clusters(v, c, 1)))
		return done(v, err);
	memset(e, 0, sizeof(e));
	e[11] = FAT_ATTR_DIR;
	ent_stamp(v, e, true);
	ent_set_cluster(e, c);
	dc = (struct dcur){c, 0, 0};
	memcpy(dot, e, ENT);
	memset(dot, ' ', 11);
	dot[0] = '.';
	err = slot_put(v, &dc, 0, dot);
	dot[1] = '.';
	ent_set_cluster(dot, w.dir == root_dir(v) ? 0 : w.dir);
	if (err == XOUS_OK)
		err = slot_put(v, &dc, 1, dot);
	if (err == XOUS_OK)
		err = dir_add(v, w.dir, w.name, w.n, e, &loc);
	if (err)
		fat_free_chain(v, c);
	return done(v, err);
}

xous_err_t fat_list(struct fat_vol *v, const char *path, uint32_t index, struct fat_stat *out,
                    size_t max, size_t *count)
{
	struct where w;
	struct dcur c;
	uint32_t pos = 0, seen = 0;
	xous_err_t err = resolve(v, path, 0, &w);

	*count = 0;
	if (err)
		return done(v, err);
	if (w.n && !w.found)
		return XOUS_ERR_NOT_FOUND;
	if (w.n && !ent_is_dir(w.d.e))
		return XOUS_ERR_INVALID_ARGUMENT;
	c = (struct dcur){w.n ? dir_of(v, ent_cluster(v, w.d.e)) : w.dir, 0, 0};
	w.dir = c.dir;
	while (*count < max && (err = dir_next(v, &c, &pos, &w.d)) == XOUS_OK) {
		if (is_dot(&w.d) || seen++ < index)
			continue;
		stat_fill(v, &w, &out[(*count)++]);
	}
	return err == XOUS_ERR_NOT_FOUND ? XOUS_OK : err;
}

static xous_err_t dir_empty(struct fat_vol *v, uint32_t dir)
{
	struct dent d;
	struct dcur c = {dir, 0, 0};
	uint32_t pos = 0;
	xous_err_t err;

	while ((err = dir_next(v, &c, &pos, &d)) == XOUS_OK)
		if (!is_dot(&d))
			return XOUS_ERR_INVALID_ARGUMENT;
	return err == XOUS_ERR_NOT_FOUND ? XOUS_OK : err;
}

xous_err_t fat_remove(struct fat_vol *v, const char *path)
{
	struct where w;
	xous_err_t err = resolve(v, path, 0, &w);
	uint32_t c;

	if (err)
		return done(v, err);
	if (w.n == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (!w.found)
		return XOUS_ERR_NOT_FOUND;
	c = ent_cluster(v, w.d.e);
	if (ent_is_dir(w.d.e))
		err = c ? dir_empty(v, c) : XOUS_ERR_STORAGE_ERROR;
	else if (node_find(v, (struct fat_loc){w.dir, w.d.index}))
		err = XOUS_ERR_SHARE_VIOLATION;
	if (err == XOUS_OK)
		err = dir_delete(v, w.dir, &w.d);
	if (err == XOUS_OK && c)
		err = fat_free_chain(v, c);
	return done(v, err);
}

/* A directory moved to another parent: its ".." follows. */
static xous_err_t reparent(struct fat_vol *v, uint32_t dir, uint32_t parent)
{
	struct dcur c = {dir, 0, 0};
	uint8_t *e;
	uint32_t sec;
	xous_err_t err = slot_get(v, &c, 1, &e, &sec);

	if (err == XOUS_OK && e && e[0] == '.' && e[1] == '.') {
		ent_set_cluster(e, parent == root_dir(v) ? 0 : parent);
		fat_sector_dirty(v, sec);
	}
	return err;
}

xous_err_t fat_rename(struct fat_vol *v, const char *from, const char *to)
{
	struct where a, b;
	uint8_t e[ENT];
	struct fat_loc loc, old;
	struct fat_node *n;
	uint32_t c;
	xous_err_t err = resolve(v, from, 0, &a);

	if (err)
		return done(v, err);
	if (a.n == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (!a.found)
		return XOUS_ERR_NOT_FOUND;
	c = ent_is_dir(a.d.e) ? ent_cluster(v, a.d.e) : 0;
	if ((err = resolve(v, to, c, &b)))
		return done(v, err);
	if (b.n == 0)
		return XOUS_ERR_INVALID_ARGUMENT;
	if (b.found && (b.dir != a.dir || b.d.index != a.d.index))
		return XOUS_ERR_ALREADY_EXISTS;
	old = (struct fat_loc){a.dir, a.d.index};
	memcpy(e, a.d.e, ENT);
	if ((err = dir_add(v, b.dir, b.name, b.n, e, &loc)) == XOUS_OK)
		err = dir_delete(v, a.dir, &a.d);
	if (err == XOUS_OK && c && a.dir != b.dir)
		err = reparent(v, c, b.dir);
	if (err == XOUS_OK && (n = node_find(v, old)) != NULL)
		n->loc = loc;
	return done(v, err);
}
