/*
 * <xous/log.h> - the log server's client (CONTRACT section 2).
 * Levels as Xous: 1 error, 2 warn, 3 info, 4 debug, 5 trace.
 */
#ifndef XOUS_LOG_H
#define XOUS_LOG_H

#include <stddef.h>
#include <xous.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XLOG_ERROR 1
#define XLOG_WARN  2
#define XLOG_INFO  3
#define XLOG_DEBUG 4
#define XLOG_TRACE 5

/* Log one record, formatted printf-style; XOUS_ERR_INVALID_ARGUMENT for a
 * level outside 1..5 or a NULL fmt. The server stamps each record with the
 * caller's pid and the name the kernel knows the caller by
 * (xous_process_name); the caller sends neither. */
xous_err_t xlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Extensions. */
/* A record with its source position and module (module may be NULL). */
xous_err_t xlog_record(int level, const char *file, unsigned line, const char *module,
                       const char *text);
/* Bytes for the log server's standard output (fd 1) or error (fd 2) stream. */
xous_err_t xlog_stream(int fd, const void *data, size_t len);
/* A process's level is $XOUS_LOG_LEVEL (1..5 or error .. trace; a fleet
 * server's comes from its log= option): xlog and xlog_record send nothing
 * above it (everything when unset); the log server's own level (its
 * --level, else its $XOUS_LOG_LEVEL, else info) then filters what reaches
 * it. */

#ifdef __cplusplus
}
#endif

#endif /* XOUS_LOG_H */
