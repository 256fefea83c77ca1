/* The shm_test server's platform code on kernel-riscv: none. */
#include "shm_testsrv.h"
