/*
 * vcpu.c - one KVM exit of a guest, as seed 002's calls to the hv server
 * (api.h). The vCPU task's loop (platform_host.c) runs the guest with
 * KVM_RUN and hands every exit here; the unit tests hand it exits they
 * build. Everything the guest's exit names lies inside the vCPU's shared
 * page (run_size bytes) or the exit fails.
 */
#include <linux/kvm.h>
#include <string.h>

#include "hv.h"

static enum hv_next fail(const char **why, const char *text)
{
	*why = text;
	return HV_NEXT_FAIL;
}

static enum hv_next exit_io(const struct hv_exit_io *io, struct kvm_run *run, size_t run_size,
                            const char **why)
{
	uint8_t *data = (uint8_t *)run;
	uint64_t at = run->io.data_offset, size = run->io.size, n = run->io.count;
	xous_scalar_reply_t r;

	if ((size != 1 && size != 2 && size != 4) || n == 0 || at > run_size ||
	    n > (run_size - at) / size)
		return fail(why, "a port I/O exit whose data is not inside the vCPU's page");
	for (uint64_t i = 0; i < n; i++, at += size) {
		uint32_t v = 0;
		xous_err_t err;

		if (run->io.direction == KVM_EXIT_IO_OUT) {
			memcpy(&v, data + at, size); /* x86: little-endian, as the port takes it */
			err = io->call(io->ctx, HV_OP_IOPORT_WRITE, run->io.port, size, v, &r);
		} else {
			err = io->call(io->ctx, HV_OP_IOPORT_READ, run->io.port, size, 0, &r);
			v = (uint32_t)r.v[0];
			if (err == XOUS_OK)
				memcpy(data + at, &v, size);
		}
		if (err)
			return fail(why, "the hv server did not answer a port I/O exit");
	}
	return HV_NEXT_RUN;
}

static enum hv_next exit_mmio(const struct hv_exit_io *io, struct kvm_run *run, const char **why)
{
	uint64_t v = 0;
	uint32_t len = run->mmio.len;
	xous_scalar_reply_t r;

	if (len == 0 || len > sizeof(run->mmio.data))
		return fail(why, "an MMIO exit of a size KVM does not make");
	if (run->mmio.is_write)
		memcpy(&v, run->mmio.data, len);
	if (io->call(io->ctx, HV_OP_GUEST_PAGE_FAULT, (uintptr_t)run->mmio.phys_addr,
	             len | (run->mmio.is_write ? HV_FAULT_WRITE : 0), (uintptr_t)v, &r))
		return fail(why, "the hv server did not answer a guest page fault");
	if (r.v[0] == HV_END)
		return HV_NEXT_END;
	if (!run->mmio.is_write) {
		v = r.v[1];
		memcpy(run->mmio.data, &v, len);
	}
	return HV_NEXT_RUN;
}

enum hv_next hv_exit(const struct hv_exit_io *io, struct kvm_run *run, size_t run_size,
                     bool interrupts_on, uint32_t *irqs, const char **why)
{
	xous_scalar_reply_t r;

	*irqs = 0;
	*why = NULL;
	if (run_size < sizeof(*run))
		return fail(why, "the vCPU's page is smaller than struct kvm_run");
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return exit_io(io, run, run_size, why);
	case KVM_EXIT_MMIO:
		return exit_mmio(io, run, why);
	case KVM_EXIT_IRQ_WINDOW_OPEN:
	case KVM_EXIT_INTR:
		return HV_NEXT_RUN;
	case KVM_EXIT_HLT:
		if (io->call(io->ctx, HV_OP_HALT, interrupts_on, 0, 0, &r))
			return fail(why, "the hv server did not answer a halt");
		if (r.v[0] == 0)
			return HV_NEXT_END;
		*irqs = (uint32_t)r.v[0];
		return HV_NEXT_INJECT;
	case KVM_EXIT_SHUTDOWN:
		return fail(why, "the guest shut down (a triple fault)");
	case KVM_EXIT_FAIL_ENTRY:
		return fail(why, "KVM could not enter the guest");
	case KVM_EXIT_INTERNAL_ERROR:
		return fail(why, "KVM's internal error (an emulation failure)");
	default:
		return fail(why, "an exit the hv server does not serve");
	}
}
