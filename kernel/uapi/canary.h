/*
 * canary.h - the types and constants of the system call interface, shared
 * word for word by the kernel and userland (uapi: "user API", as in Linux's
 * include/uapi).  Only fixed-width types, so both sides agree on layout.
 *
 * Userland includes it through <unistd.h>; the kernel through
 * proc/syscall.h.  Changing a structure here changes the ABI.
 */
#ifndef CANARY_UAPI_CANARY_H
#define CANARY_UAPI_CANARY_H

#include <stddef.h>
#include <stdint.h>

/* Error numbers: the kernel returns -E...; see errno.def. */
#define ERRNO(name, num, msg) enum { name = num };
#include "uapi/errno.def"
#undef ERRNO

/* The user half of the address space (the kernel's half starts at
 * 0xffff800000000000 and no user page can reach it). */
#define USER_BASE       0x400000ULL		/* lowest address a program may load at */
#define USER_TOP        0x00007ffffffff000ULL	/* first address above user space */
#define USER_STACK_TOP  0x00007ffffff00000ULL	/* initial stack pointer region */
#define USER_STACK_MAX  (1024ULL * 1024)	/* stack grows on demand, at most this */
#define USER_MMAP_BASE  0x0000100000000000ULL	/* anonymous mmap() hands out from here */

#define PATH_MAX   128		/* bytes, with the NUL */
#define ARG_MAX    4096		/* bytes of argv strings passed to exec */
#define ARGV_MAX   32		/* arguments passed to exec */
#define OPEN_MAX   16		/* file descriptors per process */
#define PROC_NAME_MAX 16

/* open() flags (Linux values).  The root file system lives in RAM: the
 * initrd is unpacked into it at boot, as Linux unpacks its initramfs, so
 * files can be created, written and removed (and vanish at power-off).
 * "/dev/console" and "/dev/null" are character devices. */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR   2
#define O_ACCMODE 3
#define O_CREAT  0100
#define O_TRUNC  01000
#define O_APPEND 02000

/* lseek() */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* mmap(): anonymous, private, demand-zero memory only. */
#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4
#define MAP_PRIVATE   0x02
#define MAP_ANONYMOUS 0x20
#define MAP_FAILED_ERR(r) ((unsigned long)(r) >= (unsigned long)-4095)

/* Signals kill() can send; a fault kills with SIGSEGV, SIGILL, SIGFPE. */
#define SIGILL  4
#define SIGFPE  8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGTERM 15
#define NSIG    32

/* waitpid() status words, encoded as Linux encodes them. */
#define WNOHANG 1
#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0)
#define WTERMSIG(s)    ((s) & 0x7f)

struct timespec {
	int64_t tv_sec;
	int64_t tv_nsec;	/* since boot: there is no real-time clock yet */
};

/* File types in struct stat and struct dirent. */
#define S_IFREG 1
#define S_IFDIR 2
#define S_IFCHR 3
#define S_IFIFO 4

struct stat {
	uint32_t type;		/* S_IF... */
	uint32_t mode;		/* permission bits from the archive */
	uint64_t size;		/* bytes */
};

struct dirent {
	uint32_t type;		/* S_IF... */
	uint32_t reserved;
	uint64_t size;
	char name[PATH_MAX];	/* relative to the directory */
};

/* One process, for ps (procinfo(index, ...): index 0, 1, ... until it
 * returns 0). */
struct procinfo {
	int32_t pid, ppid;
	char state;		/* R running/runnable, S sleeping, Z zombie */
	char reserved[3];
	uint32_t reserved2;
	uint64_t pages;		/* user pages mapped */
	uint64_t cpu_ticks;	/* timer ticks spent running */
	char name[PROC_NAME_MAX];
};

struct meminfo {
	uint64_t total_pages, free_pages;
	uint64_t slab_objects, slab_bytes;	/* live kmalloc objects */
	uint64_t page_size;
};

struct utsname {
	char sysname[16], release[16], machine[16];
};

#endif
