/*
 * rel.c - the helpers of rel.h.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rel.h"

int rel_fds(pid_t pid, int *memfds)
{
	char dir[64], path[320], link[256];
	struct dirent *e;
	int n = 0, m = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		n++;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len > 0) {
			link[len] = 0;
			m += strncmp(link, "/memfd:", 7) == 0;
		}
	}
	closedir(d);
	if (memfds)
		*memfds = m;
	return n;
}

int rel_settle(pid_t pid, int fds, int memfds, int *got_fds, int *got_memfds)
{
	struct timespec pause = {0, 5 * 1000 * 1000};
	int i;

	for (i = 0; i < 4000; i++) { /* 20 s: only a broken broker waits that long */
		*got_fds = rel_fds(pid, got_memfds);
		if (*got_fds == fds && *got_memfds == memfds)
			return 1;
		nanosleep(&pause, NULL);
	}
	return 0;
}

static uint64_t word(uint32_t seed, size_t i)
{
	uint64_t x = ((uint64_t)seed << 32 | (uint32_t)i) * 0x9e3779b97f4a7c15ull;

	return x ^ (x >> 29);
}

void rel_fill(void *buf, size_t len, uint32_t seed)
{
	uint64_t *w = buf;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = word(seed, i);
}

size_t rel_match_at(const void *buf, size_t from, size_t len, uint32_t seed)
{
	const uint64_t *w = buf;
	size_t i;

	for (i = from / 8; i < len / 8; i++)
		if (w[i] != word(seed, i))
			break;
	return i * 8;
}

size_t rel_match(const void *buf, size_t len, uint32_t seed)
{
	return rel_match_at(buf, 0, len, seed);
}

double rel_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint32_t g_state = 1;

uint32_t rel_rand(void)
{
	g_state ^= g_state << 13;
	g_state ^= g_state >> 17;
	g_state ^= g_state << 5;
	return g_state;
}

uint32_t rel_seed_init(void)
{
	const char *s = getenv("XOUS_REL_SEED");
	uint32_t seed =
	        s ? (uint32_t)strtoul(s, NULL, 0) : (uint32_t)time(NULL) ^ (uint32_t)getpid();

	g_state = seed ? seed : 1;
	return seed;
}
