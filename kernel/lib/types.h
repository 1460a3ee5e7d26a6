/*
 * Fixed-width types shared by the kernel and by the host builds of its pure
 * logic (tests/host).  Only freestanding headers are used, so this compiles
 * both with -ffreestanding and with a hosted libc.
 */
#ifndef CANARY_LIB_TYPES_H
#define CANARY_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* Physical and virtual addresses are kept apart by name: a paddr_t must go
 * through phys_to_virt() (arch/x86_64/mmu.h) before it is dereferenced. */
typedef u64 paddr_t;
typedef u64 vaddr_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __unused __attribute__((unused))
#define __packed __attribute__((packed))

#endif
