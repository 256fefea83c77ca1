/*
 * plain.c - a fleet program that does not link libxous-host, so only the
 * broker's baseline filter confines it (CONTRACT section 4.13). It makes
 * the one attempt argv[1] names (attempt.c) and exits with its outcome
 * (REL_WENT_THROUGH, REL_REFUSED, ...), or dies by SIGSYS. sandbox.c runs
 * it in fleets and checks what the broker reports.
 */
#include <stdio.h>

#include "attempt.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: rel_plain WHAT\n");
		return REL_UNKNOWN;
	}
	return rel_attempt(argv[1]);
}
