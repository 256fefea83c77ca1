/*
 * chacha20.c - ChaCha20 (RFC 8439, section 2.3) and the fast-key-erasure
 * generator over it (chacha20.h). Words are little-endian on the wire.
 */
#include "chacha20.h"

static uint32_t rotl(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void quarter_round(uint32_t *x, int a, int b, int c, int d)
{
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 7);
}

void chacha20_block(const uint8_t key[CHACHA20_KEY_BYTES], uint32_t counter,
                    const uint8_t nonce[CHACHA20_NONCE_BYTES], uint8_t out[CHACHA20_BLOCK_BYTES])
{
	/* "expand 32-byte k" */
	uint32_t in[16] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u}, x[16];

	for (int i = 0; i < 8; i++)
		in[4 + i] = load32(key + 4 * i);
	in[12] = counter;
	for (int i = 0; i < 3; i++)
		in[13 + i] = load32(nonce + 4 * i);
	for (int i = 0; i < 16; i++)
		x[i] = in[i];
	for (int i = 0; i < 10; i++) { /* 20 rounds: a column round, then a diagonal round */
		quarter_round(x, 0, 4, 8, 12);
		quarter_round(x, 1, 5, 9, 13);
		quarter_round(x, 2, 6, 10, 14);
		quarter_round(x, 3, 7, 11, 15);
		quarter_round(x, 0, 5, 10, 15);
		quarter_round(x, 1, 6, 11, 12);
		quarter_round(x, 2, 7, 8, 13);
		quarter_round(x, 3, 4, 9, 14);
	}
	for (int i = 0; i < 16; i++)
		store32(out + 4 * i, x[i] + in[i]);
	chacha20_wipe(in, sizeof(in));
	chacha20_wipe(x, sizeof(x));
}

void chacha20_wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
}

static void copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	while (n--)
		*dst++ = *src++;
}

void chacha20_rng_seed(struct chacha20_rng *g, const uint8_t seed[CHACHA20_KEY_BYTES])
{
	copy(g->key, seed, CHACHA20_KEY_BYTES);
}

void chacha20_rng_bytes(struct chacha20_rng *g, void *out, size_t n)
{
	static const uint8_t nonce[CHACHA20_NONCE_BYTES];
	uint8_t block[CHACHA20_BLOCK_BYTES], next[CHACHA20_KEY_BYTES], *o = out;
	uint32_t counter = 0;
	size_t at = CHACHA20_KEY_BYTES; /* block 0: the next key, then output */

	chacha20_block(g->key, counter++, nonce, block);
	copy(next, block, CHACHA20_KEY_BYTES);
	while (n > 0) {
		if (at == CHACHA20_BLOCK_BYTES) {
			chacha20_block(g->key, counter++, nonce, block);
			at = 0;
		}
		size_t take = CHACHA20_BLOCK_BYTES - at < n ? CHACHA20_BLOCK_BYTES - at : n;
		copy(o, block + at, take);
		o += take;
		at += take;
		n -= take;
	}
	copy(g->key, next, CHACHA20_KEY_BYTES);
	chacha20_wipe(next, sizeof(next));
	chacha20_wipe(block, sizeof(block));
}
