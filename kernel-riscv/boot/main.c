/*
 * main.c - the boot stage of an image qemu loads: the kernel's image lies
 * right after it in RAM (kernel.ld), so it only asks the board for RAM and
 * M-mode's timer, builds the page tables and enters the kernel. The test
 * hooks (kernel/param.h) that need M-mode act here.
 */
#include "boot.h"
#include "param.h"
#include "riscv.h"

/* kernel.ld: where the kernel's image lies, at BOOT_KERNEL_VA and in RAM */
extern char __kernel_pa[], __kernel_text_end[], __kernel_end[];

void boot_main(uint32_t hart, uint32_t fdt);

static struct boot_info bi;
static uint32_t timer_scratch[8];

/* A word of the kernel's image, read at its physical address. */
static uint32_t kernel_word(const uint32_t *va)
{
	return *(const uint32_t *)((uint32_t)va - BOOT_KERNEL_VA + bi.kernel_pa);
}

void boot_main(uint32_t hart, uint32_t fdt)
{
	struct boot_timer t = {0};
	uint32_t hooks, mstatus_set = 0;

	bi.magic = BOOT_INFO_MAGIC;
	bi.hart = hart;
	bi.fdt = fdt;
	bi.kernel_pa = (uint32_t)__kernel_pa;
	bi.kernel_text = (uint32_t)__kernel_text_end - BOOT_KERNEL_VA;
	bi.kernel_size = (uint32_t)__kernel_end - BOOT_KERNEL_VA;
	bi.free_pa = bi.kernel_pa + bi.kernel_size;
	hooks = kernel_word(&xk_test_hooks);
	board_boot(&bi, &t);
	if (boot_page_tables(&bi) < 0)
		return; /* the kernel cannot run here: park */
	if (t.mtime) {
		volatile uint32_t *now = (volatile uint32_t *)t.mtime;
		if (hooks & XK_HOOK_TIMER_WRAP) {
			now[0] = 0;
			now[1] = 0;
			now[0] = 0u - t.interval * (TICK_HZ / 20); /* 50 ms before the wrap */
		}
		boot_mtimer(timer_scratch, t.mtime, t.mtimecmp, t.interval);
	}
	if (hooks & XK_HOOK_RESET_VALUES) {
		w_mstatus(r_mstatus() & ~SSTATUS_SPIE);
		mstatus_set = SSTATUS_SPP;
	}
	if (hooks & XK_HOOK_LATE_MRET)
		while (!(r_mip() & MIE_MTIE))
			;
	boot_enter(&bi, mstatus_set);
}

/* An M-mode trap (boot_mfaultvec): this boot stage has no console; it parks. */
void boot_fault(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	(void)mcause;
	(void)mepc;
	(void)mtval;
}
