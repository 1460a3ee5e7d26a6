/*
 * kasan.h - the Kernel Address Sanitizer: the contract between the
 * compiler's instrumentation, the memory manager and the allocator.
 *
 * Every 8 bytes of kernel memory have one shadow byte at
 *     shadow(addr) = (addr >> 3) + KASAN_SHADOW_OFFSET
 * (the offset is also passed to GCC as -fasan-shadow-offset).  0 means all
 * 8 bytes are accessible, 1..7 that only the first N are, and the values
 * below mark why a granule is not (Linux's mm/kasan/kasan.h).
 *
 * Who does what:
 *   vm/kasan_init.c  maps zeroed shadow pages for each region that needs
 *                    them and calls kasan_register_shadow(); regions
 *                    without shadow are never checked (outline mode).
 *   mm/slab.c        calls the kasan_slab_* / kasan_kmalloc_large hooks.
 *   mm/kasan*.c      poisons, checks (__asan_load8_noabort & co.), keeps
 *                    the quarantine and prints Linux-format reports.
 *
 * With CONFIG_KASAN = 0 every hook below is an empty inline.
 */
#ifndef CANARY_MM_KASAN_H
#define CANARY_MM_KASAN_H

#include "lib/kconfig.h"
#include "lib/types.h"

#define KASAN_SHADOW_SCALE_SHIFT 3
#define KASAN_GRANULE_SIZE (1UL << KASAN_SHADOW_SCALE_SHIFT)
#define KASAN_SHADOW_OFFSET 0xdffffc0000000000ULL

/* Shadow byte values. */
#define KASAN_PAGE_FREE       0xff	/* a free page */
#define KASAN_PAGE_REDZONE    0xfe	/* past the end of a large kmalloc */
#define KASAN_SLAB_REDZONE    0xfc	/* slab redzone, or a slot never handed out */
#define KASAN_SLAB_FREE       0xfb	/* a freed slab object */
#define KASAN_SLAB_FREE_META  0xfa	/* the allocator's metadata */
#define KASAN_GLOBAL_REDZONE  0xf9
#define KASAN_VMALLOC_INVALID 0xf8
#define KASAN_STACK_LEFT      0xf1	/* written by GCC's stack instrumentation */
#define KASAN_STACK_MID       0xf2
#define KASAN_STACK_RIGHT     0xf3
#define KASAN_STACK_PARTIAL   0xf4
#define KASAN_ALLOCA_LEFT     0xca	/* (alloca redzones: GCC 12 emits none) */
#define KASAN_ALLOCA_RIGHT    0xcb

static inline u8 *kasan_mem_to_shadow(const void *addr)
{
	return (u8 *)(((u64)addr >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET);
}

struct kmem_cache;

/*
 * The report, in two halves so the host tests can check the text:
 * kasan.c gathers the facts about a bad access (symbols, stacks, the
 * object, the shadow around it) and kasan_format_report() (kasan_report.c,
 * pure) turns them into Linux's lines, one emit() call per line without
 * the newline.  Strings are borrowed from the caller for the call only.
 */
enum kasan_report_type {
	KASAN_REPORT_ACCESS,		/* a bad load or store */
	KASAN_REPORT_DOUBLE_FREE,	/* "Free of addr": freed twice */
	KASAN_REPORT_INVALID_FREE,	/* "Free of addr": not an object start */
};

#define KASAN_REPORT_TRACE_MAX 32	/* call-trace lines kept */
#define KASAN_META_ROWS 5		/* shadow rows shown: 2 above, guilty, 2 below */
#define KASAN_META_ROW_BYTES 16		/* shadow bytes per row (128 bytes of memory) */

/* Who allocated or freed an object, with the stack as printable frames. */
struct kasan_track_text {
	bool valid;			/* false: no such event recorded */
	int pid, cpu;
	u64 time_ns;			/* since boot */
	const char *const *frames;	/* "func+0xoff/0xsize", innermost first */
	unsigned depth;			/* 0: "(stack is not available)" */
};

struct kasan_report_facts {
	enum kasan_report_type type;
	const char *bug_type;		/* kasan_bug_type(), "double-free", ... */
	u64 addr;			/* the access, or the pointer freed */
	size_t size;			/* bytes accessed (0: unknown) */
	bool write;
	const char *ip;			/* "func+0xoff/0xsize" of the bad access */
	const char *comm;		/* current task, as "by task comm/pid" */
	int pid;
	const char *release;		/* kernel version for the CPU: line */
	const char *const *trace;	/* Call Trace lines, innermost first */
	unsigned trace_depth;

	/* The slab object (or large kmalloc) the address is in or near. */
	bool has_object;
	const char *cache_name;
	u64 object;
	size_t object_size;		/* the cache's object size */
	size_t region_size;		/* bytes described: requested if allocated */
	struct kasan_track_text alloc, free;

	const char *variable;		/* "name+0xoff/0xsize" of a global, or NULL */

	bool on_stack;			/* the address is in a kernel stack */
	const char *frame_func;		/* "func+0x0/0xsize" owning the frame, or NULL */
	u64 frame_offset;		/* addr - frame base */
	const char *frame_descr;	/* GCC's "n off size len name:line ..." or NULL */

	bool has_shadow;		/* the address is checked: show the shadow */
	u64 first_bad;			/* first bad byte: the guilty row and ^ */
	u64 meta_start;			/* memory address the first row covers */
	u8 meta[KASAN_META_ROWS][KASAN_META_ROW_BYTES];
	bool meta_valid[KASAN_META_ROWS];	/* row's shadow exists */
};

/* Linux's bug-type choice (mm/kasan/report_generic.c): shadow[0] is the
 * shadow byte of the first bad byte, shadow[1] the next one. */
const char *kasan_bug_type(u64 addr, size_t size, bool has_shadow, const u8 shadow[2]);
void kasan_format_report(const struct kasan_report_facts *f,
			 void (*emit)(void *ctx, const char *line), void *ctx);

enum kasan_mode {
	KASAN_MODE_REPORT,	/* print the report and go on (demos) */
	KASAN_MODE_PANIC,	/* panic after the first report */
};

#if CONFIG_KASAN
/* Map shadow for the kernel image before any instrumented code runs
 * (called from boot.S, before kmain). */
void kasan_early_init(void);
/* [start, end) now has zeroed, mapped shadow and may be checked. */
void kasan_register_shadow(u64 start, u64 end);
bool kasan_has_shadow(u64 addr, u64 size);
void kasan_set_mode(enum kasan_mode mode);
enum kasan_mode kasan_get_mode(void);
/* Reports printed since boot (tests compare counts). */
u64 kasan_report_count(void);

void kasan_poison(const void *addr, size_t size, u8 value);	/* size: multiple of 8 */
void kasan_unpoison(const void *addr, size_t size);		/* any size */
/* Check an access made by uninstrumented code (memcpy, memset, ...).
 * ip is the caller's return address, (u64)__builtin_return_address(0),
 * so the report names the function that called memcpy.  Returns false if
 * the range is bad (already reported): Linux's memcpy then copies nothing. */
bool kasan_check_range(const void *addr, size_t size, bool write, u64 ip);
/* Print a report for a bad access (the __asan_* hooks end here). */
void kasan_report(u64 addr, size_t size, bool write, u64 ip);
void kasan_report_double_free(const void *ptr, u64 ip);

/* Allocator hooks. */
void kasan_poison_new_slab(void *start, size_t bytes);
void kasan_slab_alloc(struct kmem_cache *c, void *obj, size_t requested);
/* obj must be the start of one of c's slots (the allocator checks).
 * true: KASAN keeps the object (quarantine) or the free was bad and is
 * reported; the allocator must not put it back on its free list now. */
bool kasan_slab_free(struct kmem_cache *c, void *obj, u64 ip);
void kasan_report_invalid_free(const void *ptr, u64 ip);
void kasan_kmalloc_large(const void *ptr, size_t requested, size_t bytes);
bool kasan_kfree_large(const void *ptr, size_t bytes, u64 ip);
/* Give quarantined objects back to the allocator (memory pressure, tests). */
void kasan_quarantine_drain(void);
#else
static inline void kasan_early_init(void) {}
static inline void kasan_register_shadow(u64 start, u64 end) { (void)start, (void)end; }
static inline bool kasan_has_shadow(u64 addr, u64 size) { (void)addr, (void)size; return false; }
static inline void kasan_set_mode(enum kasan_mode mode) { (void)mode; }
static inline enum kasan_mode kasan_get_mode(void) { return KASAN_MODE_REPORT; }
static inline u64 kasan_report_count(void) { return 0; }
static inline void kasan_poison(const void *a, size_t s, u8 v) { (void)a, (void)s, (void)v; }
static inline void kasan_unpoison(const void *a, size_t s) { (void)a, (void)s; }
static inline bool kasan_check_range(const void *a, size_t s, bool w, u64 ip)
{
	(void)a, (void)s, (void)w, (void)ip;
	return true;
}
static inline void kasan_poison_new_slab(void *s, size_t b) { (void)s, (void)b; }
static inline void kasan_slab_alloc(struct kmem_cache *c, void *o, size_t r) { (void)c, (void)o, (void)r; }
static inline bool kasan_slab_free(struct kmem_cache *c, void *o, u64 ip)
{
	(void)c, (void)o, (void)ip;
	return false;
}
static inline void kasan_report_invalid_free(const void *p, u64 ip) { (void)p, (void)ip; }
static inline void kasan_kmalloc_large(const void *p, size_t r, size_t b) { (void)p, (void)r, (void)b; }
static inline bool kasan_kfree_large(const void *p, size_t b, u64 ip)
{
	(void)p, (void)b, (void)ip;
	return false;
}
static inline void kasan_quarantine_drain(void) {}
#endif

#endif
