/* servers.log.*: the log server's dispatch, its output captured. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "logsrv.h"
#include "recorder.h"

static struct log_state st;
static char out[65536];
static size_t out_len;

static void capture(const char *buf, size_t len)
{
	if (out_len + len < sizeof(out)) {
		memcpy(out + out_len, buf, len);
		out_len += len;
		out[out_len] = '\0';
	}
}

static uint64_t noon(void)
{
	return 1700000000000ull - 1700000000000ull % 86400000u + 43201234u; /* 12:00:01.234 */
}

static void setup(void)
{
	rec_reset();
	out_len = 0;
	out[0] = '\0';
	log_init(&st, LOG_LEVEL_INFO, capture, noon);
}

/* Dispatch e; the answer is returned, and is the only one. */
static xous_answer_t serve(xous_envelope_t *e)
{
	size_t before = rec_n;
	xous_answer_t a = rec_dispatched(e, log_dispatch(&st, e));

	ck_assert_uint_eq(rec_n, before + 1);
	ck_assert_uint_eq(rec_last()->sender, e->sender);
	ck_assert_int_eq(rec_last()->returned, 1);
	return a;
}

/* A request's status: the offset of the memory answer (valid 0: no reply). */
static xous_err_t send(xous_pid_t pid, uint32_t op, const ProtobufCMessage *m)
{
	xous_envelope_t e = rec_memory(XOUS_MUTABLE_BORROW, pid, 1, op, m, NULL, 0);
	xous_answer_t a = serve(&e);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[1], 0); /* Empty packs to nothing */
	return (xous_err_t)a.v[0];
}

static xous_err_t record(xous_pid_t pid, uint32_t level, const char *module, const char *text)
{
	LogPb__Record r = LOG_PB__RECORD__INIT;

	r.level = level;
	r.module = (char *)module;
	r.text.data = (uint8_t *)text;
	r.text.len = strlen(text);
	r.file = "demo.c";
	r.line = 42;
	return send(pid, LOG_OP_RECORD, &r.base);
}

static xous_err_t name(xous_pid_t pid, const char *n)
{
	LogPb__ProgramName p = LOG_PB__PROGRAM_NAME__INIT;

	p.name = (char *)n;
	return send(pid, LOG_OP_PROGRAM_NAME, &p.base);
}

START_TEST(a_record_is_one_line_with_time_level_name_and_pid)
{
	ck_assert_uint_eq(name(5, "hello"), XOUS_OK);
	ck_assert_uint_eq(record(5, LOG_LEVEL_INFO, "", "text"), XOUS_OK);
	ck_assert_str_eq(out, "12:00:01.234 INFO  hello(5): text\n");
}
END_TEST

START_TEST(the_pid_comes_from_the_sender_token)
{
	ck_assert_uint_eq(record(9, LOG_LEVEL_ERROR, "", "boom"), XOUS_OK);
	ck_assert_str_eq(out, "12:00:01.234 ERROR pid(9): boom\n");
}
END_TEST

START_TEST(the_module_names_the_record_when_given)
{
	ck_assert_uint_eq(name(5, "hello"), XOUS_OK);
	ck_assert_uint_eq(record(5, LOG_LEVEL_WARN, "net", "slow"), XOUS_OK);
	ck_assert_str_eq(out, "12:00:01.234 WARN  net(5): slow\n");
}
END_TEST

START_TEST(levels_above_the_filter_are_dropped)
{
	ck_assert_uint_eq(record(5, LOG_LEVEL_DEBUG, "m", "quiet"), XOUS_OK);
	ck_assert_uint_eq(out_len, 0);
	st.level = LOG_LEVEL_TRACE;
	ck_assert_uint_eq(record(5, LOG_LEVEL_TRACE, "m", "loud"), XOUS_OK);
	ck_assert_str_eq(out, "12:00:01.234 TRACE m(5): loud [demo.c:42]\n");
}
END_TEST

START_TEST(a_bad_level_is_invalid_argument)
{
	ck_assert_uint_eq(record(5, 0, "m", "x"), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(record(5, 6, "m", "x"), XOUS_ERR_INVALID_ARGUMENT);
	ck_assert_uint_eq(out_len, 0);
}
END_TEST

START_TEST(a_record_stays_one_line)
{
	ck_assert_uint_eq(record(5, LOG_LEVEL_INFO, "m", "a\nb\rc\x1b[2J\n"), XOUS_OK);
	ck_assert_str_eq(out, "12:00:01.234 INFO  m(5): a b c [2J\n");
}
END_TEST

START_TEST(a_huge_text_is_cut)
{
	char *big = malloc(3000);

	memset(big, 'x', 2999);
	big[2999] = '\0';
	ck_assert_uint_eq(record(5, LOG_LEVEL_INFO, "m", big), XOUS_OK);
	ck_assert_uint_eq(out_len, strlen("12:00:01.234 INFO  m(5): ") + 2999 + 1);
	free(big);
}
END_TEST

START_TEST(streams_pass_bytes_through)
{
	LogPb__Stream s = LOG_PB__STREAM__INIT;

	s.data.data = (uint8_t *)"partial ";
	s.data.len = 8;
	ck_assert_uint_eq(send(5, LOG_OP_STANDARD_OUTPUT, &s.base), XOUS_OK);
	s.data.data = (uint8_t *)"line\n";
	s.data.len = 5;
	ck_assert_uint_eq(send(5, LOG_OP_STANDARD_ERROR, &s.base), XOUS_OK);
	ck_assert_str_eq(out, "partial line\n");
}
END_TEST

START_TEST(an_empty_program_name_is_invalid_string)
{
	ck_assert_uint_eq(name(5, ""), XOUS_ERR_INVALID_STRING);
}
END_TEST

START_TEST(program_names_are_per_pid_and_replaceable)
{
	ck_assert_uint_eq(name(5, "one"), XOUS_OK);
	ck_assert_uint_eq(name(6, "two"), XOUS_OK);
	ck_assert_uint_eq(name(5, "uno"), XOUS_OK);
	record(5, LOG_LEVEL_INFO, "", "a");
	record(6, LOG_LEVEL_INFO, "", "b");
	ck_assert_str_eq(out, "12:00:01.234 INFO  uno(5): a\n12:00:01.234 INFO  two(6): b\n");
	for (xous_pid_t p = 100; p < 100 + 2 * LOG_MAX_PROGRAMS; p++)
		ck_assert_uint_eq(name(p, "many"), XOUS_OK);
}
END_TEST

START_TEST(malformed_payload_is_serialization_error)
{
	static const uint8_t junk[] = {0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	xous_envelope_t e =
	        rec_memory(XOUS_MUTABLE_BORROW, 5, 1, LOG_OP_RECORD, NULL, junk, sizeof(junk));
	xous_answer_t a = serve(&e);

	ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
	ck_assert_uint_eq(a.v[0], XOUS_ERR_SERIALIZATION_ERROR);
	ck_assert_uint_eq(a.v[1], 0);
	ck_assert_uint_eq(out_len, 0);
}
END_TEST

START_TEST(scalars_and_unknown_opcodes_are_refused)
{
	xous_envelope_t e = rec_scalar(XOUS_BLOCKING_SCALAR, 5, 1, LOG_OP_RECORD, 0, 0, 0);
	LogPb__Empty empty = LOG_PB__EMPTY__INIT;

	ck_assert_int_eq(serve(&e).kind, XOUS_ANSWER_NONE);
	ck_assert_uint_eq(rec_last()->kind, REC_DONE);
	ck_assert_uint_eq(send(5, 1000, &empty.base), XOUS_ERR_INVALID_ARGUMENT);
}
END_TEST

START_TEST(levels_parse_by_number_or_name)
{
	ck_assert_int_eq(log_parse_level("1"), 1);
	ck_assert_int_eq(log_parse_level("5"), 5);
	ck_assert_int_eq(log_parse_level("debug"), 4);
	ck_assert_int_eq(log_parse_level("WARN"), 2);
	ck_assert_int_eq(log_parse_level("6"), 0);
	ck_assert_int_eq(log_parse_level("verbose"), 0);
	ck_assert_int_eq(log_parse_level(NULL), 0);
}
END_TEST

static uint32_t prng(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13, x ^= x >> 17, x ^= x << 5;
	return x;
}

START_TEST(every_random_payload_is_answered_once)
{
	st.level = LOG_LEVEL_TRACE;
	for (uint32_t i = 0; i < 2000; i++) {
		uint8_t junk[64];
		size_t n = prng() % sizeof(junk);
		xous_envelope_t e;
		xous_answer_t a;

		for (size_t k = 0; k < n; k++)
			junk[k] = (uint8_t)prng();
		if (n > 2 && i % 2 == 0)
			junk[0] = 0x08, junk[1] = (uint8_t)(1 + i % 5); /* a good level first */
		e = rec_memory(XOUS_MUTABLE_BORROW, 5, i, prng() % 5, NULL, junk, n);
		a = serve(&e); /* exactly one answer */
		ck_assert_int_eq(a.kind, XOUS_ANSWER_MEMORY);
		ck_assert_uint_eq(a.v[1], 0);
		rec_n = 0;
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("servers.log");

	ADD(s, a_record_is_one_line_with_time_level_name_and_pid);
	ADD(s, the_pid_comes_from_the_sender_token);
	ADD(s, the_module_names_the_record_when_given);
	ADD(s, levels_above_the_filter_are_dropped);
	ADD(s, a_bad_level_is_invalid_argument);
	ADD(s, a_record_stays_one_line);
	ADD(s, a_huge_text_is_cut);
	ADD(s, streams_pass_bytes_through);
	ADD(s, an_empty_program_name_is_invalid_string);
	ADD(s, program_names_are_per_pid_and_replaceable);
	ADD(s, malformed_payload_is_serialization_error);
	ADD(s, scalars_and_unknown_opcodes_are_refused);
	ADD(s, levels_parse_by_number_or_name);
	ADD(s, every_random_payload_is_answered_once);
	return rec_run(s);
}
