/*
 * opnames.c - the name of an opcode on a server, for monitor and trace.
 *
 * Servers with a protobuf interface: an opcode is the index of a method in
 * the service of its idl/ .proto file, so the service descriptors protoc-c made
 * name them (services.cmake collects every one, with the server name the
 * .proto's header comment gives, else the file's name). Scalar servers:
 * the small table below, as their api.h numbers them.
 */
#include <string.h>

#include "xousctl.h"
#include "xousctl_services.h"

struct scalar_op {
	const char *server;
	uint32_t opcode;
	const char *name;
};

static const struct scalar_op scalar_ops[] = {
        {"ticktimer-server", 0, "ElapsedMs"},
        {"ticktimer-server", 1, "SleepMs"},
        {"ticktimer-server", 2, "RecalculateSleep"},
        {"ticktimer-server", 3, "SuspendResume"},
        {"ticktimer-server", 4, "PingWdt"},
        {"ticktimer-server", 5, "GetVersion"},
        {"ticktimer-server", 6, "LockMutex"},
        {"ticktimer-server", 7, "UnlockMutex"},
        {"ticktimer-server", 8, "WaitForCondition"},
        {"ticktimer-server", 9, "NotifyCondition"},
        {"ticktimer-server", 10, "FreeMutex"},
        {"ticktimer-server", 11, "FreeCondition"},
        {"timeserverpublic", 0, "HwSync"},
        {"timeserverpublic", 1, "SusRes"},
        {"timeserverpublic", 2, "SetUtcTimeMs"},
        {"timeserverpublic", 3, "GetUtcTimeMs"},
        {"timeserverpublic", 4, "GetLocalTimeMs"},
        {"timeserverpublic", 5, "SetTzOffsetMs"},
        {"timeserverpublic", 6, "WallClockTimeInit"},
        {"xous-name-server", 3, "Unregister"}, /* its scalar forms, same numbers */
        {"xous-name-server", 5, "TrustedInitDone"},
};

const char *opname(const char *server, uint32_t opcode)
{
	for (size_t i = 0; i < sizeof(xousctl_services) / sizeof(xousctl_services[0]); i++) {
		const ProtobufCServiceDescriptor *d = xousctl_services[i].desc;

		if (!strcmp(server, xousctl_services[i].server) && opcode < d->n_methods)
			return d->methods[opcode].name;
	}
	for (size_t i = 0; i < sizeof(scalar_ops) / sizeof(scalar_ops[0]); i++)
		if (scalar_ops[i].opcode == opcode && !strcmp(server, scalar_ops[i].server))
			return scalar_ops[i].name;
	return NULL;
}
