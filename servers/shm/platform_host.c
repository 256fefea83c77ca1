/* The shm server's platform code on Linux: none; its pages are vm's. */
#include "shmsrv.h"
