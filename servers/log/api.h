/*
 * The log server's opcodes ("xous-log-server ", with its trailing space):
 * the methods of service Log in idl/log.proto (opcode = method index, as
 * Xous numbers them). Replies follow <xous/rpc.h>.
 *
 *  0 LogRecord       Record{level 1..5, file, line, module, text}: one line out
 *  1 StandardOutput  Stream{data}: the bytes, as they are
 *  2 StandardError   Stream{data}: the bytes, as they are
 *  3 ProgramName     ProgramName{name}: a name for the caller's pid, shown only
 *                    where the kernel cannot name processes (kept for its number)
 *
 * A record's line: "HH:MM:SS.mmm LEVEL name(pid): text" (UTC time of day),
 * where pid comes from the sender token and name from xous_process_name(),
 * both stamped by the kernel, not claimed by the client; a record's own
 * module, when it has one, is shown instead of the name.
 */
#ifndef XOUS_LOG_API_H
#define XOUS_LOG_API_H

#define LOG_SERVER_NAME "xous-log-server "

enum log_opcode {
	LOG_OP_RECORD = 0,
	LOG_OP_STANDARD_OUTPUT = 1,
	LOG_OP_STANDARD_ERROR = 2,
	LOG_OP_PROGRAM_NAME = 3,
};

/* Levels, as Xous (and the Rust log crate) number them. */
enum log_level {
	LOG_LEVEL_ERROR = 1,
	LOG_LEVEL_WARN = 2,
	LOG_LEVEL_INFO = 3,
	LOG_LEVEL_DEBUG = 4,
	LOG_LEVEL_TRACE = 5,
};

#define LOG_MAX_TEXT 3800 /* bytes of a record's text shown; the rest is cut */
#define LOG_MAX_NAME 32

#endif
