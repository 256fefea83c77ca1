# reset.S - what stands in for Precursor's boot ROM on qemu virt, whose
# reset jumps to the start of pflash (0x20000000) with a0 = hartid and
# a1 = the device tree: on to the loader at 0x20501000, a0 and a1 kept.

	.section .loader.reset, "ax"
	.globl _reset
_reset:
	lui t0, %hi(_loader)
	addi t0, t0, %lo(_loader)
	jr t0
