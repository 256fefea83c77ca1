/*
 * task_helper: the program the task conformance program launches, by name,
 * on both kernels. "conformance-task-helper CODE [ARGS...]" exits with CODE
 * (0..255) once its argv is as launched: argv[0] its name, then exactly the
 * words after it ("CODE a b" checks argc 4 and the words "a" and "b", else
 * 99). "conformance-task-helper fault" faults (a store to address 16);
 * "open" (Linux) opens /dev/null for writing and exits 0 if it could (a
 * sandbox that forbids it kills the helper first).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_fault.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 98;
	if (strcmp(argv[1], "fault") == 0) {
		volatile uintptr_t addr = 16; /* the compiler may not see the fault coming */

		*(volatile uint32_t *)addr = 1;
		return 97;
	}
#ifdef __linux__ /* kernel-riscv has no files */
	if (strcmp(argv[1], "open") == 0)
		return fopen("/dev/null", "w") ? 0 : 1;
#endif
	if (!strstr(argv[0], "conformance-task-helper"))
		return 99;
	if (argc > 2 && (argc != 4 || strcmp(argv[2], "a") || strcmp(argv[3], "b")))
		return 99;
	return atoi(argv[1]) & 0xff;
}
