/*
 * unistd.h - the system calls, as C functions: one prototype per entry of
 * kernel/uapi/syscalls.def, generated here by the preprocessor (the stubs
 * behind them are generated the same way in userland/lib/syscalls.S), plus
 * the ABI's types and constants from uapi/canary.h (O_RDONLY, struct stat,
 * WIFEXITED ...).
 *
 * Return values: every function here returns the kernel's raw result.
 * There is no global errno.  A negative value is -errno:
 *
 *     long n = read(fd, buf, sizeof(buf));
 *     if (n < 0)
 *             dprintf(2, "read: %s\n", strerror(-n));
 *
 * Otherwise the value is the call's result: a byte count for read/write,
 * a file descriptor for open/dup, the child's pid (parent) or 0 (child)
 * for fork, the old break for sbrk, an address for mmap (use
 * MAP_FAILED_ERR(r) there: a high user address is not an error).
 *
 * exit(status) ends the process and never returns; there is no stdio
 * buffer to flush (printf writes at once), so it is the only exit().
 */
#ifndef CANARY_USER_UNISTD_H
#define CANARY_USER_UNISTD_H

#include "uapi/canary.h"

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* User pointers need no marking on this side: user code owns them. */
#define UPTR
#define SYSCALL(nr, name, rtype, params) rtype name params;
#include "uapi/syscalls.def"
#undef SYSCALL
#undef UPTR

/* The table says exit returns long, as every call does; it does not
 * return, and telling the compiler so silences "control reaches end of
 * non-void function" after a final exit(). */
extern __typeof__(exit) exit __attribute__((noreturn));

#endif
