/*
 * current.h - who is running: the name and id reports print after
 * "by task".  Before the scheduler starts, the boot context, which Linux
 * calls swapper/0, pid 0 (sched/thread.c; host tests stub these).
 */
#ifndef CANARY_LIB_CURRENT_H
#define CANARY_LIB_CURRENT_H

#include "lib/types.h"

const char *current_comm(void);
int current_pid(void);

#endif
