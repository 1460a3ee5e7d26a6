/*
 * slab_debug.c - what the slab allocator knows about its objects and how it
 * tells: the per-object tracks (CONFIG_SLAB_DEBUG) and the checks that use
 * them - double free, poison overwritten after free, a corrupted free
 * list - reported in SLUB's words; kmem_obj_lookup() for KASAN's reports;
 * statistics; and the leak check in kmemleak's format.
 *
 * Like slab.c, built without -fsanitize: it reads the tracks and contents
 * of poisoned objects.  Lock: none yet (see slab.c).
 */
#include "lib/current.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/kasan.h"
#include "mm/slab_internal.h"

/* Tracks store the clock's raw reading (the TSC in the kernel): two
 * allocator calls per object read it, and converting to nanoseconds costs
 * divisions that only a report needs. */
static u64 (*slab_clock)(void);
static u64 (*slab_clock_ns)(u64 stamp);
static unsigned slab_hz = 100;
static u64 slab_invalid_frees;

void slab_set_clock(u64 (*now)(void), u64 (*to_ns)(u64 stamp), unsigned hz)
{
	slab_clock = now;
	slab_clock_ns = to_ns;
	slab_hz = hz;
}

static u64 slab_stamp(void)
{
	return slab_clock ? slab_clock() : 0;
}

static u64 slab_stamp_ns(u64 stamp)
{
	return slab_clock_ns ? slab_clock_ns(stamp) : 0;
}

static u64 slab_jiffies(u64 ns)
{
	return slab_hz ? ns / (1000000000ULL / slab_hz) : 0;
}

/* One row of Linux's print_hex_dump(..., 16, 1, ..., true):
 * "6b 6b ... 6b  kkkkkkkkkkkkkkkk", the text column at 49. */
static void slab_hex_row(char *buf, size_t size, const u8 *p, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += (size_t)ksnprintf(buf + len, size - len, i + 1 < n ? "%02x " : "%02x", p[i]);
	while (len < 16 * 3 + 1 && len + 1 < size)
		buf[len++] = ' ';
	for (size_t i = 0; i < n && len + 1 < size; i++)
		buf[len++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '.';
	buf[len] = '\0';
}

/* kmemleak's checksum of an object's contents: crc32_le(0, p, n). */
static u32 slab_crc32(const u8 *p, size_t n)
{
	u32 crc = 0;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return crc;
}

/* ------------------------------------------------------------ reports */

/* Is this frame the allocator's own (the stacks start inside it)? */
static bool slab_own_frame(const char *sym)
{
	static const char *const prefixes[] = {
		"slab_", "kmalloc", "kzalloc", "kcalloc", "kfree", "kmem_cache_",
	};

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(sym, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* SLUB's "Allocated in <caller> age=... cpu=... pid=..." and the stack. */
static void slab_print_track(const char *what, depot_stack_handle_t h, u64 stamp, int pid)
{
	const u64 *entries;
	unsigned n = stack_depot_fetch(h, &entries);
	char where[96] = "?";

	if (!h)
		return;
	for (unsigned i = 0; i < n; i++) {
		ksym_snprint_return(where, sizeof(where), entries[i]);
		if (!slab_own_frame(where))
			break;
	}
	pr_err("%s in %s age=%llu cpu=0 pid=%d\n", what, where,
	       (unsigned long long)slab_jiffies(slab_stamp_ns(slab_stamp() - stamp)), pid);
	stack_depot_print(h);
}

void slab_report_object(struct kmem_cache *c, struct page *slab, void *obj,
			const char *title, const char *detail)
{
	char *base = page_address(slab);
	const u8 *p = obj;

	pr_err("=============================================================================\n");
	pr_err("BUG %s (Not tainted): %s\n", c->name, title);
	pr_err("-----------------------------------------------------------------------------\n\n");
	if (detail)
		pr_err("%s\n", detail);
	if (CONFIG_SLAB_DEBUG) {
		struct slab_track *t = slab_track(c, obj);

		slab_print_track("Allocated", t->alloc_stack, t->alloc_stamp, t->alloc_pid);
		slab_print_track("Freed", t->free_stack, t->free_stamp, t->free_pid);
	}
	pr_err("Slab 0x%016llx objects=%u used=%u fp=0x%016llx flags=0x%x\n",
	       (unsigned long long)(u64)slab, c->objects, slab->inuse,
	       (unsigned long long)(u64)slab->freelist, slab->flags);
	pr_err("Object 0x%016llx @offset=%u fp=0x%016llx\n\n", (unsigned long long)(u64)obj,
	       (unsigned)((char *)obj - base), (unsigned long long)(u64)*slab_fp(c, obj));
	for (u32 i = 0; i < MIN(c->object_size, 64u); i += 16) {
		char row[80];

		slab_hex_row(row, sizeof(row), p + i, MIN(c->object_size - i, 16u));
		pr_err("Object   %016llx: %s\n", (unsigned long long)(u64)(p + i), row);
	}
	pr_err("CPU: 0 PID: %d Comm: %s Not tainted\n", current_pid(), current_comm());
	pr_err("Call Trace:\n");
	stack_depot_print(stack_depot_capture(0));
}

void slab_invalid_free(const void *p, u64 ip, const char *why)
{
	char caller[96];

	slab_invalid_frees++;
	if (CONFIG_KASAN) {
		kasan_report_invalid_free(p, ip);
		return;
	}
	ksym_snprint_return(caller, sizeof(caller), ip);
	pr_warn("kfree: invalid pointer %016llx (%s), called from %s\n",
		(unsigned long long)(u64)p, why, caller);
}

/* ------------------------------------------------------------ tracks */

void *slab_debug_check_next(struct kmem_cache *c, struct page *slab, void *obj, void *next)
{
	char detail[128];

	if (!next || (slab_base(c, next) == slab_base(c, obj) && slab_obj_index(c, next) >= 0 &&
		      slab_track(c, next)->state != SLAB_TRACK_ALLOCATED))
		return next;
	ksnprintf(detail, sizeof(detail),
		  "Free pointer 0x%016llx of free object 0x%016llx is not a free object of this slab",
		  (unsigned long long)(u64)next, (unsigned long long)(u64)obj);
	slab_report_object(c, slab, obj, "Freepointer corrupt", detail);
	pr_err("FIX %s: Isolate corrupted freechain\n", c->name);
	return NULL;	/* the free objects after obj are lost, not handed out twice */
}

/* A freed object's poison must still be intact when it is reused: if not,
 * someone wrote to it after kfree (SLUB's "Poison overwritten"). */
static void slab_check_poison(struct kmem_cache *c, struct page *slab, void *obj)
{
	const u8 *p = obj;
	const slab_word_t *w = obj;
	const u64 pat = SLAB_PATTERN(POISON_FREE);
	u32 end = c->fill_size, words = end / 8, first, last;
	char detail[128];

	/* Whole words (fill_size is a multiple of 8), four per test while the
	 * poison holds: this runs on every allocation, and bytes one by one
	 * would be 1016 compares for a 1 KiB object.  Then the exact place. */
	for (first = 1; first + 4 <= words; first += 4)
		if ((w[first] ^ pat) | (w[first + 1] ^ pat) | (w[first + 2] ^ pat) |
		    (w[first + 3] ^ pat))
			break;
	for (; first < words && w[first] == pat; first++)
		;
	if (first == words)
		return;
	for (first *= 8; p[first] == POISON_FREE; first++)
		;
	for (last = end - 1; p[last] == POISON_FREE; last--)
		;
	ksnprintf(detail, sizeof(detail), "0x%016llx-0x%016llx @offset=%u. First byte 0x%x instead of 0x%x",
		  (unsigned long long)(u64)(p + first), (unsigned long long)(u64)(p + last), first,
		  p[first], POISON_FREE);
	slab_report_object(c, slab, obj, "Poison overwritten", detail);
	pr_err("FIX %s: Restoring Poison 0x%016llx-0x%016llx=0x%x\n", c->name,
	       (unsigned long long)(u64)(p + first), (unsigned long long)(u64)(p + last), POISON_FREE);
}

void slab_debug_alloc(struct kmem_cache *c, struct page *slab, void *obj, size_t requested)
{
	struct slab_track *t = slab_track(c, obj);

	if (c->poison)
		slab_check_poison(c, slab, obj);
	t->state = SLAB_TRACK_ALLOCATED;
	t->requested = (u32)requested;
	t->seq = ++slab_alloc_seq;
	t->alloc_stack = stack_depot_capture(0);
	t->alloc_pid = current_pid();
	t->alloc_stamp = slab_stamp();
	t->free_stack = 0;
	t->free_pid = 0;
	t->free_stamp = 0;
	/* Two words: current_comm() promises TASK_COMM_LEN bytes. */
	((slab_word_t *)t->comm)[0] = ((const slab_word_t *)current_comm())[0];
	((slab_word_t *)t->comm)[1] = ((const slab_word_t *)current_comm())[1];
}

bool slab_debug_check_free(struct kmem_cache *c, struct page *slab, void *obj, u64 ip)
{
	struct slab_track *t = slab_track(c, obj);
	char detail[96];

	if (t->state == SLAB_TRACK_FREE || t->state == SLAB_TRACK_NEW) {
		slab_invalid_frees++;
		if (CONFIG_KASAN) {	/* KASAN's double-free report, from the shadow */
			kasan_slab_free(c, obj, ip);
			return false;
		}
		slab_report_object(c, slab, obj, "Object already free", NULL);
		pr_err("FIX %s: Object at 0x%016llx not freed\n", c->name, (unsigned long long)(u64)obj);
		return false;
	}
	if (t->state != SLAB_TRACK_ALLOCATED) {
		/* Most likely the object's own user wrote past its end; the
		 * free goes ahead (the object was very likely allocated). */
		ksnprintf(detail, sizeof(detail), "Track state 0x%08x at offset %u: a write past the object?",
			  t->state, c->track_offset);
		slab_report_object(c, slab, obj, "Object tracking data overwritten", detail);
	}
	return true;
}

void slab_record_free(struct kmem_cache *c, void *obj)
{
	if (!CONFIG_SLAB_DEBUG)
		return;
	struct slab_track *t = slab_track(c, obj);

	t->state = SLAB_TRACK_FREE;
	t->free_stack = stack_depot_capture(0);
	t->free_pid = current_pid();
	t->free_stamp = slab_stamp();
}

/* Without tracks: obj is free if it is on its slab's free list. */
static bool slab_on_freelist(struct kmem_cache *c, struct page *slab, void *obj)
{
	/* The active slab's free objects are on the cache's list. */
	void *p = slab == c->active ? c->freelist : slab->freelist;

	for (u32 n = 0; p && n < c->objects; n++) {
		if (p == obj)
			return true;
		if (slab_base(c, p) != page_address(slab) || slab_obj_index(c, p) < 0)
			return false;	/* a corrupted list: stop following it */
		p = *slab_fp(c, p);
	}
	return false;
}

bool kmem_obj_lookup(const void *addr, struct kmem_obj_info *info)
{
	struct page *pg = virt_to_page(addr), *head;

	*info = (struct kmem_obj_info){ 0 };
	if (!pg || pg->magic != PAGE_MAGIC)
		return false;
	head = page_block_head(pg);
	if (!head || head->magic != PAGE_MAGIC)
		return false;
	if (head->flags & PG_slab) {
		struct kmem_cache *c = head->slab_cache;

		if (!slab_cache_valid(c))
			return false;
		char *base = page_address(head);
		u64 idx = (u64)((const char *)addr - base) / c->size;
		void *obj = base + MIN(idx, (u64)c->objects - 1) * c->size;

		info->cache_name = c->name;
		info->object = obj;
		info->object_size = c->object_size;
		if (CONFIG_SLAB_DEBUG) {
			struct slab_track *t = slab_track(c, obj);

			info->allocated = t->state == SLAB_TRACK_ALLOCATED;
			info->requested = t->requested;
			info->alloc_stack = t->alloc_stack;
			info->free_stack = t->free_stack;
			info->alloc_pid = t->alloc_pid;
			info->free_pid = t->free_pid;
			info->alloc_time_ns = slab_stamp_ns(t->alloc_stamp);
			info->free_time_ns = t->free_stamp ? slab_stamp_ns(t->free_stamp) : 0;
		} else {
			info->allocated = !slab_on_freelist(c, head, obj);
		}
		return true;
	}
	if (head->flags & PG_large_kmalloc) {
		info->cache_name = "kmalloc-large";
		info->object = page_address(head);
		info->object_size = PAGE_SIZE << head->order;
		info->requested = head->large_size;
		info->allocated = true;
		info->alloc_stack = head->large_stack;
		return true;
	}
	return false;
}

/* ------------------------------------------------------------ statistics */

void slab_get_stats(struct slab_stats *st)
{
	struct kmem_cache *c;

	*st = (struct slab_stats){ 0 };
	list_for_each_entry(c, &slab_caches, list) {
		st->objects_in_use += c->allocs - c->frees;
		st->bytes_in_use += (c->allocs - c->frees) * c->object_size;
		st->pages += c->nr_slabs << c->order;
		st->allocs += c->allocs;
		st->frees += c->frees;
	}
	st->objects_in_use += slab_large_allocs - slab_large_frees;
	st->bytes_in_use += slab_large_pages * PAGE_SIZE;
	st->pages += slab_large_pages;
	st->allocs += slab_large_allocs;
	st->frees += slab_large_frees;
	st->invalid_frees = slab_invalid_frees;
}

void slab_print_caches(void)
{
	struct kmem_cache *c;

	/* /proc/slabinfo's first columns. */
	pr_info("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>\n");
	list_for_each_entry(c, &slab_caches, list)
		pr_info("%-17s %13llu %10llu %9u %12u %14u\n", c->name,
			(unsigned long long)(c->allocs - c->frees),
			(unsigned long long)(c->nr_slabs * c->objects), c->object_size, c->objects,
			1u << c->order);
	pr_info("kmalloc-large: %llu in use, %llu pages\n",
		(unsigned long long)(slab_large_allocs - slab_large_frees),
		(unsigned long long)slab_large_pages);
}

/* ------------------------------------------------------------ leak check */

/*
 * With tracks, an object is new to the leak check if its allocation
 * sequence number is above the mark.  Without them, slab_leak_begin()
 * takes a snapshot instead: one bit per slot of every existing slab, set
 * for the objects allocated then (the leak_old bitmaps, in one block of
 * pages), cleared when such an object is freed (slab_leak_forget).  An
 * allocated object whose bit is clear, or in a slab made later, is new.
 */
static void *leak_snapshot;		/* the bitmaps' pages, or NULL */
static unsigned leak_snapshot_order;

/*
 * Set a bit for each object on slab's free list.  Returns false if the
 * list is corrupted - it leaves the slab, loops, or does not hold every
 * object that is not in use - which without tracks is how a double free
 * or a write after free shows; the bitmap then means nothing.
 */
static bool slab_free_bitmap(struct kmem_cache *c, struct page *slab, u64 *bits)
{
	char *base = page_address(slab);
	void *p = slab->freelist;
	u32 n = 0;

	for (u32 i = 0; i < (c->objects + 63) / 64; i++)
		bits[i] = 0;
	for (; p; n++) {
		if (n == c->objects || slab_base(c, p) != base || slab_obj_index(c, p) < 0)
			return false;
		u32 i = (u32)slab_obj_index(c, p);

		if (bits[i / 64] & (1ULL << (i % 64)))
			return false;	/* a loop: an object freed twice */
		bits[i / 64] |= 1ULL << (i % 64);
		p = *slab_fp(c, p);
	}
	return n == c->objects - slab->inuse;
}

static bool slab_bit(const u64 *bits, u32 i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

/* Drop the snapshot; returns the bitmap words a new one would need. */
static u64 slab_leak_drop_snapshot(void)
{
	struct kmem_cache *c;
	struct page *slab;
	u64 words = 0;

	list_for_each_entry(c, &slab_caches, list) {
		list_for_each_entry(slab, &c->partial, lru)
			slab->leak_old = NULL;
		list_for_each_entry(slab, &c->full, lru)
			slab->leak_old = NULL;
		words += c->nr_slabs * ((c->objects + 63) / 64);
	}
	if (leak_snapshot)
		free_pages(leak_snapshot, leak_snapshot_order);
	leak_snapshot = NULL;
	return words;
}

static void slab_leak_snapshot(void)
{
	struct kmem_cache *c;
	struct page *slab;
	struct list_head *lists[2];
	u64 words = slab_leak_drop_snapshot();

	for (leak_snapshot_order = 0; (PAGE_SIZE << leak_snapshot_order) < words * 8;)
		leak_snapshot_order++;
	if (words && !(leak_snapshot = alloc_pages(leak_snapshot_order))) {
		pr_warn("kmemleak: no memory for the snapshot: every object counts as new\n");
		return;
	}
	u64 *next = leak_snapshot;

	list_for_each_entry(c, &slab_caches, list) {
		lists[0] = &c->partial, lists[1] = &c->full;
		for (int l = 0; l < 2; l++)
			list_for_each_entry(slab, lists[l], lru) {
				bool ok = slab_free_bitmap(c, slab, next);

				/* Not free: allocated (all of a corrupted slab, so
				 * that none of it is reported). */
				for (u32 i = 0; i < (c->objects + 63) / 64; i++)
					next[i] = ok ? ~next[i] : ~0ULL;
				slab->leak_old = next;
				next += (c->objects + 63) / 64;
			}
	}
}

void slab_debug_init(void)
{
	leak_snapshot = NULL;	/* its pages went with the old state */
	slab_invalid_frees = 0;
}

void slab_leak_begin(void)
{
	slab_deactivate_all();	/* every slab on a list, its count exact */
	slab_leak_mark_seq = slab_alloc_seq;
	if (!CONFIG_SLAB_DEBUG)
		slab_leak_snapshot();
}

void slab_leak_end(void)
{
	slab_deactivate_all();
	slab_leak_mark_seq = 0;
	slab_leak_drop_snapshot();
}

/* One object in kmemleak's format. */
static void slab_print_unreferenced(const void *obj, size_t size, const char *comm, int pid,
				    u64 time_ns, depot_stack_handle_t stack)
{
	const u8 *p = obj;
	size_t dump = MIN(size, (size_t)32);

	pr_warn("unreferenced object 0x%016llx (size %zu):\n", (unsigned long long)(u64)obj, size);
	pr_warn("  comm \"%s\", pid %d, jiffies %llu\n", comm, pid,
		(unsigned long long)slab_jiffies(time_ns));
	pr_warn("  hex dump (first %zu bytes):\n", dump);
	for (size_t i = 0; i < dump; i += 16) {
		char row[80];

		slab_hex_row(row, sizeof(row), p + i, MIN(dump - i, (size_t)16));
		pr_warn("    %s\n", row);
	}
	if (!CONFIG_SLAB_DEBUG) {
		pr_warn("  backtrace: (no allocation tracking in this build)\n");
		return;
	}
	const u64 *entries;
	unsigned n = stack_depot_fetch(stack, &entries);

	pr_warn("  backtrace (crc %x):\n", slab_crc32(p, size));
	for (unsigned i = 0; i < n; i++) {
		char sym[96];

		ksym_snprint_return(sym, sizeof(sym), entries[i]);
		pr_warn("    [<%016llx>] %s\n", (unsigned long long)entries[i], sym);
	}
}

/* Report the objects of one slab allocated since the mark. */
static unsigned slab_leak_scan(struct kmem_cache *c, struct page *slab)
{
	char *base = page_address(slab);
	u64 free_bits[SLAB_MAX_OBJECTS / 64];
	unsigned n = 0;

	if (!CONFIG_SLAB_DEBUG && !slab_free_bitmap(c, slab, free_bits)) {
		pr_warn("kmemleak: free list of slab 0x%016llx in %s is corrupted (double free? write after free?): its objects are not checked\n",
			(unsigned long long)(u64)base, c->name);
		return 0;
	}
	for (u32 i = 0; i < c->objects; i++) {
		void *obj = base + (u64)i * c->size;
		struct slab_track *t = slab_track(c, obj);

		if (CONFIG_SLAB_DEBUG) {
			char comm[sizeof(t->comm)];

			if (t->state != SLAB_TRACK_ALLOCATED || t->seq <= slab_leak_mark_seq)
				continue;
			/* A copy: the track is KASAN-poisoned, and printk is checked. */
			for (size_t k = 0; k < sizeof(comm); k++)
				comm[k] = t->comm[k];
			comm[sizeof(comm) - 1] = '\0';
			slab_print_unreferenced(obj, c->object_size, comm, t->alloc_pid,
						slab_stamp_ns(t->alloc_stamp), t->alloc_stack);
		} else {
			if (slab_bit(free_bits, i) || (slab->leak_old && slab_bit(slab->leak_old, i)))
				continue;
			/* Not recorded without tracks: the boot task, jiffies 0. */
			slab_print_unreferenced(obj, c->object_size, current_comm(), current_pid(), 0, 0);
		}
		n++;
	}
	return n;
}

unsigned slab_leak_report(void)
{
	struct kmem_cache *c;
	struct page *pg;
	unsigned n = 0;

	if (!CONFIG_SLAB_DEBUG)
		kasan_quarantine_drain();	/* quarantined objects are freed ones */
	slab_deactivate_all();
	list_for_each_entry(c, &slab_caches, list) {
		list_for_each_entry(pg, &c->partial, lru)
			n += slab_leak_scan(c, pg);
		list_for_each_entry(pg, &c->full, lru)
			n += slab_leak_scan(c, pg);
	}
	/* Large allocations carry their sequence number in their struct page
	 * (but not the task or the time: the boot task, jiffies 0). */
	list_for_each_entry(pg, &slab_large_list, lru)
		if (pg->large_seq > slab_leak_mark_seq) {
			slab_print_unreferenced(page_address(pg), pg->large_size, current_comm(),
						current_pid(), 0, pg->large_stack);
			n++;
		}
	if (n)
		pr_warn("kmemleak: %u new suspected memory leaks\n", n);
	return n;
}
