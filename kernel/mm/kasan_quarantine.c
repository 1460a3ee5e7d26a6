/*
 * kasan_quarantine.c - KASAN's side of the allocator: poisoning objects as
 * they are handed out and freed, catching bad frees, and the quarantine.
 *
 * slab.c calls the hooks declared in mm/kasan.h:
 *
 *   new slab            kasan_poison_new_slab   all 0xfc (redzone) until used
 *   kmalloc(123) from   kasan_slab_alloc        123 bytes valid, the rest of
 *     kmalloc-128                               the 128 stays 0xfc
 *   kfree(p)            kasan_slab_free         checks, poisons 0xfb, and
 *                                               keeps the object here
 *   > 4 KiB             kasan_kmalloc_large / kasan_kfree_large (0xfe, 0xff)
 *
 * Why a quarantine: if a freed object were reused at once, a dangling
 * pointer would point into a live object again and its accesses would look
 * valid.  Freed objects therefore wait in a FIFO, poisoned, until
 * KASAN_QUARANTINE_BYTES of newer frees have pushed them out; only then
 * does slab_free_quarantined() really free them.  Large allocations skip
 * the quarantine: their pages go back at once (poisoned 0xff until the
 * page allocator hands them out again), which keeps memory use bounded at
 * the cost of catching fewer late use-after-frees of big buffers.
 *
 * Lock: single CPU; the FIFO is changed with interrupts off, since
 * interrupt handlers may free memory.  Never instrumented.
 */
#include "arch/x86_64/x86.h"
#include "mm/kasan.h"
#include "mm/slab.h"

#define KASAN_QUARANTINE_BYTES (256 * 1024)	/* freed bytes held back */
#define KASAN_QUARANTINE_OBJECTS 4096		/* ring slots */

struct kasan_qentry {
	struct kmem_cache *cache;	/* where the object goes back to */
	void *object;			/* owned by the quarantine until evicted */
	size_t size;			/* its object size, for the byte budget */
};

static struct kasan_qentry kasan_quarantine[KASAN_QUARANTINE_OBJECTS];
static unsigned kasan_q_head;	/* oldest entry */
static unsigned kasan_q_count;
static size_t kasan_q_bytes;	/* sum of the entries' sizes */

/* Is the object's first byte usable?  Freed objects read 0xfb. */
static bool kasan_byte_accessible(const void *p)
{
	s8 v = *(const s8 *)kasan_mem_to_shadow(p);

	return v >= 0 && v < (s8)KASAN_GRANULE_SIZE;
}

static void kasan_poison_tail(const void *obj, size_t requested, size_t size, u8 value)
{
	size_t valid = ALIGN_UP(requested, KASAN_GRANULE_SIZE);

	if (size > valid)
		kasan_poison((const u8 *)obj + valid, size - valid, value);
}

void kasan_poison_new_slab(void *start, size_t bytes)
{
	kasan_poison(start, bytes, KASAN_SLAB_REDZONE);
}

void kasan_slab_alloc(struct kmem_cache *c, void *obj, size_t requested)
{
	kasan_unpoison(obj, requested);
	/* The slack between what was asked for and the size class is a
	 * redzone: kmalloc(123) may not touch byte 123 of its 128. */
	kasan_poison_tail(obj, requested, ALIGN_UP(kmem_cache_size(c), KASAN_GRANULE_SIZE),
			  KASAN_SLAB_REDZONE);
}

/* Give the oldest object back to its cache. */
static void kasan_quarantine_evict_one(void)
{
	struct kasan_qentry e = kasan_quarantine[kasan_q_head];

	kasan_q_head = (kasan_q_head + 1) % KASAN_QUARANTINE_OBJECTS;
	kasan_q_count--;
	kasan_q_bytes -= e.size;
	slab_free_quarantined(e.cache, e.object);
}

static void kasan_quarantine_put(struct kmem_cache *c, void *obj, size_t size)
{
	u64 flags = irq_save();

	while (kasan_q_count &&
	       (kasan_q_count == KASAN_QUARANTINE_OBJECTS || kasan_q_bytes + size > KASAN_QUARANTINE_BYTES))
		kasan_quarantine_evict_one();
	kasan_quarantine[(kasan_q_head + kasan_q_count) % KASAN_QUARANTINE_OBJECTS] =
		(struct kasan_qentry){ c, obj, size };
	kasan_q_count++;
	kasan_q_bytes += size;
	irq_restore(flags);
}

void kasan_quarantine_drain(void)
{
	u64 flags = irq_save();

	while (kasan_q_count)
		kasan_quarantine_evict_one();
	irq_restore(flags);
}

/*
 * The order of the checks is Linux's (__kasan_slab_free): a pointer that
 * is not the start of an object is an invalid free even if that memory is
 * free - slab.c has checked that before calling here, so obj is a slot
 * start of c - and only then does a poisoned first byte mean "freed
 * already".  The "Freed by" track is recorded for a good free only, so
 * that after a double free it still shows the first one.
 */
bool kasan_slab_free(struct kmem_cache *c, void *obj, u64 ip)
{
	size_t size = kmem_cache_size(c);

	if (!kasan_has_shadow((u64)obj, 1))
		return false;		/* not checked: the allocator frees as usual */
	if (!kasan_byte_accessible(obj)) {
		kasan_report_double_free(obj, ip);
		return true;
	}
	slab_record_free(c, obj);
	kasan_poison(obj, ALIGN_UP(size, KASAN_GRANULE_SIZE), KASAN_SLAB_FREE);
	kasan_quarantine_put(c, obj, size);
	return true;
}

void kasan_kmalloc_large(const void *ptr, size_t requested, size_t bytes)
{
	kasan_unpoison(ptr, requested);
	kasan_poison_tail(ptr, requested, bytes, KASAN_PAGE_REDZONE);
}

bool kasan_kfree_large(const void *ptr, size_t bytes, u64 ip)
{
	struct kmem_obj_info info;

	if (!kasan_has_shadow((u64)ptr, 1))
		return false;
	if (kmem_obj_lookup(ptr, &info) && info.object != ptr) {
		kasan_report_invalid_free(ptr, ip);
		return true;
	}
	if (!kasan_byte_accessible(ptr)) {
		kasan_report_double_free(ptr, ip);
		return true;
	}
	kasan_poison(ptr, ALIGN_UP(bytes, KASAN_GRANULE_SIZE), KASAN_PAGE_FREE);
	return false;
}
