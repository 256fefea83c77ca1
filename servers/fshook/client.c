/* The fshook server's client: a task_launch with the hook's prefix. */
#include <resea/fshook.h>
#include <resea/task.h>
#include <string.h>

#include "export.h"

#define FSHOOK_PREFIX "abi-hook=fshook "

XOUS_EXPORT xous_err_t fshook_launch(const char *cmdline, uint32_t *task)
{
	char line[XOUS_CMDLINE_MAX + 1];
	size_t n = cmdline ? strlen(cmdline) : 0, p = sizeof(FSHOOK_PREFIX) - 1;

	if (!cmdline || !task || n == 0 || p + n > XOUS_CMDLINE_MAX)
		return XOUS_ERR_INVALID_ARGUMENT;
	memcpy(line, FSHOOK_PREFIX, p);
	memcpy(line + p, cmdline, n + 1);
	return task_launch(line, task);
}
