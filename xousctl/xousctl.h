/*
 * xousctl.h - what the files of xousctl share.
 *
 *   xousctl.c  options, the control connection, the listings, call
 *   out.c      rows as a table or as JSON
 *   watch.c    monitor and trace (the event stream)
 *   opnames.c  method names of opcodes, from idl/'s service descriptors
 */
#ifndef XOUSCTL_H
#define XOUSCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "control.pb-c.h"

struct ctl {
	const char *socket;
	bool json;
	int fd;
};

/* xousctl.c */
int ctl_connect(struct ctl *c);
int ctl_send(struct ctl *c, const ControlPb__Request *q);
/* The next Reply (NULL at the end of the stream or on an error, said on
 * stderr unless the stream just ended); free it with control_pb__reply__free_unpacked. */
ControlPb__Reply *ctl_recv(struct ctl *c);
void ctl_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
const char *ctl_kind_name(uint32_t kind);
int ctl_kind_parse(const char *s);

/* out.c: one row at a time; a table prints its header before the first. */
struct out {
	FILE *fp;
	bool json;
	bool header_done, header, first_row, first_field;
	char line[1024]; /* a table row, printed without trailing blanks at its end */
	size_t len;
};
void out_begin(struct out *o, FILE *fp, bool json);
void out_row(struct out *o);
void out_str(struct out *o, const char *key, int width, const char *v);
void out_num(struct out *o, const char *key, int width, unsigned long long v);
void out_end_row(struct out *o);
void out_end(struct out *o);
void out_json_str(FILE *fp, const char *s);

/* watch.c */
int watch_monitor(struct ctl *c, int argc, char **argv);
int watch_trace(struct ctl *c, int argc, char **argv);

/* opnames.c: the method name of opcode on the server named server, or NULL */
const char *opname(const char *server, uint32_t opcode);

#endif /* XOUSCTL_H */
