/*
 * platform_rv32.c - the name server's platform code on kernel-riscv: the
 * kernel's random source, through CreateServerId (31), which returns 128
 * fresh bits; a lock that yields the CPU while the other thread holds it.
 * names_platform_label tells the kernel (ServerLabel, 1107: a1..a4 the
 * server, a5 the length, a6 the bytes), which launches hooked tasks by name.
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
	uintptr_t r[8] = {XOUS_SYS_SERVER_LABEL, sid->w[0], sid->w[1], sid->w[2], sid->w[3], len,
	                  (uintptr_t)name};

	rv32_ecall(r); /* an error changes nothing: the name is registered */
}
