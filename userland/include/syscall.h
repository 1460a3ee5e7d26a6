/*
 * syscall.h - system calls by number, for programs that fuzz or test the
 * kernel's entry path itself: SYS_<name> for each entry of
 * kernel/uapi/syscalls.def (generated) and syscall(), which makes any call
 * with any six arguments (userland/lib/syscall.S), and SYS_COUNT.  Ordinary programs use
 * the named functions of <unistd.h>.  Like them, syscall() returns the raw
 * result: negative means -errno.
 */
#ifndef CANARY_USER_SYSCALL_H
#define CANARY_USER_SYSCALL_H

#define SYSCALL(nr, name, rtype, params) SYS_##name = nr,
enum {
#include "uapi/syscalls.def"
};
#undef SYSCALL

/* How many calls the table has; numbers are dense (the table only ever
 * appends), so SYS_COUNT is also the first invalid number. */
#define SYSCALL(nr, name, rtype, params) + 1
enum { SYS_COUNT = 0
#include "uapi/syscalls.def"
};
#undef SYSCALL

long syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

#endif
