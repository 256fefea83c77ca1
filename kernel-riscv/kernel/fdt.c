/*
 * fdt.c - read a flattened device tree (the devicetree specification's
 * format, which qemu passes in a1): a property of a node named by its path.
 * A path component without '@' matches any unit address ("/memory" finds
 * "memory@80000000"). Every offset is checked against the blob's size, so a
 * corrupt tree yields "not found", never a stray read.
 */
#include "defs.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define FDT_MAX_SIZE   (1u << 20)
#define FDT_MAX_DEPTH  8

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

bool fdt_valid(uint32_t fdt)
{
	return fdt && !(fdt & 3) && be32((void *)fdt) == FDT_MAGIC &&
	       be32((void *)(fdt + 4)) <= FDT_MAX_SIZE;
}

/* Whether node name (up to its end) is what path component comp (len n) names. */
static bool name_matches(const char *name, const char *comp, uint32_t n)
{
	uint32_t i = 0;

	for (; i < n; i++)
		if (name[i] != comp[i])
			return false;
	return name[i] == '\0' || (name[i] == '@' && !memchr(comp, '@', n));
}

/* The component of path at depth d (0: the root's children), or NULL. */
static const char *component(const char *path, uint32_t d, uint32_t *n)
{
	const char *p = path + 1;

	for (; d > 0; d--) {
		const char *slash = strchr(p, '/');
		if (!slash)
			return NULL;
		p = slash + 1;
	}
	const char *end = strchr(p, '/');
	*n = end ? (uint32_t)(end - p) : strlen(p);
	return p;
}

const void *fdt_prop(uint32_t fdt, const char *path, const char *prop, uint32_t *len)
{
	if (!fdt_valid(fdt))
		return NULL;
	const uint8_t *blob = (const uint8_t *)fdt;
	uint32_t size = be32(blob + 4), off = be32(blob + 8), strs = be32(blob + 12);
	uint32_t depth = 0, want = strcmp(path, "/") == 0 ? 0 : 1, matched = 0;

	for (const char *p = path + 1; *p && want; p++)
		want += *p == '/';
	while (off + 4 <= size) {
		uint32_t tok = be32(blob + off), n;
		off += 4;
		if (tok ==
		    FDT_BEGIN_NODE) { /* matched: how many levels of path hold, root included */
			const char *name = (const char *)blob + off, *comp;
			if (depth == 0)
				matched = 1;
			else if (matched == depth && depth <= want &&
			         (comp = component(path, depth - 1, &n)) &&
			         name_matches(name, comp, n))
				matched = depth + 1;
			depth++;
			off = (off + strlen(name) + 1 + 3) & ~3u;
		} else if (tok == FDT_END_NODE) {
			if (depth == 0)
				return NULL;
			depth--;
			if (matched > depth)
				matched = depth;
		} else if (tok == FDT_PROP && off + 8 <= size) {
			uint32_t plen = be32(blob + off), name = be32(blob + off + 4);
			off += 8;
			if (plen > size - off)
				return NULL;
			if (matched == want + 1 && depth == want + 1 && strs + name < size &&
			    strcmp((const char *)blob + strs + name, prop) == 0) {
				*len = plen;
				return blob + off;
			}
			off = (off + plen + 3) & ~3u;
		} else if (tok != FDT_NOP) {
			return NULL;
		}
	}
	return NULL;
}

/* Whether the string list property holds s. */
bool fdt_has_string(uint32_t fdt, const char *path, const char *prop, const char *s)
{
	uint32_t len, n = strlen(s) + 1;
	const char *v = fdt_prop(fdt, path, prop, &len);

	for (uint32_t i = 0; v && i + n <= len; i += strlen(v + i) + 1)
		if (memcmp(v + i, s, n) == 0)
			return true;
	return false;
}

/* A 32-bit cell property. */
bool fdt_u32(uint32_t fdt, const char *path, const char *prop, uint32_t *out)
{
	uint32_t len;
	const void *v = fdt_prop(fdt, path, prop, &len);

	if (!v || len != 4)
		return false;
	*out = be32(v);
	return true;
}

/* Whether hart's "riscv,isa" names extension ext ("_ext" between '_'s or at the end). */
bool fdt_cpu_has_ext(uint32_t fdt, uint32_t hart, const char *ext)
{
	char path[16] = "/cpus/cpu@";
	uint32_t len, n = strlen(ext), at = 10;
	const char *isa;

	if (hart >= 10)
		path[at++] = (char)('0' + hart / 10 % 10);
	path[at++] = (char)('0' + hart % 10);
	path[at] = '\0';
	isa = fdt_prop(fdt, path, "riscv,isa", &len);
	for (uint32_t i = 0; isa && i + n + 1 <= len; i++)
		if (isa[i] == '_' && memcmp(isa + i + 1, ext, n) == 0 &&
		    (i + n + 1 == len || isa[i + n + 1] == '_' || isa[i + n + 1] == '\0'))
			return true;
	return false;
}

/* The first range of /memory's reg, if it lies below 4 GiB. */
bool fdt_memory(uint32_t fdt, uint32_t *base, uint32_t *size)
{
	uint32_t ac = 2, sc = 1, len;
	const uint8_t *reg = fdt_prop(fdt, "/memory", "reg", &len);

	fdt_u32(fdt, "/", "#address-cells", &ac);
	fdt_u32(fdt, "/", "#size-cells", &sc);
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < 4 * (ac + sc))
		return false;
	if ((ac == 2 && be32(reg)) || (sc == 2 && be32(reg + 4 * ac)))
		return false;
	*base = be32(reg + 4 * (ac - 1));
	*size = be32(reg + 4 * (ac + sc - 1));
	return *size != 0 && *base + *size - 1 >= *base;
}
