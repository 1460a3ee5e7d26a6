/*
 * kconfig.h - build-time switches.  The Makefile always defines each
 * CONFIG_ symbol to 0 or 1 (SAN=1, the default, turns the sanitizers on),
 * so code tests them with plain `if (CONFIG_KASAN)` and every branch is
 * compiled in both builds (no #ifdef in .c files).
 */
#ifndef CANARY_LIB_KCONFIG_H
#define CANARY_LIB_KCONFIG_H

#ifndef CONFIG_KASAN
#define CONFIG_KASAN 0		/* KASAN: shadow memory, redzones, quarantine */
#endif
#ifndef CONFIG_UBSAN
#define CONFIG_UBSAN 0		/* undefined-behaviour reports */
#endif
#ifndef CONFIG_STACKPROTECTOR
#define CONFIG_STACKPROTECTOR 0	/* canary in stack frames */
#endif
#ifndef CONFIG_SLAB_DEBUG
#define CONFIG_SLAB_DEBUG CONFIG_KASAN	/* per-object alloc/free tracks */
#endif

#endif
