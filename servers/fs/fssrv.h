/*
 * The fs server as a pure dispatch function over the FAT core: the volume
 * comes mounted (or not) from main; who is alive comes through a
 * who_name_fn, so unit tests and the fuzz target run it without a kernel.
 */
#ifndef XOUS_FS_SERVER_H
#define XOUS_FS_SERVER_H

#include <xous/rpc.h>

#include "../vm/who.h"
#include "api.h"
#include "fat.h"
#include "fs.pb-c.h"

struct fs_open_handle {
	bool used;
	uint32_t gen;
	struct who owner;
	struct fat_node *node;
};

struct fs_state {
	FsPb__Fs_Service svc; /* first: the handlers find the state from it */
	struct fat_vol *vol;  /* NULL: no volume, every call fails StorageError */
	who_name_fn process_name;
	uint32_t gen;
	struct fs_open_handle h[FS_MAX_HANDLES];
};

void fs_init(struct fs_state *st, struct fat_vol *vol, who_name_fn process_name);
/* The time for the volume's stamps (platform_host.c, platform_rv32.c). */
uint64_t fs_platform_now(void *ctx);
xous_answer_t fs_dispatch(struct fs_state *st, xous_envelope_t *env);

#endif
