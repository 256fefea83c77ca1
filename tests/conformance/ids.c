/*
 * ids: random server ids are unguessable. Ids made one after another never
 * repeat and are never zero, and no linear relation over GF(2) ties an id to
 * the one before it: the pairs (id, next id), 256 bits each, span all 256
 * dimensions. A generator whose next output is a linear function of its
 * last one and of a few clock bits (an xorshift stirred with the time)
 * spans far fewer. The first id is printed, so that two boots can be
 * compared (conformance.ids-differ-per-boot.*: they must differ).
 */
#include <string.h>

#include "conf.h"

#define N     300 /* ids: N - 1 pairs, enough for rank 256 but with odds 2^-40 */
#define WORDS 8   /* one pair: 256 bits */

static uint32_t ids[N][4];

/* Rank over GF(2) of the pairs (ids[i], ids[i + 1]): a basis kept by
 * leading bit, each pair reduced by it and added if something is left. */
static int pair_rank(void)
{
	static uint32_t basis[WORDS * 32][WORDS];
	static int used[WORDS * 32];
	int rank = 0;

	for (int i = 0; i + 1 < N; i++) {
		uint32_t v[WORDS];
		memcpy(v, ids[i], 16);
		memcpy(v + 4, ids[i + 1], 16);
		for (int bit = WORDS * 32 - 1; bit >= 0; bit--) {
			if (!(v[bit / 32] >> (bit % 32) & 1))
				continue;
			if (!used[bit]) {
				memcpy(basis[bit], v, sizeof(v));
				used[bit] = 1;
				rank++;
				break;
			}
			for (int w = 0; w < WORDS; w++)
				v[w] ^= basis[bit][w];
		}
	}
	return rank;
}

int main(void)
{
	int repeats = 0, zeros = 0;

	for (int i = 0; i < N; i++) {
		xous_sid_t sid;
		xous_cid_t cid;
		CHECK_OK(xous_create_server(&sid));
		CHECK_OK(xous_try_connect(&sid, &cid)); /* its creator's connection */
		CHECK_OK(xous_destroy_server(&sid));
		CHECK_OK(xous_disconnect(cid)); /* so that the tables never fill */
		memcpy(ids[i], sid.w, sizeof(sid.w));
		zeros += (sid.w[0] | sid.w[1] | sid.w[2] | sid.w[3]) == 0;
		for (int j = 0; j < i; j++)
			repeats += memcmp(ids[i], ids[j], sizeof(ids[i])) == 0;
	}
	CHECK(zeros == 0);
	CHECK(repeats == 0);
	int rank = pair_rank();
	if (rank != WORDS * 32)
		printf("FAIL ids: (id, next id) pairs span %d of 256 dimensions\n", rank);
	CHECK(rank == WORDS * 32);
	printf("ids: first %08lx%08lx%08lx%08lx\n", (unsigned long)ids[0][0],
	       (unsigned long)ids[0][1], (unsigned long)ids[0][2], (unsigned long)ids[0][3]);
	return conf_end("ids");
}
