/* main.c - the boot order, in S-mode with interrupts off. */
#include "defs.h"
#include "proc.h"

extern char end[]; /* the linker script: first byte after the kernel and its programs */

static void start_programs(void)
{
	uint32_t pid;

	for (const struct xk_program *p = xk_programs; p->name; p++) {
		if (proc_load(p->name, p->start, (uint32_t)(p->end - p->start), &pid) < 0)
			panic("cannot load %s", p->name);
		if (p->is_main)
			proc_set_main(pid);
		kprintf("[kernel] started %s as pid %u\n", p->name, pid);
	}
}

void main(void)
{
	uart_init();
	kprintf("[kernel] xous kernel-riscv on %s\n", BOARD_NAME);
	kinit((uint32_t)end);
	kvminit();
	kvminithart();
	trap_init();
	plic_init();
	random_init();
	proc_init();
	kc_init(&kcore, &kernel_kc_ops);
	clock_utc_ms(); /* read the RTC once, at boot */
	start_programs();
	userret(schedule());
}
