/*
 * chacha20.h - the ChaCha20 block function of RFC 8439 (section 2.3) and a
 * random generator over it with fast key erasure. Freestanding: the kernel
 * builds it, and so does a host unit test against the RFC's vectors
 * (kernel-riscv/tests/host/test_chacha20.c).
 */
#ifndef CHACHA20_H
#define CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_BYTES   32
#define CHACHA20_NONCE_BYTES 12
#define CHACHA20_BLOCK_BYTES 64

/* One 64-byte block of key stream: key, block counter, nonce as in RFC 8439. */
void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES]);

/*
 * The generator's whole state is one key. Each request runs ChaCha20 under
 * it from counter 0 (nonce 0): the first 32 bytes of the stream become the
 * next key, the rest is the output, and the old key and every block are
 * erased. So no output tells anything about the key that made it or about
 * the keys after it, and a copy of the state taken later cannot recover
 * earlier outputs.
 */
struct chacha20_rng {
	uint8_t key[CHACHA20_KEY_BYTES];
};

/* Start from seed (32 bytes of entropy); the caller erases its copy. */
void chacha20_rng_seed(struct chacha20_rng *g, const uint8_t seed[CHACHA20_KEY_BYTES]);
void chacha20_rng_bytes(struct chacha20_rng *g, void *out, size_t n);
/* Zero n bytes in a way the compiler keeps (the memory is never read again). */
void chacha20_wipe(void *p, size_t n);

#endif /* CHACHA20_H */
