/*
 * semihosting.c - leave qemu with a status where the machine has no exit
 * device (sifive_u; qemu needs -semihosting): the RISC-V semihosting call
 * (the ebreak between two marker instructions, from M- or S-mode) of
 * SYS_EXIT_EXTENDED, whose block holds the reason "application exit" and
 * the status qemu exits with.
 */
#include "defs.h"

#define SYS_EXIT_EXTENDED    0x20u
#define ADP_APPLICATION_EXIT 0x20026u

void semihosting_exit(uint32_t code)
{
	static uint32_t block[2];
	register uint32_t a0 asm("a0") = SYS_EXIT_EXTENDED;
	register uint32_t a1 asm("a1") = (uint32_t)block;

	block[0] = ADP_APPLICATION_EXIT;
	block[1] = code;
	asm volatile(".option push\n.option norvc\n"
	             "slli zero, zero, 0x1f\nebreak\nsrai zero, zero, 7\n.option pop"
	             : "+r"(a0)
	             : "r"(a1)
	             : "memory");
	for (;;)
		asm volatile("wfi");
}
