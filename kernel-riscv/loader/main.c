/*
 * main.c - the loader: the boot stage of an image in flash, as Xous's loader
 * is (loader.h has the flash layout). In M-mode, from flash, on the boot hart
 * (boot/entry.S): it asks the board for RAM, checks the argument block at
 * LOADER_IMAGE as image/xarg.c says, copies the kernel (XKrn) and the block
 * with its programs' payloads (IniE and IniF alike) into RAM after its own
 * data, builds the kernel's page tables and enters it in S-mode (boot.h),
 * boot_info.args pointing at the block's copy. A refused image is reported
 * on the board's console and ends the run with LOADER_EXIT_BAD.
 */
#include "boot.h"
#include "loader.h"
#include "riscv.h"
#include "xarg.h"

extern char __loader_ram_end[];
void boot_main(uint32_t hart, uint32_t fdt);
void *memcpy(void *dst, const void *src, unsigned long n);
void *memset(void *dst, int c, unsigned long n);

static struct boot_info bi;
static uint32_t timer_scratch[8];

static void say(const char *s)
{
	while (*s)
		board_boot_putc(*s++);
}

static void say_hex(uint32_t v)
{
	say("0x");
	for (int i = 28; i >= 0; i -= 4)
		board_boot_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

static void refuse(const char *why) __attribute__((noreturn));
static void refuse(const char *why)
{
	say("loader: image at ");
	say_hex(LOADER_IMAGE);
	say(" refused: ");
	say(why);
	say("\n");
	board_boot_exit(LOADER_EXIT_BAD);
}

/* The block's kernel and what the kernel's page tables need of it. */
static const uint32_t *kernel_of(const void *block)
{
	struct xarg_tag t;
	uint32_t i = 0;

	while (xarg_next(block, &i, &t))
		if (t.name == XARG_XKRN)
			break;
	if (t.data[XKRN_TEXT_VA] != BOOT_KERNEL_VA || t.data[XKRN_TEXT_SIZE] % PGSIZE)
		refuse("XKrn: the kernel is not linked at 0xffd00000 with page-aligned text");
	return t.data;
}

/* The kernel, then the block, into RAM from the end of the loader's data. */
static void copy_to_ram(const uint8_t *block, const uint32_t *k)
{
	uint32_t text = k[XKRN_TEXT_SIZE], data = k[XKRN_DATA_SIZE];
	uint32_t data_off = k[XKRN_DATA_VA] - k[XKRN_TEXT_VA], extent = xarg_extent(block);
	uint32_t ram_end = bi.ram_base + bi.ram_size, args;

	bi.kernel_pa = PGROUNDUP((uint32_t)__loader_ram_end);
	bi.kernel_text = text;
	bi.kernel_size = PGROUNDUP(data_off + data + k[XKRN_BSS_SIZE]);
	args = bi.kernel_pa + bi.kernel_size;
	if (bi.kernel_pa < bi.ram_base || args > ram_end || extent > ram_end - args ||
	    ram_end - args - extent < 16 * PGSIZE)
		refuse("the kernel and its programs do not fit in RAM");
	memset((void *)bi.kernel_pa, 0, bi.kernel_size);
	memcpy((void *)bi.kernel_pa, block + k[XKRN_LOAD], text);
	memcpy((void *)(bi.kernel_pa + data_off), block + k[XKRN_LOAD] + text, data);
	memcpy((void *)args, block, extent);
	bi.args = args;
	bi.free_pa = PGROUNDUP(args + extent);
	fence_i(); /* the kernel's text was written as data */
}

void boot_main(uint32_t hart, uint32_t fdt)
{
	const uint8_t *block = (const uint8_t *)(LOADER_IMAGE + LOADER_SIGBLOCK);
	struct boot_timer t = {0};
	const char *err;

	bi.magic = BOOT_INFO_MAGIC;
	bi.hart = hart;
	bi.fdt = fdt;
	board_boot(&bi, &t);
	if (bi.ram_size == 0)
		refuse("the board found no RAM");
	if ((err = xarg_check(block, LOADER_IMAGE_MAX)))
		refuse(err);
	copy_to_ram(block, kernel_of(block));
	if (boot_page_tables(&bi) < 0)
		refuse("RAM or the kernel does not fit the kernel's address space");
	if (t.mtime)
		boot_mtimer(timer_scratch, t.mtime, t.mtimecmp, t.interval);
	say("loader: image checked, kernel entered\n");
	boot_enter(&bi, 0);
}

/* An M-mode trap: reported, then the run ends. */
void boot_fault(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	say("loader: trap in M-mode: mcause ");
	say_hex(mcause);
	say(" mepc ");
	say_hex(mepc);
	say(" mtval ");
	say_hex(mtval);
	say("\n");
	board_boot_exit(LOADER_EXIT_BAD);
}
