/*
 * The fs tests' images: a FAT volume made by mkfs.fat in a fresh directory,
 * mounted through a device over pread/pwrite, and the outside witnesses
 * (fsck.fat -n, mtools) run on it.
 */
#ifndef XOUS_FS_TEST_IMAGE_H
#define XOUS_FS_TEST_IMAGE_H

#include <check.h>

#include "fat.h"

extern struct fat_vol img_vol;
extern char img_path[];
extern char img_dir[];
/* Device writes after which every write fails (SIZE_MAX: never). */
extern size_t img_writes_left;

/* A fresh image of mib MiB made by `mkfs.fat -F fat EXTRA`, mounted in img_vol. */
void img_make(int fat, unsigned mib, const char *extra);
/* Mount the image again (a new volume: nothing cached from before). */
void img_remount(void);
/* A shell command (a printf format): its exit status. */
int img_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fsck.fat -n finds nothing wrong (its output printed when it does). */
void img_fsck_clean(void);
/* The bytes of file path (mtools "::path") as mcopy reads it; *len; malloc'd. */
uint8_t *img_mcopy_out(const char *path, size_t *len);
/* Put len bytes as file path with mcopy. */
void img_mcopy_in(const char *path, const void *data, size_t len);
/* Pattern bytes: byte i of a stream seeded by seed. */
void img_pattern(uint8_t *buf, size_t len, uint32_t seed, uint64_t from);

/* The core's whole file, through fat_open/fat_read; *len; malloc'd. */
uint8_t *img_read_all(const char *path, size_t *len);
/* Create (or replace the contents of) path with data through the core. */
void img_write_all(const char *path, const void *data, size_t len);

#endif
