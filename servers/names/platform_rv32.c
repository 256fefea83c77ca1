/*
 * platform_rv32.c - the name server's platform code on kernel-riscv: the
 * kernel's random source, through CreateServerId (31), which returns 128
 * fresh bits; a lock that yields the CPU while the other thread holds it.
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

static volatile int lock;

void names_platform_lock(void)
{
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		xous_yield();
}

void names_platform_unlock(void)
{
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

void names_platform_label(const xous_sid_t *sid, const uint8_t *name, size_t len)
{
	(void)sid, (void)name, (void)len;
}
