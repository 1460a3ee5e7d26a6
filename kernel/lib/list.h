/*
 * list.h - the intrusive doubly linked list, as in Linux: a struct list_head
 * is embedded in each element, and container_of() gets the element back.
 * A list is circular and has a head node that is not an element:
 *
 *        head <-> a <-> b <-> c <-> (back to head)
 *        empty list: head.next == head.prev == &head
 *
 * Every add and delete checks the neighbours' links first (Linux's
 * CONFIG_DEBUG_LIST, always on here): a link that does not point back is
 * memory corruption - usually a use-after-free of an element that is still
 * on a list, or a double list_del - and is reported in Linux's words by
 * list_report_corruption() (lib/list_debug.c), which panics.  The
 * operation is skipped if that ever returns (host tests record instead).
 *
 * A deleted entry's links are set to LIST_POISON1/2, non-canonical
 * addresses: following them faults at once, and deleting it again is
 * recognised and reported.
 *
 * Lock: none.  Each list is protected by its owner's lock.
 */
#ifndef CANARY_LIB_LIST_H
#define CANARY_LIB_LIST_H

#include "lib/format.h"
#include "lib/types.h"

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_POISON1 ((struct list_head *)0xdead000000000100ULL)
#define LIST_POISON2 ((struct list_head *)0xdead000000000122ULL)

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

/* The structure of type `type` whose member `member` is at ptr. */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_first_entry_or_null(head, type, member) \
	((head)->next != (head) ? list_first_entry(head, type, member) : NULL)

#define list_for_each_entry(pos, head, member)                                 \
	for (pos = list_first_entry(head, __typeof__(*pos), member);           \
	     &pos->member != (head);                                           \
	     pos = list_next_entry(pos, member))

/* Safe against removal of pos: n holds the next element in advance. */
#define list_for_each_entry_safe(pos, n, head, member)                         \
	for (pos = list_first_entry(head, __typeof__(*pos), member),           \
	     n = list_next_entry(pos, member);                                  \
	     &pos->member != (head);                                           \
	     pos = n, n = list_next_entry(n, member))

/*
 * Print msg (one line, no newline) as a Linux list-corruption BUG and
 * panic.  The only part of the list code that is not in this header.
 */
void list_report_corruption(const char *msg);

/* Out of line and cold: the formatting must not bloat every list_add.
 * fmt takes up to three addresses; unused trailing ones are ignored. */
static __attribute__((noinline, cold, unused)) void
list_corrupt(const char *fmt, const void *a, const void *b, const void *c)
{
	char msg[160];

	/* %016llx is Linux's %px: the raw address, no 0x. */
	ksnprintf(msg, sizeof(msg), fmt, (unsigned long long)(u64)a,
		  (unsigned long long)(u64)b, (unsigned long long)(u64)c);
	list_report_corruption(msg);
}

static inline bool list_add_valid(struct list_head *new, struct list_head *prev,
				  struct list_head *next)
{
	if (next->prev != prev) {
		list_corrupt("list_add corruption. next->prev should be prev (%016llx), but was %016llx. (next=%016llx).",
			     prev, next->prev, next);
		return false;
	}
	if (prev->next != next) {
		list_corrupt("list_add corruption. prev->next should be next (%016llx), but was %016llx. (prev=%016llx).",
			     next, prev->next, prev);
		return false;
	}
	if (new == prev || new == next) {
		list_corrupt("list_add double add: new=%016llx, prev=%016llx, next=%016llx.",
			     new, prev, next);
		return false;
	}
	return true;
}

static inline bool list_del_valid(struct list_head *entry)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	/* Poison first: following a poisoned link would fault in the check. */
	if (next == LIST_POISON1) {
		list_corrupt("list_del corruption, %016llx->next is LIST_POISON1 (%016llx)",
			     entry, LIST_POISON1, NULL);
		return false;
	}
	if (prev == LIST_POISON2) {
		list_corrupt("list_del corruption, %016llx->prev is LIST_POISON2 (%016llx)",
			     entry, LIST_POISON2, NULL);
		return false;
	}
	if (next == NULL) {
		list_corrupt("list_del corruption, %016llx->next is NULL", entry, NULL, NULL);
		return false;
	}
	if (prev == NULL) {
		list_corrupt("list_del corruption, %016llx->prev is NULL", entry, NULL, NULL);
		return false;
	}
	if (prev->next != entry) {
		list_corrupt("list_del corruption. prev->next should be %016llx, but was %016llx. (prev=%016llx)",
			     entry, prev->next, prev);
		return false;
	}
	if (next->prev != entry) {
		list_corrupt("list_del corruption. next->prev should be %016llx, but was %016llx. (next=%016llx)",
			     entry, next->prev, next);
		return false;
	}
	return true;
}

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void list_insert(struct list_head *new, struct list_head *prev,
			       struct list_head *next)
{
	if (!list_add_valid(new, prev, next))
		return;
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

/* Insert new right after head (a stack). */
static inline void list_add(struct list_head *new, struct list_head *head)
{
	list_insert(new, head, head->next);
}

/* Insert new right before head, at the end (a queue). */
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	list_insert(new, head->prev, head);
}

static inline void list_unlink(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
}

/* Remove entry from its list and poison its links. */
static inline void list_del(struct list_head *entry)
{
	if (!list_del_valid(entry))
		return;
	list_unlink(entry);
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

/* Remove entry and make it an empty list of its own (may be re-added). */
static inline void list_del_init(struct list_head *entry)
{
	if (!list_del_valid(entry))
		return;
	list_unlink(entry);
	INIT_LIST_HEAD(entry);
}

/* Move entry from its list to the front of another. */
static inline void list_move(struct list_head *entry, struct list_head *head)
{
	if (!list_del_valid(entry))
		return;
	list_unlink(entry);
	list_add(entry, head);
}

static inline void list_move_tail(struct list_head *entry, struct list_head *head)
{
	if (!list_del_valid(entry))
		return;
	list_unlink(entry);
	list_add_tail(entry, head);
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#endif
