/* defs.h - the kernel's functions, one block per file. */
#ifndef DEFS_H
#define DEFS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "memlayout.h"
#include "param.h"
#include "riscv.h"

struct trapframe;
struct kc_ops;

/*
 * board/<board>/: everything a board decides (docs/kernel-riscv.md, "Porting
 * to a board"). Its boot_*.c are its M-mode part (boot.h's board_boot: RAM
 * and M-mode's timer); board_init runs first in the kernel, in S-mode on the
 * boot hart, with board.ram_* set (as the boot stage mapped it) and the
 * device tree (its linear-map address; 0: none), and fills the rest of
 * board in or panics. A driver reaches its registers at dev_va(pa), which
 * kvminit maps after board_init; the console (uart_*) works from uart_init
 * on, the interrupt controller (plic_*) only if board.has_plic.
 */
#define BOARD_MMIO_MAX    8
#define BOARD_DEVICES_MAX 4
struct board {
	const char *name;
	uint32_t hart;                        /* the boot hart */
	uint32_t ram_base, ram_size;          /* RAM, physical (the boot stage's) */
	uint32_t pool_size;                   /* the physical pool at the top of RAM (phys.c) */
	uint32_t timebase_hz;                 /* of mtime and of the time CSR */
	uint32_t mtime;                       /* mtime's dev_va, if not time_csr */
	bool time_csr;                        /* S-mode reads the time CSR (else mtime) */
	uint64_t (*clock)(void);              /* else the board's own timer, if it has one */
	uint32_t mmio[BOARD_MMIO_MAX], nmmio; /* physical 4 MiB megapages of the kernel's windows */
	struct {
		uint32_t base, size;
	} devices[BOARD_DEVICES_MAX]; /* what a phys=devices process may map */
	uint32_t ndevices;
	bool has_plic;
};
extern struct board board;
void board_init(uint32_t hart, uint32_t fdt);
void board_exit(uint32_t code) __attribute__((noreturn));
bool board_rtc_ns(uint64_t *ns);             /* false: the board has no RTC */
bool board_entropy(void *out, uint32_t len); /* len bytes of the board's entropy, or false */
void uart_init(void);
void uart_putc(int c);
void uart_intr(void);
void plic_init(void);
int plic_claim(void);
void plic_complete(int irq);
void plic_enable(int irq, bool on);

/* printf.c */
void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
void panic(const char *fmt, ...) __attribute__((noreturn));

/* string.c (the compiler may also call these) */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);

/* fdt.c: a device tree's properties (path components may omit the unit address) */
bool fdt_valid(uint32_t fdt);
const void *fdt_prop(uint32_t fdt, const char *path, const char *prop, uint32_t *len);
bool fdt_has_string(uint32_t fdt, const char *path, const char *prop, const char *s);
bool fdt_u32(uint32_t fdt, const char *path, const char *prop, uint32_t *out);
bool fdt_memory(uint32_t fdt, uint32_t *base, uint32_t *size);
bool fdt_cpu_has_ext(uint32_t fdt, uint32_t hart, const char *ext); /* "zkr": riscv,isa has _zkr */

/* kalloc.c */
void kinit(uint32_t start);
void *kalloc(void); /* one zeroed page (its linear-map address), or NULL */
void kref(uint32_t pa);
void kunref(uint32_t pa); /* frees the page at the last reference */
uint32_t kfree_pages(void);
bool kpool_take(uint32_t pa); /* a free pool page, zeroed, with one reference */
bool is_ram(uint32_t pa);     /* in the linear map (P2V); device registers are not */

/* phys.c */
void phys_init(void);
/* kcore's phys_alloc and phys_free (kc_word is uintptr_t) */
uint32_t phys_alloc(void *ctx, uintptr_t base, uintptr_t size, uintptr_t *handle);
void phys_free(void *ctx, uintptr_t base, uintptr_t size, uintptr_t handle);
void phys_device_ref(uint32_t pa, int delta); /* kref/kunref of a device page */
uint32_t phys_map(uint32_t pid, uint32_t paddr, uint32_t virt, uint32_t size, uint32_t flags,
                  uint32_t *out);

/* vm.c */
extern struct boot_info kboot; /* the boot stage's hand-over (main.c) */
void kvminit(void);
uint32_t dev_va(uint32_t pa);   /* a device register in the kernel's windows, or 0 */
uint32_t kvtop(const void *va); /* a kernel address's physical address */
void kvminithart(void);
pagetable_t uvm_create(void);
void uvm_destroy(pagetable_t pt);
pte_t *walk(pagetable_t pt, uint32_t va, bool alloc);
int uvm_map_page(pagetable_t pt, uint32_t va, uint32_t pa, uint32_t perm);
void uvm_mapped(pagetable_t pt); /* after uvm_map_page calls: fence if pt is running */
bool uvm_range_free(pagetable_t pt, uint32_t va, uint32_t len);
uint32_t uvm_find_free(pagetable_t pt, uint32_t *hint, uint32_t len);
int uvm_alloc(pagetable_t pt, uint32_t va, uint32_t len, uint32_t perm);
void uvm_unmap(pagetable_t pt, uint32_t va, uint32_t len);
bool uvm_user_readable(pagetable_t pt, uint32_t va, uint32_t len);
int uvm_reserve(pagetable_t pt, uint32_t va, uint32_t len, uint32_t perm);
int uvm_touch(pagetable_t pt, uint32_t va, uint32_t len); /* first touch: pages mapped, or -1 */

/* trap.c */
void trap_init(void);
void kerneltrap(uint32_t sp) __attribute__((noreturn));
void trap_test_fault(void); /* XK_HOOK_FAULT_* */
void device_intr(void);
struct trapframe *usertrap(struct trapframe *tf);
void userret(struct trapframe *tf) __attribute__((noreturn)); /* trampoline.S */

/* proc.c */
void proc_init(void);
struct xk_program;
uint32_t proc_load(const struct xk_program *prog, uint32_t argc, char *const argv[],
                   uint32_t by /* kc_thread, KC_NO_THREAD: the kernel */, uint32_t *pid);
void proc_kill(uint32_t pid, uint32_t status);
uint32_t proc_create_process(uint32_t pid, uint32_t addr, uint32_t len, uint32_t *newpid);
void proc_set_main(uint32_t pid);
void thread_make_runnable(uint32_t t);
void thread_block_current(void);
void thread_yield_current(void);
void thread_run_first(uint32_t t);
struct trapframe *schedule(void);
int proc_thread_create(uint32_t pid, uint32_t entry, uint32_t arg, uint32_t sp, uint32_t *t);
void proc_thread_exit(uint32_t t, uint32_t retval);

/* irq.c */
uint32_t irq_claim(uint32_t pid, uint32_t irq, uint32_t handler, uint32_t arg);
uint32_t irq_free(uint32_t pid, uint32_t irq);
bool irq_deliver(uint32_t irq);
void irq_return(void);
void irq_release_pid(uint32_t pid);
bool irq_claimed_any(void);
bool irq_syscall_refused(struct trapframe *tf);
uint32_t irq_virt_to_phys(uint32_t pid, uint32_t va, uint32_t *pa);

/* clock.c */
uint64_t clock_ms(void);
uint64_t clock_utc_ms(void);
void timer_wait(uint32_t t, uint64_t deadline);
void timer_kick(uint32_t pid);
bool timer_expire(void); /* wakes the due waiters; true if any thread woke */
bool timer_sleepers(void);

/* random.c */
void random_init(void); /* seeds from board_entropy(); without entropy the kernel stops */
void random_bytes(void *out, uint32_t n);

/* syscall.c */
void syscall(struct trapframe *tf);
bool console_write(uint32_t pid, uint32_t addr, uint32_t len); /* at most CONSOLE_WRITE_MAX */

/* notify.c: AsyncSend, AsyncRecv (their bytes to and from kcore) */
void sys_async_send(struct trapframe *tf, uint32_t pid);
void sys_async_recv(struct trapframe *tf, uint32_t pid);

/* lend.c */
extern const struct kc_ops kernel_kc_ops;
struct kc_mem_s;
int lend_take(uint32_t pid, uint32_t kind, void *m /* kc_mem */);

/* pager.c */
struct trapframe;
void pager_exception(uint32_t pid, uint32_t scause, uint32_t addr, uint32_t pc);
uint32_t pager_region(uint32_t pid, uint32_t len, uint32_t *va);
bool pager_trap(uint32_t scause, uint32_t stval, struct trapframe *tf);
/* the answer to t's send the kernel made (threads[t].for_kernel), if it is the pager's */
bool pager_reply(uint32_t t, const void *r /* kc_regs */);
void pager_proc_exit(uint32_t pid);

/* hook.c */
uint32_t hook_server_label(uint32_t pid, const uint32_t sid[4], uint32_t addr, uint32_t len);
uint32_t hook_resolve(const char *name, uint32_t sid[4]);
uint32_t hook_attach(uint32_t pid, const uint32_t sid[4]);
bool hook_is_on(uint32_t pid);
void hook_proc_exit(uint32_t pid);
void hook_ecall(struct trapframe *tf, uint32_t pid);
bool hook_reply(uint32_t t, const void *r /* kc_regs */);
bool hook_return(struct trapframe *tf, uint32_t pid);
uint32_t hook_read(uint32_t pid, uint32_t task, uint32_t addr, uint32_t len, uint32_t buf,
                   uint32_t *n);
uint32_t hook_write(uint32_t pid, uint32_t task, uint32_t addr, uint32_t len, uint32_t buf,
                    uint32_t *n);
uint32_t hook_fd(uint32_t pid, uint32_t task, uint32_t *fd);
#define XK_MAP_MORE 0xffffffffu /* vm_map_memory: call again to go on */
uint32_t vm_map_memory(uint32_t virt, uint32_t size, uint32_t flags, uint32_t *out);
uint32_t vm_unmap_memory(uint32_t pid, uint32_t va, uint32_t len);

/* programs.S (generated per boot image) */
#define XK_PROG_MAIN     1u /* when it ends, qemu exits with its status */
#define XK_PROG_LAUNCHED 2u /* not started at boot: CreateProcess starts it by name */
#define XK_PROG_DEVICES  4u /* named phys=devices by its image: maps device registers */
#define XK_PROG_INI      8u /* start .. end: an IniE/IniF tag's data (image.c), not an ELF */
struct xk_program {
	const char *name;
	const uint8_t *start, *end;
	uint32_t flags; /* XK_PROG_* */
};
extern const struct xk_program xk_programs[];

/* exec.c */
int exec_load(pagetable_t pt, const struct xk_program *prog, uint32_t *entry);
int load_bytes(pagetable_t pt, uint32_t vaddr, uint32_t memsz, const uint8_t *src, uint32_t filesz,
               uint32_t perm);

/* image.c: the programs of a flash image's argument block, else xk_programs */
extern const struct xk_program *kprograms;
void image_init(uint32_t args_pa, uint32_t args_end_pa);
int image_load(pagetable_t pt, const struct xk_program *p, uint32_t *entry);

#endif /* DEFS_H */
