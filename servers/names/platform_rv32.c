/*
 * platform_rv32.c - the name server's random source on kernel-riscv: the
 * kernel's own, through CreateServerId (31), which returns 128 fresh bits.
 * kernel-riscv keeps no server names, so names_platform_label tells nobody.
 */
#include <xous.h>

#include "names.h"
#include "platform.h"

static void random_words(uint32_t w[4])
{
	uintptr_t r[5];

	rv32_sys3(XOUS_SYS_CREATE_SERVER_ID, 0, 0, r);
	for (int i = 0; i < 4; i++)
		w[i] = (uint32_t)r[1 + i];
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

void names_platform_label(const xous_sid_t *sid, const uint8_t *name, size_t len)
{
	(void)sid, (void)name, (void)len;
}
