/*
 * monitor.h - the kernel monitor: a command prompt on the console for
 * interactive use and demos (monitor.c).
 */
#ifndef CANARY_MONITOR_H
#define CANARY_MONITOR_H

#define MONITOR_PROMPT "canary> "

/* Read and run commands until one powers off or reboots. */
#include "lib/types.h"

__attribute__((noreturn)) void monitor_run(void);
/* One session: until `exit` if may_leave (from the monitor() system
 * call), else for ever. */
void monitor_session(bool may_leave);
/* Run one command line; returns 0 on success. */
int monitor_exec(char *line);

#endif
