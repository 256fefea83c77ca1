/*
 * replay.c - runs a fuzz target over saved inputs, in every build.
 *
 * Usage: fuzz_TARGET_replay DIR_OR_FILE_OR_ZIP...
 * Directories are walked recursively. A file whose name ends in .zip is a
 * seed corpus (TARGET_seed_corpus.zip, OSS-Fuzz's convention): each of its
 * entries, stored uncompressed (zip -0), is one input. Every other file is
 * one input. Each input is one call of LLVMFuzzerTestOneInput(). A broken
 * invariant aborts, which fails the ctest; an empty corpus fails too, so a
 * test never checks nothing.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long replayed;

static uint32_t le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Each entry of the zip archive z (size bytes) as one input: the central
 * directory names them; only stored entries are taken. */
static int run_zip(const char *path, const uint8_t *z, size_t size)
{
	size_t eocd = size < 22 ? 0 : size - 22, at, i, n;

	while (eocd > 0 && le(z + eocd, 4) != 0x06054b50) /* the end record, after any comment */
		eocd--;
	if (size < 22 || le(z + eocd, 4) != 0x06054b50) {
		fprintf(stderr, "%s: not a zip archive\n", path);
		return -1;
	}
	n = le(z + eocd + 10, 2);
	at = le(z + eocd + 16, 4);
	for (i = 0; i < n; i++) {
		size_t csize, lh, data, name_len;

		if (at + 46 > size || le(z + at, 4) != 0x02014b50)
			break;
		csize = le(z + at + 20, 4);
		name_len = le(z + at + 28, 2);
		lh = le(z + at + 42, 4);
		if (lh + 30 > size || le(z + lh, 4) != 0x04034b50)
			break;
		data = lh + 30 + le(z + lh + 26, 2) + le(z + lh + 28, 2);
		if (le(z + at + 10, 2) != 0 || data + csize > size) {
			fprintf(stderr,
			        "%s: entry %zu is compressed or cut short (store: zip -0)\n", path,
			        i);
			return -1;
		}
		if (name_len == 0 || z[at + 46 + name_len - 1] != '/') { /* not a folder */
			LLVMFuzzerTestOneInput(z + data, csize);
			replayed++;
		}
		at += 46 + name_len + le(z + at + 30, 2) + le(z + at + 32, 2);
	}
	if (i != n) {
		fprintf(stderr, "%s: broken central directory\n", path);
		return -1;
	}
	return 0;
}

static int is_zip(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && strcmp(path + n - 4, ".zip") == 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;

	if (!f) {
		perror(path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc(size > 0 ? (size_t)size : 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "%s: cannot read\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	if (is_zip(path)) {
		int rc = run_zip(path, buf, (size_t)size);

		free(buf);
		return rc;
	}
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	free(buf);
	replayed++;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_path(const char *path)
{
	struct dirent **ents;
	struct stat st;
	int n, i, rc = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &ents, NULL, by_name); /* sorted: the same order in every run */
	if (n < 0) {
		perror(path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char sub[4096];

		if (ents[i]->d_name[0] != '.' && rc == 0) {
			snprintf(sub, sizeof(sub), "%s/%s", path, ents[i]->d_name);
			rc = run_path(sub);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (run_path(argv[i]) != 0)
			return 1;
	printf("%ld inputs replayed\n", replayed);
	return replayed > 0 ? 0 : 1;
}
