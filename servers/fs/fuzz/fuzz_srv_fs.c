/*
 * fuzz_srv_fs.c - fuzz target `srv_fs`: fs_dispatch() behind the checking
 * io table of fuzz_server.h, over a FAT volume in memory that the input may
 * corrupt before it is mounted (so the mount's parsing and every walk of a
 * broken volume are fuzzed too).
 *
 * Input: byte 0 picks the volume (% 3: FAT12, FAT16, FAT32, each as a
 * fresh formatted image); byte 1 the number of patches (% 16), each
 * {u16 sector (% the metadata sectors), u16 offset (% 512), u8 value}
 * written into the image before the mount; the rest is fuzz_server.h's
 * records. A pid the harness ended is gone for the server too.
 */
#include <stdlib.h>
#include <string.h>

#include "fssrv.h"
#include "fuzz_server.h"

struct image {
	uint32_t total, reserved, root_entries, fat_sectors, meta;
	int type;
	uint8_t *disk, *base, *dirty;
};

static struct image images[3] = {
        {2880, 1, 224, 9, 0, 12, NULL, NULL, NULL},
        {4600, 1, 64, 18, 0, 16, NULL, NULL, NULL},
        {67000, 32, 0, 516, 0, 32, NULL, NULL, NULL},
};
static struct image *cur;
static struct fat_vol vol;
static struct fs_state st;

static void put16(uint8_t *p, uint32_t x)
{
	p[0] = (uint8_t)x;
	p[1] = (uint8_t)(x >> 8);
}

static void put32(uint8_t *p, uint32_t x)
{
	put16(p, x);
	put16(p + 2, x >> 16);
}

/* A volume as mkfs.fat lays it out: boot sector, (FSInfo), two FATs, the
 * root (a fixed area, or cluster 2 for FAT32). */
static void format(struct image *im)
{
	uint8_t *b = im->base;
	uint32_t fat = im->reserved * FAT_SECTOR;

	b[0] = 0xeb;
	b[1] = 0x3c;
	b[2] = 0x90;
	memcpy(b + 3, "mkfs.fat", 8);
	put16(b + 11, FAT_SECTOR);
	b[13] = 1;
	put16(b + 14, im->reserved);
	b[16] = 2;
	put16(b + 17, im->root_entries);
	put16(b + 19, im->total < 65536 ? im->total : 0);
	b[21] = 0xf8;
	if (im->type == 32) {
		put32(b + 32, im->total);
		put32(b + 36, im->fat_sectors);
		put32(b + 44, 2);
		put16(b + 48, 1);
		put32(b + FAT_SECTOR, 0x41615252u);
		put32(b + FAT_SECTOR + 484, 0x61417272u);
		put32(b + FAT_SECTOR + 488, 0xffffffffu);
		put32(b + FAT_SECTOR + 508, 0xaa550000u);
	} else {
		put16(b + 22, im->fat_sectors);
	}
	b[510] = 0x55;
	b[511] = 0xaa;
	for (uint32_t i = 0; i < 2; i++) {
		uint8_t *f = b + fat + i * im->fat_sectors * FAT_SECTOR;
		if (im->type == 12) {
			put16(f, 0xfff8);
			f[2] = 0xff;
		} else if (im->type == 16) {
			put32(f, 0xfffffff8u);
		} else {
			put32(f, 0x0ffffff8u);
			put32(f + 4, 0x0fffffffu);
			put32(f + 8, 0x0fffffffu); /* the root directory's one cluster */
		}
	}
	im->meta = im->reserved + 2 * im->fat_sectors + im->root_entries * 32 / FAT_SECTOR +
	           (im->type == 32);
}

static xous_err_t dev_read(void *ctx, uint64_t sector, size_t count, void *buf)
{
	(void)ctx;
	if (sector > cur->total || count > cur->total - sector)
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(buf, cur->disk + sector * FAT_SECTOR, count * FAT_SECTOR);
	return XOUS_OK;
}

static xous_err_t dev_write(void *ctx, uint64_t sector, size_t count, const void *data)
{
	(void)ctx;
	if (sector > cur->total || count > cur->total - sector)
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(cur->disk + sector * FAT_SECTOR, data, count * FAT_SECTOR);
	for (size_t i = 0; i < count; i++)
		cur->dirty[(sector + i) / 8] |= (uint8_t)(1u << ((sector + i) % 8));
	return XOUS_OK;
}

static const struct fat_dev dev = {NULL, dev_read, dev_write, NULL, NULL};

/* Gone for the server when the harness ended it. */
static xous_err_t f_name(xous_pid_t pid, char *buf, size_t len)
{
	xous_sid_t sid = {{0, 0, 0, 0}};
	xous_cid_t cid;
	xous_err_t err = fsrv_io.connect_for_process(pid, &sid, &cid);

	if (err == XOUS_OK && len)
		buf[0] = '\0';
	return err;
}

/* The image as formatted: the sectors the last input touched go back. */
static void restore(struct image *im)
{
	if (im->base == NULL) {
		im->base = calloc(im->total, FAT_SECTOR);
		im->disk = calloc(im->total, FAT_SECTOR);
		im->dirty = calloc(im->total / 8 + 1, 1);
		FZ_CHECK(im->base && im->disk && im->dirty);
		format(im);
		memcpy(im->disk, im->base, (size_t)im->total * FAT_SECTOR);
		return;
	}
	for (uint32_t s = 0; s < im->total; s++)
		if (im->dirty[s / 8] >> (s % 8) & 1)
			memcpy(im->disk + (size_t)s * FAT_SECTOR, im->base + (size_t)s * FAT_SECTOR,
			       FAT_SECTOR);
	memset(im->dirty, 0, im->total / 8 + 1);
}

static void init(uint64_t now)
{
	(void)now;
	fs_init(&st, fat_mount(&vol, &dev, cur->total) == XOUS_OK ? &vol : NULL, f_name);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	return fs_dispatch(&st, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .svc = &fs_pb__fs__descriptor,
	        .init = init,
	        .dispatch = dispatch,
	};
	struct fz f = {data, size};
	uint32_t patches;

	cur = &images[fz_u8(&f) % 3];
	restore(cur);
	patches = fz_u8(&f) % 16;
	for (uint32_t i = 0; i < patches; i++) {
		uint32_t s = fz_u16(&f) % cur->meta, off = fz_u16(&f) % FAT_SECTOR;
		cur->disk[(size_t)s * FAT_SECTOR + off] = fz_u8(&f);
		cur->dirty[s / 8] |= (uint8_t)(1u << (s % 8));
	}
	return fsrv_run(&t, f.p, f.n);
}
