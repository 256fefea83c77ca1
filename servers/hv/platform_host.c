/*
 * platform_host.c - the hv server on Linux: its platform (guest memory from
 * the vm server's pool, the vCPU task through the task server, the log,
 * rtc and blk servers), and the vCPU task itself, which runs one guest on
 * KVM and hands every exit to hv_exit().
 *
 * The vCPU task is this program launched with HV_VCPU_ARG; xous-hostd
 * gives it /dev/kvm as fd $XOUS_FILE_FD and ioctl in its sandbox
 * (xous-hostd/task.c). Without them it tells the hv server Unavailable.
 */
#include <errno.h>
#include <resea/blk.h>
#include <resea/task.h>
#include <resea/vm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include <xous/hostframe.h>
#include <xous/log.h>
#include <xous/names.h>

#include "platform.h"
#include "vm_kernel.h"

static xous_err_t mem_alloc(void *ctx, size_t size, uint8_t **mem, uintptr_t *paddr)
{
	void *va;
	xous_err_t err = vm_alloc_pages(size / XOUS_PAGE_SIZE, 0, &va, paddr);

	(void)ctx;
	if (err == XOUS_OK)
		*mem = va;
	return err;
}

static void mem_free(void *ctx, uint8_t *mem, uintptr_t paddr, size_t size)
{
	xous_range_t r = {mem, size};

	(void)ctx;
	xous_unmap_memory(r);
	xous_phys_release(paddr);
}

static xous_err_t launch(void *ctx, task_t *task)
{
	struct hv_host *h = ctx;
	const char *prog = getenv(HV_VCPU_ENV);
	char line[128];
	xous_err_t err;

	if (!prog || !prog[0] || strchr(prog, ' ') ||
	    (size_t)snprintf(line, sizeof(line), "%s %s", prog, HV_VCPU_ARG) >= sizeof(line))
		snprintf(line, sizeof(line), "%s %s", HV_VCPU_PROGRAM, HV_VCPU_ARG);
	err = task_launch(line, task);
	if (err == XOUS_OK && (err = task_watch(*task, &h->notice, HV_OP_EXITED)) != XOUS_OK)
		fprintf(stderr, "xous-hv: cannot watch guest task %u: %s\n", *task,
		        xous_strerror(err));
	return err;
}

static void guest_log(void *ctx, task_t guest, const char *line, size_t len)
{
	(void)ctx;
	xlog(XLOG_INFO, "guest %u: %.*s", guest, (int)len, line);
}

static xous_err_t rtc(void *ctx, struct rtc_date *out)
{
	(void)ctx;
	return rtc_read(out);
}

/* The blk server, if the fleet has one (xous-hostd --disk): never waited
 * for, so a guest without a disk finds a device that fails. */
static xous_err_t blk_there(struct hv_host *h)
{
	xous_cid_t cid;

	if (!h->blk && xns_request_connection(HV_BLK_NAME, &cid) == XOUS_OK)
		h->blk = true;
	return h->blk ? XOUS_OK : XOUS_ERR_UNAVAILABLE;
}

static xous_err_t blk_rd(void *ctx, uint64_t sector, void *buf, size_t len)
{
	xous_err_t err = blk_there(ctx);

	return err ? err : blk_read(sector, len / BLK_SECTOR_SIZE, buf);
}

static xous_err_t blk_wr(void *ctx, uint64_t sector, const void *data, size_t len)
{
	xous_err_t err = blk_there(ctx);

	return err ? err : blk_write(sector, data, len);
}

static xous_err_t blk_cap(void *ctx, uint64_t *num_sectors)
{
	xous_err_t err = blk_there(ctx);

	return err ? err : blk_capacity(num_sectors);
}

void hv_host_platform(struct hv_host *h, struct hv_platform *pf)
{
	*pf = (struct hv_platform){.ctx = h,
	                           .mem_alloc = mem_alloc,
	                           .mem_free = mem_free,
	                           .launch = launch,
	                           .log = guest_log,
	                           .rtc = rtc,
	                           .blk_read = blk_rd,
	                           .blk_write = blk_wr,
	                           .blk_capacity = blk_cap};
}

/* ---- the vCPU task ---- */

struct vcpu {
	int kvm, vm, fd;
	struct kvm_run *run;
	size_t run_size;
	xous_cid_t hv;
};

static xous_err_t vcpu_call(void *ctx, uint32_t op, uintptr_t a1, uintptr_t a2, uintptr_t a3,
                            xous_scalar_reply_t *r)
{
	struct vcpu *v = ctx;

	return xous_blocking_scalar(v->hv, op, a1, a2, a3, 0, r);
}

static void segment(struct kvm_segment *k, const struct hv_x64_segment *s)
{
	*k = (struct kvm_segment){.base = s->base,
	                          .limit = s->limit,
	                          .selector = s->selector,
	                          .type = s->type,
	                          .present = s->present,
	                          .dpl = s->dpl,
	                          .db = s->db,
	                          .s = s->s,
	                          .l = s->l,
	                          .g = s->g};
}

/* The CPU KVM offers, as the guest's CPUID. */
static int vcpu_cpuid(struct vcpu *v)
{
	size_t n = 256; /* more entries than any CPU reports */
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
	int rc;

	if (!c)
		return -1;
	c->nent = (uint32_t)n;
	rc = ioctl(v->kvm, KVM_GET_SUPPORTED_CPUID, c);
	if (rc == 0)
		rc = ioctl(v->fd, KVM_SET_CPUID2, c);
	free(c);
	return rc;
}

/* The entry state of guest.c in the vCPU's registers. */
static int vcpu_enter(struct vcpu *v, uint64_t rip, uint64_t rbx, size_t mem_size)
{
	struct hv_x64_entry e;
	struct kvm_sregs sr;
	struct kvm_regs r = {0};

	hv_x64_entry(mem_size, &e);
	if (ioctl(v->fd, KVM_GET_SREGS, &sr) < 0)
		return -1;
	segment(&sr.cs, &e.cs);
	segment(&sr.ds, &e.ds);
	sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
	sr.gdt.base = e.gdt_base;
	sr.gdt.limit = e.gdt_limit;
	sr.cr0 = e.cr0;
	sr.cr3 = e.cr3;
	sr.cr4 = e.cr4;
	sr.efer = e.efer;
	r.rip = rip;
	r.rsp = e.rsp;
	r.rbx = rbx;
	r.rflags = e.rflags;
	return ioctl(v->fd, KVM_SET_SREGS, &sr) < 0 || ioctl(v->fd, KVM_SET_REGS, &r) < 0 ? -1 : 0;
}

/* A VM with one vCPU (before the guest's memory is known): 0, or -1 with
 * errno. */
static int vcpu_create(struct vcpu *v)
{
	int mmap_size;

	if (ioctl(v->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return errno = ENOTSUP, -1;
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0 || ioctl(v->vm, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0)
		return -1;
	v->fd = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	mmap_size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (v->fd < 0 || mmap_size < (int)sizeof(*v->run))
		return -1;
	v->run_size = (size_t)mmap_size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		return -1;
	return vcpu_cpuid(v);
}

/* The guest's memory (the pages the hv server loaded, mapped here) in the
 * VM, and the vCPU at its entry state: 0, or -1 with errno. */
static int vcpu_setup(struct vcpu *v, const xous_scalar_reply_t *start)
{
	struct kvm_userspace_memory_region region = {0};
	void *mem;

	if (vm_alloc_pages(start->v[4] / XOUS_PAGE_SIZE, start->v[3], &mem, NULL) != XOUS_OK)
		return errno = ENOMEM, -1;
	region.memory_size = start->v[4];
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return -1;
	return vcpu_enter(v, start->v[0], start->v[2], start->v[4]);
}

/* IRQ n of the hv server is vector 0x20 + n, injected one at a time when
 * the guest can take it. */
static void vcpu_inject(struct vcpu *v, uint32_t *pending)
{
	struct kvm_interrupt irq;

	if (*pending && v->run->ready_for_interrupt_injection) {
		irq.irq = 0x20u + (uint32_t)__builtin_ctz(*pending);
		if (ioctl(v->fd, KVM_INTERRUPT, &irq) == 0)
			*pending &= *pending - 1;
	}
	v->run->request_interrupt_window = *pending != 0;
}

static int vcpu_loop(struct vcpu *v)
{
	const struct hv_exit_io io = {vcpu_call, v};
	uint32_t pending = 0, irqs;
	const char *why;

	for (;;) {
		struct kvm_regs r;
		enum hv_next next;

		vcpu_inject(v, &pending);
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "xous-hv: KVM_RUN: %s\n", strerror(errno));
			return 1;
		}
		if (v->run->exit_reason == KVM_EXIT_HLT && ioctl(v->fd, KVM_GET_REGS, &r) < 0)
			return 1;
		next = hv_exit(&io, v->run, v->run_size,
		               v->run->exit_reason == KVM_EXIT_HLT && (r.rflags & 0x200), &irqs,
		               &why);
		if (next == HV_NEXT_END)
			return 0;
		if (next == HV_NEXT_FAIL) {
			fprintf(stderr, "xous-hv: guest %u: %s\n", xous_process_id(), why);
			return 1;
		}
		pending |= irqs;
	}
}

int hv_vcpu_main(void)
{
	struct vcpu v = {.kvm = -1, .vm = -1, .fd = -1};
	const char *fd = getenv(XH_ENV_FILE);
	xous_scalar_reply_t start;
	xous_err_t err = xns_request_connection_blocking(HV_SERVER_NAME, &v.hv);

	if (err) {
		fprintf(stderr, "xous-hv --vcpu: cannot reach the hv server: %s\n",
		        xous_strerror(err));
		return 1;
	}
	v.kvm = fd ? atoi(fd) : -1;
	if (v.kvm < 0 || vcpu_create(&v) < 0) {
		/* no /dev/kvm (or no VM from it): the launch fails with why */
		err = v.kvm < 0 ? XOUS_ERR_UNAVAILABLE : XOUS_ERR_INTERNAL_ERROR;
		if (v.kvm >= 0)
			fprintf(stderr, "xous-hv --vcpu: cannot make a VM: %s\n", strerror(errno));
		xous_blocking_scalar(v.hv, HV_OP_VCPU_FAILED, err, 0, 0, 0, &start);
		return 0;
	}
	err = xous_blocking_scalar(v.hv, HV_OP_X64_START, 0, 0, 0, 0, &start);
	if (err || start.count != 5) {
		fprintf(stderr, "xous-hv --vcpu: x64_start: %s\n", xous_strerror(err));
		return 1;
	}
	if (vcpu_setup(&v, &start) < 0) {
		fprintf(stderr, "xous-hv --vcpu: cannot put the guest on KVM: %s\n",
		        strerror(errno));
		return 1;
	}
	return vcpu_loop(&v);
}
