/* elf32.h - what kernel-riscv reads of a 32-bit ELF file (the kernel's
 * exec.c, the host's mkimage.c): its header and its program headers. */
#ifndef ELF32_H
#define ELF32_H

#include <stdint.h>

#define ELF_MAGIC    0x464c457fu /* "\177ELF", little-endian */
#define ELF_CLASS32  1
#define ELF_DATA2LSB 1
#define EM_RISCV     243
#define PT_LOAD      1
#define PF_X         1
#define PF_W         2
#define PF_R         4

struct elfhdr {
	uint32_t magic;
	uint8_t class, data, ident[10];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
	uint32_t type, off, vaddr, paddr, filesz, memsz, flags, align;
};

#endif /* ELF32_H */
