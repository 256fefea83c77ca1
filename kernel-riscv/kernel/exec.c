/* exec.c - load an RV32 ELF executable (or an image's program: image.c) into an address space. */
#include "defs.h"
#include "elf32.h"

static uint32_t seg_perm(uint32_t flags)
{
	return ((flags & PF_R) ? PTE_R : 0) | ((flags & PF_W) ? PTE_W : 0) |
	       ((flags & PF_X) ? PTE_X : 0);
}

/* [vaddr, vaddr + memsz) of user space with perm, its first filesz bytes
 * copied from src, page by page; pages shared by two calls get both
 * permissions. */
int load_bytes(pagetable_t pt, uint32_t vaddr, uint32_t memsz, const uint8_t *src, uint32_t filesz,
               uint32_t perm)
{
	uint32_t end = vaddr + memsz;

	if (vaddr < USER_ELF_BASE || memsz > USER_ELF_TOP - vaddr || filesz > memsz)
		return -1;
	for (uint32_t va = PGROUNDDOWN(vaddr); va < end; va += PGSIZE) {
		pte_t *pte = walk(pt, va, true);
		if (!pte)
			return -1;
		if (!*pte) {
			void *page = kalloc();
			if (!page)
				return -1;
			*pte = PA2PTE(V2P(page)) | PTE_U | PTE_A | PTE_D | PTE_V;
		}
		*pte |= perm;
		uint8_t *dst = P2V(PTE2PA(*pte));
		uint32_t from = va < vaddr ? vaddr : va;
		uint32_t to = va + PGSIZE < vaddr + filesz ? va + PGSIZE : vaddr + filesz;
		if (from < to)
			memcpy(dst + (from - va), src + (from - vaddr), to - from);
	}
	return 0;
}

static int elf_load(pagetable_t pt, const uint8_t *elf, uint32_t size, uint32_t *entry)
{
	const struct elfhdr *eh = (const void *)elf;

	if (size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->class != ELF_CLASS32 ||
	    eh->machine != EM_RISCV || eh->phentsize != sizeof(struct proghdr) ||
	    eh->phoff > size || eh->phnum > (size - eh->phoff) / sizeof(struct proghdr))
		return -1;
	const struct proghdr *ph = (const void *)(elf + eh->phoff);
	for (int i = 0; i < eh->phnum; i++, ph++) {
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		if (ph->off > size || ph->filesz > size - ph->off ||
		    load_bytes(pt, ph->vaddr, ph->memsz, elf + ph->off, ph->filesz,
		               seg_perm(ph->flags)) < 0)
			return -1;
	}
	fence_i(); /* the pages may have held other code before */
	*entry = eh->entry;
	return 0;
}

/* A program of the boot image: an ELF file, or an image's (image.c). */
int exec_load(pagetable_t pt, const struct xk_program *prog, uint32_t *entry)
{
	if (prog->flags & XK_PROG_INI)
		return image_load(pt, prog, entry);
	return elf_load(pt, prog->start, (uint32_t)(prog->end - prog->start), entry);
}
