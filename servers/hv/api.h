/*
 * The hv server's opcodes ("hv", registered with the name server; Linux
 * only). Launch comes from hv_launch (<resea/hv.h>); the others are seed
 * 002's hv interface, sent by a guest's vCPU task (the process the hv server
 * launched for that guest: the caller's pid names the guest, so no task
 * argument travels), except InjectIrq (from the guest's launcher) and
 * Exited (from the task server).
 *
 *  0 Launch        Borrow: the guest memory's size in bytes (u64, little-
 *                  endian) at 0, the image's bytes from HV_LAUNCH_IMAGE_AT,
 *                  valid = HV_LAUNCH_IMAGE_AT + the image's length
 *                  -> MemoryReturned(offset = error, valid = the guest's
 *                  task), once the guest started or could not
 * 16 X64Start      BlockingScalar() -> Scalar5(guest_rip, ept_pml4 (0 on
 *                  KVM), initial_rbx (the guest memory's size), the guest
 *                  memory's physical address (vm_alloc_pages), its size)
 * 17 Halt          BlockingScalar(a1 = 1 if the guest's interrupts are on)
 *                  -> Scalar1(IRQ bitmap to inject; 0: the guest ends)
 * 18 GuestPageFault BlockingScalar(a1 guest-physical address, a2 size
 *                  1..8 | HV_FAULT_WRITE, a3 the value written)
 *                  -> Scalar2(HV_GO_ON or HV_END, the value read)
 * 19 IoportRead    BlockingScalar(a1 port, a2 size 1, 2 or 4)
 *                  -> Scalar1(value)
 * 20 IoportWrite   BlockingScalar(a1 port, a2 size, a3 value)
 *                  -> Scalar1(HV_GO_ON)
 * 21 Await         BlockingScalar() -> Scalar1(pending IRQ bitmap, cleared)
 * 22 InjectIrq     Scalar(a1 guest task, a2 IRQ bitmap): from the process
 *                  that launched that guest; pending until Halt or Await
 * 23 VcpuFailed    BlockingScalar(a1 error) -> Scalar1(0): the vCPU task
 *                  could not run the guest (no /dev/kvm: Unavailable); the
 *                  launch fails with that error
 * 24 Exited        Scalar(a1 task, a2 status): the task server's notice
 *                  (task_watch) that a guest's task ended; taken only on
 *                  the hv server's private server, whose random id only
 *                  the task server is given
 *
 * A call from a process that is no guest's vCPU, an opcode outside this
 * list, a size that is not 1, 2 or 4: the BlockingScalar fails (Unavailable
 * through the answer none), a Scalar is dropped.
 */
#ifndef XOUS_HV_API_H
#define XOUS_HV_API_H

#define HV_SERVER_NAME "hv"

enum hv_opcode {
	HV_OP_LAUNCH = 0,
	HV_OP_X64_START = 16,
	HV_OP_HALT = 17,
	HV_OP_GUEST_PAGE_FAULT = 18,
	HV_OP_IOPORT_READ = 19,
	HV_OP_IOPORT_WRITE = 20,
	HV_OP_AWAIT = 21,
	HV_OP_INJECT_IRQ = 22,
	HV_OP_VCPU_FAILED = 23,
	HV_OP_EXITED = 24,
};

/* A guest's memory: whole pages, HV_GUEST_MEM_MIN to HV_GUEST_MEM_MAX bytes,
 * its image at guest-physical HV_GUEST_ENTRY (it must fit below the end). */
#define HV_GUEST_MEM_MIN 0x200000u   /* 2 MiB */
#define HV_GUEST_MEM_MAX 0x10000000u /* 256 MiB */
#define HV_GUEST_ENTRY   0x100000u

#define HV_LAUNCH_IMAGE_AT 8u

#define HV_FAULT_WRITE 0x100u /* GuestPageFault's a2: the access writes */
#define HV_GO_ON       0u     /* the guest goes on */
#define HV_END         1u     /* the guest ends (its vCPU task exits) */

/* A guest's vCPU task is the hv server's own program launched with this
 * argument ("xous-hv --vcpu"; xous-hostd hands that command line alone
 * /dev/kvm, xous-hostd/task.c). $XOUS_HV_VCPU in the hv server's
 * environment names another program to launch so (the tests' fake vCPU). */
#define HV_VCPU_PROGRAM "xous-hv"
#define HV_VCPU_ARG     "--vcpu"
#define HV_VCPU_ENV     "XOUS_HV_VCPU"

#endif
