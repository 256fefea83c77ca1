/*
 * image.c - the initial programs of a flash image: the argument block
 * (image/xarg.h) the loader checked and copied into RAM (boot_info.args).
 * Without one, the programs linked into the kernel (programs.S). A program
 * of the block is its IniE/IniF tag: start .. end are the tag's data, its
 * flags have XK_PROG_INI, and image_load maps its sections.
 */
#include "defs.h"
#include "xarg.h"

#define MAX_PROGRAMS 64
#define NAME_MAX     32

const struct xk_program *kprograms = xk_programs;
static struct xk_program table[MAX_PROGRAMS + 1];
static char names[MAX_PROGRAMS][NAME_MAX];
static const uint8_t *block;

/* The value of pid's entry in a PNam or XFlg tag (PNam: its name, copied). */
static uint32_t by_pid(const struct xarg_tag *t, uint32_t pid, char *name)
{
	for (uint32_t i = 0; i < t->words;) {
		uint32_t step = t->name == XARG_PNAM ? 2 + (t->data[i + 1] + 3) / 4 : 2;
		if (t->data[i] == pid) {
			if (t->name == XARG_XFLG)
				return t->data[i + 1] &
				       (XK_PROG_MAIN | XK_PROG_LAUNCHED | XK_PROG_DEVICES);
			uint32_t len = t->data[i + 1] < NAME_MAX ? t->data[i + 1] : NAME_MAX - 1;
			memcpy(name, &t->data[i + 2], len);
			name[len] = '\0';
			return 0;
		}
		i += step;
	}
	return 0;
}

/* Each program's name and flags, by its pid (2 for the first Ini tag, ...). */
static void name_programs(uint32_t n)
{
	struct xarg_tag t;
	uint32_t i = 0;

	while (xarg_next(block, &i, &t))
		for (uint32_t p = 0; p < n; p++) {
			if (t.name == XARG_PNAM)
				by_pid(&t, p + 2, names[p]);
			else if (t.name == XARG_XFLG)
				table[p].flags |= by_pid(&t, p + 2, NULL);
		}
	for (uint32_t p = 0; p < n; p++)
		if (names[p][0] == '\0')
			panic("image: program %u has no name", p + 2);
}

void image_init(uint32_t args_pa, uint32_t args_end_pa)
{
	struct xarg_tag t;
	uint32_t i = 0, n = 0;
	const char *err;

	if (!args_pa)
		return;
	block = P2V(args_pa);
	if ((err = xarg_check(block, args_end_pa - args_pa)))
		panic("image: %s", err);
	while (xarg_next(block, &i, &t)) {
		if (t.name != XARG_INIE && t.name != XARG_INIF)
			continue;
		if (n == MAX_PROGRAMS)
			panic("image: more than %u programs", MAX_PROGRAMS);
		table[n].name = names[n];
		table[n].start = (const uint8_t *)t.data;
		table[n].end = (const uint8_t *)(t.data + t.words);
		table[n++].flags = XK_PROG_INI;
	}
	name_programs(n);
	kprograms = table;
}

/* A program of the block into pt: its sections as an ELF's segments. */
int image_load(pagetable_t pt, const struct xk_program *p, uint32_t *entry)
{
	const uint32_t *d = (const uint32_t *)p->start;
	uint32_t words = (uint32_t)(p->end - p->start) / 4;
	const uint8_t *src = block + d[INI_LOAD];

	for (uint32_t s = INI_SECTIONS; s + 1 < words; s += 2) {
		uint32_t size = XARG_SEC_SIZE(d[s + 1]), fl = XARG_SEC_FLAGS(d[s + 1]);
		uint32_t perm = PTE_R | ((fl & XARG_SEC_WRITE) ? PTE_W : 0) |
		                ((fl & XARG_SEC_EXECUTE) ? PTE_X : 0);
		bool copy = !(fl & XARG_SEC_NOCOPY);
		if (load_bytes(pt, d[s], size, src, copy ? size : 0, perm) < 0)
			return -1;
		src += copy ? size : 0;
	}
	fence_i(); /* the pages may have held other code before */
	*entry = d[INI_ENTRY];
	return 0;
}
