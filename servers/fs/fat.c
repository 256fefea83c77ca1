/* The FAT core's volume: the boot sector, the metadata cache, the FAT and
 * its allocation, FSInfo (fat.h has the rules). */
#include <string.h>

#include "fat.h"

#define FSINFO_LEAD   0x41615252u
#define FSINFO_STRUCT 0x61417272u
#define FSINFO_TRAIL  0xaa550000u
#define SCAN_SECTORS  16u  /* FAT sectors counted per device read at mount (the scratch) */
#define ZERO_SECTORS  128u /* sectors of zeros per device write */

/* ---- the metadata cache ---- */

static bool in_fat(const struct fat_vol *v, uint32_t sector)
{
	return sector - v->fat_start < v->fat_sectors;
}

static struct fat_cache *cache_find(struct fat_vol *v, uint32_t sector)
{
	for (size_t i = 0; i < FAT_CACHE_SLOTS; i++)
		if (v->cache[i].valid && v->cache[i].sector == sector)
			return &v->cache[i];
	return NULL;
}

static bool dirty_at(struct fat_vol *v, uint32_t sector)
{
	struct fat_cache *c = cache_find(v, sector);

	return c && c->dirty;
}

/* Write the run of dirty cached sectors around sector (at most FAT_RUN, in
 * one region) in one device call, per FAT copy for FAT sectors. */
static xous_err_t cache_write_run(struct fat_vol *v, uint32_t sector)
{
	uint32_t start = sector, n = 0, copies = 1, step = 0;

	while (start > 0 && sector - (start - 1) < FAT_RUN &&
	       in_fat(v, start - 1) == in_fat(v, sector) && dirty_at(v, start - 1))
		start--;
	for (struct fat_cache *c; n < FAT_RUN && in_fat(v, start + n) == in_fat(v, sector) &&
	                          (c = cache_find(v, start + n)) != NULL && c->dirty;
	     n++)
		memcpy(v->run_out + n * FAT_SECTOR, c->data, FAT_SECTOR);
	if (in_fat(v, sector)) {
		copies = v->nfats;
		step = v->fat_sectors;
	}
	for (uint32_t i = 0; i < copies; i++)
		if (v->dev.write(v->dev.ctx, start + i * step, n, v->run_out) != XOUS_OK)
			return XOUS_ERR_STORAGE_ERROR;
	for (uint32_t i = 0; i < n; i++)
		cache_find(v, start + i)->dirty = false;
	return XOUS_OK;
}

/* A slot for another sector: a free one, else the least recently used
 * (written first if dirty). */
static xous_err_t cache_slot(struct fat_vol *v, struct fat_cache **out)
{
	struct fat_cache *old = &v->cache[0];
	xous_err_t err;

	for (size_t i = 0; i < FAT_CACHE_SLOTS && old->valid; i++)
		if (!v->cache[i].valid || v->cache[i].used < old->used)
			old = &v->cache[i];
	if (old->valid && old->dirty && (err = cache_write_run(v, old->sector)))
		return err;
	old->valid = false;
	*out = old;
	return XOUS_OK;
}

/* A FAT sector is read with the ones after it that are not cached (up to
 * FAT_RUN): a chain is walked in few device calls. */
xous_err_t fat_sector(struct fat_vol *v, uint32_t sector, uint8_t **data)
{
	struct fat_cache *c = cache_find(v, sector);
	uint32_t n = 1;
	xous_err_t err;

	if (c == NULL) {
		if (sector >= v->total_sectors)
			return XOUS_ERR_STORAGE_ERROR;
		while (in_fat(v, sector) && n < FAT_RUN && in_fat(v, sector + n) &&
		       !cache_find(v, sector + n))
			n++;
		if (v->dev.read(v->dev.ctx, sector, n, v->run_in) != XOUS_OK)
			return XOUS_ERR_STORAGE_ERROR;
		for (uint32_t i = n; i-- > 0;) { /* the wanted sector last: the most recent */
			if ((err = cache_slot(v, &c)))
				return err;
			memcpy(c->data, v->run_in + i * FAT_SECTOR, FAT_SECTOR);
			c->sector = sector + i;
			c->valid = true;
			c->dirty = false;
			c->used = ++v->clock;
		}
	}
	c->used = ++v->clock;
	*data = c->data;
	return XOUS_OK;
}

void fat_sector_dirty(struct fat_vol *v, uint32_t sector)
{
	struct fat_cache *c = cache_find(v, sector);

	if (c)
		c->dirty = true;
}

void fat_cache_forget(struct fat_vol *v, uint32_t first, uint32_t count)
{
	for (size_t i = 0; i < FAT_CACHE_SLOTS; i++)
		if (v->cache[i].valid && v->cache[i].sector - first < count)
			v->cache[i].valid = false;
}

/* FSInfo's free count (0xffffffff: unknown) and next free hint. */
static xous_err_t fsinfo_put(struct fat_vol *v, uint32_t count)
{
	uint8_t *s;
	xous_err_t err = fat_sector(v, v->fsinfo, &s);

	if (err)
		return err;
	fat_put32(s + 488, count);
	fat_put32(s + 492, v->next_free);
	fat_sector_dirty(v, v->fsinfo);
	v->fsinfo_known = count == v->free_count;
	return XOUS_OK;
}

xous_err_t fat_commit(struct fat_vol *v)
{
	xous_err_t err = XOUS_OK;

	if (v->fsinfo && v->fsinfo_dirty && v->fsinfo_known)
		err = fsinfo_put(v, 0xffffffffu);
	v->fsinfo_dirty = false;
	for (size_t i = 0; i < FAT_CACHE_SLOTS && err == XOUS_OK; i++)
		if (v->cache[i].valid && v->cache[i].dirty)
			err = cache_write_run(v, v->cache[i].sector);
	return err;
}

/* ---- the FAT ---- */

bool fat_cluster_ok(const struct fat_vol *v, uint32_t c)
{
	return c >= 2 && c - 2 < v->clusters;
}

uint32_t fat_cluster_sector(const struct fat_vol *v, uint32_t c)
{
	return v->data_start + (c - 2) * v->spc;
}

static uint32_t eoc_min(const struct fat_vol *v)
{
	return v->type == 12 ? 0xff8u : v->type == 16 ? 0xfff8u : 0x0ffffff8u;
}

static uint32_t eoc(const struct fat_vol *v)
{
	return v->type == 12 ? 0xfffu : v->type == 16 ? 0xffffu : 0x0fffffffu;
}

/* The bytes of entry c: one pointer per sector it spans (FAT12: two). */
static xous_err_t entry_at(struct fat_vol *v, uint32_t c, uint8_t **p, uint8_t **q)
{
	uint32_t off = v->type == 12 ? c + c / 2 : c * (uint32_t)(v->type / 8);
	uint32_t sec = v->fat_start + off / FAT_SECTOR;
	uint8_t *s;
	xous_err_t err;

	if ((err = fat_sector(v, sec, &s)))
		return err;
	*p = s + off % FAT_SECTOR;
	*q = *p + 1;
	if (v->type == 12 && off % FAT_SECTOR == FAT_SECTOR - 1) {
		if ((err = fat_sector(v, sec + 1, &s)))
			return err;
		*q = s;
		if ((err = fat_sector(v, sec, &s))) /* both stay cached: the least recent goes */
			return err;
	}
	return XOUS_OK;
}

static xous_err_t fat_get(struct fat_vol *v, uint32_t c, uint32_t *val)
{
	uint8_t *p, *q;
	xous_err_t err = entry_at(v, c, &p, &q);

	if (err)
		return err;
	if (v->type == 12) {
		uint32_t w = (uint32_t)*p | (uint32_t)*q << 8;
		*val = c & 1 ? w >> 4 : w & 0xfff;
	} else if (v->type == 16) {
		*val = fat_get16(p);
	} else {
		*val = fat_get32(p) & 0x0fffffffu;
	}
	return XOUS_OK;
}

static xous_err_t fat_set(struct fat_vol *v, uint32_t c, uint32_t val)
{
	uint32_t off = v->type == 12 ? c + c / 2 : c * (uint32_t)(v->type / 8);
	uint32_t sec = v->fat_start + off / FAT_SECTOR;
	uint8_t *p, *q;
	xous_err_t err = entry_at(v, c, &p, &q);

	if (err)
		return err;
	if (v->type == 12) {
		if (c & 1) {
			*p = (uint8_t)((*p & 0x0f) | (val & 0x0f) << 4);
			*q = (uint8_t)(val >> 4);
		} else {
			*p = (uint8_t)val;
			*q = (uint8_t)((*q & 0xf0) | ((val >> 8) & 0x0f));
		}
		fat_sector_dirty(v, sec + (off % FAT_SECTOR == FAT_SECTOR - 1));
	} else if (v->type == 16) {
		fat_put16(p, val);
	} else {
		fat_put32(p, (fat_get32(p) & 0xf0000000u) | (val & 0x0fffffffu));
	}
	fat_sector_dirty(v, sec);
	return XOUS_OK;
}

xous_err_t fat_next(struct fat_vol *v, uint32_t c, uint32_t *next)
{
	uint32_t val;
	xous_err_t err;

	if (!fat_cluster_ok(v, c))
		return XOUS_ERR_STORAGE_ERROR;
	if ((err = fat_get(v, c, &val)))
		return err;
	if (val >= eoc_min(v)) {
		*next = 0;
		return XOUS_OK;
	}
	if (!fat_cluster_ok(v, val)) /* free, bad or outside: a broken chain */
		return XOUS_ERR_STORAGE_ERROR;
	*next = val;
	return XOUS_OK;
}

xous_err_t fat_set_end(struct fat_vol *v, uint32_t c)
{
	return fat_set(v, c, eoc(v));
}

/* A free cluster, looking from `from` on and wrapping around. */
static xous_err_t find_free(struct fat_vol *v, uint32_t from, uint32_t *c)
{
	uint32_t val;
	xous_err_t err;

	if (!fat_cluster_ok(v, from))
		from = 2;
	for (uint32_t i = 0, x = from; i < v->clusters; i++) {
		if ((err = fat_get(v, x, &val)))
			return err;
		if (val == 0) {
			*c = x;
			return XOUS_OK;
		}
		x = x - 2 + 1 < v->clusters ? x + 1 : 2;
	}
	return XOUS_ERR_NO_SPACE; /* the free count was wrong */
}

xous_err_t fat_alloc(struct fat_vol *v, uint32_t count, uint32_t prev, uint32_t *first)
{
	uint32_t at = prev ? prev + 1 : v->next_free, c = 0;
	bool from_hint = prev == 0;
	xous_err_t err;

	if (count > v->free_count)
		return XOUS_ERR_NO_SPACE;
	*first = 0;
	for (uint32_t i = 0; i < count; i++) {
		if ((err = find_free(v, at, &c)) || (err = fat_set_end(v, c)))
			return err;
		if (prev && (err = fat_set(v, prev, c)))
			return err;
		if (*first == 0)
			*first = c;
		prev = c;
		at = c + 1;
		v->free_count--;
	}
	if (from_hint) /* everything from the hint to c is taken now */
		v->next_free = fat_cluster_ok(v, c + 1) ? c + 1 : 2;
	v->fsinfo_dirty = true;
	return XOUS_OK;
}

xous_err_t fat_free_chain(struct fat_vol *v, uint32_t c)
{
	for (uint32_t steps = 0; c; steps++) {
		uint32_t next;
		xous_err_t err;

		if (steps >= v->clusters)
			return XOUS_ERR_STORAGE_ERROR; /* a loop */
		if ((err = fat_next(v, c, &next)) || (err = fat_set(v, c, 0)))
			return err;
		v->free_count++;
		if (c < v->next_free) /* the lowest free cluster is looked at first */
			v->next_free = c;
		c = next;
	}
	v->fsinfo_dirty = true;
	return XOUS_OK;
}

xous_err_t fat_zero_sectors(struct fat_vol *v, uint32_t sec, uint32_t n)
{
	static const uint8_t zero[ZERO_SECTORS * FAT_SECTOR];

	fat_cache_forget(v, sec, n);
	for (uint32_t done = 0; done < n;) {
		uint32_t k = n - done < ZERO_SECTORS ? n - done : ZERO_SECTORS;
		if (v->dev.write(v->dev.ctx, sec + done, k, zero) != XOUS_OK)
			return XOUS_ERR_STORAGE_ERROR;
		done += k;
	}
	return XOUS_OK;
}

xous_err_t fat_zero_clusters(struct fat_vol *v, uint32_t c, uint32_t count)
{
	return fat_zero_sectors(v, fat_cluster_sector(v, c), count * v->spc);
}

static bool leap(uint32_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

void fat_now(struct fat_vol *v, uint16_t *time, uint16_t *date)
{
	static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	uint64_t t = v->dev.now ? v->dev.now(v->dev.ctx) : 0;
	uint64_t days = t / 86400, secs = t % 86400;
	uint32_t y = 1970, m = 1;

	if (t < 315532800u || t >= 4354819200u) { /* outside 1980..2107 */
		*time = 0;
		*date = (1 << 5) | 1;
		return;
	}
	for (;;) {
		uint32_t yd = leap(y) ? 366 : 365;
		if (days < yd)
			break;
		days -= yd;
		y++;
	}
	for (;; m++) {
		uint32_t md = mdays[m - 1] + (m == 2 && leap(y));
		if (days < md)
			break;
		days -= md;
	}
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | (days + 1));
	*time = (uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2);
}

/* ---- mount ---- */

/* The free clusters, counted from the FAT itself (FSInfo is only a hint),
 * SCAN_SECTORS sectors per device read for FAT16/32. */
static xous_err_t count_free(struct fat_vol *v)
{
	uint32_t per = FAT_SECTOR * 8 / (uint32_t)v->type, val;
	xous_err_t err;

	v->free_count = 0;
	v->next_free = 0;
	for (uint32_t c = 2; c - 2 < v->clusters;) {
		uint32_t sec = c / per, k = v->fat_sectors - sec, n;

		if (v->type == 12) {
			if ((err = fat_get(v, c, &val)))
				return err;
			n = 1;
		} else {
			k = k < SCAN_SECTORS ? k : SCAN_SECTORS;
			if (v->dev.read(v->dev.ctx, v->fat_start + sec, k, v->scratch) != XOUS_OK)
				return XOUS_ERR_STORAGE_ERROR;
			n = 0;
			for (uint32_t i = c % per; i < k * per && c + n - 2 < v->clusters;
			     i++, n++) {
				const uint8_t *e = v->scratch + i * (uint32_t)v->type / 8;
				val = v->type == 16 ? fat_get16(e) : fat_get32(e) & 0x0fffffffu;
				if (val == 0) {
					v->free_count++;
					v->next_free = v->next_free ? v->next_free : c + n;
				}
			}
			c += n;
			continue;
		}
		if (val == 0) {
			v->free_count++;
			v->next_free = v->next_free ? v->next_free : c;
		}
		c += n;
	}
	if (v->next_free == 0)
		v->next_free = 2;
	return XOUS_OK;
}

static bool power_of_two(uint32_t x)
{
	return x && (x & (x - 1)) == 0;
}

/* The BPB's numbers, checked against each other and the device. */
static xous_err_t parse_bpb(struct fat_vol *v, const uint8_t *b, uint64_t dev_sectors)
{
	uint32_t reserved = fat_get16(b + 14), root_ents = fat_get16(b + 17);
	uint32_t total = fat_get16(b + 19) ? fat_get16(b + 19) : fat_get32(b + 32);
	uint32_t fatsz = fat_get16(b + 22) ? fat_get16(b + 22) : fat_get32(b + 36);
	uint64_t meta;

	v->spc = b[13];
	v->nfats = b[16];
	if (fat_get16(b + 11) != FAT_SECTOR || !power_of_two(v->spc) || reserved == 0 ||
	    v->nfats == 0 || v->nfats > 4 || fatsz == 0 || total == 0 || b[510] != 0x55 ||
	    b[511] != 0xaa)
		return XOUS_ERR_STORAGE_ERROR;
	if (dev_sectors && total > dev_sectors)
		return XOUS_ERR_STORAGE_ERROR;
	v->cluster_bytes = v->spc * FAT_SECTOR;
	v->fat_start = reserved;
	v->fat_sectors = fatsz;
	v->root_start = reserved + v->nfats * fatsz;
	v->root_entries = root_ents;
	meta = (uint64_t)v->root_start + (root_ents * 32u + FAT_SECTOR - 1) / FAT_SECTOR;
	if (meta >= total)
		return XOUS_ERR_STORAGE_ERROR;
	v->data_start = (uint32_t)meta;
	v->total_sectors = total;
	v->clusters = (total - v->data_start) / v->spc;
	/* A BPB without a 16-bit FAT size is FAT32's, however few its clusters
	 * (mkfs.fat -F 32 makes such small ones); else the count decides. */
	v->type = fat_get16(b + 22) == 0 ? 32 : v->clusters < 4085 ? 12 : 16;
	if (v->type == 16 && v->clusters > 65524) /* the numbers a FAT16 entry can hold */
		v->clusters = 65524;
	if (v->type == 32 && v->clusters > 0x0ffffff5u)
		v->clusters = 0x0ffffff5u;
	/* the FAT must hold an entry for every cluster */
	if ((uint64_t)fatsz * FAT_SECTOR * 8 < (uint64_t)(v->clusters + 2) * (uint32_t)v->type)
		return XOUS_ERR_STORAGE_ERROR;
	return XOUS_OK;
}

static xous_err_t parse_fat32(struct fat_vol *v, const uint8_t *b)
{
	uint8_t *s;

	if (v->root_entries != 0 || fat_get16(b + 22) != 0 || fat_get16(b + 42) != 0)
		return XOUS_ERR_STORAGE_ERROR;
	v->root_cluster = fat_get32(b + 44);
	if (!fat_cluster_ok(v, v->root_cluster))
		return XOUS_ERR_STORAGE_ERROR;
	v->fsinfo = fat_get16(b + 48);
	if (v->fsinfo == 0 || v->fsinfo >= v->fat_start || v->fsinfo == 0xffff) {
		v->fsinfo = 0;
		return XOUS_OK;
	}
	if (fat_sector(v, v->fsinfo, &s))
		return XOUS_ERR_STORAGE_ERROR;
	if (fat_get32(s) != FSINFO_LEAD || fat_get32(s + 484) != FSINFO_STRUCT ||
	    fat_get32(s + 508) != FSINFO_TRAIL)
		v->fsinfo = 0; /* not one: left alone */
	return XOUS_OK;
}

xous_err_t fat_mount(struct fat_vol *v, const struct fat_dev *dev, uint64_t total_sectors)
{
	uint8_t b[FAT_SECTOR];
	xous_err_t err;

	memset(v, 0, sizeof(*v));
	v->dev = *dev;
	if (dev->read(dev->ctx, 0, 1, b) != XOUS_OK)
		return XOUS_ERR_STORAGE_ERROR;
	if ((err = parse_bpb(v, b, total_sectors)))
		return err;
	if (v->type == 32) {
		if ((err = parse_fat32(v, b)))
			return err;
	} else if (v->root_entries == 0) {
		return XOUS_ERR_STORAGE_ERROR;
	}
	if ((err = count_free(v)))
		return err;
	if (v->fsinfo) { /* a wrong count is made right */
		uint8_t *s;
		if ((err = fat_sector(v, v->fsinfo, &s)))
			return err;
		v->fsinfo_known = fat_get32(s + 488) == v->free_count;
		if (!v->fsinfo_known && (err = fsinfo_put(v, v->free_count)))
			return err;
	}
	return fat_commit(v);
}

xous_err_t fat_sync(struct fat_vol *v)
{
	xous_err_t err = v->fsinfo && !v->fsinfo_known ? fsinfo_put(v, v->free_count) : XOUS_OK;

	v->fsinfo_dirty = false;
	if (err == XOUS_OK)
		err = fat_commit(v);

	if (err == XOUS_OK && v->dev.flush && v->dev.flush(v->dev.ctx) != XOUS_OK)
		err = XOUS_ERR_STORAGE_ERROR;
	return err;
}
