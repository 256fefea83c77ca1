/*
 * precursor.c - Precursor in S-mode (board.h): RAM and devices as constants
 * (no device tree), LiteX's UART as the console, timer0 as the tick,
 * VexRiscv's interrupt mask and pending CSRs as the interrupt controller,
 * the ticktimer as the clock, TRNG_KERNEL as the entropy source. No RTC (the
 * EC's is behind I2C) and no power-off: board_exit parks the hart.
 */
#include "defs.h"

#define MAX_POOL     (2u * 1024 * 1024)
#define TRNG_TRIES   100000u /* reads of urandom_valid before entropy counts as absent */
#define REG(base, i) (((volatile uint32_t *)(base))[i])

/* LiteX's registers, by word index */
enum { TIMER_LOAD, TIMER_RELOAD, TIMER_EN, TIMER_EV_STATUS, TIMER_EV_PENDING, TIMER_EV_ENABLE };
enum { UART_RXTX, UART_TXFULL, UART_RXEMPTY, UART_EV_STATUS, UART_EV_PENDING, UART_EV_ENABLE };
enum { TICK_CONTROL, TICK_TIME1, TICK_TIME0 };
enum { TRNG_STATUS, TRNG_DATA, TRNG_URANDOM, TRNG_URANDOM_VALID };

struct board board;
static uint32_t uart, timer0, ticktimer, trng; /* their dev_va */
static bool mapped;

static uint64_t ticktimer_ms(void)
{
	uint32_t hi, lo;

	do {
		hi = REG(ticktimer, TICK_TIME1);
		lo = REG(ticktimer, TICK_TIME0);
	} while (hi != REG(ticktimer, TICK_TIME1));
	return (uint64_t)hi << 32 | lo;
}

void board_init(uint32_t hart, uint32_t fdt)
{
	(void)fdt;
	board.name = BOARD_NAME;
	board.hart = hart;
	board.mmio[0] = PRECURSOR_CSR_BUS;
	board.nmmio = 1;
	board.timebase_hz = BOARD_TIMEBASE_HZ;
	board.clock = ticktimer_ms;
	board.pool_size =
	        PGROUNDDOWN(board.ram_size / 8 < MAX_POOL ? board.ram_size / 8 : MAX_POOL);
	board.has_plic = true;
	board.devices[0].base = BOARD_UART0_PA;
	board.devices[0].size = PGSIZE;
	board.ndevices = 1;
	uart = dev_va(BOARD_UART0_PA);
	timer0 = dev_va(PRECURSOR_TIMER0);
	ticktimer = dev_va(PRECURSOR_TICKTIMER);
	trng = dev_va(PRECURSOR_TRNG_KERNEL);
}

/* After kvminit mapped the CSR bus. */
void uart_init(void)
{
	REG(uart, UART_EV_PENDING) = 3;
	REG(uart, UART_EV_ENABLE) = 2; /* receive */
	mapped = true;
}

void uart_putc(int c)
{
	if (!mapped)
		return;
	while (REG(uart, UART_TXFULL))
		;
	REG(uart, UART_RXTX) = (uint8_t)c;
}

/* Input is dropped, as no process reads the console yet. */
void uart_intr(void)
{
	while (!REG(uart, UART_RXEMPTY))
		(void)REG(uart, UART_RXTX);
	REG(uart, UART_EV_PENDING) = 3;
}

/* The tick: timer0 reloads every 1 / TICK_HZ s and interrupts through VexRiscv's mask. */
void plic_init(void)
{
	uint32_t period = PRECURSOR_SYSCLK_HZ / TICK_HZ;

	REG(timer0, TIMER_EN) = 0;
	REG(timer0, TIMER_LOAD) = period;
	REG(timer0, TIMER_RELOAD) = period;
	REG(timer0, TIMER_EV_PENDING) = 1;
	REG(timer0, TIMER_EV_ENABLE) = 1;
	REG(timer0, TIMER_EN) = 1;
	plic_enable(PRECURSOR_TIMER0_IRQ, true);
	plic_enable(BOARD_UART0_IRQ, true);
}

/* The lowest pending unmasked interrupt, 0 if none. timer0's is the tick:
 * acknowledged here and raised as a supervisor software interrupt, as
 * M-mode's timer is on the qemu machines. */
int plic_claim(void)
{
	uint32_t pending, mask;

	asm volatile(ZICSR("csrr %0, 0xdc0") : "=r"(pending));
	asm volatile(ZICSR("csrr %0, 0x9c0") : "=r"(mask));
	pending &= mask;
	if (pending & (1u << PRECURSOR_TIMER0_IRQ)) {
		REG(timer0, TIMER_EV_PENDING) = 1;
		w_sip(r_sip() | SIP_SSIP);
		pending &= ~(1u << PRECURSOR_TIMER0_IRQ);
	}
	return pending ? __builtin_ctz(pending) : 0;
}

/* A LiteX event stays pending until its driver clears it: nothing to complete. */
void plic_complete(int irq)
{
	(void)irq;
}

void plic_enable(int irq, bool on)
{
	uint32_t bit = 1u << irq;

	if (on)
		asm volatile(ZICSR("csrs 0x9c0, %0") : : "r"(bit));
	else
		asm volatile(ZICSR("csrc 0x9c0, %0") : : "r"(bit));
}

void board_exit(uint32_t code)
{
	(void)code;
	for (;;)
		asm volatile("wfi");
}

bool board_rtc_ns(uint64_t *ns)
{
	(void)ns;
	return false;
}

/* TRNG_KERNEL's urandom words (its CSPRNG, which the TRNG seeds). */
bool board_entropy(void *out, uint32_t len)
{
	uint8_t *o = out;

	while (len) {
		uint32_t tries = 0, w, n = len < 4 ? len : 4;
		while (!(REG(trng, TRNG_URANDOM_VALID) & 1))
			if (++tries == TRNG_TRIES)
				return false;
		w = REG(trng, TRNG_URANDOM);
		memcpy(o, &w, n);
		o += n;
		len -= n;
	}
	return true;
}
