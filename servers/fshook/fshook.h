/*
 * The fshook server: an ABI hook (<resea/abi_hook.h>) that serves a hooked
 * foreign task's file calls on paths under /fs/ from the fs server and
 * lets the host make every other call (docs/resea-abi-hook.md).
 *
 * fshook_dispatch() is pure: the task's memory, its new descriptors and
 * the fs server are struct fshook_ops, so the unit tests and the fuzz
 * target run it without a kernel.
 *
 * Limits: FSHOOK_MAX_FILES files and directories open in all, at most
 * FSHOOK_MAX_PER_TASK of them per task (past either: EMFILE); a path of at
 * most FSHOOK_PATH_MAX - 1 bytes (longer: ENAMETOOLONG); one read moves at
 * most FSHOOK_IO_MAX bytes (a short read, as Linux may give).
 */
#ifndef XOUS_FSHOOK_SERVER_H
#define XOUS_FSHOOK_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <resea/abi_hook.h>
#include <resea/global.h>
#include <xous/serve.h>

#define FSHOOK_SERVER_NAME  "fshook"
#define FSHOOK_MAX_FILES    64
#define FSHOOK_MAX_PER_TASK 16
#define FSHOOK_PATH_MAX     1024
#define FSHOOK_IO_MAX       (64u * 1024)
#define FSHOOK_CHUNK        (16u * 1024) /* bytes per fs read and task write */

#define FSHOOK_NAME_MAX 765 /* bytes of a name's UTF-8, as the fs server's */

typedef int32_t fshook_handle_t; /* the fs server's handle of an open file */

/* One entry of a directory, or what fs_info tells of one path. */
struct fshook_entry {
	char name[FSHOOK_NAME_MAX + 1];
	uint64_t size;
	bool is_dir;
};

struct fshook_ops {
	void *ctx;
	xous_err_t (*mem_read)(void *ctx, uint32_t task, uint64_t addr, void *buf, size_t len,
	                       size_t *n);
	xous_err_t (*mem_write)(void *ctx, uint32_t task, uint64_t addr, const void *buf,
	                        size_t len, size_t *n);
	xous_err_t (*new_fd)(void *ctx, uint32_t task, uint32_t flags, int *fd);
	bool (*alive)(void *ctx, uint32_t task);
	xous_err_t (*open)(void *ctx, const char *path, fshook_handle_t *h);
	xous_err_t (*close)(void *ctx, fshook_handle_t h);
	xous_err_t (*read)(void *ctx, fshook_handle_t h, uint64_t off, size_t len, void *buf,
	                   size_t *got);
	xous_err_t (*info)(void *ctx, const char *path, struct fshook_entry *out);
	xous_err_t (*list)(void *ctx, const char *path, uint32_t index, struct fshook_entry *out,
	                   size_t max, size_t *count);
};

/* A descriptor of a task that fshook serves. */
struct fshook_file {
	bool used, dir;
	uint32_t task;
	int fd;                     /* the task's number for it */
	fshook_handle_t h;          /* a file's fs handle */
	uint64_t pos, size;         /* a directory's pos: the next entry's index */
	char path[FSHOOK_PATH_MAX]; /* in the fs server's terms ("/" is /fs/) */
};

struct fshook {
	struct fshook_ops ops;
	struct fshook_file f[FSHOOK_MAX_FILES];
	struct fshook_entry ent[8]; /* a directory listing's step */
	unsigned char buf[FSHOOK_CHUNK];
};

void fshook_init(struct fshook *st, const struct fshook_ops *ops);
xous_answer_t fshook_dispatch(struct fshook *st, xous_envelope_t *env);

/* The frame decoder: 0 with *fr the call if env is an ABI hook call whose
 * frame is whole and names its sender, else -1. */
int fshook_frame(const xous_envelope_t *env, struct abi_hook_frame *fr);

#endif
