/*
 * servers.hv.*: the guest's start state, the devices as a guest drives them,
 * the hv server's dispatch of launches and exits, and the vCPU's exit
 * handling, all on a fake platform (memory, disk, clock and log in this
 * file), without /dev/kvm.
 */
#include <check.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>

#include "hv.h"
#include "recorder.h"

#define MEM      0x400000u /* 4 MiB of guest memory */
#define SECTORS  64u
#define LAUNCHER 5u
#define GUEST    9u

static uint8_t *fake_mem; /* what the platform handed out */
static uint8_t *machine_mem;
static uint8_t disk[SECTORS * BLK_SECTOR_SIZE];
static char logged[8][160];
static size_t nlogged, nfreed;
static xous_err_t launch_err;

static xous_err_t f_alloc(void *ctx, size_t size, uint8_t **mem, uintptr_t *paddr)
{
	(void)ctx;
	*mem = fake_mem = calloc(1, size);
	*paddr = 0x80000000u;
	return *mem ? XOUS_OK : XOUS_ERR_OUT_OF_MEMORY;
}

static void f_free(void *ctx, uint8_t *mem, uintptr_t paddr, size_t size)
{
	(void)ctx, (void)size;
	ck_assert_ptr_nonnull(mem);
	ck_assert_uint_eq(paddr, 0x80000000u);
	if (mem == fake_mem)
		fake_mem = NULL;
	free(mem);
	nfreed++;
}

static xous_err_t f_launch(void *ctx, task_t *task)
{
	(void)ctx;
	*task = GUEST;
	return launch_err;
}

static void f_log(void *ctx, task_t guest, const char *line, size_t len)
{
	(void)ctx;
	ck_assert_uint_eq(guest, GUEST);
	ck_assert_uint_lt(nlogged, 8);
	ck_assert_uint_lt(len, sizeof(logged[0]));
	memcpy(logged[nlogged], line, len);
	logged[nlogged++][len] = 0;
}

static xous_err_t f_rtc(void *ctx, struct rtc_date *out)
{
	(void)ctx;
	*out = (struct rtc_date){.year = 2026,
	                         .month = 12,
	                         .day = 6,
	                         .day_of_week = 0,
	                         .hour = 16,
	                         .minute = 5,
	                         .second = 9};
	return XOUS_OK;
}

static xous_err_t f_range(uint64_t sector, size_t len)
{
	return sector >= SECTORS || len / BLK_SECTOR_SIZE > SECTORS - sector
	               ? XOUS_ERR_INVALID_ARGUMENT
	               : XOUS_OK;
}

static xous_err_t f_read(void *ctx, uint64_t sector, void *buf, size_t len)
{
	(void)ctx;
	if (f_range(sector, len))
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(buf, disk + sector * BLK_SECTOR_SIZE, len);
	return XOUS_OK;
}

static xous_err_t f_write(void *ctx, uint64_t sector, const void *data, size_t len)
{
	(void)ctx;
	if (f_range(sector, len))
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(disk + sector * BLK_SECTOR_SIZE, data, len);
	return XOUS_OK;
}

static xous_err_t f_capacity(void *ctx, uint64_t *n)
{
	(void)ctx;
	*n = SECTORS;
	return XOUS_OK;
}

static const struct hv_platform pf = {NULL,  f_alloc, f_free,  f_launch,  f_log,
                                      f_rtc, f_read,  f_write, f_capacity};
static struct hv_state st;
static struct hv_machine m;

static void setup(void)
{
	rec_reset();
	nlogged = nfreed = 0;
	launch_err = XOUS_OK;
	memset(logged, 0, sizeof(logged));
	for (size_t i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i * 7 + i / BLK_SECTOR_SIZE);
	hv_init(&st, &pf, &rec_io);
	free(machine_mem);
	memset(&m, 0, sizeof(m));
	m.pf = &pf;
	m.task = GUEST;
	m.mem_size = MEM;
	m.mem = machine_mem = calloc(1, MEM);
	ck_assert_ptr_nonnull(machine_mem);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

START_TEST(the_image_sits_above_1_mib_under_an_identity_map_of_1_gib)
{
	static const uint8_t image[] = {0xf4, 0xeb, 0xfd}; /* hlt; jmp */

	ck_assert_uint_eq(hv_guest_load(m.mem, MEM, image, sizeof(image)), XOUS_OK);
	ck_assert_mem_eq(m.mem + HV_GUEST_ENTRY, image, sizeof(image));
	ck_assert_uint_eq(get64(m.mem + HV_GUEST_PML4), HV_GUEST_PDPT | 3);
	ck_assert_uint_eq(get64(m.mem + HV_GUEST_PDPT), HV_GUEST_PD | 3);
	ck_assert_uint_eq(get64(m.mem + HV_GUEST_PDPT + 8), 0); /* nothing past 1 GiB */
	for (uint64_t i = 0; i < 512; i++) /* 2 MiB pages: present, writable, large */
		ck_assert_uint_eq(get64(m.mem + HV_GUEST_PD + 8 * i), i << 21 | 0x83);
	ck_assert_uint_eq(get64(m.mem + HV_GUEST_GDT), 0);
	ck_assert_uint_eq(get64(m.mem + HV_GUEST_GDT + HV_GDT_CODE) >> 40 & 0xff, 0x9b);
	ck_assert_uint_eq(get64(m.mem + HV_GUEST_GDT + HV_GDT_CODE) >> 53 & 1, 1); /* L */
	ck_assert_uint_eq(get64(m.mem + HV_GUEST_GDT + HV_GDT_DATA) >> 40 & 0xff, 0x93);
}
END_TEST

START_TEST(images_and_memories_outside_the_limits_are_refused)
{
	static uint8_t big[MEM - HV_GUEST_ENTRY + 1];

	ck_assert_uint_eq(hv_guest_load(m.mem, MEM, big, sizeof(big)), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(hv_guest_load(m.mem, MEM, big, sizeof(big) - 1), XOUS_OK);
	ck_assert_uint_eq(hv_guest_load(m.mem, MEM, big, 0), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(hv_guest_load(m.mem, MEM - 1, big, 1), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(hv_guest_load(m.mem, HV_GUEST_MEM_MIN - 4096, big, 1),
	                  XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(the_entry_state_is_long_mode_with_interrupts_off)
{
	struct hv_x64_entry e;

	hv_x64_entry(MEM, &e);
	ck_assert_uint_eq(e.rip, HV_GUEST_ENTRY);
	ck_assert_uint_eq(e.rbx, MEM);
	ck_assert_uint_eq(e.rflags & 0x200, 0);
	ck_assert_uint_eq(e.cr0 & 0x80000001u, 0x80000001u); /* PG, PE */
	ck_assert_uint_eq(e.cr4 & 0x20, 0x20);               /* PAE */
	ck_assert_uint_eq(e.efer & 0x500, 0x500);            /* LME, LMA */
	ck_assert_uint_eq(e.cr3, HV_GUEST_PML4);
	ck_assert_uint_eq(e.cs.l, 1);
	ck_assert_uint_eq(e.cs.db, 0);
	ck_assert_uint_eq(e.cs.selector, HV_GDT_CODE);
	ck_assert_uint_eq(e.ds.selector, HV_GDT_DATA);
	ck_assert_uint_eq(e.gdt_limit, 23);
}
END_TEST

static void out_str(const char *s)
{
	for (; *s; s++)
		hv_io_write(&m, HV_COM1, 1, (uint8_t)*s);
}

START_TEST(the_serial_port_sends_lines_to_the_log)
{
	char longline[HV_LINE_MAX + 11];

	ck_assert_uint_eq(hv_io_read(&m, HV_COM1 + 5, 1) & 0x60, 0x60); /* ready to send */
	out_str("hello\r\nsecond");
	ck_assert_uint_eq(nlogged, 1);
	ck_assert_str_eq(logged[0], "hello");
	hv_serial_flush(&m);
	ck_assert_str_eq(logged[1], "second");
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = 0;
	out_str(longline);
	ck_assert_uint_eq(nlogged, 3);
	ck_assert_uint_eq(strlen(logged[2]), HV_LINE_MAX);
	hv_io_write(&m, HV_COM1 + 3, 1, 0x80); /* DLAB: the divisor, not data */
	hv_io_write(&m, HV_COM1, 1, 12);
	ck_assert_uint_eq(hv_io_read(&m, HV_COM1, 1), 12);
	hv_io_write(&m, HV_COM1 + 3, 1, 0x03);
	hv_serial_flush(&m);
	ck_assert_uint_eq(nlogged, 4);
	ck_assert_uint_eq(strlen(logged[3]), 10);
}
END_TEST

static uint32_t cmos(uint8_t reg)
{
	hv_io_write(&m, HV_CMOS_INDEX, 1, reg);
	return hv_io_read(&m, HV_CMOS_DATA, 1);
}

START_TEST(the_cmos_clock_reads_the_rtc_server_in_bcd)
{
	ck_assert_uint_eq(cmos(0x00), 0x09);
	ck_assert_uint_eq(cmos(0x02), 0x05);
	ck_assert_uint_eq(cmos(0x04), 0x16);
	ck_assert_uint_eq(cmos(0x06), 0x01); /* Sunday */
	ck_assert_uint_eq(cmos(0x07), 0x06);
	ck_assert_uint_eq(cmos(0x08), 0x12);
	ck_assert_uint_eq(cmos(0x09), 0x26);
	ck_assert_uint_eq(cmos(0x32), 0x20);
	ck_assert_uint_eq(cmos(0x8a) & 0x80, 0); /* NMI bit ignored; never updating */
	ck_assert_uint_eq(cmos(0x0b), 0x02);     /* 24-hour, BCD */
}
END_TEST

static uint32_t pci(uint32_t reg)
{
	hv_io_write(&m, HV_PCI_ADDRESS, 4, 0x80000000u | HV_VIRTIO_SLOT << 11 | reg);
	return hv_io_read(&m, HV_PCI_DATA, 4);
}

START_TEST(pci_slot_1_is_a_legacy_virtio_blk_device)
{
	ck_assert_uint_eq(pci(0x00), 0x10011af4u);
	ck_assert_uint_eq(pci(0x2c) >> 16, 2); /* subsystem: block */
	ck_assert_uint_eq(pci(0x10), HV_VIRTIO_PORT | 1);
	hv_io_write(&m, HV_PCI_DATA, 4, 0xffffffffu); /* BAR sizing */
	ck_assert_uint_eq(pci(0x10), ~(HV_VIRTIO_SIZE - 1) | 1);
	hv_io_write(&m, HV_PCI_DATA, 4, HV_VIRTIO_PORT);
	ck_assert_uint_eq(pci(0x10), HV_VIRTIO_PORT | 1);
	hv_io_write(&m, HV_PCI_ADDRESS, 4, 0x80000000u | 2 << 11);
	ck_assert_uint_eq(hv_io_read(&m, HV_PCI_DATA, 4), 0xffffffffu); /* nobody at slot 2 */
	hv_io_write(&m, HV_PCI_ADDRESS, 4, 0x80000000u | HV_VIRTIO_SLOT << 11);
	ck_assert_uint_eq(hv_io_read(&m, HV_PCI_DATA + 2, 2), 0x1001); /* a half-word read */
	ck_assert_uint_eq(hv_io_read(&m, 0x1234, 4), 0xffffffffu);
	ck_assert_uint_eq(hv_io_read(&m, HV_COM1, 3), 0xffffffffu); /* no 3-byte access */
}
END_TEST

#define Q     0x200000u /* the queue, as the demo guest lays it out */
#define AVAIL (Q + 0x800u)
#define USED  (Q + 0x1000u)

static void put(uint64_t gpa, uint64_t v, unsigned n)
{
	memcpy(m.mem + gpa, &v, n);
}

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	put(Q + 16 * i, addr, 8);
	put(Q + 16 * i + 8, len, 4);
	put(Q + 16 * i + 12, flags, 2);
	put(Q + 16 * i + 14, next, 2);
}

/* A request made available at head, notified: the used ring's new index. */
static uint16_t submit(uint16_t head)
{
	uint16_t idx;

	memcpy(&idx, m.mem + AVAIL + 2, 2);
	put(AVAIL + 4 + 2 * (idx % HV_VIRTQ_SIZE), head, 2);
	put(AVAIL + 2, (uint16_t)(idx + 1), 2);
	hv_io_write(&m, HV_VIRTIO_PORT + 0x10, 2, 0);
	memcpy(&idx, m.mem + USED + 2, 2);
	return idx;
}

static void virtio_up(void)
{
	hv_io_write(&m, HV_VIRTIO_PORT + 0x12, 1, 0);
	hv_io_write(&m, HV_VIRTIO_PORT + 0x12, 1, 3);
	hv_io_write(&m, HV_VIRTIO_PORT + 0x0e, 2, 0);
	ck_assert_uint_eq(hv_io_read(&m, HV_VIRTIO_PORT + 0x0c, 2), HV_VIRTQ_SIZE);
	hv_io_write(&m, HV_VIRTIO_PORT + 0x08, 4, Q >> 12);
	hv_io_write(&m, HV_VIRTIO_PORT + 0x12, 1, 7);
}

/* Header at 0x203000 (type, sector), data at 0x203200 (n bytes), status
 * at 0x203f00: a three-descriptor request. */
static void request(uint32_t type, uint64_t sector, uint32_t n, uint16_t data_flags)
{
	put(0x203000, type, 4);
	put(0x203008, sector, 8);
	put(0x203f00, 0xff, 1);
	desc(0, 0x203000, 16, 1, 1);
	desc(1, 0x203200, n, (uint16_t)(1 | data_flags), 2);
	desc(2, 0x203f00, 1, 2, 0);
}

START_TEST(virtio_blk_reads_and_writes_sectors_through_the_blk_server)
{
	uint8_t sector[2 * BLK_SECTOR_SIZE];

	virtio_up();
	ck_assert_uint_eq(hv_io_read(&m, HV_VIRTIO_PORT + 0x14, 4), SECTORS); /* capacity */
	request(0, 3, 2 * BLK_SECTOR_SIZE, 2);
	ck_assert_uint_eq(submit(0), 1);
	ck_assert_uint_eq(m.mem[0x203f00], 0);
	ck_assert_mem_eq(m.mem + 0x203200, disk + 3 * BLK_SECTOR_SIZE, 2 * BLK_SECTOR_SIZE);
	ck_assert_uint_eq(get64(m.mem + USED + 4), (uint64_t)(2 * BLK_SECTOR_SIZE + 1) << 32);
	ck_assert_uint_eq(hv_io_read(&m, HV_VIRTIO_PORT + 0x13, 1), 1); /* ISR, then clear */
	ck_assert_uint_eq(hv_io_read(&m, HV_VIRTIO_PORT + 0x13, 1), 0);

	memset(m.mem + 0x203200, 0xa5, BLK_SECTOR_SIZE);
	request(1, 60, BLK_SECTOR_SIZE, 0);
	ck_assert_uint_eq(submit(0), 2);
	ck_assert_uint_eq(m.mem[0x203f00], 0);
	memset(sector, 0xa5, BLK_SECTOR_SIZE);
	ck_assert_mem_eq(disk + 60 * BLK_SECTOR_SIZE, sector, BLK_SECTOR_SIZE);
}
END_TEST

START_TEST(virtio_blk_fails_bad_requests_and_goes_on)
{
	virtio_up();
	request(0, SECTORS - 1, 2 * BLK_SECTOR_SIZE, 2); /* past the disk's end */
	ck_assert_uint_eq(submit(0), 1);
	ck_assert_uint_eq(m.mem[0x203f00], 1); /* IOERR */
	request(0, 0, BLK_SECTOR_SIZE, 0);     /* a read into a read-only buffer */
	ck_assert_uint_eq(submit(0), 2);
	ck_assert_uint_eq(m.mem[0x203f00], 1);
	request(0, 0, BLK_SECTOR_SIZE, 2);
	desc(1, MEM - 256, BLK_SECTOR_SIZE, 3, 2); /* data past guest memory */
	ck_assert_uint_eq(submit(0), 3);
	ck_assert_uint_eq(m.mem[0x203f00], 1);
	request(7, 0, BLK_SECTOR_SIZE, 2); /* an unknown type */
	ck_assert_uint_eq(submit(0), 4);
	ck_assert_uint_eq(m.mem[0x203f00], 2); /* UNSUPP */
	desc(0, 0x203000, 16, 1, 0);           /* a loop: nothing used, no status */
	put(0x203f00, 0xff, 1);
	ck_assert_uint_eq(submit(0), 4);
	ck_assert_uint_eq(m.mem[0x203f00], 0xff);
	request(8, 0, 20, 2); /* GET_ID */
	ck_assert_uint_eq(submit(0), 5);
	ck_assert_uint_eq(m.mem[0x203f00], 0);
	ck_assert_mem_eq(m.mem + 0x203200, "xous-hv-virtio-blk", 18);
	hv_io_write(&m, HV_VIRTIO_PORT + 0x08, 4, 0xfffff); /* a queue past memory: ignored */
	hv_io_write(&m, HV_VIRTIO_PORT + 0x10, 2, 0);
}
END_TEST

/* A launch of a 3-byte image into 4 MiB: the answer it got (or NULL). */
static xous_envelope_t launch_env;

static void launch(void)
{
	static const uint8_t msg[] = {0, 0, MEM >> 16, 0, 0, 0, 0, 0, 0xfa, 0xf4, 0x90};

	launch_env = rec_memory(XOUS_BORROW, LAUNCHER, 1, HV_OP_LAUNCH, NULL, msg, sizeof(msg));
	rec_dispatched(&launch_env, hv_dispatch(&st, &launch_env));
}

static xous_answer_t exit_call(uint32_t op, uintptr_t a1, uintptr_t a2, uintptr_t a3)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, GUEST, 2, op, a1, a2, a3);

	return rec_dispatched(&e, hv_dispatch(&st, &e));
}

START_TEST(a_launch_is_answered_once_its_guest_starts)
{
	xous_answer_t a;
	const struct rec_answer *r;

	launch();
	ck_assert_uint_eq(rec_n, 0); /* parked */
	ck_assert_uint_eq(hv_waiting(&st), 1);
	ck_assert_uint_eq(fake_mem[HV_GUEST_ENTRY + 1], 0xf4);
	a = exit_call(HV_OP_X64_START, 0, 0, 0);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR5);
	ck_assert_uint_eq(a.v[0], HV_GUEST_ENTRY);
	ck_assert_uint_eq(a.v[1], 0); /* ept_pml4: 0 on KVM */
	ck_assert_uint_eq(a.v[2], MEM);
	ck_assert_uint_eq(a.v[3], 0x80000000u);
	ck_assert_uint_eq(a.v[4], MEM);
	r = rec_find(launch_env.sender);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->kind, REC_MEMORY);
	ck_assert_uint_eq(r->v1, XOUS_OK);
	ck_assert_uint_eq(r->v2, GUEST);
	ck_assert_uint_eq(hv_waiting(&st), 0);
	a = exit_call(HV_OP_X64_START, 0, 0, 0); /* a guest starts once */
	ck_assert_int_eq(a.kind, XOUS_ANSWER_NONE);
}
END_TEST

START_TEST(a_launch_without_kvm_fails_unavailable)
{
	const struct rec_answer *r;

	launch();
	exit_call(HV_OP_VCPU_FAILED, XOUS_ERR_UNAVAILABLE, 0, 0);
	r = rec_find(launch_env.sender);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->v1, XOUS_ERR_UNAVAILABLE);
	ck_assert_int_eq(exit_call(HV_OP_IOPORT_READ, HV_COM1 + 5, 1, 0).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(nfreed, 0); /* its task still maps the memory */
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, 4, 0, HV_OP_EXITED, GUEST, 0, 0);
	hv_notice(&st, &e);
	ck_assert_uint_eq(nfreed, 1);
}
END_TEST

START_TEST(bad_launches_are_refused_at_once)
{
	const struct rec_answer *r;

	launch_err = XOUS_ERR_NOT_FOUND; /* the vCPU program is missing */
	launch();
	r = rec_last();
	ck_assert_uint_eq(r->kind, REC_MEMORY);
	ck_assert_uint_eq(r->v1, XOUS_ERR_NOT_FOUND);
	ck_assert_uint_eq(nfreed, 1);
	launch_err = XOUS_OK;
	((uint8_t *)launch_env.memory.buf.addr)[2] = 0x1f; /* 2 MiB - 64 KiB */
	rec_dispatched(&launch_env, hv_dispatch(&st, &launch_env));
	ck_assert_uint_eq(rec_last()->v1, XOUS_ERR_INVALID_ARGUMENT);
	((uint8_t *)launch_env.memory.buf.addr)[2] = MEM >> 16;
	launch_env.memory.valid = HV_LAUNCH_IMAGE_AT; /* no image */
	rec_dispatched(&launch_env, hv_dispatch(&st, &launch_env));
	ck_assert_uint_eq(rec_last()->v1, XOUS_ERR_INVALID_ARGUMENT);
	launch_env.memory.valid = launch_env.memory.buf.len + 1; /* more than was lent */
	rec_dispatched(&launch_env, hv_dispatch(&st, &launch_env));
	ck_assert_uint_eq(rec_last()->v1, XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(hv_waiting(&st), 0);
}
END_TEST

START_TEST(exits_serve_the_guests_devices_and_only_its_own)
{
	xous_envelope_t other;
	xous_answer_t a;

	launch();
	exit_call(HV_OP_X64_START, 0, 0, 0);
	a = exit_call(HV_OP_IOPORT_READ, HV_COM1 + 5, 1, 0);
	ck_assert_uint_eq(a.v[0] & 0x60, 0x60);
	exit_call(HV_OP_IOPORT_WRITE, HV_COM1, 1, 'o');
	exit_call(HV_OP_IOPORT_WRITE, HV_COM1, 1, 'k');
	exit_call(HV_OP_IOPORT_WRITE, HV_COM1, 1, '\n');
	ck_assert_str_eq(logged[0], "ok");
	other = rec_scalar(XOUS_BLOCKING_SCALAR, LAUNCHER, 3, HV_OP_IOPORT_WRITE, HV_COM1, 1, 'x');
	ck_assert_int_eq(hv_dispatch(&st, &other).kind, XOUS_ANSWER_NONE); /* not a guest */
	ck_assert_int_eq(exit_call(HV_OP_IOPORT_READ, 0x10000, 1, 0).kind, XOUS_ANSWER_NONE);
	ck_assert_int_eq(exit_call(HV_OP_IOPORT_WRITE, HV_COM1, 8, 0).kind, XOUS_ANSWER_NONE);
	ck_assert_int_eq(exit_call(99, 0, 0, 0).kind, XOUS_ANSWER_NONE);
}
END_TEST

START_TEST(a_halt_with_interrupts_off_ends_the_guest)
{
	xous_envelope_t inj;
	xous_answer_t a;

	launch();
	exit_call(HV_OP_X64_START, 0, 0, 0);
	inj = rec_scalar(XOUS_SCALAR, 4, 0, HV_OP_INJECT_IRQ, GUEST, 1u << 4, 0);
	hv_dispatch(&st, &inj); /* not the launcher: ignored */
	a = exit_call(HV_OP_AWAIT, 0, 0, 0);
	ck_assert_uint_eq(a.v[0], 0);
	inj = rec_scalar(XOUS_SCALAR, LAUNCHER, 0, HV_OP_INJECT_IRQ, GUEST, 1u << 4, 0);
	hv_dispatch(&st, &inj);
	a = exit_call(HV_OP_HALT, 1, 0, 0); /* interrupts on, one pending: it goes on */
	ck_assert_uint_eq(a.v[0], 1u << 4);
	exit_call(HV_OP_IOPORT_WRITE, HV_COM1, 1, 'z');
	a = exit_call(HV_OP_HALT, 0, 0, 0);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR1);
	ck_assert_uint_eq(a.v[0], 0);
	ck_assert_str_eq(logged[0], "z"); /* the unfinished line, flushed */
	ck_assert_int_eq(exit_call(HV_OP_IOPORT_READ, HV_COM1, 1, 0).kind, XOUS_ANSWER_NONE);
}
END_TEST

START_TEST(a_touch_outside_guest_memory_ends_the_guest_with_a_log_line)
{
	xous_answer_t a;

	launch();
	exit_call(HV_OP_X64_START, 0, 0, 0);
	a = exit_call(HV_OP_GUEST_PAGE_FAULT, 0xfee00000u, 4 | HV_FAULT_WRITE, 1);
	ck_assert_int_eq(a.kind, XOUS_ANSWER_SCALAR2);
	ck_assert_uint_eq(a.v[0], HV_END);
	ck_assert_str_eq(logged[0],
	                 "guest fault: write of 4 bytes at 0xfee00000, outside its memory");
}
END_TEST

START_TEST(a_guest_whose_task_dies_early_fails_its_launch)
{
	xous_envelope_t e = rec_scalar(XOUS_SCALAR, 4, 0, HV_OP_EXITED, GUEST, 256 + 9, 0);
	const struct rec_answer *r;

	launch();
	hv_notice(&st, &e);
	r = rec_find(launch_env.sender);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->v1, XOUS_ERR_INTERNAL_ERROR);
	ck_assert_uint_eq(nfreed, 1);
	e.scalar.id = HV_OP_INJECT_IRQ; /* the private server takes Exited only */
	ck_assert_int_eq(hv_notice(&st, &e).kind, XOUS_ANSWER_NONE);
}
END_TEST

START_TEST(a_reused_task_id_ends_the_old_guest_and_not_the_new_one)
{
	xous_envelope_t exited = rec_scalar(XOUS_SCALAR, 4, 0, HV_OP_EXITED, GUEST, 0, 0);
	const struct rec_answer *r;

	launch();
	exit_call(HV_OP_VCPU_FAILED, XOUS_ERR_UNAVAILABLE, 0, 0); /* ended, its notice due */
	launch();                                                 /* the same task id again */
	ck_assert_uint_eq(nfreed, 1);
	hv_notice(&st, &exited); /* the first task's notice: the second guest stays */
	ck_assert_uint_eq(hv_waiting(&st), 1);
	exit_call(HV_OP_VCPU_FAILED, XOUS_ERR_UNAVAILABLE, 0, 0);
	r = &rec[rec_n - 2]; /* the launch's answer, then the vCPU's */
	ck_assert_uint_eq(r->kind, REC_MEMORY);
	ck_assert_uint_eq(r->sender, launch_env.sender);
	ck_assert_uint_eq(r->v1, XOUS_ERR_UNAVAILABLE);
	hv_notice(&st, &exited);
	ck_assert_uint_eq(nfreed, 2);
}
END_TEST

/* ---- the vCPU side: exits built by hand, calls recorded ---- */

static struct {
	uint32_t op;
	uintptr_t a1, a2, a3;
} calls[16];
static size_t ncalls;
static uintptr_t reply0, reply1;

static xous_err_t call(void *ctx, uint32_t op, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                       xous_scalar_reply_t *r)
{
	(void)ctx;
	ck_assert_uint_lt(ncalls, 16);
	calls[ncalls].op = op;
	calls[ncalls].a1 = a1;
	calls[ncalls].a2 = a2;
	calls[ncalls++].a3 = a3;
	r->count = 2;
	r->v[0] = reply0;
	r->v[1] = reply1;
	return XOUS_OK;
}

static const struct hv_exit_io io = {call, NULL};

START_TEST(a_string_out_is_one_write_per_repetition)
{
	static uint8_t page[4096];
	struct kvm_run *run = (struct kvm_run *)page;
	uint32_t irqs;
	const char *why;

	ncalls = 0;
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = KVM_EXIT_IO_OUT;
	run->io.size = 1;
	run->io.port = HV_COM1;
	run->io.count = 3;
	run->io.data_offset = 2048;
	memcpy(page + 2048, "abc", 3);
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_RUN);
	ck_assert_uint_eq(ncalls, 3);
	ck_assert_uint_eq(calls[2].op, HV_OP_IOPORT_WRITE);
	ck_assert_uint_eq(calls[2].a1, HV_COM1);
	ck_assert_uint_eq(calls[2].a3, 'c');

	ncalls = 0;
	reply0 = 0x1234;
	run->io.direction = KVM_EXIT_IO_IN;
	run->io.size = 2;
	run->io.count = 1;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_RUN);
	ck_assert_uint_eq(calls[0].op, HV_OP_IOPORT_READ);
	ck_assert_uint_eq(page[2048] | page[2049] << 8, 0x1234);

	run->io.data_offset = 4095; /* the data would run off the page */
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_FAIL);
	ck_assert_ptr_nonnull(why);
	run->io.size = 3;
	run->io.data_offset = 2048;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_FAIL);
}
END_TEST

START_TEST(halts_and_mmio_become_halt_and_guest_page_fault)
{
	static uint8_t page[4096];
	struct kvm_run *run = (struct kvm_run *)page;
	uint32_t irqs;
	const char *why;

	ncalls = 0;
	run->exit_reason = KVM_EXIT_HLT;
	reply0 = 0;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_END);
	ck_assert_uint_eq(calls[0].op, HV_OP_HALT);
	ck_assert_uint_eq(calls[0].a1, 0);
	reply0 = 1u << 11;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), true, &irqs, &why), HV_NEXT_INJECT);
	ck_assert_uint_eq(irqs, 1u << 11);
	ck_assert_uint_eq(calls[1].a1, 1);

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = 0xfec00000u;
	run->mmio.len = 4;
	run->mmio.is_write = 0;
	reply0 = HV_GO_ON;
	reply1 = 0xdeadbeef;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_RUN);
	ck_assert_uint_eq(calls[2].op, HV_OP_GUEST_PAGE_FAULT);
	ck_assert_uint_eq(calls[2].a2, 4);
	ck_assert_mem_eq(run->mmio.data, "\xef\xbe\xad\xde", 4);
	reply0 = HV_END;
	run->mmio.is_write = 1;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_END);
	ck_assert_uint_eq(calls[3].a2, 4 | HV_FAULT_WRITE);
	run->mmio.len = 9;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_FAIL);
	run->exit_reason = KVM_EXIT_SHUTDOWN;
	ck_assert_int_eq(hv_exit(&io, run, sizeof(page), false, &irqs, &why), HV_NEXT_FAIL);
	ck_assert_str_eq(why, "the guest shut down (a triple fault)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.hv");

	ADD(s, the_image_sits_above_1_mib_under_an_identity_map_of_1_gib);
	ADD(s, images_and_memories_outside_the_limits_are_refused);
	ADD(s, the_entry_state_is_long_mode_with_interrupts_off);
	ADD(s, the_serial_port_sends_lines_to_the_log);
	ADD(s, the_cmos_clock_reads_the_rtc_server_in_bcd);
	ADD(s, pci_slot_1_is_a_legacy_virtio_blk_device);
	ADD(s, virtio_blk_reads_and_writes_sectors_through_the_blk_server);
	ADD(s, virtio_blk_fails_bad_requests_and_goes_on);
	ADD(s, a_launch_is_answered_once_its_guest_starts);
	ADD(s, a_launch_without_kvm_fails_unavailable);
	ADD(s, bad_launches_are_refused_at_once);
	ADD(s, exits_serve_the_guests_devices_and_only_its_own);
	ADD(s, a_halt_with_interrupts_off_ends_the_guest);
	ADD(s, a_touch_outside_guest_memory_ends_the_guest_with_a_log_line);
	ADD(s, a_guest_whose_task_dies_early_fails_its_launch);
	ADD(s, a_reused_task_id_ends_the_old_guest_and_not_the_new_one);
	ADD(s, a_string_out_is_one_write_per_repetition);
	ADD(s, halts_and_mmio_become_halt_and_guest_page_fault);
	return rec_run(s);
}
