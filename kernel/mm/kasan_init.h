/*
 * kasan_init.h - mapping KASAN's shadow memory (kasan_init.c, built only
 * with SAN=1; empty inlines otherwise).
 */
#ifndef CANARY_MM_KASAN_INIT_H
#define CANARY_MM_KASAN_INIT_H

#include "lib/kconfig.h"
#include "lib/types.h"

#if CONFIG_KASAN
/* Shadow for the direct map; after vm_init(), before pmm_init(). */
void kasan_init(void);
/* Map and register the shadow of [start, end). */
int kasan_map_shadow(u64 start, u64 end);
#else
static inline void kasan_init(void) {}
static inline int kasan_map_shadow(u64 start, u64 end) { (void)start, (void)end; return 0; }
#endif

#endif
