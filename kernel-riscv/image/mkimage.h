/*
 * mkimage.h - building Xous's argument block on the host (xarg.h): RV32 ELF
 * files become an XKrn (the kernel) and IniE/IniF tags (programs, as
 * "mini-ELF" sections), then the block is laid out and written in memory.
 * Used by tools/xous-create-image.c and its unit test.
 */
#ifndef MKIMAGE_H
#define MKIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mk_section {
	uint32_t va, size, flags; /* XARG_SEC_* */
	const uint8_t *bytes;     /* size bytes, NULL with XARG_SEC_NOCOPY */
};

struct mk_program {
	char name[64];
	uint32_t entry, flags; /* XK_PROG_* of kernel/defs.h, for XFlg */
	bool flash;            /* IniF (else IniE) */
	uint32_t nsec;
	struct mk_section *sec;
	uint8_t *elf; /* the file the sections point into (owned) */
};

struct mk_kernel {
	uint32_t text_va, text_size, data_va, data_size, bss_size, entry;
	uint8_t *bytes; /* text_size + data_size bytes (owned) */
};

/* The ELF's loadable segments (takes elf, a malloc'ed buffer of len bytes). */
const char *mk_program_from_elf(struct mk_program *p, uint8_t *elf, size_t len);
const char *mk_kernel_from_elf(struct mk_kernel *k, const uint8_t *elf, size_t len);
void mk_program_free(struct mk_program *p);
void mk_kernel_free(struct mk_kernel *k);

/* The block: XArg, the programs' IniE/IniF in order (pids 2, 3, ...), XKrn,
 * PNam (the kernel is pid 1), XFlg, then the payloads. Returns a malloc'ed
 * block of *len bytes, or NULL with *err set. */
uint8_t *mk_write(uint32_t ram_base, uint32_t ram_size, const struct mk_kernel *k,
                  const struct mk_program *progs, uint32_t n, size_t *len, const char **err);

#endif /* MKIMAGE_H */
