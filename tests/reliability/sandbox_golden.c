/*
 * sandbox_golden.c - the sandbox policies' generated filters (libseccomp's
 * PFC text and the stacked mremap program) against the golden files in
 * golden/, so any change of a policy is a reviewed change of a checked-in
 * file: sandbox-POLICY.pfc is the filter libxous-host narrows to,
 * sandbox-baseline-POLICY.pfc the one the broker installs before exec.
 *
 *   rel_sandbox_golden GOLDEN_DIR            compare (the ctest)
 *   rel_sandbox_golden GOLDEN_DIR --update   rewrite the golden files
 *
 * A sanitizer build widens the policies for its runtime, so it has golden
 * files of its own (NAME-asan.pfc).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"

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

/* The policy's filter at a stage as PFC text. */
static char *export_policy(enum xh_policy policy, enum xh_stage stage, size_t *n)
{
	FILE *tmp = tmpfile();
	scmp_filter_ctx ctx = xh_policy_filter(policy, stage, NULL);
	char *text;

	if (!tmp || !ctx || xh_policy_export(ctx, NULL, fileno(tmp)) != 0) {
		fprintf(stderr, "cannot export policy %d at stage %d\n", policy, stage);
		exit(1);
	}
	seccomp_release(ctx);
	rewind(tmp);
	text = read_all(tmp, n);
	fclose(tmp);
	return text;
}

static int check(const char *dir, const char *name, enum xh_stage stage, int update)
{
	char path[4096];
	size_t n, m = 0;
	char *got = export_policy(xh_policy_find(name), stage, &n), *want = NULL;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/sandbox-%s%s%s.pfc", dir,
	         stage == XH_STAGE_BASELINE ? "baseline-" : "", name, SUFFIX);
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
	printf("%s policy %s matches %s\n", ok ? "ok  " : "FAIL", name, path);
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
	ok = check(argv[1], "default", XH_STAGE_NARROW, update);
	ok &= check(argv[1], "host", XH_STAGE_NARROW, update);
	ok &= check(argv[1], "default", XH_STAGE_BASELINE, update);
	ok &= check(argv[1], "host", XH_STAGE_BASELINE, update);
	return ok ? 0 : 1;
}
