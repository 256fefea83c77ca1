/*
 * machine.c - which of qemu's RISC-V machines this is (the device tree's
 * root "compatible"), and what that decides: RAM and the timer's rate from
 * the device tree, the console, the interrupt controller's context of the
 * boot hart, the exit device, the RTC and the entropy source.
 *
 *            console  PLIC S-context  exit         RTC       entropy       time CSR
 *   virt     16550    1 + 2 * hart    sifive_test  goldfish  virtio-rng    yes
 *   spike    HTIF     (no PLIC)       HTIF         none      Zkr seed CSR  no: mtime
 *   sifive_u SiFive   2 * hart        semihosting  none      Zkr seed CSR  no: mtime
 */
#include "defs.h"

#define CLINT       0x02000000u
#define CLINT_MTIME (CLINT + 0xbff8u)
#define MEGA(a)     ((a) & ~(MEGAPAGE - 1))
#define MAX_POOL    (16u * 1024 * 1024)

/* A console's driver: init and intr may be absent (HTIF has no input here). */
static const struct console {
	void (*init)(void), (*putc)(int c), (*intr)(void);
} ns16550 = {ns16550_init, ns16550_putc, ns16550_intr},
  sifive_uart = {sifive_uart_init, sifive_uart_putc, sifive_uart_intr},
  htif = {NULL, htif_putc, NULL};

enum entropy { VIRTIO_RNG, ZKR };

static const struct machine {
	const char *compatible, *name;
	const struct console *console;
	enum entropy entropy;
	uint32_t uart, uart_irq, plic_ctx_base, htif;
	bool plic, finisher, semihosting, rtc, time_csr;
	uint32_t mmio[BOARD_MMIO_MAX], nmmio;
} machines[] = {
        {.compatible = "riscv-virtio",
         .name = "qemu-virt",
         .console = &ns16550,
         .entropy = VIRTIO_RNG,
         .uart = 0x10000000u,
         .uart_irq = 10,
         .plic_ctx_base = 1,
         .plic = true,
         .finisher = true,
         .rtc = true,
         .time_csr = true,
         .mmio = {MEGA(QEMU_SIFIVE_TEST), BOARD_PLIC, BOARD_PLIC + MEGAPAGE, 0x10000000u},
         .nmmio = 4},
        {.compatible = "ucbbar,spike-bare-dev",
         .name = "qemu-spike",
         .console = &htif,
         .entropy = ZKR,
         .htif = 0x01000000u,
         .mmio = {MEGA(0x01000000u), MEGA(CLINT)},
         .nmmio = 2},
        {.compatible = "sifive,hifive-unleashed-a00",
         .name = "qemu-sifive_u",
         .console = &sifive_uart,
         .entropy = ZKR,
         .uart = 0x10010000u,
         .uart_irq = 4,
         .plic = true,
         .semihosting = true,
         .mmio = {MEGA(CLINT), BOARD_PLIC, BOARD_PLIC + MEGAPAGE, MEGA(0x10010000u)},
         .nmmio = 4},
};

struct board board;
uint32_t qemu_plic_context, qemu_uart, qemu_uart_irq, qemu_htif, qemu_plic;
static const struct machine *m;
static bool mapped;

static void add_device(uint32_t base, uint32_t size)
{
	board.devices[board.ndevices].base = base;
	board.devices[board.ndevices++].size = size;
}

void board_init(uint32_t hart, uint32_t fdt)
{
	for (uint32_t i = 0; i < sizeof(machines) / sizeof(machines[0]) && !m; i++)
		if (fdt_has_string(fdt, "/", "compatible", machines[i].compatible))
			m = &machines[i];
	if (!m)
		board_exit(EXIT_PANIC); /* no console to say so */
	board.name = m->name;
	board.hart = hart;
	memcpy(board.mmio, m->mmio, sizeof(board.mmio));
	board.nmmio = m->nmmio;
	qemu_uart = dev_va(m->uart);
	qemu_htif = dev_va(m->htif);
	qemu_plic = dev_va(BOARD_PLIC);
	qemu_uart_irq = m->uart_irq;
	qemu_plic_context = m->plic_ctx_base + 2 * hart;
	if (!fdt_u32(fdt, "/cpus", "timebase-frequency", &board.timebase_hz) ||
	    board.timebase_hz < 1000)
		panic("%s: no timebase-frequency in the device tree", m->name);
	board.pool_size =
	        PGROUNDDOWN(board.ram_size / 8 < MAX_POOL ? board.ram_size / 8 : MAX_POOL);
	board.mtime = dev_va(CLINT_MTIME);
	board.has_plic = m->plic;
	board.time_csr = m->time_csr;
	if (m->rtc)
		add_device(BOARD_RTC, 0x1000u);
	if (m->uart)
		add_device(m->uart, 0x1000u);
	if (m->entropy == VIRTIO_RNG)
		add_device(BOARD_VIRTIO, BOARD_VIRTIO_STRIDE * BOARD_VIRTIO_COUNT);
}

/* After kvminit mapped board.mmio: the devices are reachable from here on. */
void uart_init(void)
{
	if (m->console->init)
		m->console->init();
	mapped = true;
}

void uart_putc(int c)
{
	if (mapped) /* else no console is known, or it is not mapped yet */
		m->console->putc(c);
}

void uart_intr(void)
{
	if (m->console->intr)
		m->console->intr();
}

void board_exit(uint32_t code)
{
	if (mapped && m->finisher)
		sifive_test_exit(code);
	if (mapped && m->htif)
		htif_exit(code);
	if (m && m->semihosting)
		semihosting_exit(code);
	for (;;)
		asm volatile("wfi");
}

bool board_rtc_ns(uint64_t *ns)
{
	if (!m->rtc)
		return false;
	*ns = goldfish_rtc_ns();
	return true;
}

bool board_entropy(void *out, uint32_t len)
{
	if (m->entropy == VIRTIO_RNG)
		return virtio_rng(out, len);
	if (m->entropy != ZKR || len > kboot.seed_len) /* the boot stage's Zkr seed */
		return false;
	memcpy(out, kboot.seed, len);
	memset(kboot.seed, 0, sizeof(kboot.seed));
	kboot.seed_len = 0;
	return true;
}
