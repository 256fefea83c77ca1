/*
 * test_chacha20.c - kernel-riscv's ChaCha20 (kernel/chacha20.c), built for
 * the host, against the test vectors of RFC 8439 (the block function of
 * section 2.3.2, the encryption of section 2.4.2, the block vectors of
 * appendix A.1), and its fast-key-erasure generator: each request rekeys
 * from the stream of the key before, whose bytes never appear in an output.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "chacha20.h"

/* hex (without spaces) into out; returns the byte count. */
static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void key_00_1f(uint8_t key[32])
{
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
}

static void check_block(const char *key_hex, uint32_t counter, const char *nonce_hex,
                        const char *want_hex)
{
	uint8_t key[32], nonce[12], want[64], got[64];

	ck_assert_uint_eq(unhex(key_hex, key), 32);
	ck_assert_uint_eq(unhex(nonce_hex, nonce), 12);
	ck_assert_uint_eq(unhex(want_hex, want), 64);
	chacha20_block(key, counter, nonce, got);
	ck_assert_mem_eq(got, want, 64);
}

#define ZERO_KEY   "0000000000000000000000000000000000000000000000000000000000000000"
#define ZERO_NONCE "000000000000000000000000"

START_TEST(block_function_2_3_2)
{
	check_block("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1,
	            "000000090000004a00000000",
	            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
	            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
}
END_TEST

START_TEST(block_vectors_a_1)
{
	check_block(ZERO_KEY, 0, ZERO_NONCE,
	            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	            "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
	check_block(ZERO_KEY, 1, ZERO_NONCE,
	            "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
	            "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
	check_block("0000000000000000000000000000000000000000000000000000000000000001", 1,
	            ZERO_NONCE,
	            "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
	            "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0");
	check_block("00ff000000000000000000000000000000000000000000000000000000000000", 2,
	            ZERO_NONCE,
	            "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
	            "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096");
	check_block(ZERO_KEY, 0, "000000000000000000000002",
	            "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
	            "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d");
}
END_TEST

/* 2.4.2: the key stream from counter 1 XORed over the plaintext. */
START_TEST(encryption_2_4_2)
{
	static const char plain[] =
	        "Ladies and Gentlemen of the class of '99: If I could offer you "
	        "only one tip for the future, sunscreen would be it.";
	uint8_t key[32], nonce[12], want[sizeof(plain)], got[sizeof(plain)], ks[64];
	size_t n = sizeof(plain) - 1;

	key_00_1f(key);
	unhex("000000000000004a00000000", nonce);
	ck_assert_uint_eq(unhex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	                        "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	                        "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	                        "5af90bbf74a35be6b40b8eedf2785e42874d",
	                        want),
	                  n);
	for (size_t i = 0; i < n; i++) {
		if (i % 64 == 0)
			chacha20_block(key, 1 + (uint32_t)(i / 64), nonce, ks);
		got[i] = (uint8_t)plain[i] ^ ks[i % 64];
	}
	ck_assert_mem_eq(got, want, n);
}
END_TEST

/* One request of n bytes from key, as the generator must produce it. */
static void expected_request(const uint8_t key[32], size_t n, uint8_t *out, uint8_t next[32])
{
	static const uint8_t nonce[12];
	uint8_t stream[4 * 64];

	ck_assert_uint_le(n + 32, sizeof(stream));
	for (uint32_t b = 0; b < 4; b++)
		chacha20_block(key, b, nonce, stream + 64 * b);
	memcpy(next, stream, 32);
	memcpy(out, stream + 32, n);
}

START_TEST(generator_rekeys_after_every_request)
{
	struct chacha20_rng g;
	uint8_t key[32], want[200], got[200], next[32];
	size_t sizes[] = {16, 32, 33, 100, 160, 1};

	key_00_1f(key);
	chacha20_rng_seed(&g, key);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		expected_request(key, sizes[i], want, next);
		chacha20_rng_bytes(&g, got, sizes[i]);
		ck_assert_mem_eq(got, want, sizes[i]);
		ck_assert_mem_eq(g.key, next, 32); /* the key is the stream's first 32 bytes */
		ck_assert(memcmp(g.key, key, 32) != 0);
		for (size_t j = 0; j + 32 <= sizes[i]; j++) /* and never given out */
			ck_assert(memcmp(got + j, g.key, 32) != 0);
		memcpy(key, next, 32);
	}
}
END_TEST

START_TEST(two_seeds_two_streams)
{
	struct chacha20_rng a, b;
	uint8_t seed[32] = {0}, x[16], y[16];

	chacha20_rng_seed(&a, seed);
	seed[31] = 1;
	chacha20_rng_seed(&b, seed);
	chacha20_rng_bytes(&a, x, sizeof(x));
	chacha20_rng_bytes(&b, y, sizeof(y));
	ck_assert(memcmp(x, y, sizeof(x)) != 0);
	chacha20_rng_bytes(&a, y, sizeof(y));
	ck_assert(memcmp(x, y, sizeof(x)) != 0); /* the same generator never repeats a request */
}
END_TEST

START_TEST(wipe_zeroes)
{
	uint8_t buf[37];

	memset(buf, 0xa5, sizeof(buf));
	chacha20_wipe(buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
	        block_function_2_3_2,  block_vectors_a_1,
	        encryption_2_4_2,      generator_rekeys_after_every_request,
	        two_seeds_two_streams, wipe_zeroes,
	};

	return run_tests("chacha20", tests, sizeof(tests) / sizeof(tests[0]));
}
