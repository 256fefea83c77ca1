/*
 * random.c - the kernel's random numbers (server ids): ChaCha20 with fast
 * key erasure (chacha20.h), seeded at boot with 32 bytes of the board's
 * entropy. Its state is one key in kernel memory, replaced at every request
 * by key stream no output contains: no syscall reveals it, and ids are
 * neither predictable from earlier ids nor from the clocks U-mode can read.
 * Without an entropy device the kernel refuses to boot rather than hand out
 * guessable ids.
 */
#include "chacha20.h"
#include "defs.h"

static struct chacha20_rng rng;

void random_init(void)
{
	uint8_t seed[CHACHA20_KEY_BYTES];

	if (!board_entropy(seed, sizeof(seed)))
		panic("no entropy source on %s (qemu: -device virtio-rng-device, or -cpu "
		      "...,zkr=true): "
		      "server ids would be guessable",
		      BOARD_NAME);
	chacha20_rng_seed(&rng, seed);
	chacha20_wipe(seed, sizeof(seed));
}

void random_bytes(void *out, uint32_t n)
{
	chacha20_rng_bytes(&rng, out, n);
}
