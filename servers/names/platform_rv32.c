/*
 * platform_rv32.c - the name server's random source on kernel-riscv: the
 * kernel's own, through CreateServerId (31), which returns 128 fresh bits.
 */
#include <xous.h>

#include "names.h"

static void random_words(uint32_t w[4])
{
	register uintptr_t a0 asm("a0") = XOUS_SYS_CREATE_SERVER_ID;
	register uintptr_t a1 asm("a1") = 0, a2 asm("a2") = 0, a3 asm("a3") = 0, a4 asm("a4") = 0,
	                      a5 asm("a5") = 0, a6 asm("a6") = 0, a7 asm("a7") = 0;

	asm volatile("ecall"
	             : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
	               "+r"(a7)
	             :
	             : "memory");
	w[0] = a1;
	w[1] = a2;
	w[2] = a3;
	w[3] = a4;
}

void names_platform_random(uint32_t *words, size_t n)
{
	uint32_t w[4];

	for (size_t i = 0; i < n; i++) {
		if (i % 4 == 0)
			random_words(w);
		words[i] = w[i % 4];
	}
}
