/* riscv.h - every CSR accessor and bit the RV32 kernel uses (Sv32). */
#ifndef RISCV_H
#define RISCV_H

#include <stdint.h>

/* GCC 12 names no Zicsr in its arch string, but binutils 2.40 wants it. */
#define ZICSR(insn) ".option push\n.option arch, +zicsr\n" insn "\n.option pop"

#define CSR_READ(name)                                                                             \
	static inline uint32_t r_##name(void)                                                      \
	{                                                                                          \
		uint32_t x;                                                                        \
		asm volatile(ZICSR("csrr %0, " #name) : "=r"(x));                                  \
		return x;                                                                          \
	}
#define CSR_WRITE(name)                                                                            \
	static inline void w_##name(uint32_t x)                                                    \
	{                                                                                          \
		asm volatile(ZICSR("csrw " #name ", %0") : : "r"(x));                              \
	}
#define CSR_RW(name) CSR_READ(name) CSR_WRITE(name)

CSR_RW(mstatus)
CSR_RW(mepc)
CSR_RW(medeleg)
CSR_RW(mideleg)
CSR_RW(mie)
CSR_READ(mip)
CSR_RW(mtvec)
CSR_RW(mscratch)
CSR_RW(mcounteren)
CSR_RW(pmpcfg0)
CSR_RW(pmpaddr0)
CSR_READ(mhartid)
CSR_RW(sstatus)
CSR_RW(sie)
CSR_RW(sip)
CSR_RW(sepc)
CSR_RW(stvec)
CSR_RW(satp)
CSR_RW(scounteren)
CSR_READ(scause)
CSR_READ(stval)
CSR_READ(instret)
CSR_READ(time)
CSR_READ(timeh)

#define MSTATUS_MPP_MASK (3u << 11)
#define MSTATUS_MPP_S    (1u << 11)
#define MSTATUS_MIE      (1u << 3)
#define MIE_MTIE         (1u << 7)

#define SSTATUS_SPP  (1u << 8)
#define SSTATUS_SPIE (1u << 5)
#define SSTATUS_SIE  (1u << 1)
#define SSTATUS_SUM  (1u << 18)
#define SIE_SEIE     (1u << 9)
#define SIE_STIE     (1u << 5)
#define SIE_SSIE     (1u << 1)
#define SIP_SSIP     (1u << 1)
#define SIP_SEIP     (1u << 9)

/* scause values */
#define SCAUSE_INTR      (1u << 31)
#define SCAUSE_SSI       (SCAUSE_INTR | 1)
#define SCAUSE_SEI       (SCAUSE_INTR | 9)
#define SCAUSE_ECALL_U   8
#define SCAUSE_IFETCH_PF 12
#define SCAUSE_LOAD_PF   13
#define SCAUSE_STORE_PF  15

/* Sv32 */
#define SATP_SV32       (1u << 31)
#define PGSIZE          4096u
#define PGSHIFT         12
#define MEGAPAGE        (4u * 1024 * 1024)
#define PGROUNDUP(a)    (((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a)  ((a) & ~(PGSIZE - 1))
#define PTE_V           (1u << 0)
#define PTE_R           (1u << 1)
#define PTE_W           (1u << 2)
#define PTE_X           (1u << 3)
#define PTE_U           (1u << 4)
#define PTE_G           (1u << 5)
#define PTE_A           (1u << 6)
#define PTE_D           (1u << 7)
#define PTE_LENT        (1u << 8) /* RSW: invalid while lent out; the PPN is kept */
#define PTE_BORROWED    (1u << 9) /* RSW: a lent page, mapped in the borrower */
#define PA2PTE(pa)      (((uint32_t)(pa) >> 12) << 10)
#define PTE2PA(pte)     (((pte) >> 10) << 12)
#define VPN1(va)        (((uint32_t)(va) >> 22) & 0x3ffu)
#define VPN0(va)        (((uint32_t)(va) >> 12) & 0x3ffu)
#define MAKE_SATP(root) (SATP_SV32 | ((uint32_t)(root) >> 12))

typedef uint32_t pte_t;
typedef pte_t *pagetable_t; /* 1024 entries */

static inline void sfence_vma(void)
{
	asm volatile("sfence.vma zero, zero" ::: "memory");
}

/* After writing instructions to memory, before they run (this hart's I-cache). */
static inline void fence_i(void)
{
	asm volatile(".option push\n.option arch, +zifencei\nfence.i\n.option pop" ::: "memory");
}

/* A 64-bit timer register from its two words, re-read if the low one wrapped between. */
static inline uint64_t mtime_read(uint32_t addr)
{
	volatile uint32_t *now = (volatile uint32_t *)addr;
	uint32_t hi, lo;

	do {
		hi = now[1];
		lo = now[0];
	} while (hi != now[1]);
	return (uint64_t)hi << 32 | lo;
}

static inline void intr_off(void)
{
	w_sstatus(r_sstatus() & ~SSTATUS_SIE);
}

#endif /* RISCV_H */
