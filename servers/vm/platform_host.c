/* The vm server's platform code on Linux: none; the emulated physical
 * memory is the broker's (xous-hostd/phys.c). */
#include "vmsrv.h"
