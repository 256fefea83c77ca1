/*
 * The FAT core: FAT12, FAT16 and FAT32 volumes with VFAT long names, on a
 * device of 512-byte sectors reached through struct fat_dev (the fs server
 * binds it to blk_read/blk_write; unit tests bind it to an image file).
 * Portable C, no kernel calls: the same code runs in both kernels' servers.
 *
 * Rules:
 * - Write-through: every call that changes the volume has written all it
 *   changed to the device before it returns (the FAT in every copy, then
 *   file data, then the directory entry). Metadata sectors are cached; a
 *   cached sector is never newer than the device after a call.
 * - FSInfo's free count is exact after the mount and after fat_sync; the
 *   first change after either marks it unknown (0xffffffff) on the disk,
 *   which the FAT spec and fsck.fat allow: no FSInfo write per call.
 * - All or nothing where it counts: a write or truncate that needs more
 *   clusters than are free fails with XOUS_ERR_NO_SPACE before it changes
 *   anything; creating an entry in a full directory likewise.
 * - Every number read from the disk is checked before it is used: a
 *   cluster outside the volume, a chain that loops or ends early, a
 *   directory past 65536 entries: XOUS_ERR_STORAGE_ERROR, never a read or
 *   write outside the volume.
 * - Names: UTF-8 in the API, UTF-16 on disk; compared without ASCII and
 *   Latin-1 case; a long name is found by its short name too.
 * - Paths are absolute, '/' separated; empty components are skipped; "."
 *   and ".." are not names (XOUS_ERR_INVALID_ARGUMENT).
 */
#ifndef XOUS_FS_FAT_H
#define XOUS_FS_FAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#define FAT_SECTOR      512u
#define FAT_NAME_UNITS  255u  /* UTF-16 units of a long name */
#define FAT_NAME_MAX    765u  /* its UTF-8 bytes at most */
#define FAT_PATH_MAX    4096u /* bytes of a path */
#define FAT_FILE_MAX    0xffffffffu
#define FAT_DIR_ENTRIES 65536u /* entries of a directory at most */
#define FAT_CACHE_SLOTS 64u
#define FAT_MAX_NODES   256u
#define FAT_EXTENTS     32u /* runs of a file's chain an open node remembers */
#define FAT_RUN         16u /* metadata sectors per device call (read ahead, written together) */

/* The device: sectors of FAT_SECTOR bytes from the start of the volume. */
struct fat_dev {
	void *ctx;
	xous_err_t (*read)(void *ctx, uint64_t sector, size_t count, void *buf);
	xous_err_t (*write)(void *ctx, uint64_t sector, size_t count, const void *data);
	xous_err_t (*flush)(void *ctx); /* NULL: writes are durable when they return */
	uint64_t (*now)(void *ctx);     /* seconds since 1970 UTC; NULL: 1980-01-01 */
};

/* Where a directory entry is: its directory (first cluster; 0 = the fixed
 * root of FAT12/16) and the index of its short entry. */
struct fat_loc {
	uint32_t dir, index;
};

/* Clusters idx .. idx + len - 1 of a chain are clu .. clu + len - 1. */
struct fat_extent {
	uint32_t idx, clu, len;
};

/* An open file, shared by every handle on it. Its chain's first `known`
 * clusters are in ext[] (as far as FAT_EXTENTS runs go); past them the
 * hint is where a walk last got to. */
struct fat_node {
	uint32_t refs; /* 0: a free slot */
	struct fat_loc loc;
	uint32_t first, size;
	uint8_t attr;
	uint32_t known, n_ext;
	struct fat_extent ext[FAT_EXTENTS];
	uint32_t hint_idx, hint_clu; /* the hint_idx-th cluster of the chain (hint_clu 0: none) */
};

struct fat_cache {
	uint32_t sector, used;
	bool valid, dirty;
	uint8_t data[FAT_SECTOR];
};

struct fat_vol {
	struct fat_dev dev;
	int type; /* 12, 16 or 32 */
	uint32_t spc, cluster_bytes;
	uint32_t fat_start, fat_sectors, nfats;
	uint32_t root_start, root_entries; /* the fixed root (FAT12/16) */
	uint32_t data_start, clusters, root_cluster, total_sectors;
	uint32_t fsinfo, free_count, next_free;
	bool fsinfo_dirty;
	uint32_t clock;
	bool fsinfo_known;                /* FSInfo on the disk holds the exact free count */
	uint8_t scratch[16 * FAT_SECTOR]; /* a bounce buffer within one call */
	uint8_t run_in[FAT_RUN * FAT_SECTOR], run_out[FAT_RUN * FAT_SECTOR];
	struct fat_cache cache[FAT_CACHE_SLOTS];
	struct fat_node nodes[FAT_MAX_NODES];
};

/* What a directory lists. */
struct fat_stat {
	char name[FAT_NAME_MAX + 1];
	uint64_t size;
	bool is_dir;
};

/* Mount the volume on dev (total_sectors: the device's size, 0 unknown).
 * Not a FAT volume of 512-byte sectors that fits the device:
 * XOUS_ERR_STORAGE_ERROR. */
xous_err_t fat_mount(struct fat_vol *v, const struct fat_dev *dev, uint64_t total_sectors);

/* Open (create: make it if absent; excl: AlreadyExists if present) a file:
 * *n holds a reference until fat_close. A directory: InvalidArgument. */
xous_err_t fat_open(struct fat_vol *v, const char *path, bool create, bool excl,
                    struct fat_node **n);
void fat_close(struct fat_vol *v, struct fat_node *n);
xous_err_t fat_read(struct fat_vol *v, struct fat_node *n, uint64_t off, size_t len, void *buf,
                    size_t *got);
/* Past FAT_FILE_MAX: InvalidArgument; a read-only file: AccessDenied. */
xous_err_t fat_write(struct fat_vol *v, struct fat_node *n, uint64_t off, const void *data,
                     size_t len);
xous_err_t fat_truncate(struct fat_vol *v, struct fat_node *n, uint64_t size);

xous_err_t fat_stat(struct fat_vol *v, const char *path, struct fat_stat *st);
xous_err_t fat_mkdir(struct fat_vol *v, const char *path);
/* The entries of a directory from the index-th on (not "." nor ".."), at
 * most max of them; *count < max at its end. */
xous_err_t fat_list(struct fat_vol *v, const char *path, uint32_t index, struct fat_stat *out,
                    size_t max, size_t *count);
/* A file nobody has open, or an empty directory (else ShareViolation,
 * InvalidArgument). */
xous_err_t fat_remove(struct fat_vol *v, const char *path);
/* to must not exist (AlreadyExists) unless it names from itself (a change
 * of case); a directory cannot move into itself (InvalidArgument). */
xous_err_t fat_rename(struct fat_vol *v, const char *from, const char *to);
xous_err_t fat_sync(struct fat_vol *v);

/* ---- inside the core (fat.c: the volume, fat_dir.c, fat_file.c, fat_name.c) ---- */

enum { FAT_ATTR_RO = 0x01, FAT_ATTR_VOLUME = 0x08, FAT_ATTR_DIR = 0x10, FAT_ATTR_LFN = 0x0f };

static inline uint16_t fat_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t fat_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void fat_put16(uint8_t *p, uint32_t x)
{
	p[0] = (uint8_t)x;
	p[1] = (uint8_t)(x >> 8);
}
static inline void fat_put32(uint8_t *p, uint32_t x)
{
	fat_put16(p, x);
	fat_put16(p + 2, x >> 16);
}

/* A metadata sector, through the cache: valid until the next cache call. */
xous_err_t fat_sector(struct fat_vol *v, uint32_t sector, uint8_t **data);
void fat_sector_dirty(struct fat_vol *v, uint32_t sector);
/* Drop cached copies of sectors [first, first + count) (data overwritten). */
void fat_cache_forget(struct fat_vol *v, uint32_t first, uint32_t count);
/* Write every dirty metadata sector (FAT sectors to every copy) and FSInfo. */
xous_err_t fat_commit(struct fat_vol *v);

bool fat_cluster_ok(const struct fat_vol *v, uint32_t c);
uint32_t fat_cluster_sector(const struct fat_vol *v, uint32_t c);
/* Next cluster of c's chain: *next 0 at the end of the chain. */
xous_err_t fat_next(struct fat_vol *v, uint32_t c, uint32_t *next);
/* count fresh clusters chained, linked after prev (0: none); *first. */
xous_err_t fat_alloc(struct fat_vol *v, uint32_t count, uint32_t prev, uint32_t *first);
/* Free the chain from c on. */
xous_err_t fat_free_chain(struct fat_vol *v, uint32_t c);
xous_err_t fat_set_end(struct fat_vol *v, uint32_t c);
/* Zero count clusters from c on (n sectors from sec on), on the device. */
xous_err_t fat_zero_clusters(struct fat_vol *v, uint32_t c, uint32_t count);
xous_err_t fat_zero_sectors(struct fat_vol *v, uint32_t sec, uint32_t n);
/* The FAT time and date now. */
void fat_now(struct fat_vol *v, uint16_t *time, uint16_t *date);

/* fat_name.c */
/* UTF-8 name -> UTF-16 (a valid long name), else InvalidArgument. */
xous_err_t fat_name_from_utf8(const char *s, size_t len, uint16_t *u, size_t *n);
size_t fat_name_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap);
bool fat_name_eq(const uint16_t *a, size_t an, const uint16_t *b, size_t bn);
/* The 11-byte short entry name of u if it is a valid 8.3 name, with the
 * lower-case flags for byte 12; false if it needs a long name. */
bool fat_name_short_exact(const uint16_t *u, size_t n, uint8_t sfn[11], uint8_t *ntres);
/* The basis of a generated short name (upper case, no tail). */
void fat_name_basis(const uint16_t *u, size_t n, uint8_t sfn[11]);
/* The basis with the tail ~num. */
void fat_name_tail(const uint8_t basis[11], uint32_t num, uint8_t sfn[11]);
/* If sfn is basis with some tail ~N: N, else 0. */
uint32_t fat_name_tail_of(const uint8_t basis[11], const uint8_t sfn[11]);
uint8_t fat_name_checksum(const uint8_t sfn[11]);
/* The displayed form of a short entry (ntres: its lower-case flags). */
size_t fat_name_of_short(const uint8_t sfn[11], uint8_t ntres, uint16_t *u);

/* fat_dir.c: used by fat_file.c */
xous_err_t fat_node_store(struct fat_vol *v, struct fat_node *n, bool modified);

#endif
