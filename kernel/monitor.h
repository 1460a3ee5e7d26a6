/*
 * monitor.h - the kernel monitor: a command prompt on the console for
 * interactive use and demos (monitor.c).
 */
#ifndef CANARY_MONITOR_H
#define CANARY_MONITOR_H

#define MONITOR_PROMPT "canary> "

/* Read and run commands until one powers off or reboots. */
__attribute__((noreturn)) void monitor_run(void);
/* Run one command line; returns 0 on success. */
int monitor_exec(char *line);

#endif
