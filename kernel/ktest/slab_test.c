/*
 * slab_test.c - kmalloc and typed caches on the running kernel: the
 * documented edge cases, junk and poison patterns, the leak check, and a
 * churn of a million random allocations that must leave nothing behind.
 */
#include "arch/x86_64/trap.h"
#include "ktest/ktest.h"
#include "lib/format.h"
#include "lib/kconfig.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

static void kmalloc_zero_and_impossible(struct ktest *t)
{
	char captured[512];

	KTEST_EXPECT(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	printk_capture_start(captured, sizeof(captured));
	KTEST_EXPECT(t, kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == NULL);
	KTEST_EXPECT(t, kmalloc((size_t)-1, GFP_KERNEL) == NULL);
	printk_capture_stop();
	KTEST_EXPECT(t, kmalloc_array((size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL) == NULL);
	KTEST_EXPECT(t, kcalloc((size_t)-1 / 2, 4, GFP_KERNEL) == NULL);
}

static void junk_zero_and_size(struct ktest *t)
{
	u8 *p = kmalloc(100, GFP_KERNEL);
	u8 *z = kzalloc(100, GFP_KERNEL);
	bool junk = true, zero = true;

	for (int i = 0; i < 100; i++) {
		junk &= p[i] == POISON_INUSE;
		zero &= z[i] == 0;
	}
	KTEST_EXPECT(t, junk);
	KTEST_EXPECT(t, zero);
	KTEST_EXPECT(t, ksize(p) >= 100);
	kfree(p);
	kfree(z);
}

struct widget {
	u32 magic;
	u32 uses;
	char name[24];
};

static void widget_ctor(void *obj)
{
	struct widget *w = obj;

	w->magic = 0x57494447;
	w->uses = 0;
}

static void typed_cache(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("widget", sizeof(struct widget), 8, widget_ctor);
	struct widget *w[40];

	KTEST_EXPECT(t, c != NULL);
	for (int i = 0; i < 40; i++) {
		w[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KTEST_EXPECT(t, w[i] && w[i]->magic == 0x57494447);
	}
	for (int i = 0; i < 40; i++)
		kmem_cache_free(c, w[i]);
	kasan_quarantine_drain();
	kmem_cache_destroy(c);
}

static u64 churn_rng = 0x9e3779b97f4a7c15ULL;

static u64 churn_next(void)
{
	churn_rng ^= churn_rng << 13;
	churn_rng ^= churn_rng >> 7;
	churn_rng ^= churn_rng << 17;
	return churn_rng;
}

/* A million random-size allocations and frees, 64 live at a time: after
 * the last free and a quarantine drain, every object and page is back. */
static void churn_leaves_nothing(struct ktest *t)
{
	enum { LIVE = 64, ROUNDS = 1000000 };
	void *live[LIVE] = { 0 };
	struct slab_stats before, after;

	kasan_quarantine_drain();
	slab_shrink();
	slab_get_stats(&before);
	u64 pages_before = pmm_free_pages();

	for (u32 i = 0; i < ROUNDS; i++) {
		u64 r = churn_next();
		unsigned slot = r % LIVE;
		/* Mostly small, sometimes up to 2 pages (large kmalloc). */
		size_t size = (r >> 8) % 16 ? 1 + (r >> 16) % 512 : 1 + (r >> 16) % 8192;

		kfree(live[slot]);
		live[slot] = kmalloc(size, GFP_KERNEL);
		if (!live[slot]) {
			KTEST_EXPECT(t, live[slot] != NULL);
			break;
		}
		((u8 *)live[slot])[size - 1] = (u8)i;
	}
	for (int i = 0; i < LIVE; i++)
		kfree(live[i]);
	kasan_quarantine_drain();
	slab_shrink();		/* caches give back the empty slab each keeps */
	slab_get_stats(&after);
	KTEST_EXPECT_EQ(t, after.objects_in_use, before.objects_in_use);
	KTEST_EXPECT_EQ(t, after.allocs - before.allocs, ROUNDS);
	KTEST_EXPECT_EQ(t, pmm_free_pages(), pages_before);
}

static void leak_check_names_the_leak(struct ktest *t)
{
	char captured[2048];

	slab_leak_begin();
	void *keep = kmalloc(40, GFP_KERNEL);
	void *gone = kmalloc(72, GFP_KERNEL);

	kfree(gone);
	printk_capture_start(captured, sizeof(captured));
	unsigned leaks = slab_leak_report();
	printk_capture_stop();
	KTEST_EXPECT_EQ(t, leaks, 1);
	char want[80];

	/* kmemleak prints the size of the object's slot (kmalloc-64 here). */
	ksnprintf(want, sizeof(want), "unreferenced object 0x%016llx (size %zu):",
		  (unsigned long long)(u64)keep, ksize(keep));
	KTEST_EXPECT_CONTAINS(t, captured, want);
	if (CONFIG_SLAB_DEBUG)
		KTEST_EXPECT_CONTAINS(t, captured, "leak_check_names_the_leak+0x");
	kfree(keep);
}

KTEST_SUITE(slab, "slab",
	    KTEST_CASE(kmalloc_zero_and_impossible),
	    KTEST_CASE(junk_zero_and_size),
	    KTEST_CASE(typed_cache),
	    KTEST_CASE(leak_check_names_the_leak));

/* Seconds of work under KASAN and TCG: run once, by name (run=ktest:churn). */
KTEST_MANUAL_SUITE(churn, "churn", KTEST_CASE(churn_leaves_nothing));
