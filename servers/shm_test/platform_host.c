/* The shm_test server's platform code on Linux: none. */
#include "shm_testsrv.h"
