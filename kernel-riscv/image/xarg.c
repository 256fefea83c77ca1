/* xarg.c - walking and checking Xous's argument block (xarg.h). */
#include "xarg.h"

uint16_t xarg_crc16(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint16_t crc = 0xffff;

	while (len--) {
		crc ^= *b++;
		for (int i = 0; i < 8; i++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0x8408) : (uint16_t)(crc >> 1);
	}
	return (uint16_t)~crc;
}

static uint32_t total_bytes(const void *block)
{
	return ((const uint32_t *)block)[2] * 4;
}

bool xarg_next(const void *block, uint32_t *i, struct xarg_tag *tag)
{
	const uint32_t *w = block;

	if (*i >= total_bytes(block))
		return false;
	tag->offset = *i;
	tag->name = w[*i / 4];
	tag->words = w[*i / 4 + 1] >> 16;
	tag->data = &w[*i / 4 + 2];
	*i += XARG_HDR + tag->words * 4;
	return true;
}

uint32_t xarg_ini_bytes(const struct xarg_tag *t)
{
	uint32_t n = 0;

	for (uint32_t s = INI_SECTIONS; s + 1 < t->words; s += 2)
		if (!(XARG_SEC_FLAGS(t->data[s + 1]) & XARG_SEC_NOCOPY))
			n += XARG_SEC_SIZE(t->data[s + 1]);
	return n;
}

/* A payload of len bytes at load: after the tags, inside the block. */
static bool payload_ok(uint32_t load, uint32_t len, uint32_t total, uint32_t size)
{
	return load >= total && load <= size && len <= size - load;
}

static const char *check_kernel(const struct xarg_tag *t, uint32_t total, uint32_t size)
{
	const uint32_t *d = t->data;
	uint32_t text = d[XKRN_TEXT_SIZE], data = d[XKRN_DATA_SIZE], bss = d[XKRN_BSS_SIZE];
	uint32_t va = d[XKRN_TEXT_VA], span;

	if (t->words * 4 != XARG_XKRN_LEN)
		return "XKrn: wrong size";
	if (d[XKRN_LOAD] % XARG_PAGE || va % XARG_PAGE)
		return "XKrn: payload or text not page-aligned";
	if (text > size || data > size || !payload_ok(d[XKRN_LOAD], text + data, total, size))
		return "XKrn: payload outside the image";
	if (d[XKRN_DATA_VA] < va + text || d[XKRN_DATA_VA] - va > 0x1000000u)
		return "XKrn: data not after text";
	span = d[XKRN_DATA_VA] - va + data;
	if (bss > 0x1000000u || va + span + bss < va)
		return "XKrn: kernel wraps the address space";
	if (d[XKRN_ENTRY] < va || d[XKRN_ENTRY] >= va + text)
		return "XKrn: entry outside text";
	return 0;
}

static const char *check_program(const struct xarg_tag *t, uint32_t total, uint32_t size)
{
	const uint32_t *d = t->data;
	uint32_t at, entry_ok = 0;

	if (t->words < INI_SECTIONS || (t->words - INI_SECTIONS) % 2)
		return "IniE/IniF: wrong size";
	if (t->name == XARG_INIE && d[INI_LOAD] % XARG_PAGE)
		return "IniE: payload not page-aligned";
	if (!payload_ok(d[INI_LOAD], xarg_ini_bytes(t), total, size))
		return "IniE/IniF: payload outside the image";
	at = d[INI_LOAD];
	for (uint32_t s = INI_SECTIONS; s < t->words; s += 2) {
		uint32_t va = d[s], len = XARG_SEC_SIZE(d[s + 1]), fl = XARG_SEC_FLAGS(d[s + 1]);
		if (va + len < va)
			return "IniE/IniF: section wraps the address space";
		if ((fl & XARG_SEC_EXECUTE) && d[INI_ENTRY] >= va && d[INI_ENTRY] < va + len)
			entry_ok = 1;
		if (fl & XARG_SEC_NOCOPY)
			continue;
		if (t->name == XARG_INIF && va % XARG_PAGE != at % XARG_PAGE)
			return "IniF: section's page offset differs from its address's";
		at += len;
	}
	return entry_ok ? 0 : "IniE/IniF: entry outside its executable sections";
}

static const char *check_names(const struct xarg_tag *t)
{
	uint32_t i = 0;

	while (i < t->words) {
		uint32_t len = i + 1 < t->words ? t->data[i + 1] : 0;
		if (len == 0 || len > 255 || t->data[i] == 0 || (len + 3) / 4 > t->words - i - 2)
			return "PNam: bad entry";
		i += 2 + (len + 3) / 4;
	}
	return 0;
}

const char *xarg_check(const void *block, uint32_t size)
{
	const uint32_t *w = block;
	uint32_t total, i = 0, kernels = 0, programs = 0;
	struct xarg_tag t;
	const char *err = 0;

	if ((uintptr_t)block % 4 || size < XARG_HDR + XARG_XARG_LEN || size > 0x80000000u)
		return "block too small, too large or not word-aligned";
	if (w[0] != XARG_XARG || w[1] >> 16 != XARG_XARG_LEN / 4)
		return "no XArg tag first";
	total = w[2] * 4;
	if (w[2] > size / 4 || total < XARG_HDR + XARG_XARG_LEN || w[3] != XARG_VERSION)
		return "XArg: bad length or version";
	if (w[5] == 0 || w[4] % XARG_PAGE || w[5] % XARG_PAGE || w[4] + w[5] - 1 < w[4])
		return "XArg: bad RAM";
	while (i < total && !err) {
		if (total - i < XARG_HDR || (w[i / 4 + 1] >> 16) > (total - i - XARG_HDR) / 4)
			return "tag runs past the block";
		xarg_next(block, &i, &t);
		if (xarg_crc16(t.data, t.words * 4) != (w[t.offset / 4 + 1] & 0xffff))
			return "tag's CRC16 is wrong";
		if (t.name == XARG_XKRN) {
			err = check_kernel(&t, total, size);
			kernels++;
		} else if (t.name == XARG_INIE || t.name == XARG_INIF) {
			err = check_program(&t, total, size);
			programs++;
		} else if (t.name == XARG_PNAM) {
			err = check_names(&t);
		} else if (t.name == XARG_XFLG && t.words % 2) {
			err = "XFlg: wrong size";
		}
	}
	if (!err && kernels != 1)
		err = "not exactly one XKrn";
	if (!err && programs == 0)
		err = "no IniE or IniF";
	return err;
}

uint32_t xarg_extent(const void *block)
{
	uint32_t i = 0, end = total_bytes(block), e;
	struct xarg_tag t;

	while (xarg_next(block, &i, &t)) {
		if (t.name == XARG_XKRN)
			e = t.data[XKRN_LOAD] + t.data[XKRN_TEXT_SIZE] + t.data[XKRN_DATA_SIZE];
		else if (t.name == XARG_INIE || t.name == XARG_INIF)
			e = t.data[INI_LOAD] + xarg_ini_bytes(&t);
		else
			continue;
		end = e > end ? e : end;
	}
	return end;
}
