/*
 * fuzz_srv_vm.c - fuzz target `srv_vm`: the vm process's two dispatch
 * functions (even caller pids reach vm_dispatch, odd ones ool_dispatch)
 * behind the checking io table of fuzz_server.h, over a fake kernel whose
 * answers follow from the input's pids and addresses.
 */
#include <stdio.h>

#include "fuzz_server.h"
#include "vmsrv.h"

static xous_err_t f_grant(xous_sender_t to, uintptr_t paddr, size_t len, uint32_t flags,
                          uintptr_t *out)
{
	(void)to;
	(void)flags;
	*out = paddr ? paddr : 0x80000000u + len;
	return (paddr >> 12) % 3 == 2 ? XOUS_ERR_ACCESS_DENIED : XOUS_OK;
}

static xous_err_t f_name(xous_pid_t pid, char *buf, size_t len)
{
	if (pid % 5 == 0)
		return XOUS_ERR_PROCESS_NOT_FOUND;
	snprintf(buf, len, "p%u", (unsigned)pid);
	return XOUS_OK;
}

static const struct vm_kernel_ops fake = {f_grant, f_name};
static struct vm_state vm;
static struct ool_state ool;

static void init(uint64_t now)
{
	(void)now;
	ool_fini(&ool);
	vm_init(&vm, &fake);
	ool_init(&ool, &fake);
}

static xous_answer_t dispatch(xous_envelope_t *env, uint64_t now)
{
	(void)now;
	if (xous_sender_pid(env->sender) % 2 == 0)
		return vm_dispatch(&vm, env);
	return ool_dispatch(&ool, env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fsrv_target t = {
	        .init = init,
	        .dispatch = dispatch,
	};

	return fsrv_run(&t, data, size);
}
