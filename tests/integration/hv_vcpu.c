/*
 * hv_vcpu: a fake vCPU task for the hv server (hv.sh starts the broker with
 * XOUS_HV_VCPU=itest_hv_vcpu), so that the guest's path runs for real where
 * /dev/kvm is absent: it takes the guest's start (x64_start), maps the guest
 * memory the hv server loaded, checks the page tables and that the image is
 * the demo guest, then makes the demo guest's port I/O as KVM would report
 * it (struct kvm_run, handed to hv_exit() as the KVM loop does): a line on
 * COM1, the CMOS date, the virtio-blk device found on PCI, sector 0 read
 * through the queue in guest memory and printed, and a halt with interrupts
 * off. Its exit status: 0 if every answer was right.
 */
#include <linux/kvm.h>
#include <resea/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xous/names.h>

#include "hv.h"

static xous_cid_t hv;
static uint8_t *mem;
static union {
	struct kvm_run run;
	uint8_t page[4096];
} vcpu;

static xous_err_t call(void *ctx, uint32_t op, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                       xous_scalar_reply_t *r)
{
	(void)ctx;
	return xous_blocking_scalar(hv, op, a1, a2, a3, 0, r);
}

static const struct hv_exit_io io = {call, NULL};

static void fail(const char *what)
{
	fprintf(stderr, "itest_hv_vcpu: %s\n", what);
	exit(1);
}

/* One KVM_EXIT_IO of size bytes at port; an IN's value. */
static uint32_t port_io(int out, uint16_t port, unsigned size, uint32_t value)
{
	uint32_t irqs, v = 0;
	const char *why;

	memset(&vcpu, 0, sizeof(vcpu));
	vcpu.run.exit_reason = KVM_EXIT_IO;
	vcpu.run.io.direction = out ? KVM_EXIT_IO_OUT : KVM_EXIT_IO_IN;
	vcpu.run.io.size = (uint8_t)size;
	vcpu.run.io.port = port;
	vcpu.run.io.count = 1;
	vcpu.run.io.data_offset = 1024;
	memcpy(vcpu.page + 1024, &value, size);
	if (hv_exit(&io, &vcpu.run, sizeof(vcpu), false, &irqs, &why) != HV_NEXT_RUN)
		fail(why);
	memcpy(&v, vcpu.page + 1024, size);
	return v;
}

static void puts_com1(const char *s)
{
	for (; *s; s++) {
		while (!(port_io(0, HV_COM1 + 5, 1, 0) & 0x20))
			;
		port_io(1, HV_COM1, 1, (uint8_t)*s);
	}
}

static void cmos_bcd(uint8_t reg)
{
	char d[3];
	uint32_t v;

	port_io(1, HV_CMOS_INDEX, 1, reg);
	v = port_io(0, HV_CMOS_DATA, 1, 0);
	d[0] = (char)('0' + (v >> 4));
	d[1] = (char)('0' + (v & 15));
	d[2] = 0;
	puts_com1(d);
}

static uint32_t pci(uint32_t address)
{
	port_io(1, HV_PCI_ADDRESS, 4, address);
	return port_io(0, HV_PCI_DATA, 4, 0);
}

static uint64_t get64(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, mem + gpa, 8);
	return v;
}

static void put(uint64_t gpa, uint64_t v, unsigned n)
{
	memcpy(mem + gpa, &v, n);
}

/* The demo guest's read of sector 0 (demo.S), its first bytes printed. */
static void read_sector0(void)
{
	uint16_t base, used;
	char text[33];

	if (pci(0x80000800u) != 0x10011af4u)
		fail("no virtio-blk device at 00:01.0");
	base = (uint16_t)(pci(0x80000810u) & 0xfffc);
	port_io(1, base + 0x12, 1, 0);
	port_io(1, base + 0x12, 1, 3);
	port_io(1, base + 0x0e, 2, 0);
	if (port_io(0, base + 0x0c, 2, 0) != 128)
		fail("the queue is not 128 entries");
	port_io(1, base + 0x08, 4, 0x200);
	port_io(1, base + 0x12, 1, 7);
	put(0x200000, 0x203000, 8), put(0x200008, 16, 4), put(0x20000c, 1, 2), put(0x20000e, 1, 2);
	put(0x200010, 0x203200, 8), put(0x200018, 512, 4), put(0x20001c, 3, 2), put(0x20001e, 2, 2);
	put(0x200020, 0x203400, 8), put(0x200028, 1, 4), put(0x20002c, 2, 2);
	put(0x203000, 0, 4), put(0x203008, 0, 8), put(0x203400, 0xff, 1);
	put(0x200804, 0, 2), put(0x200802, 1, 2);
	port_io(1, base + 0x10, 2, 0);
	memcpy(&used, mem + 0x201002, 2);
	if (used != 1 || mem[0x203400] != 0)
		fail("the disk did not serve the read");
	memcpy(text, mem + 0x203200, 32);
	text[32] = 0;
	for (char *c = text; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '.';
	puts_com1("sector 0: ");
	puts_com1(text);
	puts_com1("\n");
}

int main(int argc, char **argv)
{
	xous_scalar_reply_t start;
	uint32_t irqs;
	const char *why;
	void *va;

	if (argc != 2 || strcmp(argv[1], HV_VCPU_ARG))
		fail("run by the hv server only");
	if (xns_request_connection_blocking(HV_SERVER_NAME, &hv) ||
	    xous_blocking_scalar(hv, HV_OP_X64_START, 0, 0, 0, 0, &start) || start.count != 5)
		fail("no x64_start");
	if (start.v[0] != HV_GUEST_ENTRY || start.v[1] != 0 || start.v[2] != start.v[4])
		fail("x64_start's entry, ept_pml4 or rbx is wrong");
	if (vm_alloc_pages(start.v[4] / XOUS_PAGE_SIZE, start.v[3], &va, NULL))
		fail("cannot map the guest's memory");
	mem = va;
	if (get64(HV_GUEST_PML4) != (HV_GUEST_PDPT | 3) || get64(HV_GUEST_PD + 8) != 0x200083 ||
	    memcmp(mem + HV_GUEST_ENTRY, "\x48\x8d\x35", 3))
		fail("the guest's memory is not the demo guest under its page tables");
	puts_com1("hello from the fake vcpu\ntime: ");
	cmos_bcd(0x32), cmos_bcd(0x09), puts_com1("-"), cmos_bcd(0x08), puts_com1("-");
	cmos_bcd(0x07), puts_com1(" "), cmos_bcd(0x04), puts_com1(":"), cmos_bcd(0x02);
	puts_com1(":"), cmos_bcd(0x00), puts_com1("\n");
	read_sector0();
	memset(&vcpu, 0, sizeof(vcpu));
	vcpu.run.exit_reason = KVM_EXIT_HLT;
	if (hv_exit(&io, &vcpu.run, sizeof(vcpu), false, &irqs, &why) != HV_NEXT_END)
		fail("a halt with interrupts off did not end the guest");
	return 0;
}
