/*
 * <resea/hv.h> - x64 guests on KVM ("hv", CONTRACT section 7; Linux only;
 * docs/resea-hv.md). Opcodes and their answers: servers/hv/api.h.
 *
 * hv_launch reads the flat image file `image` (a host path, read by the
 * caller), and the hv server runs it in a task of its own: loaded at
 * guest-physical 0x100000 in guest_mem bytes of memory (rounded up to whole
 * pages, 2 MiB to 256 MiB, and the image must fit above 1 MiB), entered in
 * 64-bit mode with the first 1 GiB identity-mapped, rsp 0x100000, rbx the
 * memory's size, interrupts off. Its devices: COM1 (0x3f8) to the log
 * server, the CMOS RTC (0x70/0x71) from the rtc server, a legacy
 * virtio-blk device (PCI 00:01.0, I/O BAR 0xc000) on the blk server. `hlt`
 * with interrupts off ends the guest. It returns once the guest started,
 * *guest its task (task_watch tells its end).
 *
 * Errors: INVALID_ARGUMENT (NULL, a guest_mem or image outside the limits),
 * NOT_FOUND (no such file), SERVER_NOT_FOUND (no hv server: a kernel
 * without it),
 * UNAVAILABLE (no /dev/kvm on this machine), OUT_OF_MEMORY (the vm server's
 * pool, or 8 guests run already), INTERNAL_ERROR (the guest's task ended
 * before it started).
 */
#ifndef RESEA_HV_H
#define RESEA_HV_H

#include <stddef.h>
#include <stdint.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t task_t; /* the same type as <resea/task.h>'s */

xous_err_t hv_launch(const char *image, size_t guest_mem, task_t *guest);

#ifdef __cplusplus
}
#endif

#endif /* RESEA_HV_H */
