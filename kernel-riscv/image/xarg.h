/*
 * xarg.h - Xous's argument block: the boot image's table of contents, as
 * Xous's image tools write it (docs/kernel-riscv.md, "Boot image and
 * loader"). Shared by the host tool xous-create-image, the loader and the
 * kernel; freestanding (stdint only). Every word is little-endian, and so is
 * every machine that reads it here (RV32, x86-64).
 *
 * A block is a list of tags, XArg first. A tag is a header of two words (the
 * four-character name, then the CRC-16/X25 of its data in the low half and
 * its data's length in words in the high half) and its data. Offsets in tags
 * (load_offset) count bytes from the start of the block; the payloads they
 * point at follow the tags, each page-aligned (IniF: aligned so that its
 * sections' page offsets match their addresses').
 */
#ifndef XARG_H
#define XARG_H

#include <stdbool.h>
#include <stdint.h>

#define XARG_NAME(a, b, c, d)                                                                      \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define XARG_XARG XARG_NAME('X', 'A', 'r', 'g') /* total words, version, RAM base, size, name */
#define XARG_XKRN XARG_NAME('X', 'K', 'r', 'n') /* the kernel */
#define XARG_INIE XARG_NAME('I', 'n', 'i', 'E') /* a program copied into RAM */
#define XARG_INIF XARG_NAME('I', 'n', 'i', 'F') /* a program that may run from flash */
#define XARG_PNAM XARG_NAME('P', 'N', 'a', 'm') /* process names by pid */
#define XARG_XFLG XARG_NAME('X', 'F', 'l', 'g') /* kernel-riscv's: program flags by pid */

#define XARG_PAGE     4096u
#define XARG_VERSION  1u
#define XARG_HDR      8u                            /* bytes of a tag's header */
#define XARG_XARG_LEN 20u                           /* bytes of XArg's data */
#define XARG_XKRN_LEN 28u                           /* bytes of XKrn's data */
#define XARG_RAM_NAME XARG_NAME('S', 'r', 'E', 'x') /* Precursor's external SRAM, "sram_ext" */

/* XArg's data, in words */
enum { XARG_TOTAL, XARG_VER, XARG_RAM_START, XARG_RAM_SIZE, XARG_RAM_ID };
/* XKrn's data, in words: the payload is text_size bytes of text, then data_size of data */
enum {
	XKRN_LOAD,
	XKRN_TEXT_VA,
	XKRN_TEXT_SIZE,
	XKRN_DATA_VA,
	XKRN_DATA_SIZE,
	XKRN_BSS_SIZE,
	XKRN_ENTRY
};
/* IniE/IniF's data: load_offset, entry, then two words per section: its
 * address, and its size (low 24 bits) with its XARG_SEC_* flags (high 8) */
enum { INI_LOAD, INI_ENTRY, INI_SECTIONS };
#define XARG_SEC_WRITE     0x01u
#define XARG_SEC_NOCOPY    0x02u /* zeroed, no bytes in the payload */
#define XARG_SEC_EXECUTE   0x04u
#define XARG_SEC_EH_FRAME  0x08u
#define XARG_SEC_EH_HEADER 0x10u
#define XARG_SEC_SIZE(w)   ((w)&0x00ffffffu)
#define XARG_SEC_FLAGS(w)  ((w) >> 24)
#define XARG_SEC_MAX       0x00ffffffu
/* PNam's data: per name, its pid, its length in bytes, the bytes padded to a word.
 * XFlg's data: per program, its pid and its XK_PROG_* flags (kernel/defs.h). */

/* A tag found in a block (what the walker hands out). */
struct xarg_tag {
	uint32_t name, words, offset; /* offset: of the tag's header in the block */
	const uint32_t *data;
};

/* Walking a checked block: i = 0, then while (xarg_next(block, &i, &tag)). */
bool xarg_next(const void *block, uint32_t *i, struct xarg_tag *tag);

uint16_t xarg_crc16(const void *p, uint32_t len); /* CRC-16/X25 (Xous's crc16::X25) */

/*
 * Checks a block of at most size bytes (the payloads included) as the loader
 * must before it trusts it: XArg first and well-formed, every tag inside the
 * block with its CRC right, exactly one XKrn, at least one program, every
 * payload inside size and aligned as the format says, names well-formed.
 * Returns NULL, or what is wrong (a constant string).
 */
const char *xarg_check(const void *block, uint32_t size);

/* The bytes past the block's start that its payloads reach (a checked block). */
uint32_t xarg_extent(const void *block);

/* Bytes of an IniE/IniF's payload (the sections without XARG_SEC_NOCOPY). */
uint32_t xarg_ini_bytes(const struct xarg_tag *t);

#endif /* XARG_H */
