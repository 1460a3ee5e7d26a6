/*
 * current.h - who is running: the name and id reports print after
 * "by task".  Before the scheduler starts, the boot context, which Linux
 * calls swapper/0, pid 0 (sched/thread.c; host tests stub these).
 */
#ifndef CANARY_LIB_CURRENT_H
#define CANARY_LIB_CURRENT_H

#include "lib/types.h"

#define TASK_COMM_LEN 16	/* a task's name with its NUL, as in Linux */

/* The running task's name: TASK_COMM_LEN readable bytes, NUL-padded, so
 * the allocator's tracks copy it as two words. */
const char *current_comm(void);
int current_pid(void);

#endif
