/*
 * xous-vm: the "vm" server (vm_dispatch) on the main thread and the "ool"
 * server (ool_dispatch) on a second one, both registered with the name
 * server. The fleet names this process the pool's manager (phys=pool).
 */
#include <stdio.h>
#include <xous/names.h>
#include <xous/serve.h>

#include "vm_kernel.h"
#include "vmsrv.h"

static struct ool_state ool; /* large: keep it off the stack */

const struct vm_kernel_ops vm_kernel_real = {xous_phys_grant, xous_process_name};

static xous_answer_t serve_vm(void *st, xous_envelope_t *env)
{
	return vm_dispatch(st, env);
}

static xous_answer_t serve_ool(void *st, xous_envelope_t *env)
{
	return ool_dispatch(st, env);
}

static void *ool_thread(void *arg)
{
	xous_sid_t *sid = arg;

	xous_serve_program(sid, 0, serve_ool, &ool);
	return NULL;
}

int main(void)
{
	static xous_sid_t vm_sid, ool_sid;
	struct vm_state vm;
	xous_tid_t tid;
	xous_err_t err;

	vm_init(&vm, &vm_kernel_real);
	ool_init(&ool, &vm_kernel_real);
	if ((err = xns_register_name(OOL_SERVER_NAME, 0, &ool_sid)) ||
	    (err = xous_create_thread(ool_thread, &ool_sid, &tid)) ||
	    (err = xns_register_name(VM_SERVER_NAME, 0, &vm_sid))) {
		fprintf(stderr, "xous-vm: cannot start: %s\n", xous_strerror(err));
		return 1;
	}
	return xous_serve_program(&vm_sid, 0, serve_vm, &vm);
}
