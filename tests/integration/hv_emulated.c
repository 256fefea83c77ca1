/*
 * hv_emulated.c - the hv server's devices and image loader (devices.c,
 * guest.c) as a shared library for hv_emulate.py, which runs the demo
 * guest's x64 code on an emulator (Unicorn) in place of KVM: guest memory
 * here, the port I/O through the same hv_io_read/hv_io_write the hv
 * server's exits reach, on a platform of this file: the log on stdout, a
 * fixed date, a disk of 64 sectors whose sector 0 begins "xous-hv sector
 * zero".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv.h"

#define SECTORS 64u

static uint8_t disk[SECTORS * BLK_SECTOR_SIZE];
static struct hv_machine m;

static void e_log(void *ctx, task_t guest, const char *line, size_t len)
{
	(void)ctx;
	printf("guest %u: %.*s\n", guest, (int)len, line);
	fflush(stdout);
}

static xous_err_t e_rtc(void *ctx, struct rtc_date *out)
{
	(void)ctx;
	*out = (struct rtc_date){
	        .year = 2026, .month = 12, .day = 6, .hour = 16, .minute = 5, .second = 9};
	return XOUS_OK;
}

static xous_err_t e_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
	(void)ctx;
	if (sector >= SECTORS || len / BLK_SECTOR_SIZE > SECTORS - sector)
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(buf, disk + sector * BLK_SECTOR_SIZE, len);
	return XOUS_OK;
}

static xous_err_t e_write(void *ctx, uint64_t sector, const void *data, size_t len)
{
	(void)ctx, (void)data;
	return sector >= SECTORS || len / BLK_SECTOR_SIZE > SECTORS - sector
	               ? XOUS_ERR_INVALID_ARGUMENT
	               : XOUS_OK;
}

static xous_err_t e_capacity(void *ctx, uint64_t *n)
{
	(void)ctx;
	*n = SECTORS;
	return XOUS_OK;
}

static const struct hv_platform pf = {.log = e_log,
                                      .rtc = e_rtc,
                                      .blk_read = e_read,
                                      .blk_write = e_write,
                                      .blk_capacity = e_capacity};

/* size bytes of guest memory with the image at path loaded as hv_launch
 * loads it: the memory, or NULL. */
void *hv_emulated_machine(size_t size, const char *path)
{
	static uint8_t image[1u << 16];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return NULL;
	n = fread(image, 1, sizeof(image), f);
	fclose(f);
	strcpy((char *)disk, "xous-hv sector zero");
	m.pf = &pf;
	m.task = 1;
	m.mem_size = size;
	m.mem = aligned_alloc(4096, size);
	if (!m.mem)
		return NULL;
	memset(m.mem, 0, size);
	return hv_guest_load(m.mem, size, image, n) ? NULL : m.mem;
}

uint32_t hv_emulated_in(uint16_t port, unsigned size)
{
	return hv_io_read(&m, port, size);
}

void hv_emulated_out(uint16_t port, unsigned size, uint32_t value)
{
	hv_io_write(&m, port, size, value);
}
