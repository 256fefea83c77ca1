/*
 * benchmark: Resea's benchmark server and the out-of-line payloads of
 * <xous/rpc.h>, live (needs the default fleet). nop returns its value;
 * nop_with_ool returns the same bytes for 0 and 3 bytes, one page, two pages
 * and 16 MiB, from a buffer at an odd address; a payload past XOUS_OOL_MAX
 * is refused before anything is sent; a string that is not UTF-8 is refused
 * by a server (the log server's ProgramName, opcode 3) before its handler
 * runs, and the same call with a good string succeeds.
 */
#include <stdlib.h>
#include <string.h>

#include <resea/benchmark.h>
#include <xous/rpc.h>

#include "conf.h"

static void echo(size_t len, unsigned seed)
{
	uint8_t *buf = malloc(len + 1);
	void *out = NULL;
	size_t out_len = 1;

	CHECK(buf != NULL);
	if (buf == NULL)
		return;
	conf_fill(buf + 1, len, seed); /* any alignment */
	CHECK_OK(benchmark_nop_with_ool(buf + 1, len, &out, &out_len));
	CHECK(out_len == len);
	CHECK(len == 0 ? out == NULL : out != NULL && conf_has(out, len, seed));
	if (conf_failures)
		printf("benchmark: nop_with_ool of %lu bytes\n", (unsigned long)len);
	free(out);
	free(buf);
}

/* A frame for the log server's ProgramName{name} by hand (<xous/rpc.h>). */
static xous_err_t program_name(xous_cid_t cid, const char *name, size_t len, size_t *valid)
{
	struct xous_rpc_trailer t = {0, (uint32_t)len + 2, 0, XOUS_RPC_FRAMED};
	size_t off = 0, frame = (len + 2 + 3) / 4 * 4;
	xous_range_t r;
	xous_err_t err = xous_map_memory(XOUS_PAGE_SIZE, XOUS_MEM_R | XOUS_MEM_W, &r);
	uint8_t *p;

	if (err)
		return err;
	p = r.addr;
	p[0] = 0x0a; /* field 1, length-delimited */
	p[1] = (uint8_t)len;
	memcpy(p + 2, name, len);
	memcpy(p + frame, &t, sizeof(t));
	err = xous_lend_mut(cid, 3, r, XOUS_RPC_FRAMED_OFFSET, frame + sizeof(t), &off, valid);
	xous_unmap_memory(r);
	return err ? err : (xous_err_t)off;
}

int main(void)
{
	static const int32_t values[] = {0, 42, -1, INT32_MIN, INT32_MAX};
	xous_sid_t log = xous_sid_from_name("xous-log-server ");
	static const uint8_t byte = 1;
	void *out = NULL;
	size_t out_len = 0, valid = 1;
	xous_cid_t cid = 0;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int32_t got = 7;
		CHECK_OK(benchmark_nop(values[i], &got));
		CHECK(got == values[i]);
	}
	CHECK_ERR(benchmark_nop(1, NULL), XOUS_ERR_INVALID_ARGUMENT);

	echo(0, 1);
	echo(3, 2);
	echo(XOUS_PAGE_SIZE, 3);
	echo(2 * XOUS_PAGE_SIZE, 4);
	echo(16u << 20, 5);
	echo(5, 6); /* and small again, after the large */

	/* refused before sending: the one byte there is never read past */
	CHECK_ERR(benchmark_nop_with_ool(&byte, (size_t)XOUS_OOL_MAX + 1, &out, &out_len),
	          XOUS_ERR_INVALID_ARGUMENT);
	CHECK(out == NULL && out_len == 0);
	CHECK_ERR(benchmark_nop_with_ool(NULL, 1, &out, &out_len), XOUS_ERR_INVALID_ARGUMENT);

	CHECK_OK(xous_connect(&log, &cid));
	CHECK_ERR(program_name(cid, "bad \xc3\x28", 6, &valid), XOUS_ERR_INVALID_STRING);
	CHECK(valid == 0);
	CHECK_ERR(program_name(cid, "a\0b", 3, &valid), XOUS_ERR_INVALID_STRING);
	CHECK_OK(program_name(cid, "conformance-benchmark", 21, &valid));
	return conf_end("benchmark");
}
