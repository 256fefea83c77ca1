/*
 * sandbox_golden.c - the sandbox policies' generated filters (libseccomp's
 * PFC text) against the golden files in golden/, so any change of a policy
 * is a reviewed change of a checked-in file.
 *
 *   rel_sandbox_golden GOLDEN_DIR            compare (the ctest)
 *   rel_sandbox_golden GOLDEN_DIR --update   rewrite the golden files
 *
 * Needs libxous-host's xh_sandbox_export_pfc() (static library internals).
 * A sanitizer build widens the default policy for its runtime, so it has
 * golden files of its own (NAME-asan.pfc).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xous-host-internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define SUFFIX "-asan"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SUFFIX "-asan"
#endif
#endif
#ifndef SUFFIX
#define SUFFIX ""
#endif

static char *read_all(FILE *f, size_t *n)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);

	while (buf) {
		size_t got = fread(buf + len, 1, cap - len, f);

		len += got;
		if (len < cap)
			break;
		cap *= 2;
		buf = realloc(buf, cap);
	}
	*n = len;
	return buf;
}

/* The policy's filter as PFC text. */
static char *export_policy(const char *policy, size_t *n)
{
	FILE *tmp = tmpfile();
	char *text;

	if (!tmp || xh_sandbox_export_pfc(policy, fileno(tmp)) != XOUS_OK) {
		fprintf(stderr, "cannot export policy %s\n", policy);
		exit(1);
	}
	rewind(tmp);
	text = read_all(tmp, n);
	fclose(tmp);
	return text;
}

static int check(const char *dir, const char *policy, int update)
{
	char path[4096];
	size_t n, m = 0;
	char *got = export_policy(policy, &n), *want = NULL;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/sandbox-%s%s.pfc", dir, policy, SUFFIX);
	if (update) {
		f = fopen(path, "w");
		ok = f && fwrite(got, 1, n, f) == n;
		if (f)
			fclose(f);
		printf("%s %s\n", ok ? "wrote" : "cannot write", path);
		free(got);
		return ok;
	}
	f = fopen(path, "r");
	if (f) {
		want = read_all(f, &m);
		fclose(f);
	}
	ok = want && m == n && memcmp(got, want, n) == 0;
	printf("%s policy %s matches %s\n", ok ? "ok  " : "FAIL", policy, path);
	if (!ok)
		fprintf(stderr,
		        "the generated filter differs from the golden file; review it and "
		        "run `rel_sandbox_golden %s --update`\n--- generated:\n%.*s\n",
		        dir, (int)n, got);
	free(got);
	free(want);
	return ok;
}

int main(int argc, char **argv)
{
	int update = argc >= 3 && strcmp(argv[2], "--update") == 0, ok;

	if (argc < 2) {
		fprintf(stderr, "usage: rel_sandbox_golden GOLDEN_DIR [--update]\n");
		return 2;
	}
	ok = check(argv[1], "default", update);
	ok &= check(argv[1], "host", update);
	return ok ? 0 : 1;
}
