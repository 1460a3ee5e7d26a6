/*
 * stackdepot.c - call stacks stored once, named by a 32-bit handle.
 *
 * The allocator records who allocated and who freed every object; most of
 * those stacks are the same few call paths, so each distinct stack is kept
 * once (Linux's lib/stackdepot.c) and an object only holds two handles.
 *
 *   depot_buckets[hash % N] -> record -> record -> 0     (chained by index)
 *   record = { hash, frame count, where its frames start in depot_frames }
 *
 * Everything is static: saving never allocates, so it works inside the
 * allocator and with interrupts off.  When the pool is full, new stacks are
 * dropped (handle 0, "stack is not available" in reports) and counted.
 * Lock: single CPU; interrupts are off while a record is added, because an
 * interrupt handler may allocate and save a stack of its own.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/x86.h"
#include "lib/ksym.h"
#include "lib/printk.h"
#include "lib/stackdepot.h"

#define STACKDEPOT_MAX_STACKS 4096	/* distinct stacks */
#define STACKDEPOT_POOL_FRAMES 32768	/* 256 KiB of return addresses */
#define STACKDEPOT_BUCKETS 1024		/* power of two */

struct depot_record {
	u32 hash;
	u32 next;	/* handle of the next record in the bucket, 0 = end */
	u32 start;	/* index of the first frame in depot_frames */
	u32 nr;		/* frames, 1..STACKDEPOT_MAX_FRAMES */
};

/* A handle is the record's index + 1, so that 0 can mean "none". */
static struct depot_record depot_records[STACKDEPOT_MAX_STACKS];
static u64 depot_frames[STACKDEPOT_POOL_FRAMES];
static u32 depot_buckets[STACKDEPOT_BUCKETS];	/* first handle, 0 = empty */
static u32 depot_nr_records, depot_nr_frames;
static u64 depot_dropped;			/* stacks lost to a full pool */

/*
 * The last stack saved through each call site, by its innermost return
 * address: the allocator saves two stacks per object (SAN=1), and the same
 * few paths repeat, so comparing with the last one usually finds the
 * handle without hashing or searching.  Like a TLB, it is only a shortcut:
 * a miss takes the full path and refills the entry.  Entries are written
 * with interrupts off; a reader that an interrupt handler's save overtook
 * sees `seq` change and takes the full path.
 */
#define DEPOT_CACHE_BITS 4
#define DEPOT_CACHE_SLOTS (1u << DEPOT_CACHE_BITS)

struct depot_cache_entry {
	u32 seq;		/* odd while being written */
	u32 nr;			/* frames, 0 = empty */
	depot_stack_handle_t handle;
	u64 frames[STACKDEPOT_MAX_FRAMES];
};

static struct depot_cache_entry depot_cache[DEPOT_CACHE_SLOTS];

/* A multiplicative hash of the return addresses, mixed once at the end
 * (splitmix64's finalizer): one multiply per frame, as this runs twice per
 * object with SAN=1.  Return addresses differ in their low bits, which the
 * multiply carries upwards and the finalizer brings back down. */
static u32 depot_hash(const u64 *entries, unsigned n)
{
	u64 h = n;

	for (unsigned i = 0; i < n; i++)
		h = (h ^ entries[i]) * 0x9e3779b97f4a7c15ULL;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (u32)(h ^ (h >> 31) ^ (h >> 32));
}

static bool depot_same(const struct depot_record *r, u32 hash, const u64 *entries, unsigned n)
{
	if (r->hash != hash || r->nr != n)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (depot_frames[r->start + i] != entries[i])
			return false;
	return true;
}

static depot_stack_handle_t depot_find(u32 bucket, u32 hash, const u64 *entries, unsigned n)
{
	for (u32 h = depot_buckets[bucket]; h; h = depot_records[h - 1].next)
		if (depot_same(&depot_records[h - 1], hash, entries, n))
			return h;
	return 0;
}

static depot_stack_handle_t stack_depot_save_slow(const u64 *entries, unsigned n);

depot_stack_handle_t stack_depot_save(const u64 *entries, unsigned n)
{
	if (n == 0)
		return 0;
	if (n > STACKDEPOT_MAX_FRAMES)
		n = STACKDEPOT_MAX_FRAMES;	/* the innermost frames matter most */

	/* Fibonacci hashing: call sites a few bytes apart get different slots. */
	struct depot_cache_entry *e =
		&depot_cache[(entries[0] * 0x9e3779b97f4a7c15ULL) >> (64 - DEPOT_CACHE_BITS)];
	u32 seq = e->seq;
	depot_stack_handle_t h = e->handle;

	__asm__ __volatile__("" ::: "memory");	/* read seq and handle first */
	if (e->nr == n && !(seq & 1)) {
		unsigned i = 0;

		while (i < n && e->frames[i] == entries[i])
			i++;
		__asm__ __volatile__("" ::: "memory");
		if (i == n && e->seq == seq)
			return h;
	}
	h = stack_depot_save_slow(entries, n);
	if (h) {
		u64 flags = irq_save();

		e->seq++;
		__asm__ __volatile__("" ::: "memory");
		e->nr = n;
		e->handle = h;
		for (unsigned i = 0; i < n; i++)
			e->frames[i] = entries[i];
		__asm__ __volatile__("" ::: "memory");
		e->seq++;
		irq_restore(flags);
	}
	return h;
}

static depot_stack_handle_t stack_depot_save_slow(const u64 *entries, unsigned n)
{
	u32 hash = depot_hash(entries, n);
	u32 bucket = hash & (STACKDEPOT_BUCKETS - 1);
	/* Almost every stack is there already.  Looking is safe with
	 * interrupts on: records are complete before they are linked in. */
	depot_stack_handle_t h = depot_find(bucket, hash, entries, n);

	if (h)
		return h;
	u64 flags = irq_save();

	/* Again: an interrupt handler may have added it meanwhile. */
	h = depot_find(bucket, hash, entries, n);
	if (!h) {
		if (depot_nr_records == STACKDEPOT_MAX_STACKS ||
		    depot_nr_frames + n > STACKDEPOT_POOL_FRAMES) {
			if (depot_dropped++ == 0)
				printk(KERN_WARNING "stackdepot: pool full, new stacks are not recorded\n");
			irq_restore(flags);
			return 0;
		}
		struct depot_record *r = &depot_records[depot_nr_records];

		r->hash = hash;
		r->nr = n;
		r->start = depot_nr_frames;
		for (unsigned i = 0; i < n; i++)
			depot_frames[depot_nr_frames + i] = entries[i];
		depot_nr_frames += n;
		h = ++depot_nr_records;
		/* Linked in last, once complete: a lookup never sees half a record. */
		r->next = depot_buckets[bucket];
		depot_buckets[bucket] = h;
	}
	irq_restore(flags);
	return h;
}

unsigned stack_depot_fetch(depot_stack_handle_t h, const u64 **entries)
{
	if (h == 0 || h > depot_nr_records) {
		*entries = NULL;
		return 0;
	}
	const struct depot_record *r = &depot_records[h - 1];

	*entries = &depot_frames[r->start];
	return r->nr;
}

/*
 * noinline: the walk starts at this function's own frame, so entry 0 is
 * the return address into our caller; skip drops that many more (the
 * allocator's own frames, say).
 */
__attribute__((noinline)) depot_stack_handle_t stack_depot_capture(unsigned skip)
{
	u64 addrs[STACKDEPOT_MAX_FRAMES + 8];
	int n = stack_walk(read_rbp(), addrs, (int)ARRAY_SIZE(addrs));

	if ((int)skip >= n)
		return 0;
	return stack_depot_save(addrs + skip, (unsigned)n - skip);
}

void stack_depot_print(depot_stack_handle_t h)
{
	const u64 *entries;
	unsigned n = stack_depot_fetch(h, &entries);
	char sym[128];

	if (!n) {
		printk(KERN_ERR "(stack is not available)\n");
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		ksym_snprint_return(sym, sizeof(sym), entries[i]);
		printk(KERN_ERR " %s\n", sym);
	}
}
