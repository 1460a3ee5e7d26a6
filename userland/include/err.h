/*
 * err.h - the utilities' two kinds of complaint, in one format each:
 *
 *   prog: what: message    a failed call (exit status 1)
 *   usage: synopsis        bad arguments (exit status 2)
 *
 * (Canary's own; BSD's err.h reads a global errno, which Canary lacks.)
 */
#ifndef CANARY_USER_ERR_H
#define CANARY_USER_ERR_H

/* Print "prog: what: strerror(-err)" to fd 2; err is a negative errno as
 * a system call returned it.  Returns 1, the exit status for it. */
int err_report(const char *prog, const char *what, long err);

/* Print "usage: synopsis" to fd 2 and exit with status 2. */
__attribute__((noreturn)) void err_usage(const char *synopsis);

#endif
