/*
 * lockdep.c - the lock validator (lockdep.h), after Linux's
 * kernel/locking/lockdep.c, small enough to read in one sitting.
 *
 * Classes.  A lock's class is its struct lock_class_key, a static object at
 * the place the lock was initialised: all locks initialised there are one
 * class ("&q->lock"), however many there are.  A class gets an id on first
 * use: its index in lock_classes[] plus one, so that 0 means "none yet".
 *
 * Held locks.  Each thread keeps the locks it holds, innermost last, in
 * struct thread (held[], nr_held); the boot context, before the scheduler
 * exists, keeps its own.  Only the owning context changes a held stack, with
 * interrupts off: an interrupt handler's locks go on top of the interrupted
 * thread's and are gone again before it resumes.
 *
 * The graph.  Taking B while holding A means "A before B": an edge A -> B
 * between their classes, recorded once, with where each was taken and the
 * stack that took B.  If B already reaches A through recorded edges, some
 * thread may hold B and wait for A while this one holds A and waits for B:
 * a possible deadlock, reported the first time the new edge is seen, even
 * if the two orders never ran at the same time.
 *
 *   lock_classes[id - 1].after   bitmap of the classes taken after it
 *   lock_deps[]                  each edge's ips and stack, for reports
 *
 * Lock: graph_lock, a bare test-and-set lock taken with interrupts off (a
 * spinlock_t would be checked by the code it protects).  Reports print
 * while holding it; if printing ever takes a lock, that acquisition finds
 * graph_lock held by its own context and goes unchecked (Linux's
 * lockdep_recursion).
 *
 * Unlike Linux, which turns itself off after its first report, this one
 * keeps checking, so a test run shows every report; each problem is
 * reported once.  It turns off only when one of its tables is full.
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/x86.h"
#include "lib/current.h"
#include "lib/format.h"
#include "lib/ksym.h"
#include "lib/printk.h"
#include "lib/stackdepot.h"
#include "lib/string.h"
#include "sched/lockdep.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "version.h"

#define LOCKDEP_MAX_CLASSES 256		/* Linux's MAX_LOCKDEP_KEYS is 8192 */
#define LOCKDEP_MAX_DEPS 1024		/* edges in the graph */
#define LOCKDEP_WORDS (LOCKDEP_MAX_CLASSES / 64)
#define LOCKDEP_NAME_MAX 64
#define LOCKDEP_DESC_MAX 96

/* Usage bits, printed as Linux's "{+.+.}" (hardirq, -, softirq, -).  There
 * are no softirqs, so the softirq column repeats the hardirq one. */
#define LOCK_USED_IRQS_ON 0x1		/* taken with interrupts enabled: '+' */

struct lock_class {
	const struct lock_class_key *key;	/* the init site; NULL: free slot */
	struct lock_class_key subkey;		/* subclass > 0: what held locks
						 * point to (its id is ours) */
	unsigned subclass;
	unsigned name_version;		/* > 1: another class has this name */
	u8 wait_type;			/* enum lockdep_wait_type */
	u8 usage;			/* LOCK_USED_* */
	bool recursion_reported;
	u16 sub_ids[LOCKDEP_MAX_SUBCLASSES];	/* subclass 0: its subclasses' ids */
	u64 after[LOCKDEP_WORDS];	/* bit id-1: taken while this was held */
};

/* One edge: `to` was taken while `from` was held. */
struct lock_dep {
	u16 from, to;			/* class ids */
	u64 from_ip, to_ip;		/* where each was taken, the first time */
	depot_stack_handle_t trace;	/* the stack that took `to` (0: full) */
};

/* A context's held locks: a thread's, or the boot context's. */
struct held_stack {
	struct held_lock *locks;
	unsigned *nr;
};

static struct lock_class lock_classes[LOCKDEP_MAX_CLASSES];	/* [graph_lock] */
static unsigned nr_classes;					/* [graph_lock] */
static struct lock_dep lock_deps[LOCKDEP_MAX_DEPS];		/* [graph_lock] */
static unsigned nr_deps;					/* [graph_lock] */
static u16 bfs_parent[LOCKDEP_MAX_CLASSES + 1];	/* [graph_lock] path back, by id */
static u16 bfs_queue[LOCKDEP_MAX_CLASSES];	/* [graph_lock] */

static struct held_lock boot_held[LOCKDEP_MAX_HELD];	/* [boot context] */
static unsigned boot_nr_held;

static volatile u32 graph_locked;	/* 1 while held */
static const void *volatile graph_owner;	/* the held stack of the holder */
static volatile bool lockdep_off;	/* a table overflowed: no more checks */
static u64 reports;			/* atomic */

extern const char text_start[], kernel_end[];

/* ------------------------------------------------------------ plumbing */

static struct held_stack held_stack_of(const struct thread *t)
{
	if (!t)
		return (struct held_stack){ boot_held, &boot_nr_held };
	/* A held stack is only changed by its own thread (see the header). */
	struct thread *w = (struct thread *)t;

	return (struct held_stack){ w->held, &w->nr_held };
}

static struct held_stack held_stack_current(void)
{
	return held_stack_of(current_thread);
}

/*
 * Take graph_lock for the context whose held stack is self; interrupts
 * must be off.  False if self holds it already: lockdep itself took a lock
 * (printing a report, say), which is not checked.
 */
static bool graph_lock(const void *self)
{
	if (graph_owner == self)
		return false;
	/* xchg is atomic and a full barrier (Intel SDM Vol. 3A, 9.1.2.2:
	 * "locked" implicitly); while taken, spin on a plain read so the
	 * cache line stays shared instead of bouncing between CPUs. */
	while (__atomic_exchange_n(&graph_locked, 1, __ATOMIC_ACQUIRE))
		while (graph_locked)
			cpu_relax();
	graph_owner = self;
	return true;
}

static void graph_unlock(void)
{
	graph_owner = NULL;
	__atomic_store_n(&graph_locked, 0, __ATOMIC_RELEASE);
}

void lockdep_count_report(void)
{
	__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED);
}

u64 lockdep_report_count(void)
{
	return __atomic_load_n(&reports, __ATOMIC_RELAXED);
}

/* Static storage is the kernel image; a key on a stack or in the heap
 * would be gone, or another object, by the time the class is used. */
static bool lockdep_static_obj(const void *p)
{
	return (u64)p >= (u64)text_start && (u64)p < (u64)kernel_end;
}

/* A table is full: say so, as Linux does, and stop checking. */
static void lockdep_turn_off(const char *why)
{
	lockdep_count_report();
	pr_warn("%s\n", why);
	pr_warn("turning off the locking correctness validator.\n");
	dump_stack();
	lockdep_off = true;
}

/* ------------------------------------------------------------ classes */

static struct lock_class *class_by_id(unsigned id)
{
	return id && id <= nr_classes ? &lock_classes[id - 1] : NULL;
}

static struct lock_class *held_class(const struct held_lock *h)
{
	return class_by_id(h->class ? h->class->id : 0);
}

static unsigned class_id(const struct lock_class *c)
{
	return (unsigned)(c - lock_classes) + 1;
}

/* What a held lock records as its class: the key for subclass 0, else
 * the subclass's own key. */
static const struct lock_class_key *class_key(const struct lock_class *c)
{
	return c->subclass ? &c->subkey : c->key;
}

static struct lock_class *class_new(struct lock_class_key *key, unsigned subclass)
{
	if (nr_classes == LOCKDEP_MAX_CLASSES) {
		lockdep_turn_off("BUG: MAX_LOCKDEP_KEYS too low!");
		return NULL;
	}
	struct lock_class *c = &lock_classes[nr_classes++];

	c->key = key;
	c->subclass = subclass;
	c->wait_type = key->wait_type ? key->wait_type : LOCKDEP_WAIT_SPIN;
	/* Two init sites may print the same name ("&t->lock" in two files):
	 * Linux numbers the later ones "&t->lock#2", and so do we. */
	c->name_version = 1;
	for (unsigned i = 0; i + 1 < nr_classes; i++) {
		const struct lock_class *o = &lock_classes[i];

		if (!o->subclass && o->key != key && o->key->name && key->name &&
		    !strcmp(o->key->name, key->name))
			c->name_version++;
	}
	if (subclass) {
		c->subkey.name = key->name;
		c->subkey.id = class_id(c);
	}
	return c;
}

/* The class of (key, subclass), registered on first use; NULL if the key
 * cannot be tracked (reported) or the table is full. */
static struct lock_class *class_get(struct lock_class_key *key, unsigned subclass)
{
	if (!lockdep_static_obj(key)) {
		lockdep_count_report();
		pr_err("INFO: trying to register non-static key.\n");
		pr_err("The code is fine but needs lockdep annotation, or maybe\n");
		pr_err("you didn't initialize this object before use?\n");
		pr_err("turning off the locking correctness validator.\n");
		dump_stack();
		lockdep_off = true;
		return NULL;
	}
	if (subclass >= LOCKDEP_MAX_SUBCLASSES)
		subclass = LOCKDEP_MAX_SUBCLASSES - 1;
	struct lock_class *base = class_by_id(key->id);

	if (!base) {
		base = class_new(key, 0);
		if (!base)
			return NULL;
		key->id = class_id(base);
	}
	if (!subclass)
		return base;
	if (!base->sub_ids[subclass]) {
		struct lock_class *c = class_new(key, subclass);

		if (!c)
			return NULL;
		base->sub_ids[subclass] = (u16)class_id(c);
	}
	return class_by_id(base->sub_ids[subclass]);
}

/* ------------------------------------------------------------ printing */

/* "&q->lock", "&q->lock#2" (second class of that name), "&q->lock/1". */
static void class_name(const struct lock_class *c, char *buf, size_t size)
{
	char ver[16] = "", sub[16] = "";

	if (c->name_version > 1)
		ksnprintf(ver, sizeof(ver), "#%u", c->name_version);
	if (c->subclass)
		ksnprintf(sub, sizeof(sub), "/%u", c->subclass);
	ksnprintf(buf, size, "%s%s%s", c->key->name ? c->key->name : "(unnamed)", ver, sub);
}

/* "(&q->lock){+.+.}-{2:2}": the name, how it was used, how it waits. */
static void class_desc(const struct lock_class *c, char *buf, size_t size)
{
	char name[LOCKDEP_NAME_MAX];
	char on = (c->usage & LOCK_USED_IRQS_ON) ? '+' : '.';

	class_name(c, name, sizeof(name));
	ksnprintf(buf, size, "(%s){%c.%c.}-{%d:%d}", name, on, on, c->wait_type, c->wait_type);
}

/* "<prefix>ffffffff80123450 (&lock){+.+.}-{2:2}, at: func+0x1c/0x40" */
static void print_lock(const char *prefix, const struct held_lock *h)
{
	const struct lock_class *c = held_class(h);
	char desc[LOCKDEP_DESC_MAX], at[128];

	if (c)
		class_desc(c, desc, sizeof(desc));
	else
		ksnprintf(desc, sizeof(desc), "(%s)", h->class && h->class->name ? h->class->name : "?");
	ksym_snprint_return(at, sizeof(at), h->acquire_ip);
	pr_warn("%s%016llx %s, at: %s\n", prefix, (unsigned long long)(u64)h->lock, desc, at);
}

static void print_held_stack(struct held_stack hs, const char *comm, int pid)
{
	unsigned n = *hs.nr;

	if (!n) {
		pr_warn("no locks held by %s/%d.\n", comm, pid);
		return;
	}
	pr_warn("%u lock%s held by %s/%d:\n", n, n > 1 ? "s" : "", comm, pid);
	for (unsigned i = 0; i < n && i < LOCKDEP_MAX_HELD; i++) {
		char prefix[8];

		ksnprintf(prefix, sizeof(prefix), " #%u: ", i);
		print_lock(prefix, &hs.locks[i]);
	}
}

void lockdep_print_held_locks(const struct thread *t)
{
	print_held_stack(held_stack_of(t), t ? t->name : "swapper/0", t ? t->tid : 0);
}

static void print_current_held_locks(void)
{
	print_held_stack(held_stack_current(), current_comm(), current_pid());
}

/* The report's first lines: a rule as long as the title, the title, the
 * kernel's identity, a dashed rule. */
static void print_header(const char *title)
{
	char rule[80];
	size_t n = MIN(strlen(title), sizeof(rule) - 1);

	memset(rule, '=', n);
	rule[n] = '\0';
	pr_warn("\n");
	pr_warn("%s\n", rule);
	pr_warn("%s\n", title);
	pr_warn(CANARY_VERSION " #1 Not tainted\n");
	memset(rule, '-', n);
	pr_warn("%s\n", rule);
}

/* A stored stack, one frame a line, indented as Linux's chain entries. */
static void print_trace(depot_stack_handle_t h, u64 fallback_ip)
{
	const u64 *frames;
	unsigned n = stack_depot_fetch(h, &frames);
	char sym[128];

	if (!n) {
		frames = &fallback_ip;
		n = 1;
	}
	for (unsigned i = 0; i < n; i++) {
		ksym_snprint_return(sym, sizeof(sym), frames[i]);
		pr_warn("       %s\n", sym);
	}
}

static void print_backtrace(void)
{
	pr_warn("\nstack backtrace:\n");
	dump_stack();
}

/* ------------------------------------------------------------ recursion */

static void print_deadlock_bug(const struct held_lock *prev, const struct held_lock *next)
{
	char pn[LOCKDEP_NAME_MAX], nn[LOCKDEP_NAME_MAX];

	lockdep_count_report();
	print_header("WARNING: possible recursive locking detected");
	pr_warn("%s/%d is trying to acquire lock:\n", current_comm(), current_pid());
	print_lock("", next);
	pr_warn("\nbut task is already holding lock:\n");
	print_lock("", prev);
	pr_warn("\nother info that might help us debug this:\n");
	class_name(held_class(prev), pn, sizeof(pn));
	class_name(held_class(next), nn, sizeof(nn));
	pr_warn(" Possible unsafe locking scenario:\n\n");
	pr_warn("       CPU0\n");
	pr_warn("       ----\n");
	pr_warn("  lock(%s);\n", pn);
	pr_warn("  lock(%s);\n", nn);
	pr_warn("\n *** DEADLOCK ***\n\n");
	pr_warn(" May be due to missing lock nesting notation\n\n");
	print_current_held_locks();
	print_backtrace();
}

void lockdep_report_recursion(const void *lock, struct lock_class_key *key, u64 ip)
{
	u64 flags = irq_save();
	struct held_stack hs = held_stack_current();
	struct held_lock *prev = NULL;

	if (lockdep_off || !key || !graph_lock(hs.nr))
		goto out;
	/* The holding entry: this very lock, or else one of its class. */
	for (unsigned i = *hs.nr; i-- > 0 && !prev;)
		if (hs.locks[i].lock == lock)
			prev = &hs.locks[i];
	struct lock_class *c = prev ? held_class(prev) : class_get(key, 0);

	if (c && !c->recursion_reported) {
		struct held_lock next = { lock, class_key(c), ip };
		struct held_lock unknown = { lock, class_key(c), 0 };

		c->recursion_reported = true;
		print_deadlock_bug(prev ? prev : &unknown, &next);
	}
	graph_unlock();
out:
	irq_restore(flags);
}

/* ------------------------------------------------------------ the graph */

static bool dep_exists(unsigned from, unsigned to)
{
	return class_by_id(from)->after[(to - 1) / 64] & (1ull << ((to - 1) % 64));
}

static const struct lock_dep *dep_find(unsigned from, unsigned to)
{
	for (unsigned i = 0; i < nr_deps; i++)
		if (lock_deps[i].from == from && lock_deps[i].to == to)
			return &lock_deps[i];
	return NULL;
}

/*
 * Breadth-first search: does class `from` reach class `to`?  If so,
 * bfs_parent[] leads from `to` back to `from` along a shortest path (the
 * chain the report prints).  At most LOCKDEP_MAX_CLASSES nodes, each
 * queued once.
 */
static bool class_reaches(unsigned from, unsigned to)
{
	u64 seen[LOCKDEP_WORDS] = { 0 };
	unsigned head = 0, tail = 0;

	bfs_queue[tail++] = (u16)from;
	seen[(from - 1) / 64] |= 1ull << ((from - 1) % 64);
	bfs_parent[from] = 0;
	while (head < tail) {
		unsigned c = bfs_queue[head++];

		if (c == to)
			return true;
		for (unsigned w = 0; w < LOCKDEP_WORDS; w++) {
			u64 next = class_by_id(c)->after[w] & ~seen[w];

			seen[w] |= next;
			for (; next; next &= next - 1) {
				unsigned id = w * 64 + (unsigned)__builtin_ctzll(next) + 1;

				bfs_parent[id] = (u16)c;
				bfs_queue[tail++] = (u16)id;
			}
		}
	}
	return false;
}

static void print_circular_scenario(unsigned src, unsigned tgt, unsigned parent)
{
	char s[LOCKDEP_NAME_MAX], t[LOCKDEP_NAME_MAX], p[LOCKDEP_NAME_MAX];

	class_name(class_by_id(src), s, sizeof(s));
	class_name(class_by_id(tgt), t, sizeof(t));
	class_name(class_by_id(parent), p, sizeof(p));
	/* A longer chain is shown by its two ends and the link before the
	 * held lock, as Linux does. */
	if (parent != src)
		pr_warn("Chain exists of:\n  %s --> %s --> %s\n\n", s, p, t);
	pr_warn(" Possible unsafe locking scenario:\n\n");
	pr_warn("       CPU0                    CPU1\n");
	pr_warn("       ----                    ----\n");
	pr_warn("  lock(%s);\n", t);
	pr_warn("                               lock(%s);\n", p);
	pr_warn("                               lock(%s);\n", t);
	pr_warn("  lock(%s);\n", s);
	pr_warn("\n *** DEADLOCK ***\n\n");
}

/*
 * prev is held and next is being taken, but next's class already reaches
 * prev's: the path next = C0 -> C1 -> ... -> Ck = prev is in bfs_parent[].
 * Printed from Ck down to C0, each with the stack that made its edge; C0
 * with the current stack.
 */
static void print_circular_bug(const struct held_lock *prev, const struct held_lock *next,
			       depot_stack_handle_t trace)
{
	unsigned src = class_id(held_class(next)), tgt = class_id(held_class(prev));
	unsigned depth = 0;
	char desc[LOCKDEP_DESC_MAX];

	for (unsigned c = tgt; c != src; c = bfs_parent[c])
		depth++;
	lockdep_count_report();
	print_header("WARNING: possible circular locking dependency detected");
	pr_warn("%s/%d is trying to acquire lock:\n", current_comm(), current_pid());
	print_lock("", next);
	pr_warn("\nbut task is already holding lock:\n");
	print_lock("", prev);
	pr_warn("\nwhich lock already depends on the new lock.\n\n");
	pr_warn("\nthe existing dependency chain (in reverse order) is:\n");
	for (unsigned c = tgt, d = depth;; c = bfs_parent[c], d--) {
		class_desc(class_by_id(c), desc, sizeof(desc));
		pr_warn("\n-> #%u %s:\n", d, desc);
		if (c == src) {
			print_trace(trace, next->acquire_ip);
			break;
		}
		const struct lock_dep *dep = dep_find(bfs_parent[c], c);

		print_trace(dep ? dep->trace : 0, dep ? dep->to_ip : 0);
	}
	pr_warn("\nother info that might help us debug this:\n\n");
	print_circular_scenario(src, tgt, bfs_parent[tgt]);
	print_current_held_locks();
	print_backtrace();
}

/* The stack above lockdep's entry point (frame rbp), kept in the depot. */
static depot_stack_handle_t lockdep_save_trace(u64 rbp)
{
	u64 frames[STACKDEPOT_MAX_FRAMES];
	int n = stack_walk(rbp, frames, STACKDEPOT_MAX_FRAMES);

	return n > 0 ? stack_depot_save(frames, (unsigned)n) : 0;
}

/*
 * Record prev -> next unless known.  A new edge closing a cycle is
 * reported and recorded all the same: being known, the pair is never
 * reported again, and a graph with a cycle is still searched correctly
 * (each class is visited once).
 */
static void add_dep(const struct held_lock *prev, const struct held_lock *next, u64 rbp)
{
	unsigned from = class_id(held_class(prev)), to = class_id(held_class(next));

	if (dep_exists(from, to))
		return;
	if (nr_deps == LOCKDEP_MAX_DEPS) {
		lockdep_turn_off("BUG: MAX_LOCKDEP_ENTRIES too low!");
		return;
	}
	struct lock_dep *d = &lock_deps[nr_deps++];

	d->from = (u16)from;
	d->to = (u16)to;
	d->from_ip = prev->acquire_ip;
	d->to_ip = next->acquire_ip;
	d->trace = lockdep_save_trace(rbp);
	if (class_reaches(to, from))
		print_circular_bug(prev, next, d->trace);
	class_by_id(from)->after[(to - 1) / 64] |= 1ull << ((to - 1) % 64);
}

/*
 * next is about to join the held stack.  A class held already is
 * recursion; otherwise the innermost held lock orders before next.  Only
 * the innermost: it was itself ordered after the ones below it when it was
 * taken, so they reach next through it (Linux's check_prevs_add).
 */
static void check_new(struct held_stack hs, const struct held_lock *next, u64 rbp)
{
	struct lock_class *nc = held_class(next);

	for (unsigned i = 0; i < *hs.nr; i++) {
		if (held_class(&hs.locks[i]) != nc)
			continue;
		if (!nc->recursion_reported) {
			nc->recursion_reported = true;
			print_deadlock_bug(&hs.locks[i], next);
		}
		return;
	}
	if (*hs.nr)
		add_dep(&hs.locks[*hs.nr - 1], next, rbp);
}

/* ------------------------------------------------------------ the API */

static void acquire(const void *lock, struct lock_class_key *key, unsigned subclass,
		    bool trylock, u64 ip, u64 rbp)
{
	if (lockdep_off || !key)
		return;
	u64 flags = irq_save();
	struct held_stack hs = held_stack_current();

	if (!graph_lock(hs.nr))
		goto out_irq;
	struct lock_class *c = class_get(key, subclass);

	if (!c)
		goto out;
	if (flags & RFLAGS_IF)
		c->usage |= LOCK_USED_IRQS_ON;
	if (*hs.nr == LOCKDEP_MAX_HELD) {
		lockdep_turn_off("BUG: MAX_LOCK_DEPTH too low!");
		goto out;
	}
	struct held_lock *next = &hs.locks[*hs.nr];

	next->lock = lock;
	next->class = class_key(c);
	next->acquire_ip = ip;
	if (!trylock)
		check_new(hs, next, rbp);
	/* On the stack only now: reports above list the locks held before. */
	(*hs.nr)++;
out:
	graph_unlock();
out_irq:
	irq_restore(flags);
}

/* Each entry point passes its own frame, so that recorded stacks start at
 * the lock function that called it. */
void lockdep_acquire(const void *lock, struct lock_class_key *key, u64 ip)
{
	acquire(lock, key, 0, false, ip, read_rbp());
}

void lockdep_acquire_nested(const void *lock, struct lock_class_key *key, unsigned subclass,
			    u64 ip)
{
	acquire(lock, key, subclass, false, ip, read_rbp());
}

void lockdep_acquire_try(const void *lock, struct lock_class_key *key, u64 ip)
{
	acquire(lock, key, 0, true, ip, read_rbp());
}

void lockdep_bad_unlock(const void *lock, struct lock_class_key *key, u64 ip)
{
	u64 flags = irq_save();
	char sym[128];

	if (lockdep_off || !graph_lock(held_stack_current().nr))
		goto out;
	lockdep_count_report();
	print_header("WARNING: bad unlock balance detected!");
	pr_warn("%s/%d is trying to release lock (%s) at:\n", current_comm(), current_pid(),
		key && key->name ? key->name : "?");
	ksym_snprint_return(sym, sizeof(sym), ip);
	pr_warn("[<%016llx>] %s\n", (unsigned long long)ip, sym);
	pr_warn("but there are no more locks to release!\n");
	pr_warn("\nother info that might help us debug this:\n");
	print_current_held_locks();
	print_backtrace();
	graph_unlock();
out:
	irq_restore(flags);
	(void)lock;
}

/* Take lock off the current held stack, wherever it is (locks need not be
 * released in the reverse order of taking them); false if it is not there. */
static bool held_remove(const void *lock)
{
	u64 flags = irq_save();
	struct held_stack hs = held_stack_current();
	unsigned i = *hs.nr;

	while (i > 0 && hs.locks[i - 1].lock != lock)
		i--;
	if (i > 0) {
		memmove(&hs.locks[i - 1], &hs.locks[i], (*hs.nr - i) * sizeof(hs.locks[0]));
		(*hs.nr)--;
	}
	irq_restore(flags);
	return i > 0;
}

void lockdep_release_key(const void *lock, struct lock_class_key *key, u64 ip)
{
	/* A lock with no key, or one lockdep refused, was never recorded:
	 * not finding it is no imbalance. */
	if (!lockdep_off && !held_remove(lock) && key && lockdep_static_obj(key))
		lockdep_bad_unlock(lock, key, ip);
}

void lockdep_release(const void *lock, u64 ip)
{
	if (!lockdep_off && !held_remove(lock))
		lockdep_bad_unlock(lock, NULL, ip);
}

bool lockdep_is_held(const void *lock)
{
	if (lockdep_off)
		return true;	/* cannot tell: do not fail assertions */
	u64 flags = irq_save();
	struct held_stack hs = held_stack_current();
	bool held = false;

	for (unsigned i = 0; i < *hs.nr && !held; i++)
		held = hs.locks[i].lock == lock;
	irq_restore(flags);
	return held;
}

/* Linux's WARN() layout: the message, then where, then the stack. */
void lockdep_warn_not_held(const void *lock, struct lock_class_key *key, const char *file,
			   int line, u64 ip)
{
	char sym[128];

	(void)lock;
	lockdep_count_report();
	ksym_snprint_return(sym, sizeof(sym), ip);
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("lock not held: %s\n", key && key->name ? key->name : "?");
	pr_warn("WARNING: CPU: 0 PID: %d at %s:%d %s\n", current_pid(), file, line, sym);
	dump_stack();
	pr_warn("---[ end trace 0000000000000000 ]---\n");
}

void lockdep_check_no_locks_held(void)
{
	u64 flags = irq_save();
	struct held_stack hs = held_stack_current();

	if (lockdep_off || !*hs.nr || !graph_lock(hs.nr))
		goto out;
	lockdep_count_report();
	pr_warn("\n");
	pr_warn("====================================\n");
	pr_warn("WARNING: %s/%d still has locks held!\n", current_comm(), current_pid());
	pr_warn(CANARY_VERSION " #1 Not tainted\n");
	pr_warn("------------------------------------\n");
	print_current_held_locks();
	print_backtrace();
	graph_unlock();
out:
	irq_restore(flags);
}

void lockdep_unregister_key(struct lock_class_key *key)
{
	u64 flags = irq_save();
	u64 gone[LOCKDEP_WORDS] = { 0 };

	if (!graph_lock(held_stack_current().nr))
		goto out;
	for (unsigned id = 1; id <= nr_classes; id++) {
		struct lock_class *c = class_by_id(id);

		if (c->key != key)
			continue;
		gone[(id - 1) / 64] |= 1ull << ((id - 1) % 64);
		memset(c->after, 0, sizeof(c->after));
		c->usage = 0;
		c->recursion_reported = false;
	}
	/* The class slots stay (held locks may point at them); only what was
	 * learnt goes: edges into them, and their edge records. */
	for (unsigned id = 1; id <= nr_classes; id++)
		for (unsigned w = 0; w < LOCKDEP_WORDS; w++)
			class_by_id(id)->after[w] &= ~gone[w];
	for (unsigned i = 0; i < nr_deps;) {
		unsigned f = lock_deps[i].from - 1, t = lock_deps[i].to - 1;

		if ((gone[f / 64] >> (f % 64) & 1) || (gone[t / 64] >> (t % 64) & 1))
			lock_deps[i] = lock_deps[--nr_deps];
		else
			i++;
	}
	graph_unlock();
out:
	irq_restore(flags);
}

/* ------------------------------------------------------------ might_sleep */

/*
 * A thread about to sleep must not hold a spinlock or run with preemption
 * or interrupts off: the CPU would go to another thread with the lock held
 * (or sleep forever).  Linux rate-limits this report to one a second; here
 * only a repeat of the same place within a second is dropped, so that a
 * loop does not flood the log but two different bugs both show.
 */
void __might_sleep(const char *file, int line)
{
	static const char *last_file;	/* racy on SMP: at worst one more report */
	static int last_line;
	static u64 last_ns;

	/* Before the scheduler runs nothing can sleep or wait (Linux skips
	 * SYSTEM_BOOTING the same way). */
	if (!current_thread || !sched_in_atomic())
		return;
	u64 now = time_ns_since_boot();

	if (file == last_file && line == last_line && now - last_ns < 1000000000ull)
		return;
	last_file = file;
	last_line = line;
	last_ns = now;

	bool irqs_off = !(read_rflags() & RFLAGS_IF);

	lockdep_count_report();
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	pr_err("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s\n",
	       preempt_count() != 0, irqs_off, current_pid(), current_comm());
	pr_err("preempt_count: %x, expected: 0\n", preempt_count());
	print_current_held_locks();
	dump_stack();
}
