/*
 * dispatch.c - the hv server's decoder: a Launch from hv_launch, and the
 * exits of the guests' vCPU tasks (api.h), each served by its guest's
 * machine (devices.c).
 *
 * Rules:
 * - A guest is its vCPU task: an exit counts only from the pid the
 *   platform's launch gave, and serves only that guest's machine.
 * - Exited comes only through hv_notice(), served on a server whose id only
 *   the task server was given (task_watch), so nobody else can end a guest.
 * - A Launch is parked until its guest starts (X64Start), its vCPU task
 *   says it cannot (VcpuFailed), or that task ends (Exited); its answer is
 *   MemoryReturned(offset = error, valid = task).
 * - A task id is reused once the task server told its end: a launch that
 *   gets the id of a guest whose Exited has not been served yet ends that
 *   guest now and lets the notice still due pass over the new one.
 * - A guest ends when it halts with interrupts off (or with nothing that
 *   could ever wake it), when a touch outside its memory faults, or when
 *   its task ends; its serial line is flushed to the log and its memory
 *   freed only once its task is gone (Exited), since that task maps it.
 */
#include <stdio.h>
#include <string.h>

#include "hv.h"

void hv_init(struct hv_state *st, const struct hv_platform *pf, const struct xous_server_io *io)
{
	memset(st, 0, sizeof(*st));
	st->pf = pf;
	st->io = io;
}

size_t hv_waiting(const struct hv_state *st)
{
	size_t n = 0;

	for (size_t i = 0; i < HV_GUESTS_MAX; i++)
		n += st->g[i].state == HV_STARTING;
	return n;
}

static struct hv_guest *guest_of(struct hv_state *st, task_t task)
{
	for (size_t i = 0; i < HV_GUESTS_MAX; i++)
		if (st->g[i].state != HV_FREE && st->g[i].m.task == task)
			return &st->g[i];
	return NULL;
}

/* Answer a parked Launch. */
static void launch_answer(struct hv_state *st, struct hv_guest *g, xous_err_t err)
{
	xous_io_answer(st->io, &g->launch, xous_answer_memory(err, err ? 0 : g->m.task));
}

static void guest_free(struct hv_state *st, struct hv_guest *g)
{
	hv_serial_flush(&g->m);
	if (g->m.mem)
		st->pf->mem_free(st->pf->ctx, g->m.mem, g->paddr, g->m.mem_size);
	memset(g, 0, sizeof(*g));
}

/* The guest memory's size a Launch asks for (whole pages), or 0. */
static size_t launch_size(const xous_envelope_t *env)
{
	const uint8_t *p = env->memory.buf.addr;
	uint64_t size = 0;

	if (env->memory.valid > env->memory.buf.len || env->memory.valid <= HV_LAUNCH_IMAGE_AT)
		return 0;
	for (int i = 7; i >= 0; i--)
		size = size << 8 | p[i];
	size = (size + 4095u) & ~(uint64_t)4095u;
	if (size < HV_GUEST_MEM_MIN || size > HV_GUEST_MEM_MAX ||
	    env->memory.valid - HV_LAUNCH_IMAGE_AT > size - HV_GUEST_ENTRY)
		return 0;
	return (size_t)size;
}

/* Its task is gone: a launch still parked fails, the slot is freed. */
static void guest_end(struct hv_state *st, struct hv_guest *g)
{
	if (g->state == HV_STARTING)
		launch_answer(st, g, XOUS_ERR_INTERNAL_ERROR); /* it died before it started */
	guest_free(st, g);
}

static xous_answer_t launch(struct hv_state *st, xous_envelope_t *env)
{
	struct hv_guest *g = NULL;
	size_t size;
	xous_err_t err;

	if (env->kind != XOUS_BORROW && env->kind != XOUS_MUTABLE_BORROW)
		return xous_answer_none();
	size = launch_size(env);
	for (size_t i = 0; i < HV_GUESTS_MAX && !g; i++)
		if (st->g[i].state == HV_FREE)
			g = &st->g[i];
	if (!size || !g) /* !g: HV_GUESTS_MAX guests run already */
		return xous_answer_memory(size ? XOUS_ERR_OUT_OF_MEMORY : XOUS_ERR_INVALID_ARGUMENT,
		                          0);
	g->m.pf = st->pf;
	g->m.mem_size = size;
	err = st->pf->mem_alloc(st->pf->ctx, size, &g->m.mem, &g->paddr);
	if (err == XOUS_OK)
		err = hv_guest_load(g->m.mem, size,
		                    (uint8_t *)env->memory.buf.addr + HV_LAUNCH_IMAGE_AT,
		                    env->memory.valid - HV_LAUNCH_IMAGE_AT);
	if (err == XOUS_OK)
		err = st->pf->launch(st->pf->ctx, &g->m.task);
	if (err) {
		guest_free(st, g);
		return xous_answer_memory(err, 0);
	}
	for (size_t i = 0; i < HV_GUESTS_MAX; i++) {
		struct hv_guest *old = &st->g[i];

		if (old != g && old->state != HV_FREE && old->m.task == g->m.task) {
			g->stale_exits += old->stale_exits + 1;
			guest_end(st, old);
		}
	}
	g->state = HV_STARTING;
	g->launcher = xous_sender_pid(env->sender);
	g->launch = *env;
	return xous_answer_deferred();
}

static xous_answer_t x64_start(struct hv_state *st, struct hv_guest *g)
{
	if (g->state != HV_STARTING)
		return xous_answer_none(); /* a guest starts once */
	g->state = HV_RUNNING;
	launch_answer(st, g, XOUS_OK);
	return xous_answer_scalar5(HV_GUEST_ENTRY, 0, g->m.mem_size, g->paddr, g->m.mem_size);
}

/* A guest that halts goes on only with interrupts on and one pending. */
static xous_answer_t halt(struct hv_guest *g, uintptr_t interrupts_on)
{
	uint32_t irqs = g->m.irq_pending;

	hv_serial_flush(&g->m);
	if (!interrupts_on || irqs == 0) {
		g->state = HV_ENDED;
		return xous_answer_scalar1(0);
	}
	g->m.irq_pending = 0;
	return xous_answer_scalar1(irqs);
}

/* The vCPU task asks only what KVM could not serve: a touch outside guest
 * memory, where the machine has no device. The guest ends. */
static xous_answer_t page_fault(struct hv_state *st, struct hv_guest *g, uintptr_t gpa,
                                uintptr_t how)
{
	char line[96];
	int n = snprintf(line, sizeof(line),
	                 "guest fault: %s of %u bytes at 0x%llx, outside its memory",
	                 how & HV_FAULT_WRITE ? "write" : "read", (unsigned)(how & 0xff),
	                 (unsigned long long)gpa);

	hv_serial_flush(&g->m);
	st->pf->log(st->pf->ctx, g->m.task, line, (size_t)n);
	g->state = HV_ENDED;
	return xous_answer_scalar2(HV_END, 0);
}

static xous_answer_t exit_call(struct hv_state *st, struct hv_guest *g, xous_envelope_t *env)
{
	const uintptr_t *a = env->scalar.arg;

	if (env->scalar.id == HV_OP_X64_START)
		return x64_start(st, g);
	if (g->state != HV_RUNNING) {
		if (env->scalar.id == HV_OP_VCPU_FAILED && g->state == HV_STARTING) {
			launch_answer(st, g, a[0] ? (xous_err_t)a[0] : XOUS_ERR_INTERNAL_ERROR);
			g->state = HV_ENDED; /* answered: freed when its task ends */
			return xous_answer_scalar1(0);
		}
		return xous_answer_none();
	}
	switch (env->scalar.id) {
	case HV_OP_HALT:
		return halt(g, a[0]);
	case HV_OP_GUEST_PAGE_FAULT:
		return page_fault(st, g, a[0], a[1]);
	case HV_OP_IOPORT_READ:
		if (a[0] > 0xffff || (a[1] != 1 && a[1] != 2 && a[1] != 4))
			return xous_answer_none();
		return xous_answer_scalar1(hv_io_read(&g->m, (uint16_t)a[0], (unsigned)a[1]));
	case HV_OP_IOPORT_WRITE:
		if (a[0] > 0xffff || (a[1] != 1 && a[1] != 2 && a[1] != 4))
			return xous_answer_none();
		hv_io_write(&g->m, (uint16_t)a[0], (unsigned)a[1], (uint32_t)a[2]);
		return xous_answer_scalar1(HV_GO_ON);
	case HV_OP_AWAIT: {
		uint32_t irqs = g->m.irq_pending;

		g->m.irq_pending = 0;
		return xous_answer_scalar1(irqs);
	}
	default:
		return xous_answer_none();
	}
}

/* InjectIrq, a Scalar from the guest's launcher. */
static void inject(struct hv_state *st, xous_envelope_t *env)
{
	struct hv_guest *g = guest_of(st, (task_t)env->scalar.arg[0]);

	if (g && env->scalar.arg[0] <= UINT32_MAX && g->state == HV_RUNNING &&
	    g->launcher == xous_sender_pid(env->sender))
		g->m.irq_pending |= (uint32_t)env->scalar.arg[1];
}

xous_answer_t hv_notice(struct hv_state *st, xous_envelope_t *env)
{
	struct hv_guest *g;

	if (env->kind != XOUS_SCALAR || env->scalar.id != HV_OP_EXITED ||
	    env->scalar.arg[0] > UINT32_MAX)
		return xous_answer_none();
	g = guest_of(st, (task_t)env->scalar.arg[0]);
	if (g && g->stale_exits)
		g->stale_exits--; /* an earlier task of this id */
	else if (g)
		guest_end(st, g);
	return xous_answer_none();
}

xous_answer_t hv_dispatch(struct hv_state *st, xous_envelope_t *env)
{
	struct hv_guest *g;

	if (env->kind != XOUS_SCALAR && env->kind != XOUS_BLOCKING_SCALAR)
		return env->memory.id == HV_OP_LAUNCH ? launch(st, env) : xous_answer_none();
	if (env->kind == XOUS_SCALAR) {
		if (env->scalar.id == HV_OP_INJECT_IRQ)
			inject(st, env);
		return xous_answer_none();
	}
	g = guest_of(st, xous_sender_pid(env->sender));
	return g ? exit_call(st, g, env) : xous_answer_none();
}
