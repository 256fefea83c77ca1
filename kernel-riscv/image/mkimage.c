/* mkimage.c - RV32 ELF files into Xous's argument block (mkimage.h). */
#include "mkimage.h"

#include <stdlib.h>
#include <string.h>

#include "elf32.h"
#include "xarg.h"

/* The loadable segments of a 32-bit little-endian RISC-V ELF, each checked
 * against the file; *n of them. */
static const char *segments(const uint8_t *elf, size_t len, struct proghdr *out, uint32_t *n,
                            uint32_t *entry)
{
	struct elfhdr eh;

	*n = 0;
	if (len < sizeof(eh))
		return "not an ELF file";
	memcpy(&eh, elf, sizeof(eh));
	if (eh.magic != ELF_MAGIC || eh.class != ELF_CLASS32 || eh.data != ELF_DATA2LSB ||
	    eh.machine != EM_RISCV)
		return "not a 32-bit little-endian RISC-V ELF file";
	if (eh.phentsize != sizeof(struct proghdr) || eh.phoff > len ||
	    eh.phnum > (len - eh.phoff) / sizeof(struct proghdr) || eh.phnum > 16)
		return "bad program headers";
	for (uint32_t i = 0; i < eh.phnum; i++) {
		struct proghdr ph;
		memcpy(&ph, elf + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.filesz > ph.memsz || ph.off > len || ph.filesz > len - ph.off ||
		    ph.vaddr + ph.memsz < ph.vaddr)
			return "a segment lies outside the file or wraps";
		if (*n && ph.vaddr < out[*n - 1].vaddr + out[*n - 1].memsz)
			return "segments overlap or are out of order";
		out[(*n)++] = ph;
	}
	*entry = eh.entry;
	return *n ? NULL : "no loadable segment";
}

static uint32_t sec_flags(uint32_t pf)
{
	return ((pf & PF_W) ? XARG_SEC_WRITE : 0) | ((pf & PF_X) ? XARG_SEC_EXECUTE : 0);
}

/* Appends [va, va + size) as sections of at most XARG_SEC_MAX bytes each. */
static void add_sections(struct mk_program *p, uint32_t va, uint32_t size, uint32_t flags,
                         const uint8_t *bytes)
{
	uint32_t chunk = XARG_SEC_MAX & ~(XARG_PAGE - 1);

	for (uint32_t off = 0; off < size; off += chunk) {
		struct mk_section *s = &p->sec[p->nsec++];
		s->va = va + off;
		s->size = size - off < chunk ? size - off : chunk;
		s->flags = flags;
		s->bytes = bytes ? bytes + off : NULL;
	}
}

const char *mk_program_from_elf(struct mk_program *p, uint8_t *elf, size_t len)
{
	struct proghdr ph[16];
	uint32_t n, most = 0;
	const char *err;

	p->elf = elf;
	p->nsec = 0;
	p->sec = NULL;
	if ((err = segments(elf, len, ph, &n, &p->entry)))
		return err;
	for (uint32_t i = 0; i < n; i++)
		most += 2 * (ph[i].memsz / (XARG_SEC_MAX & ~(XARG_PAGE - 1)) + 1);
	if (!(p->sec = calloc(most, sizeof(*p->sec))))
		return "out of memory";
	for (uint32_t i = 0; i < n; i++) {
		uint32_t fl = sec_flags(ph[i].flags);
		add_sections(p, ph[i].vaddr, ph[i].filesz, fl, elf + ph[i].off);
		add_sections(p, ph[i].vaddr + ph[i].filesz, ph[i].memsz - ph[i].filesz,
		             fl | XARG_SEC_NOCOPY, NULL);
	}
	return NULL;
}

void mk_program_free(struct mk_program *p)
{
	free(p->sec);
	free(p->elf);
	p->sec = NULL;
	p->elf = NULL;
}

/* The kernel as one span from its first segment: text (the segments before
 * the first writable one), data (the rest of the file's bytes) and .bss. */
const char *mk_kernel_from_elf(struct mk_kernel *k, const uint8_t *elf, size_t len)
{
	struct proghdr ph[16];
	uint32_t n, file_end = 0, mem_end = 0, data_va = 0;
	const char *err;

	memset(k, 0, sizeof(*k));
	if ((err = segments(elf, len, ph, &n, &k->entry)))
		return err;
	k->text_va = ph[0].vaddr;
	for (uint32_t i = 0; i < n; i++) {
		if (ph[i].filesz && ph[i].vaddr + ph[i].filesz > file_end)
			file_end = ph[i].vaddr + ph[i].filesz;
		mem_end = ph[i].vaddr + ph[i].memsz;
		if (!data_va && (ph[i].flags & PF_W))
			data_va = ph[i].vaddr;
	}
	if (k->text_va % XARG_PAGE)
		return "kernel: first segment not page-aligned";
	if (mem_end - k->text_va > 0x1000000u)
		return "kernel: spans more than 16 MiB";
	if (!data_va || data_va > file_end)
		data_va = file_end;
	k->text_size = data_va - k->text_va;
	k->data_va = data_va;
	k->data_size = file_end - data_va;
	k->bss_size = mem_end - file_end;
	if (k->entry < k->text_va || k->entry >= data_va)
		return "kernel: entry outside its text";
	if (!(k->bytes = calloc(1, file_end - k->text_va + 1)))
		return "out of memory";
	for (uint32_t i = 0; i < n; i++)
		memcpy(k->bytes + (ph[i].vaddr - k->text_va), elf + ph[i].off, ph[i].filesz);
	return NULL;
}

void mk_kernel_free(struct mk_kernel *k)
{
	free(k->bytes);
	k->bytes = NULL;
}

static uint32_t round_up(uint32_t x, uint32_t a)
{
	return (x + a - 1) / a * a;
}

static uint32_t name_words(const char *name)
{
	return 2 + (uint32_t)(strlen(name) + 3) / 4;
}

/* A program's payload from at: IniE's copied sections are packed; IniF's are
 * padded so that each lands at its address's page offset (sections are in
 * address order, so the pad fits in the gap before the next). Sets *load and
 * sizes (the padded sizes); returns the payload's length. */
static uint32_t place_program(const struct mk_program *p, uint32_t at, uint8_t *out, uint32_t *load,
                              uint32_t *sizes)
{
	uint32_t prev = 0;
	bool first = true;

	at = round_up(at, XARG_PAGE);
	*load = at;
	for (uint32_t s = 0; s < p->nsec; s++) {
		const struct mk_section *sec = &p->sec[s];
		sizes[s] = sec->size;
		if (sec->flags & XARG_SEC_NOCOPY)
			continue;
		if (p->flash && first)
			*load = at += sec->va % XARG_PAGE;
		else if (p->flash && at % XARG_PAGE != sec->va % XARG_PAGE) {
			uint32_t pad = (sec->va - at) % XARG_PAGE;
			sizes[prev] += pad;
			at += pad;
		}
		if (out)
			memcpy(out + at, sec->bytes, sec->size);
		at += sec->size;
		prev = s;
		first = false;
	}
	return at - *load;
}

static void put_tag(uint8_t *block, uint32_t *at, uint32_t name, const uint32_t *data,
                    uint32_t words)
{
	uint32_t hdr[2] = {name, (words << 16) | xarg_crc16(data, words * 4)};

	memcpy(block + *at, hdr, sizeof(hdr));
	memcpy(block + *at + 8, data, words * 4);
	*at += 8 + words * 4;
}

/* The tags' total length in bytes. */
static uint32_t tags_len(const struct mk_program *progs, uint32_t n)
{
	uint32_t len = XARG_HDR + XARG_XARG_LEN + XARG_HDR + XARG_XKRN_LEN;

	len += 2 * XARG_HDR + 4 * name_words("kernel") + 4 * 2 * n;
	for (uint32_t i = 0; i < n; i++)
		len += XARG_HDR + 4 * (INI_SECTIONS + 2 * progs[i].nsec) +
		       4 * name_words(progs[i].name);
	return len;
}

/* Lays the payloads out from the end of the tags (out NULL: only measures);
 * loads[i] and sizes[i] receive program i's load offset and section sizes,
 * loads[n] the kernel's. Returns the block's length. */
static uint32_t layout(const struct mk_kernel *k, const struct mk_program *progs, uint32_t n,
                       uint8_t *out, uint32_t *loads, uint32_t **sizes)
{
	uint32_t at = tags_len(progs, n);

	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = place_program(&progs[i], at, out, &loads[i], sizes[i]);
		at = loads[i] + len;
	}
	loads[n] = at = round_up(at, XARG_PAGE);
	if (out)
		memcpy(out + at, k->bytes, k->text_size + k->data_size);
	return round_up(at + k->text_size + k->data_size, 4);
}

static void put_program(uint8_t *block, uint32_t *at, const struct mk_program *p, uint32_t load,
                        const uint32_t *sizes)
{
	uint32_t words = INI_SECTIONS + 2 * p->nsec, d[INI_SECTIONS + 2 * 256];

	d[INI_LOAD] = load;
	d[INI_ENTRY] = p->entry;
	for (uint32_t s = 0; s < p->nsec; s++) {
		d[INI_SECTIONS + 2 * s] = p->sec[s].va;
		d[INI_SECTIONS + 2 * s + 1] = sizes[s] | p->sec[s].flags << 24;
	}
	put_tag(block, at, p->flash ? XARG_INIF : XARG_INIE, d, words);
}

static void put_names(uint8_t *block, uint32_t *at, const struct mk_program *progs, uint32_t n)
{
	uint32_t words = name_words("kernel"), w = 0, *d;

	for (uint32_t i = 0; i < n; i++)
		words += name_words(progs[i].name);
	d = calloc(words, 4);
	for (uint32_t i = 0; i <= n; i++) {
		const char *name = i ? progs[i - 1].name : "kernel";
		d[w] = i + 1;
		d[w + 1] = (uint32_t)strlen(name);
		memcpy(&d[w + 2], name, strlen(name));
		w += name_words(name);
	}
	put_tag(block, at, XARG_PNAM, d, words);
	free(d);
}

static const char *check_inputs(const struct mk_program *progs, uint32_t n)
{
	if (n == 0 || n > 250)
		return "between 1 and 250 programs";
	for (uint32_t i = 0; i < n; i++)
		if (progs[i].nsec > 256 || progs[i].name[0] == '\0' || strlen(progs[i].name) > 63)
			return "a program has too many sections or a bad name";
	return NULL;
}

uint8_t *mk_write(uint32_t ram_base, uint32_t ram_size, const struct mk_kernel *k,
                  const struct mk_program *progs, uint32_t n, size_t *len, const char **err)
{
	uint32_t loads[251], *sizes[250], at = 0, total, flags[2 * 250];
	uint8_t *block = NULL;

	if ((*err = check_inputs(progs, n)))
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		sizes[i] = calloc(progs[i].nsec + 1, 4);
	*len = layout(k, progs, n, NULL, loads, sizes);
	*err = "out of memory";
	if ((block = calloc(1, *len))) {
		*err = NULL;
		layout(k, progs, n, block, loads, sizes);
		total = tags_len(progs, n);
		uint32_t xarg[5] = {total / 4, XARG_VERSION, ram_base, ram_size, XARG_RAM_NAME};
		uint32_t xkrn[7] = {loads[n],     k->text_va,  k->text_size, k->data_va,
		                    k->data_size, k->bss_size, k->entry};
		put_tag(block, &at, XARG_XARG, xarg, 5);
		for (uint32_t i = 0; i < n; i++)
			put_program(block, &at, &progs[i], loads[i], sizes[i]);
		put_tag(block, &at, XARG_XKRN, xkrn, 7);
		put_names(block, &at, progs, n);
		for (uint32_t i = 0; i < n; i++) {
			flags[2 * i] = i + 2;
			flags[2 * i + 1] = progs[i].flags;
		}
		put_tag(block, &at, XARG_XFLG, flags, 2 * n);
	}
	for (uint32_t i = 0; i < n; i++)
		free(sizes[i]);
	return block;
}
