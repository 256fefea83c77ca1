/* The shm server's platform code on kernel-riscv: none; its pages are vm's. */
#include "shmsrv.h"
