/*
 * The hv server as pure functions over a platform: hv_dispatch(st, env)
 * decodes a guest's exits (api.h) and returns the answer; the device
 * models (devices.c) and the guest's image loader and entry state
 * (guest.c) take guest memory as a plain buffer. The platform gives guest
 * memory, the vCPU task, the log, the clock and the disk (platform_host.c;
 * the unit tests and the fuzz target give fakes).
 */
#ifndef XOUS_HV_SERVER_H
#define XOUS_HV_SERVER_H

#include <resea/blk.h>
#include <resea/hv.h>
#include <resea/rtc.h>
#include <stdbool.h>
#include <stdint.h>
#include <xous/serve.h>

#include "api.h"

/* Guest-physical layout (guest.c): page tables, the GDT, the stack below
 * the image, the image at HV_GUEST_ENTRY. */
#define HV_GUEST_PML4   0x1000u
#define HV_GUEST_PDPT   0x2000u
#define HV_GUEST_PD     0x3000u
#define HV_GUEST_GDT    0x4000u
#define HV_GUEST_STACK  0x100000u   /* rsp at entry: grows down from the image */
#define HV_GUEST_MAPPED 0x40000000u /* the first 1 GiB, identity-mapped */
#define HV_GDT_CODE     0x08u
#define HV_GDT_DATA     0x10u

/* The devices' ports. */
#define HV_COM1        0x3f8u
#define HV_CMOS_INDEX  0x70u
#define HV_CMOS_DATA   0x71u
#define HV_PCI_ADDRESS 0xcf8u
#define HV_PCI_DATA    0xcfcu
#define HV_VIRTIO_PORT 0xc000u /* the virtio-blk device's BAR0 (legacy virtio-pci) */
#define HV_VIRTIO_SIZE 0x40u
#define HV_VIRTIO_SLOT 1u /* PCI 00:01.0 */
#define HV_VIRTIO_IRQ  11u
#define HV_VIRTQ_SIZE  128u
#define HV_LINE_MAX    120u /* a serial line longer than this goes to the log in parts */
#define HV_GUESTS_MAX  8u

/* What the core asks of its platform; every call returns 0 or an error. */
struct hv_platform {
	void *ctx;
	/* size bytes of zeroed guest memory, shared with the vCPU task (its
	 * physical address, which that task maps) */
	xous_err_t (*mem_alloc)(void *ctx, size_t size, uint8_t **mem, uintptr_t *paddr);
	void (*mem_free)(void *ctx, uint8_t *mem, uintptr_t paddr, size_t size);
	/* start a vCPU task (api.h), watched: its end comes as Exited */
	xous_err_t (*launch)(void *ctx, task_t *task);
	void (*log)(void *ctx, task_t guest, const char *line, size_t len);
	xous_err_t (*rtc)(void *ctx, struct rtc_date *out);
	xous_err_t (*blk_read)(void *ctx, uint64_t sector, void *buf, size_t len);
	xous_err_t (*blk_write)(void *ctx, uint64_t sector, const void *data, size_t len);
	xous_err_t (*blk_capacity)(void *ctx, uint64_t *num_sectors);
};

/* One guest's machine: its memory and its devices' registers. */
struct hv_machine {
	const struct hv_platform *pf;
	task_t task;
	uint8_t *mem;
	size_t mem_size;
	struct {
		uint8_t ier, lcr, mcr, scr, dll, dlm;
		size_t len;
		char line[HV_LINE_MAX];
	} com1;
	uint8_t cmos_index;
	uint32_t pci_address;
	bool bar_sizing;
	struct {
		uint32_t guest_features, pfn;
		uint16_t queue_sel, last_avail;
		uint8_t status, isr;
	} vblk;
	uint32_t irq_pending;
};

/* guest.c: load image (len bytes) into mem (size bytes, zeroed) at
 * HV_GUEST_ENTRY and build the page tables and GDT of the entry state:
 * 0, or INVALID_ARGUMENT if size is not whole pages between
 * HV_GUEST_MEM_MIN and HV_GUEST_MEM_MAX or the image is empty or does not
 * fit. */
xous_err_t hv_guest_load(uint8_t *mem, size_t size, const void *image, size_t len);

struct hv_x64_segment {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint8_t type, present, dpl, db, s, l, g;
};

/* The registers a guest starts with: 64-bit mode, paging on (cr3 the
 * identity map), interrupts off. */
struct hv_x64_entry {
	uint64_t rip, rsp, rbx, rflags, cr0, cr3, cr4, efer, gdt_base;
	uint16_t gdt_limit;
	struct hv_x64_segment cs, ds; /* ds: also es, fs, gs, ss */
};

void hv_x64_entry(size_t mem_size, struct hv_x64_entry *out);

/* devices.c: an IN or OUT of size 1, 2 or 4 bytes at port (other sizes
 * and unknown ports: reads all ones, writes ignored). */
uint32_t hv_io_read(struct hv_machine *m, uint16_t port, unsigned size);
void hv_io_write(struct hv_machine *m, uint16_t port, unsigned size, uint32_t value);
/* Send what the serial port holds of an unfinished line to the log. */
void hv_serial_flush(struct hv_machine *m);

/* dispatch.c: the server's state, every guest's slot. */
struct hv_guest {
	enum { HV_FREE, HV_STARTING, HV_RUNNING, HV_ENDED } state;
	struct hv_machine m;
	uintptr_t paddr;
	xous_pid_t launcher;
	xous_envelope_t launch; /* the parked Launch while HV_STARTING */
	unsigned stale_exits;   /* Exited notices still due for earlier tasks of its id */
};

struct hv_state {
	const struct hv_platform *pf;
	const struct xous_server_io *io;
	struct hv_guest g[HV_GUESTS_MAX];
};

void hv_init(struct hv_state *st, const struct hv_platform *pf, const struct xous_server_io *io);
xous_answer_t hv_dispatch(struct hv_state *st, xous_envelope_t *env);
/* The private server's messages: Exited(task, status) from the task server
 * (HV_OP_EXITED); the guest of that task is freed. */
xous_answer_t hv_notice(struct hv_state *st, xous_envelope_t *env);
/* Launches parked until their guest starts (the fuzz harness's count). */
size_t hv_waiting(const struct hv_state *st);

/* vcpu.c: the vCPU task's side. One exit's call to the hv server:
 * BlockingScalar(op, a1, a2, a3) and its reply. */
struct hv_exit_io {
	xous_err_t (*call)(void *ctx, uint32_t op, uintptr_t a1, uintptr_t a2, uintptr_t a3,
	                   xous_scalar_reply_t *r);
	void *ctx;
};

/* What an exit asks of the vCPU loop next. */
enum hv_next { HV_NEXT_RUN, HV_NEXT_INJECT, HV_NEXT_END, HV_NEXT_FAIL };

struct kvm_run;
/* Handle the exit KVM_RUN left in run (Linux's struct kvm_run, the vCPU's
 * shared page of run_size bytes) as calls to the hv server: port I/O (every
 * repetition of a string instruction, the data inside the page), MMIO
 * outside guest memory (GuestPageFault), HLT (Halt; interrupts_on: the
 * guest's RFLAGS.IF). HV_NEXT_INJECT: *irqs holds IRQs to inject before
 * running again. HV_NEXT_FAIL: an exit the hv server cannot serve (*why
 * says which), or a call that failed. */
enum hv_next hv_exit(const struct hv_exit_io *io, struct kvm_run *run, size_t run_size,
                     bool interrupts_on, uint32_t *irqs, const char **why);

#endif
