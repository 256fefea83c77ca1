/*
 * fuzz_common.c - what every fuzz target shares: the failure report.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_input.h"

void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
	abort();
}
