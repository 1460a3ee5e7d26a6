/*
 * syscall.h - the kernel side of the system call table: one prototype per
 * entry of uapi/syscalls.def, generated from it.  Each sys_<name> is
 * implemented by the subsystem it belongs to (proc/, fs/) and returns a
 * value or a negative errno.  The dispatcher (syscall.c) calls entry
 * number rax with the six argument registers.
 */
#ifndef CANARY_PROC_SYSCALL_H
#define CANARY_PROC_SYSCALL_H

#include "lib/types.h"
#include "proc/uaccess.h"
#include "uapi/canary.h"

#define UPTR __user
#define SYSCALL(nr, name, rtype, params) rtype sys_##name params;
#include "uapi/syscalls.def"
#undef SYSCALL
#undef UPTR

/* "ENOENT (no such file or directory)" for -ENOENT: for kernel messages. */
const char *errno_text(long err);
/* The name of system call nr, or "?". */
const char *syscall_name(u64 nr);
/* syscall_entry's C half: run the call the registers in tf ask for. */
struct trap_frame;
void syscall_dispatch(struct trap_frame *tf);

#endif
