/*
 * test_xarg.c - the argument block (image/xarg.c) and its writer
 * (image/mkimage.c): ELF files in, a block out that the loader's checker
 * accepts and whose tags give back the very segments and names that went in;
 * a damaged or truncated block refused.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "mkimage.h"
#include "xarg.h"

struct seg {
	uint32_t va, filesz, memsz, flags; /* PF_X 1, PF_W 2, PF_R 4 */
};

/* A 32-bit RISC-V ELF with the given segments, each filled with its index + 1. */
static uint8_t *make_elf(const struct seg *s, int n, uint32_t entry, size_t *len)
{
	uint32_t off = 52 + 32 * (uint32_t)n, at = off;
	uint8_t *e;

	for (int i = 0; i < n; i++)
		at += s[i].filesz;
	e = calloc(1, at);
	memcpy(e, "\177ELF\1\1\1", 7);
	e[18] = 243;               /* EM_RISCV */
	memcpy(e + 24, &entry, 4); /* e_entry */
	memcpy(e + 28, &(uint32_t){52}, 4);
	e[42] = 32;         /* e_phentsize */
	e[44] = (uint8_t)n; /* e_phnum */
	for (int i = 0; i < n; i++) {
		uint32_t ph[8] = {1,           off,        s[i].va,    s[i].va,
		                  s[i].filesz, s[i].memsz, s[i].flags, 4096};
		memcpy(e + 52 + 32 * i, ph, sizeof(ph));
		memset(e + off, i + 1, s[i].filesz);
		off += s[i].filesz;
	}
	*len = at;
	return e;
}

static const struct seg prog_segs[] = {{0x400000, 0x1234, 0x1234, 5}, {0x402000, 0x100, 0x3000, 6}};
static const struct seg kern_segs[] = {{0xffd00000, 0x5000, 0x5000, 5},
                                       {0xffd05000, 0x800, 0x2800, 6}};

static void kernel(struct mk_kernel *k)
{
	size_t len;
	uint8_t *e = make_elf(kern_segs, 2, 0xffd00010, &len);

	ck_assert_ptr_null(mk_kernel_from_elf(k, e, len));
	free(e);
}

static void program(struct mk_program *p, const char *name, bool flash, uint32_t data_va)
{
	struct seg s[2] = {prog_segs[0], prog_segs[1]};
	size_t len;
	uint8_t *e;

	s[1].va = data_va;
	e = make_elf(s, 2, 0x400010, &len);
	ck_assert_ptr_null(mk_program_from_elf(p, e, len));
	strcpy(p->name, name);
	p->flash = flash;
}

/* A block of two programs (the second from flash, its data at an odd page offset). */
static uint8_t *block(size_t *len)
{
	struct mk_kernel k;
	struct mk_program p[2];
	const char *err;
	uint8_t *b;

	kernel(&k);
	program(&p[0], "xous-names", false, 0x402000);
	program(&p[1], "shell", true, 0x402123);
	p[1].flags = 1;
	b = mk_write(0x40000000, 0x1000000, &k, p, 2, len, &err);
	ck_assert_msg(b != NULL, "%s", err);
	mk_kernel_free(&k);
	mk_program_free(&p[0]);
	mk_program_free(&p[1]);
	return b;
}

START_TEST(crc16_is_x25)
{
	ck_assert_uint_eq(xarg_crc16("123456789", 9), 0x906e);
	ck_assert_uint_eq(xarg_crc16("", 0), 0x0000);
}
END_TEST

START_TEST(round_trip)
{
	size_t len;
	uint8_t *b = block(&len);
	uint32_t i = 0, progs = 0;
	struct xarg_tag t;

	ck_assert_ptr_null(xarg_check(b, (uint32_t)len));
	ck_assert_uint_eq(xarg_extent(b), len);
	while (xarg_next(b, &i, &t)) {
		const uint32_t *d = t.data;
		if (t.name == XARG_XARG) {
			ck_assert_uint_eq(d[XARG_RAM_START], 0x40000000);
			ck_assert_uint_eq(d[XARG_RAM_SIZE], 0x1000000);
		} else if (t.name == XARG_XKRN) {
			ck_assert_uint_eq(d[XKRN_TEXT_VA], 0xffd00000);
			ck_assert_uint_eq(d[XKRN_TEXT_SIZE], 0x5000);
			ck_assert_uint_eq(d[XKRN_DATA_VA], 0xffd05000);
			ck_assert_uint_eq(d[XKRN_DATA_SIZE], 0x800);
			ck_assert_uint_eq(d[XKRN_BSS_SIZE], 0x2000);
			ck_assert_uint_eq(d[XKRN_ENTRY], 0xffd00010);
			ck_assert_uint_eq(d[XKRN_LOAD] % 4096, 0);
			ck_assert_uint_eq(b[d[XKRN_LOAD]], 1);
			ck_assert_uint_eq(b[d[XKRN_LOAD] + 0x5000], 2);
		} else if (t.name == XARG_INIE || t.name == XARG_INIF) {
			uint32_t at = d[INI_LOAD], data_va = progs ? 0x402123 : 0x402000;
			ck_assert_uint_eq(t.name, progs ? XARG_INIF : XARG_INIE);
			ck_assert_uint_eq(d[INI_ENTRY], 0x400010);
			ck_assert_uint_eq(t.words, 2 + 2 * 3);
			ck_assert_uint_eq(d[2], 0x400000);
			ck_assert_uint_eq(XARG_SEC_FLAGS(d[3]), XARG_SEC_EXECUTE);
			ck_assert_uint_eq(d[4], data_va);
			ck_assert_uint_eq(XARG_SEC_SIZE(d[5]), 0x100);
			ck_assert_uint_eq(XARG_SEC_FLAGS(d[5]), XARG_SEC_WRITE);
			ck_assert_uint_eq(d[6], data_va + 0x100);
			ck_assert_uint_eq(XARG_SEC_SIZE(d[7]), 0x2f00);
			ck_assert_uint_eq(XARG_SEC_FLAGS(d[7]), XARG_SEC_WRITE | XARG_SEC_NOCOPY);
			/* the text's bytes, then the data's at its page offset (IniF) */
			for (uint32_t j = 0; j < 0x1234; j++)
				ck_assert_uint_eq(b[at + j], 1);
			at += XARG_SEC_SIZE(d[3]);
			if (t.name == XARG_INIF) {
				ck_assert_uint_eq(at % 4096, 0x123);
				ck_assert_uint_eq(d[INI_LOAD] % 4096, 0);
			}
			for (uint32_t j = 0; j < 0x100; j++)
				ck_assert_uint_eq(b[at + j], 2);
			progs++;
		} else if (t.name == XARG_PNAM) {
			ck_assert_uint_eq(d[0], 1);
			ck_assert_uint_eq(d[1], 6);
			ck_assert_mem_eq(&d[2], "kernel", 6);
			ck_assert_uint_eq(d[4], 2);
			ck_assert_mem_eq(&d[6], "xous-names", 10);
			ck_assert_uint_eq(d[9], 3);
			ck_assert_mem_eq(&d[11], "shell", 5);
		} else {
			ck_assert_uint_eq(t.name, XARG_XFLG);
			ck_assert_uint_eq(t.words, 4);
			ck_assert_uint_eq(d[2], 3);
			ck_assert_uint_eq(d[3], 1);
		}
	}
	ck_assert_uint_eq(progs, 2);
	free(b);
}
END_TEST

/* Any byte of any tag's data changed: its CRC16 no longer matches. */
START_TEST(damaged_tags_refused)
{
	size_t len;
	uint8_t *b = block(&len);
	uint32_t i = 0;
	struct xarg_tag t;

	while (xarg_next(b, &i, &t))
		for (uint32_t j = 0; j < t.words * 4; j++) {
			uint8_t *p = (uint8_t *)t.data + j;
			*p ^= 0x40;
			ck_assert_ptr_nonnull(xarg_check(b, (uint32_t)len));
			*p ^= 0x40;
		}
	ck_assert_ptr_null(xarg_check(b, (uint32_t)len));
	free(b);
}
END_TEST

START_TEST(bad_blocks_refused)
{
	size_t len;
	uint8_t *b = block(&len);
	uint32_t *w = (uint32_t *)b;

	ck_assert_str_eq(xarg_check(b, (uint32_t)len - 4), "XKrn: payload outside the image");
	ck_assert_ptr_nonnull(xarg_check(b, 20));
	ck_assert_ptr_nonnull(xarg_check(b + 4, (uint32_t)len - 4));
	w[8] += 0x1000u << 16; /* the second tag's length: past the tags */
	ck_assert_str_eq(xarg_check(b, (uint32_t)len), "tag runs past the block");
	w[8] -= 0x1000u << 16;
	w[3] = 2; /* XArg's version */
	ck_assert_str_eq(xarg_check(b, (uint32_t)len), "XArg: bad length or version");
	w[3] = 1;
	w[0] = XARG_XKRN;
	ck_assert_str_eq(xarg_check(b, (uint32_t)len), "no XArg tag first");
	w[0] = XARG_XARG;
	w[1] += 1u << 16; /* XArg's own length */
	ck_assert_str_eq(xarg_check(b, (uint32_t)len), "no XArg tag first");
	w[1] -= 1u << 16;
	ck_assert_ptr_null(xarg_check(b, (uint32_t)len));
	free(b);
}
END_TEST

START_TEST(bad_elf_refused)
{
	struct mk_program p;
	struct mk_kernel k;
	struct seg s = {0x400000, 0x100, 0x100, 5};
	size_t len;
	uint8_t *e = make_elf(&s, 1, 0x400000, &len);

	e[4] = 2; /* 64-bit */
	ck_assert_ptr_nonnull(mk_kernel_from_elf(&k, e, len));
	e[4] = 1;
	memcpy(e + 52 + 16, &(uint32_t){0x10000}, 4); /* p_filesz past the file */
	ck_assert_ptr_nonnull(mk_kernel_from_elf(&k, e, len));
	ck_assert_ptr_nonnull(mk_program_from_elf(&p, e, len));
	mk_program_free(&p);
	ck_assert_ptr_nonnull(mk_kernel_from_elf(&k, e, 30));
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {crc16_is_x25, round_trip, damaged_tags_refused,
	                              bad_blocks_refused, bad_elf_refused};
	return run_tests("xarg", tests, sizeof(tests) / sizeof(tests[0]));
}
