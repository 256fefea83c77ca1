/*
 * out.c - xousctl's listings: rows of named fields, printed as an aligned
 * table (a header line of the field names first) or, with --json, as one
 * JSON array of objects. A row is built the same way for both: the table
 * prints its header by running the first row's fields once as names.
 */
#include <ctype.h>
#include <string.h>

#include "xousctl.h"

void out_begin(struct out *o, FILE *fp, bool json)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->json = json;
	o->first_row = true;
	if (json)
		fputc('[', fp);
}

void out_json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(fp, "\\u%04x", ch);
		else
			fputc(ch, fp);
	}
	fputc('"', fp);
}

void out_row(struct out *o)
{
	o->first_field = true;
	o->len = 0;
	if (o->json) {
		fprintf(o->fp, "%s{", o->first_row ? "\n  " : ",\n  ");
	}
	o->first_row = false;
}

/* A table cell: the value, or on the header pass the key in capitals. */
static void out_cell(struct out *o, const char *key, int width, const char *v)
{
	char head[64];

	if (o->header) {
		size_t i;

		for (i = 0; key[i] && i < sizeof(head) - 1; i++)
			head[i] = key[i] == '_' ? '-' : (char)toupper((unsigned char)key[i]);
		head[i] = 0;
		v = head;
	}
	if (o->len < sizeof(o->line))
		o->len += (size_t)snprintf(o->line + o->len, sizeof(o->line) - o->len, "%s%-*s",
		                           o->first_field ? "" : "  ", width, v);
	if (o->len >= sizeof(o->line))
		o->len = sizeof(o->line) - 1;
	o->first_field = false;
}

void out_str(struct out *o, const char *key, int width, const char *v)
{
	if (!o->json) {
		out_cell(o, key, width, v && *v ? v : "-");
		return;
	}
	fprintf(o->fp, "%s\"%s\": ", o->first_field ? "" : ", ", key);
	out_json_str(o->fp, v ? v : "");
	o->first_field = false;
}

void out_num(struct out *o, const char *key, int width, unsigned long long v)
{
	char buf[32];

	if (o->json) {
		fprintf(o->fp, "%s\"%s\": %llu", o->first_field ? "" : ", ", key, v);
		o->first_field = false;
		return;
	}
	snprintf(buf, sizeof(buf), "%llu", v);
	out_cell(o, key, width, buf);
}

void out_end_row(struct out *o)
{
	if (o->json) {
		fputc('}', o->fp);
		return;
	}
	while (o->len > 0 && o->line[o->len - 1] == ' ')
		o->len--;
	fprintf(o->fp, "%.*s\n", (int)o->len, o->line);
}

void out_end(struct out *o)
{
	if (o->json)
		fprintf(o->fp, "%s]\n", o->first_row ? "" : "\n");
	fflush(o->fp);
}
