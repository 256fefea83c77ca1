/*
 * phys.c - the emulated physical memory and MapMemory with a physical
 * address.
 *
 * The pool is HOSTD_PHYS_BASE .. + hostd.phys_size (the fleet file's
 * `physmem`, 64 MiB by default). kcore decides who may map what
 * (kcore/phys.c); this file backs each run of the pool that the vm server
 * hands out with a sealed memfd of its own, because Linux can hand a process
 * a whole file but never a part of one: a run's memfd reaches only the
 * processes that hold a right on that run. A process that may only read
 * gets a read-only reopening (mode 0400, as a Borrow's), so it cannot map
 * the pages writable. Outside the pool there is nothing on Linux: no device
 * registers, no other RAM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hostd.h"

void hostd_phys_init(void)
{
	if (hostd.phys_size == 0)
		hostd.phys_size = HOSTD_PHYS_DEFAULT;
	kc_phys_init(hostd.kc, HOSTD_PHYS_BASE, hostd.phys_size);
}

/* kcore's phys_alloc: a zeroed sealed memfd for [base, base+size). */
uint32_t hostd_phys_alloc(void *ctx, kc_word base, kc_word size, kc_word *handle)
{
	int fd = memfd_create("xous-phys", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	(void)ctx;
	(void)base;
	if (fd < 0)
		return XOUS_ERR_OUT_OF_MEMORY;
	if (ftruncate(fd, (off_t)size) < 0 || hostd_lend_chmod(fd) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		close(fd);
		return XOUS_ERR_OUT_OF_MEMORY;
	}
	*handle = (kc_word)fd;
	return XOUS_OK;
}

/* kcore's phys_free: the pages live on in the processes that map them. */
void hostd_phys_free(void *ctx, kc_word base, kc_word size, kc_word handle)
{
	(void)ctx;
	(void)base;
	(void)size;
	close((int)handle);
}

/* The fd to hand out for a mapping: a read-only reopening unless writable. */
static int phys_fd(int fd, bool writable)
{
	char path[64];

	if (writable)
		return fd;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * MapMemory(a1 phys, a2 virt, a3 size, a4 flags), phys != 0: the answer is
 * MemoryRange(phys, size) with the run's fd and, in aux, the offset of phys
 * in it; the library maps it where it likes (virt is a hint it ignores).
 */
void hostd_phys_map(struct hostd_conn *c, const kc_regs *r)
{
	struct xh_frame f = {.magic = XH_MAGIC, .type = XH_RESULT, .flags = XH_F_FD};
	struct kc_phys_map m;
	uint32_t err = kc_phys_check(hostd.kc, c->proc->pid, r->a[1], r->a[3], r->a[4], &m);
	bool writable = (r->a[4] & XOUS_MEM_W) != 0;
	int fd;

	if (!err && (r->a[4] & ~(kc_word)(XOUS_MEM_R | XOUS_MEM_W | XOUS_MEM_X)))
		err = XOUS_ERR_INVALID_ARGUMENT;
	if (!err && m.device) /* no device registers nor other RAM on Linux */
		err = XOUS_ERR_BAD_ADDRESS;
	if (err) {
		hostd_conn_error(c, err);
		return;
	}
	fd = phys_fd((int)m.handle, writable);
	if (fd < 0) {
		hostd_conn_error(c, errno == EMFILE || errno == ENFILE ? XOUS_ERR_OUT_OF_MEMORY
		                                                       : XOUS_ERR_INTERNAL_ERROR);
		return;
	}
	f.w[0] = XOUS_RESULT_MEMORY_RANGE;
	f.w[1] = r->a[1];
	f.w[2] = r->a[3];
	f.aux = r->a[1] - m.run_base;
	hostd_conn_send(c, &f, fd);
	if (fd != (int)m.handle)
		close(fd);
}

/* ClaimInterrupt, FreeInterrupt, VirtToPhys: Linux has no interrupts a
 * process could claim (InterruptNotFound; AccessDenied to a claim without
 * phys=devices, as on kernel-riscv) and no memory whose physical address a
 * device could use (BadAddress). */
void hostd_device_call(struct hostd_conn *c, const kc_regs *r)
{
	struct kc_phys_map m;
	uint32_t err = XOUS_ERR_INTERRUPT_NOT_FOUND;

	if (r->a[0] == XOUS_SYS_VIRT_TO_PHYS)
		err = XOUS_ERR_BAD_ADDRESS;
	else if (r->a[0] == XOUS_SYS_CLAIM_INTERRUPT &&
	         kc_phys_check(hostd.kc, c->proc->pid, XOUS_PAGE_SIZE, XOUS_PAGE_SIZE, XOUS_MEM_R,
	                       &m) == XOUS_ERR_ACCESS_DENIED)
		err = XOUS_ERR_ACCESS_DENIED; /* a page outside the pool: a device's */
	hostd_conn_error(c, err);
}
