/*
 * boot.c - what every M-mode boot stage does before the kernel runs: the
 * kernel's page tables, M-mode's timer, and the mret into the kernel
 * (boot.h). Physical addresses only; no global of its own.
 */
#include "boot.h"
#include "riscv.h"

#define KPTE_FLAGS (PTE_A | PTE_D | PTE_G | PTE_V)

static void zero_page(uint32_t pa)
{
	volatile uint32_t *p = (volatile uint32_t *)pa;

	for (uint32_t i = 0; i < PGSIZE / 4; i++)
		p[i] = 0;
}

int boot_page_tables(struct boot_info *bi)
{
	uint32_t root = PGROUNDUP(bi->free_pa), l0 = root + PGSIZE;
	uint32_t ram = bi->ram_size < BOOT_LINEAR_MAX ? bi->ram_size : BOOT_LINEAR_MAX;
	pagetable_t rt = (pagetable_t)root, kt = (pagetable_t)l0;

	if ((bi->ram_base & (MEGAPAGE - 1)) || (bi->kernel_pa & (PGSIZE - 1)) ||
	    bi->kernel_size > BOOT_KERNEL_MAX || bi->kernel_text > bi->kernel_size ||
	    l0 + PGSIZE > bi->ram_base + ram)
		return -1;
	zero_page(root);
	zero_page(l0);
	for (uint32_t off = 0; off < ram; off += MEGAPAGE)
		rt[VPN1(BOOT_LINEAR_VA + off)] =
		        PA2PTE(bi->ram_base + off) | PTE_R | PTE_W | KPTE_FLAGS;
	rt[VPN1(BOOT_KERNEL_VA)] = PA2PTE(l0) | PTE_V;
	for (uint32_t off = 0; off < bi->kernel_size; off += PGSIZE)
		kt[VPN0(BOOT_KERNEL_VA + off)] = PA2PTE(bi->kernel_pa + off) | PTE_R | KPTE_FLAGS |
		                                 (off < bi->kernel_text ? PTE_X : PTE_W);
	bi->ram_size = ram;
	bi->root_pa = root;
	bi->free_pa = l0 + PGSIZE;
	return 0;
}

static uint64_t mtime_now(volatile uint32_t *now)
{
	uint32_t hi, lo;

	do {
		hi = now[1];
		lo = now[0];
	} while (hi != now[1]);
	return (uint64_t)hi << 32 | lo;
}

void boot_mtimer(uint32_t *scratch, uint32_t mtime, uint32_t mtimecmp, uint32_t interval)
{
	volatile uint32_t *cmp = (volatile uint32_t *)mtimecmp;
	uint64_t next = mtime_now((volatile uint32_t *)mtime) + interval;

	cmp[0] = 0xffffffffu; /* three stores, never below the target */
	cmp[1] = (uint32_t)(next >> 32);
	cmp[0] = (uint32_t)next;
	scratch[4] = mtimecmp;
	scratch[5] = mtime;
	scratch[6] = interval;
	w_mscratch((uint32_t)scratch);
	w_mtvec((uint32_t)boot_timervec);
	w_mie(r_mie() | MIE_MTIE);
}

void boot_enter(const struct boot_info *bi, uint32_t mstatus_set)
{
	uint32_t mstatus = r_mstatus() & ~(MSTATUS_MPP_MASK | MSTATUS_MIE);
	register uint32_t a0 asm("a0") = (uint32_t)bi - bi->ram_base + BOOT_LINEAR_VA;

	w_mstatus(mstatus | mstatus_set | MSTATUS_MPP_S);
	w_mepc(BOOT_KERNEL_VA);
	w_medeleg(0xffff);
	w_mideleg(0xffff);
	w_sie(r_sie() | SIE_SEIE | SIE_STIE | SIE_SSIE);
	w_pmpaddr0(0xffffffffu); /* S-mode reaches all of memory */
	w_pmpcfg0(0xf);
	w_mcounteren(7); /* cycle, time, instret readable below M */
	w_satp(MAKE_SATP(bi->root_pa));
	sfence_vma();
	asm volatile("mret" : : "r"(a0) : "memory");
	__builtin_unreachable();
}
