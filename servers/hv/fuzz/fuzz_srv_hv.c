/*
 * fuzz_srv_hv.c - fuzz target `srv_hv`: the hv server's exit decoder,
 * hv_dispatch() (and hv_notice(), the private server's, for Exited) with
 * the io table of fuzz_server.h, on a platform of small guest memories, a
 * disk in memory and a clock the input moves. A launch's guest is one of
 * the clients, so their scalars are exits of a running guest. After every
 * message: a guest's memory is there exactly while its slot is, parked
 * launches are the ones of starting guests, and the devices stayed inside
 * their memories (ASan). Seeds: a launch, its start, serial output, CMOS
 * and PCI reads, a virtio request, a halt (seed-guest); exits from nobody's
 * guest and bad launches (seed-refused); an inject, an Exited (seed-end).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_server.h"
#include "hv.h"

#define FUZZ_MEM_MAX (8u << 20) /* larger memories: the pool is full */
#define SECTORS      16u

static struct hv_state st;
static uint8_t disk[SECTORS * BLK_SECTOR_SIZE];
static uint64_t clock_ms;
static unsigned launches;

static xous_err_t f_alloc(void *ctx, size_t size, uint8_t **mem, uintptr_t *paddr)
{
	(void)ctx;
	if (size > FUZZ_MEM_MAX)
		return XOUS_ERR_OUT_OF_MEMORY;
	*mem = calloc(1, size);
	*paddr = 0x80000000u;
	return *mem ? XOUS_OK : XOUS_ERR_OUT_OF_MEMORY;
}

static void f_free(void *ctx, uint8_t *mem, uintptr_t paddr, size_t size)
{
	(void)ctx, (void)paddr, (void)size;
	free(mem);
}

/* The guest is a client process: its scalars are its exits. */
static xous_err_t f_launch(void *ctx, task_t *task)
{
	(void)ctx;
	*task = FSRV_SELF_PID + 1 + launches++ % FSRV_CLIENTS;
	return launches % 5 == 0 ? XOUS_ERR_NOT_FOUND : XOUS_OK;
}

static void f_log(void *ctx, task_t guest, const char *line, size_t len)
{
	(void)ctx, (void)guest;
	FZ_CHECK(len > 0 && len <= 128);
	for (size_t i = 0; i < len; i++)
		FZ_CHECK(line[i] != '\n');
}

static xous_err_t f_rtc(void *ctx, struct rtc_date *out)
{
	uint64_t s = clock_ms / 1000;

	(void)ctx;
	*out = (struct rtc_date){.year = 2000 + (uint32_t)(s / 31536000 % 200),
	                         .month = (uint8_t)(1 + s / 2592000 % 12),
	                         .day = (uint8_t)(1 + s / 86400 % 28),
	                         .day_of_week = (uint8_t)(s / 86400 % 7),
	                         .hour = (uint8_t)(s / 3600 % 24),
	                         .minute = (uint8_t)(s / 60 % 60),
	                         .second = (uint8_t)(s % 60)};
	return s % 97 == 96 ? XOUS_ERR_UNAVAILABLE : XOUS_OK;
}

static xous_err_t f_disk(uint64_t sector, size_t len, uint8_t **at)
{
	if (sector >= SECTORS || len == 0 || len % BLK_SECTOR_SIZE ||
	    len / BLK_SECTOR_SIZE > SECTORS - sector)
		return XOUS_ERR_INVALID_ARGUMENT;
	*at = disk + sector * BLK_SECTOR_SIZE;
	return XOUS_OK;
}

static xous_err_t f_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
	uint8_t *at;
	xous_err_t err = f_disk(sector, len, &at);

	(void)ctx;
	if (err == XOUS_OK)
		memcpy(buf, at, len);
	return err;
}

static xous_err_t f_write(void *ctx, uint64_t sector, const void *data, size_t len)
{
	uint8_t *at;
	xous_err_t err = f_disk(sector, len, &at);

	(void)ctx;
	if (err == XOUS_OK)
		memcpy(at, data, len);
	return err;
}

static xous_err_t f_capacity(void *ctx, uint64_t *n)
{
	(void)ctx;
	*n = SECTORS;
	return XOUS_OK;
}

static const struct hv_platform pf = {NULL,  f_alloc, f_free,  f_launch,  f_log,
                                      f_rtc, f_read,  f_write, f_capacity};

static void init(uint64_t now_ms)
{
	for (size_t i = 0; i < HV_GUESTS_MAX; i++)
		if (st.g[i].m.mem)
			free(st.g[i].m.mem); /* the last input's guests */
	hv_init(&st, &pf, &fsrv_io);
	memset(disk, 0x5a, sizeof(disk));
	clock_ms = now_ms;
	launches = 0;
}

static void check(void)
{
	for (size_t i = 0; i < HV_GUESTS_MAX; i++) {
		const struct hv_guest *g = &st.g[i];

		FZ_CHECK((g->state == HV_FREE) == (g->m.mem == NULL));
		FZ_CHECK(g->state == HV_FREE || g->m.mem_size % 4096 == 0);
		FZ_CHECK(g->m.com1.len < HV_LINE_MAX);
	}
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now_ms)
{
	xous_answer_t a;

	clock_ms = now_ms;
	if (env->kind == XOUS_SCALAR && env->scalar.id == HV_OP_EXITED)
		a = hv_notice(&st, env); /* as the private server would get it */
	else
		a = hv_dispatch(&st, env);
	check();
	return a;
}

static size_t waiting(void)
{
	return hv_waiting(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init, .dispatch = dispatch, .waiting = waiting};

	return fsrv_run(&t, data, size);
}
