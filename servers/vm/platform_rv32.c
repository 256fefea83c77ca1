/* The vm server's platform code on kernel-riscv: none; the pool is the
 * kernel's (kernel-riscv/kernel/phys.c). */
#include "vmsrv.h"
