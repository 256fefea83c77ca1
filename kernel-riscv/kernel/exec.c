/* exec.c - load an RV32 ELF executable from the boot image into an address space. */
#include "defs.h"

#define ELF_MAGIC 0x464c457fu
#define EM_RISCV  243
#define PT_LOAD   1
#define PF_X      1
#define PF_W      2
#define PF_R      4

struct elfhdr {
	uint32_t magic;
	uint8_t ident[12];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
	uint32_t type, off, vaddr, paddr, filesz, memsz, flags, align;
};

static uint32_t seg_perm(uint32_t flags)
{
	return ((flags & PF_R) ? PTE_R : 0) | ((flags & PF_W) ? PTE_W : 0) |
	       ((flags & PF_X) ? PTE_X : 0);
}

/* Copy one segment page by page; pages shared by two segments get both permissions. */
static int load_segment(pagetable_t pt, const uint8_t *elf, const struct proghdr *ph)
{
	uint32_t end = ph->vaddr + ph->memsz;

	for (uint32_t va = PGROUNDDOWN(ph->vaddr); va < end; va += PGSIZE) {
		pte_t *pte = walk(pt, va, true);
		if (!pte)
			return -1;
		if (!*pte) {
			void *page = kalloc();
			if (!page)
				return -1;
			*pte = PA2PTE(V2P(page)) | PTE_U | PTE_A | PTE_D | PTE_V;
		}
		*pte |= seg_perm(ph->flags);
		uint8_t *dst = P2V(PTE2PA(*pte));
		uint32_t from = va < ph->vaddr ? ph->vaddr : va;
		uint32_t to =
		        va + PGSIZE < ph->vaddr + ph->filesz ? va + PGSIZE : ph->vaddr + ph->filesz;
		if (from < to)
			memcpy(dst + (from - va), elf + ph->off + (from - ph->vaddr), to - from);
	}
	return 0;
}

int elf_load(pagetable_t pt, const uint8_t *elf, uint32_t size, uint32_t *entry)
{
	const struct elfhdr *eh = (const void *)elf;

	if (size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->ident[0] != 1 /* 32-bit */ ||
	    eh->machine != EM_RISCV || eh->phentsize != sizeof(struct proghdr) ||
	    eh->phoff > size || eh->phnum > (size - eh->phoff) / sizeof(struct proghdr))
		return -1;
	const struct proghdr *ph = (const void *)(elf + eh->phoff);
	for (int i = 0; i < eh->phnum; i++, ph++) {
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		if (ph->vaddr < USER_ELF_BASE || ph->memsz > USER_ELF_TOP - ph->vaddr ||
		    ph->filesz > ph->memsz || ph->off > size || ph->filesz > size - ph->off)
			return -1;
		if (load_segment(pt, elf, ph) < 0)
			return -1;
	}
	fence_i(); /* the pages may have held other code before */
	*entry = eh->entry;
	return 0;
}
