/* main.c - the boot order, in S-mode with interrupts off (entry.S). */
#include "defs.h"
#include "proc.h"
#include "xk_roles.h"

struct boot_info kboot;

void main(struct boot_info *bi);

/* The default fleet's well-known names (the server registry): each is a
 * role that only the image's program of that name holds; the main program
 * holds those no program of the image has (as PROGRAM under xous-hostd). */
#define XK_ROLE(program, name) {program, name},
static const struct {
	const char *program, *name;
} roles[] = {XK_ROLES(XK_ROLE)};
#define NROLES (sizeof(roles) / sizeof(roles[0]))

/* The default fleet's physical memory rights (the registry's PHYS): the
 * image's program of that name gets them. */
#define XK_PHYS_RIGHTS(program, flags) {program, flags},
static const struct {
	const char *program;
	uint32_t flags;
} phys_rights[] = {XK_PHYS(XK_PHYS_RIGHTS)};

static bool same_name(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && memcmp(a, b, n) == 0;
}

/* The physical memory rights of program p: the registry's, and the image's. */
static uint32_t phys_of(const struct xk_program *p)
{
	uint32_t flags = (p->flags & XK_PROG_DEVICES) ? KC_PHYS_DEVICES : 0;

	for (uint32_t i = 0; i < sizeof(phys_rights) / sizeof(phys_rights[0]); i++)
		if (same_name(p->name, phys_rights[i].program))
			flags |= phys_rights[i].flags;
	return flags;
}

/* Define every role, then give each to its program, the rest to the main one. */
static void start_programs(void)
{
	uint32_t pid, main_pid = 0, held = 0, role[NROLES + 1];

	for (uint32_t i = 0; i < NROLES; i++) {
		const unsigned char *b = (const unsigned char *)roles[i].name;
		uint32_t sid[4];

		for (int w = 0; w < 4; w++)
			sid[w] = b[4 * w] | b[4 * w + 1] << 8 | b[4 * w + 2] << 16 |
			         (uint32_t)b[4 * w + 3] << 24;
		if (kc_role_define(&kcore, sid, &role[i]))
			panic("cannot define the role %s", roles[i].name);
	}
	for (const struct xk_program *p = kprograms; p->name; p++) {
		char *argv[] = {(char *)p->name};

		if (p->flags & XK_PROG_LAUNCHED)
			continue; /* CreateProcess starts it */
		if (proc_load(p, 1, argv, KC_NO_THREAD, &pid))
			panic("cannot load %s", p->name);
		if (p->flags & XK_PROG_MAIN)
			proc_set_main(main_pid = pid);
		for (uint32_t i = 0; i < NROLES; i++)
			if (same_name(p->name, roles[i].program)) {
				kc_process_set_role(&kcore, pid, role[i]);
				held |= 1u << i;
			}
		kc_process_set_phys(&kcore, pid, phys_of(p));
		kprintf("[kernel] started %s as pid %u\n", p->name, pid);
	}
	for (uint32_t i = 0; i < NROLES && main_pid; i++)
		if (!(held >> i & 1u))
			kc_process_set_role(&kcore, main_pid, role[i]);
}

/* The device tree in the linear map, if it lies in RAM (else none). */
static uint32_t fdt_va(uint32_t pa)
{
	return pa >= KERNBASE && pa < PHYSTOP ? (uint32_t)P2V(pa) : 0;
}

/* The boot stage's boot_info (boot.h), at its address in the linear map. */
void main(struct boot_info *bi)
{
	trap_init();
	kboot = *bi; /* before kinit: the page it lies in may be free */
	memset(bi->seed, 0, sizeof(bi->seed));
	board.ram_base = kboot.ram_base;
	board.ram_size = kboot.ram_size;
	board_init(kboot.hart, fdt_va(kboot.fdt));
	kvminit();
	uart_init();
	if (xk_test_hooks & XK_HOOK_FAULT_EARLY)
		trap_test_fault();
	kprintf("[kernel] xous kernel-riscv on %s (hart %u), %u MiB of RAM at %p\n", BOARD_NAME,
	        board.hart, board.ram_size >> 20, board.ram_base);
	kinit(kboot.free_pa);
	kprintf("[kernel] %u KiB of RAM free for processes\n", kfree_pages() * (PGSIZE / 1024));
	if (board.has_plic)
		plic_init();
	random_init();
	proc_init();
	kc_init(&kcore, &kernel_kc_ops);
	phys_init();
	clock_utc_ms(); /* read the RTC once, at boot */
	image_init(kboot.args, kboot.free_pa);
	start_programs();
	userret(schedule());
}
