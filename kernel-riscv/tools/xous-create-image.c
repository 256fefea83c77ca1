/*
 * xous-create-image - write a kernel-riscv boot image in Xous's argument-block
 * format (kernel-riscv/image/xarg.h; docs/kernel-riscv.md, "Boot image and
 * loader"), check one, or lay one out in a flash file with the loader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf32.h"
#include "mkimage.h"
#include "xarg.h"

#define XK_PROG_MAIN     1u /* kernel/defs.h */
#define XK_PROG_LAUNCHED 2u
#define XK_PROG_DEVICES  4u
#define MAX_PROGS        250
#define SIGBLOCK         0x1000u /* before the block in flash: the signature's room */

static const char usage[] =
        "usage: xous-create-image -k KERNEL.elf [--ram BASE:SIZE] [--max-ram BYTES]\n"
        "                         [-i PROGRAM.elf]... [-f PROGRAM.elf]... [-l PROGRAM.elf]...\n"
        "                         [--main NAME] [--devices NAME]... IMAGE\n"
        "       xous-create-image --check IMAGE\n"
        "       xous-create-image --flash FLASH --loader LOADER.elf --image IMAGE\n"
        "                         [--flash-base ADDR] [--flash-size BYTES] [--image-at ADDR]\n"
        "  -i  a program copied into RAM (IniE), started at boot in the order given\n"
        "  -f  the same from flash (IniF: sections aligned to their page offsets)\n"
        "  -l  a program in the image that the task server launches by name\n"
        "  --main NAME     the program whose exit ends the run (default: the last -i/-f)\n"
        "  --devices NAME  the program may map the board's device registers\n"
        "  --ram           RAM base and size for XArg (default 0x40000000:0x1000000)\n"
        "  --max-ram       fail if the kernel and the block the loader copies exceed BYTES\n"
        "  --check         check IMAGE as the loader does and list its tags\n"
        "  --flash         write a flash file, zero but for LOADER.elf's segments at their\n"
        "                  load addresses and IMAGE at ADDR + 4 KiB (defaults: base\n"
        "                  0x20000000, 32 MiB, image at 0x20980000: Precursor's layout)\n";

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "xous-create-image: %s: %s\n", what, why);
	return 1;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < 0x40000000 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 4)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
		errno = errno ? errno : EIO;
	}
	fclose(f);
	return buf;
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		return fail(path, strerror(errno ? errno : EIO));
	return 0;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end != s && (*end == 'K' || *end == 'M')) {
		v <<= *end == 'K' ? 10 : 20;
		end++;
	}
	if (errno || end == s || *end || v > 0xffffffffull)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "dir/name.elf" -> "name" */
static void stem(char *out, size_t size, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".elf") == 0)
		n -= 4;
	if (n >= size)
		n = size - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

static void list_tag(const struct xarg_tag *t)
{
	const uint32_t *d = t->data;

	printf("%.4s %u words", (const char *)&t->name, t->words);
	if (t->name == XARG_XARG)
		printf(": %u bytes of tags, RAM %#x + %#x\n", d[XARG_TOTAL] * 4, d[XARG_RAM_START],
		       d[XARG_RAM_SIZE]);
	else if (t->name == XARG_XKRN)
		printf(": text %#x + %#x, data %#x + %#x, bss %#x, entry %#x, at %#x\n",
		       d[XKRN_TEXT_VA], d[XKRN_TEXT_SIZE], d[XKRN_DATA_VA], d[XKRN_DATA_SIZE],
		       d[XKRN_BSS_SIZE], d[XKRN_ENTRY], d[XKRN_LOAD]);
	else if (t->name == XARG_INIE || t->name == XARG_INIF)
		printf(": entry %#x, %u payload bytes at %#x, %u sections\n", d[INI_ENTRY],
		       xarg_ini_bytes(t), d[INI_LOAD], (t->words - INI_SECTIONS) / 2);
	else if (t->name == XARG_PNAM)
		for (uint32_t i = 0; i < t->words; i += 2 + (d[i + 1] + 3) / 4)
			printf("%s pid %u %.*s", i ? "," : ":", d[i], (int)d[i + 1],
			       (const char *)&d[i + 2]);
	else if (t->name == XARG_XFLG)
		for (uint32_t i = 0; i + 1 < t->words; i += 2)
			printf("%s pid %u flags %u", i ? "," : ":", d[i], d[i + 1]);
	if (t->name != XARG_XARG && t->name != XARG_XKRN && t->name != XARG_INIE &&
	    t->name != XARG_INIF)
		printf("\n");
}

static int check(const char *path)
{
	size_t len;
	uint8_t *img = read_file(path, &len);
	const char *err;
	uint32_t i = 0;
	struct xarg_tag t;

	if (!img)
		return fail(path, strerror(errno));
	if ((err = xarg_check(img, len > 0x80000000u ? 0x80000000u : (uint32_t)len))) {
		free(img);
		return fail(path, err);
	}
	while (xarg_next(img, &i, &t))
		list_tag(&t);
	printf("%s: a valid image, %u bytes\n", path, xarg_extent(img));
	free(img);
	return 0;
}

struct flash_args {
	const char *out, *loader, *image;
	uint32_t base, size, image_at;
};

/* The loader's loadable segments at their load addresses (p_paddr). */
static const char *put_loader(FILE *f, const struct flash_args *a, const uint8_t *elf, size_t len)
{
	struct mk_program p;
	uint8_t *copy = malloc(len);
	const char *err;
	struct elfhdr eh;

	if (!copy)
		return "out of memory";
	memcpy(copy, elf, len);
	err = mk_program_from_elf(&p, copy, len); /* checks the headers */
	mk_program_free(&p);
	if (err)
		return err;
	memcpy(&eh, elf, sizeof(eh));
	for (uint32_t i = 0; i < eh.phnum; i++) {
		struct proghdr ph;
		memcpy(&ph, elf + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD || ph.filesz == 0)
			continue;
		if (ph.paddr < a->base || ph.paddr - a->base > a->size ||
		    ph.filesz > a->size - (ph.paddr - a->base))
			return "a loader segment's load address lies outside the flash";
		if (fseek(f, (long)(ph.paddr - a->base), SEEK_SET) ||
		    fwrite(elf + ph.off, 1, ph.filesz, f) != ph.filesz)
			return strerror(errno);
	}
	return NULL;
}

/* The flash file: as large as the flash, zero (sparse) but for the loader
 * and the image 4 KiB after its address. */
static int make_flash(const struct flash_args *a)
{
	size_t llen, ilen;
	uint8_t *elf = read_file(a->loader, &llen), *img = read_file(a->image, &ilen);
	const char *err = NULL;
	uint32_t at = a->image_at - a->base + SIGBLOCK;
	FILE *f = NULL;
	int rc = 1;

	if (!elf || !img)
		rc = fail(elf ? a->image : a->loader, strerror(errno));
	else if (a->image_at < a->base || at > a->size || ilen > a->size - at)
		rc = fail(a->image, "does not fit in the flash at the image address");
	else if ((err = xarg_check(img, (uint32_t)ilen)))
		rc = fail(a->image, err);
	else if (!(f = fopen(a->out, "wb")) || ftruncate(fileno(f), a->size))
		rc = fail(a->out, strerror(errno));
	else if ((err = put_loader(f, a, elf, llen)))
		rc = fail(a->loader, err);
	else if (fseek(f, (long)at, SEEK_SET) || fwrite(img, 1, ilen, f) != ilen)
		rc = fail(a->out, strerror(errno));
	else
		rc = 0;
	if (f && fclose(f) && rc == 0)
		rc = fail(a->out, strerror(errno));
	free(elf);
	free(img);
	return rc;
}

struct opts {
	const char *kernel, *out, *main_name, *devices[MAX_PROGS];
	uint32_t ndevices, ram_base, ram_size, max_ram, nprogs;
	struct {
		const char *path;
		char kind; /* 'i', 'f' or 'l' */
	} progs[MAX_PROGS];
};

static const char *load_programs(const struct opts *o, struct mk_program *p)
{
	int last = -1;

	for (uint32_t i = 0; i < o->nprogs; i++) {
		size_t len;
		uint8_t *elf = read_file(o->progs[i].path, &len);
		const char *err;

		memset(&p[i], 0, sizeof(p[i]));
		if (!elf)
			return o->progs[i].path;
		stem(p[i].name, sizeof(p[i].name), o->progs[i].path);
		p[i].flash = o->progs[i].kind == 'f';
		p[i].flags = o->progs[i].kind == 'l' ? XK_PROG_LAUNCHED : 0;
		if ((err = mk_program_from_elf(&p[i], elf, len))) {
			fprintf(stderr, "xous-create-image: %s: %s\n", o->progs[i].path, err);
			return o->progs[i].path;
		}
		for (uint32_t d = 0; d < o->ndevices; d++)
			if (strcmp(o->devices[d], p[i].name) == 0)
				p[i].flags |= XK_PROG_DEVICES;
		if (o->progs[i].kind != 'l' &&
		    (!o->main_name || strcmp(o->main_name, p[i].name) == 0))
			last = (int)i;
	}
	if (last < 0)
		return "no program to be the main one";
	p[last].flags |= XK_PROG_MAIN;
	return NULL;
}

static int create(const struct opts *o)
{
	struct mk_program progs[MAX_PROGS];
	struct mk_kernel k = {0};
	size_t klen, len = 0;
	uint8_t *kelf = read_file(o->kernel, &klen), *block = NULL;
	const char *err = NULL, *bad;
	int rc = 1;

	if (!kelf)
		return fail(o->kernel, strerror(errno));
	if ((err = mk_kernel_from_elf(&k, kelf, klen))) {
		rc = fail(o->kernel, err);
	} else if ((bad = load_programs(o, progs))) {
		rc = fail(bad, "cannot be read as a program");
	} else if (!(block = mk_write(o->ram_base, o->ram_size, &k, progs, o->nprogs, &len,
	                              &err))) {
		rc = fail(o->out, err);
	} else {
		uint32_t ram = (k.data_va - k.text_va + k.data_size + k.bss_size + XARG_PAGE - 1) &
		               ~(XARG_PAGE - 1);
		printf("%s: kernel %u KiB, %u programs, block %zu KiB; the loader copies %zu KiB "
		       "into RAM\n",
		       o->out, ram / 1024, o->nprogs, len / 1024, (ram + len) / 1024);
		if (o->max_ram && ram + len > o->max_ram)
			rc = fail(o->out, "the kernel and its block exceed --max-ram");
		else
			rc = write_file(o->out, block, len);
	}
	for (uint32_t i = 0; i < o->nprogs; i++)
		mk_program_free(&progs[i]);
	mk_kernel_free(&k);
	free(kelf);
	free(block);
	return rc;
}

static bool parse_ram(const char *s, struct opts *o)
{
	char base[32];
	const char *colon = strchr(s, ':');

	if (!colon || colon - s >= (long)sizeof(base))
		return false;
	memcpy(base, s, (size_t)(colon - s));
	base[colon - s] = '\0';
	return parse_u32(base, &o->ram_base) && parse_u32(colon + 1, &o->ram_size);
}

int main(int argc, char **argv)
{
	static struct opts o = {.ram_base = 0x40000000u, .ram_size = 0x1000000u};
	struct flash_args fa = {.base = 0x20000000u, .size = 0x2000000u, .image_at = 0x20980000u};
	const char *check_path = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = v != NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (a[0] != '-') {
			o.out = a;
			continue;
		} else if (!v) {
			ok = false;
		} else if (!strcmp(a, "-k")) {
			o.kernel = v;
		} else if ((!strcmp(a, "-i") || !strcmp(a, "-f") || !strcmp(a, "-l")) &&
		           o.nprogs < MAX_PROGS) {
			o.progs[o.nprogs].path = v;
			o.progs[o.nprogs++].kind = a[1];
		} else if (!strcmp(a, "--main")) {
			o.main_name = v;
		} else if (!strcmp(a, "--devices") && o.ndevices < MAX_PROGS) {
			o.devices[o.ndevices++] = v;
		} else if (!strcmp(a, "--ram")) {
			ok = parse_ram(v, &o);
		} else if (!strcmp(a, "--max-ram")) {
			ok = parse_u32(v, &o.max_ram);
		} else if (!strcmp(a, "--check")) {
			check_path = v;
		} else if (!strcmp(a, "--flash")) {
			fa.out = v;
		} else if (!strcmp(a, "--loader")) {
			fa.loader = v;
		} else if (!strcmp(a, "--image")) {
			fa.image = v;
		} else if (!strcmp(a, "--flash-base")) {
			ok = parse_u32(v, &fa.base);
		} else if (!strcmp(a, "--flash-size")) {
			ok = parse_u32(v, &fa.size);
		} else if (!strcmp(a, "--image-at")) {
			ok = parse_u32(v, &fa.image_at);
		} else {
			ok = false;
		}
		if (!ok) {
			fprintf(stderr, "xous-create-image: bad option or value: %s\n%s", a, usage);
			return 2;
		}
		i++;
	}
	if (check_path)
		return check(check_path);
	if (fa.out && fa.loader && fa.image)
		return make_flash(&fa);
	if (!o.kernel || !o.out || o.nprogs == 0) {
		fputs(usage, stderr);
		return 2;
	}
	return create(&o);
}
