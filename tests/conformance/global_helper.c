/*
 * global_helper: the task the global conformance program launches, by
 * name, on both kernels. "conformance-global-helper PARENT" queues two
 * async messages for task PARENT (opcodes 21 and 22, "one" and "two"),
 * makes bit 0x800 pending for it, and exits 0 (99 if a call failed): its
 * messages outlive it.
 */
#include <stdlib.h>

#include <resea/global.h>

int main(int argc, char **argv)
{
	task_t parent;

	if (argc != 2)
		return 98;
	parent = (task_t)strtoul(argv[1], NULL, 10);
	if (global_async_send(parent, 21, "one", 3) || global_async_send(parent, 22, "two", 3) ||
	    global_notify(parent, 0x800))
		return 99;
	return 0;
}
