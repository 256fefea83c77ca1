/* demo.h - what the demo's files share. */
#ifndef DEMO_H
#define DEMO_H

#include <stdio.h>
#include <xous.h>

#define SAY(...) (printf(__VA_ARGS__), fflush(stdout))

/* 0 if err is XOUS_OK, else says what failed and returns 1. */
int check(const char *what, xous_err_t err);
int demo_disk(void); /* devices.c: --disk */
int demo_net(void);  /* devices.c: --net */

#endif
