/*
 * storage.c - the outer side of the fs scenarios: a FAT32 image made by
 * mkfs.fat in the run's temp dir, a broker with its fleet and --disk on it
 * (the fs file lives at the start of the volume), and the host's own peers
 * on the same image file: dd with bs=16M over its last STORAGE_FILE_MIB MiB,
 * which the fs file never reaches, and pread of 4 KiB there.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "inner.h"

#define STORAGE_IMAGE_MIB 512 /* FAT32 with 4 KiB clusters: 131,000 of them */

struct storage {
	char image[512];
	char mkfs[512], dd[512]; /* the tools' paths */
	int fd;
};

/* name in $PATH, or in /usr/sbin and /sbin (mkfs.fat's home): 0 if found. */
static int find_tool(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char dirs[4096];

	snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/sbin", path ? path : "/usr/bin:/bin");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", d, name);
		if (access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

/* Run argv to its end: 0 if it exited 0. */
static int run(char *const argv[])
{
	pid_t pid = bench_spawn(argv, -1, 2, -1); /* stdout may be the JSON */
	int status;

	if (pid < 0)
		return -1;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	bench_untrack(pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

struct storage *storage_image(void)
{
	struct storage *s = bench_calloc(sizeof(*s));

	snprintf(s->image, sizeof(s->image), "%s/disk.img", bench_opts.tmpdir);
	char *mkfs[] = {s->mkfs, "-F", "32", "-s", "8", s->image, NULL};
	s->fd = open(s->image, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (find_tool("mkfs.fat", s->mkfs, sizeof(s->mkfs)) != 0 ||
	    find_tool("dd", s->dd, sizeof(s->dd)) != 0 || s->fd < 0 ||
	    ftruncate(s->fd, (off_t)STORAGE_IMAGE_MIB << 20) != 0 || run(mkfs) != 0) {
		fprintf(stderr, "xous-bench: no FAT image for the fs scenarios (mkfs.fat from "
		                "dosfstools: scripts/deps bench)\n");
		return NULL;
	}
	bench_opts.disk = s->image;
	return s;
}

/* n runs of dd over the image's last STORAGE_FILE_MIB MiB: writing zeros
 * into it ("w") or reading it ("r"). */
static int dd(struct storage *s, int write, long n, double *ns)
{
	char in[600], out[600], count[32], at[48];

	snprintf(in, sizeof(in), "if=%s", write ? "/dev/zero" : s->image);
	snprintf(out, sizeof(out), "of=%s", write ? s->image : "/dev/null");
	snprintf(count, sizeof(count), "count=%d", STORAGE_FILE_MIB / 16);
	snprintf(at, sizeof(at), "%s=%d", write ? "seek" : "skip",
	         (STORAGE_IMAGE_MIB - STORAGE_FILE_MIB) / 16);
	char *argv[] = {s->dd, in, out, "bs=16M", count, at, "conv=notrunc", "status=none", NULL};
	uint64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++)
		if (run(argv) != 0) {
			fprintf(stderr, "xous-bench: dd failed\n");
			return -1;
		}
	*ns = (double)(bench_now_ns() - t0) / (double)n;
	return 0;
}

int storage_dd_write(void *ctx, long n, double *ns, double *rate)
{
	(void)rate;
	return dd(ctx, 1, n, ns);
}

int storage_dd_read(void *ctx, long n, double *ns, double *rate)
{
	(void)rate;
	return dd(ctx, 0, n, ns);
}

/* n preads of 4 KiB at random 4 KiB-aligned offsets of dd's area. */
int storage_pread_random(void *ctx, long n, double *ns, double *rate)
{
	struct storage *s = ctx;
	off_t base = (off_t)(STORAGE_IMAGE_MIB - STORAGE_FILE_MIB) << 20;
	char buf[4096];
	uint64_t t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		off_t off = base + (off_t)(random() % ((long)STORAGE_FILE_MIB << 8)) * 4096;
		if (pread(s->fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf)) {
			perror("xous-bench: pread of the image");
			return -1;
		}
	}
	*ns = (double)(bench_now_ns() - t0) / (double)n;
	*rate = 1e9 / *ns;
	return 0;
}

/* The fs side's random reads, as a rate. */
int storage_fs_random(void *ctx, long n, double *ns, double *rate)
{
	if (ours_lend(ctx, n, ns, rate) != 0)
		return -1;
	*rate = 1e9 / *ns;
	return 0;
}
