/*
 * The name server's opcodes ("xous-name-server"). The memory opcodes are the
 * methods of service Names in idl/names.proto (opcode = method index, as
 * Xous numbers them); two of them also come as plain BlockingScalars, as in
 * Xous: Unregister (a1..a4 sid -> Scalar1 1 done, 0 not done) and
 * TrustedInitDone (-> Scalar1 1 or 0).
 */
#ifndef XOUS_NAMES_API_H
#define XOUS_NAMES_API_H

#define NAMES_SERVER_NAME "xous-name-server"

/* Resea's discovery, served by the same process on a second server that
 * the name server lists under this name. Its opcodes are the methods of
 * service Discovery in idl/discovery.proto (opcode = method index). */
#define DISCOVERY_SERVER_NAME "discovery"

enum discovery_opcode {
	DISCOVERY_OP_SERVE = 0,  /* RegisterRequest (conn_limit ignored) -> Empty */
	DISCOVERY_OP_LOOKUP = 1, /* LookupRequest -> ConnectReply, parked until served */
};

enum names_opcode {
	NAMES_OP_REGISTER = 0,
	NAMES_OP_LOOKUP = 1,
	NAMES_OP_AUTHENTICATED_LOOKUP = 2, /* not supported: ACCESS_DENIED */
	NAMES_OP_UNREGISTER = 3,
	NAMES_OP_DISCONNECT = 4,
	NAMES_OP_TRUSTED_INIT_DONE = 5,
	NAMES_OP_BLOCKING_CONNECT = 6,
	NAMES_OP_TRY_CONNECT = 7,
};

/* A name is 1..NAMES_MAX_NAME_LEN bytes of UTF-8. */
#define NAMES_MAX_NAME_LEN 63

#endif
