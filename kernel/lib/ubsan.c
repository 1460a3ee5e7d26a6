/*
 * ubsan.c - the handlers GCC's -fsanitize=undefined calls, printing what
 * Linux's lib/ubsan.c prints:
 *
 *   ------------[ cut here ]------------
 *   UBSAN: signed-integer-overflow in kernel/ktest/ubsan_test.c:40:11
 *   2147483647 + 1 cannot be represented in type 'int'
 *   CPU: 0 PID: 0 Comm: swapper/0 Not tainted 0.1 #1
 *   Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)
 *   Call Trace: ...
 *   ---[ end trace ]---
 *
 * Each check passes a static descriptor: where (file, line, column), and
 * for values the type, as GCC names it, quotes included ("'int'"):
 *
 *   type descriptor { u16 kind (0 integer); u16 info (bit 0: signed,
 *                     bits 1..: log2 of the width); char name[]; }
 *
 * Values of up to 64 bits arrive in the argument itself, wider ones behind
 * a pointer to them.  After the handler returns the operation completes
 * (an overflow wraps, an out-of-range index is used); only
 * __builtin_unreachable() panics, since it cannot complete.
 *
 * Linux prints each source location once, ever (a bit in the descriptor).
 * Here a location is only skipped when it was also the previous report, so
 * a bug in a loop gives one report rather than one per iteration, while
 * running a test again reports again.  Never instrumented (it would report
 * itself).
 */
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/x86.h"
#include "lib/current.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/ubsan.h"
#include "version.h"

#define UBSAN_VALUE_MAX 48
#define UBSAN_LOCATION_MASK 0x7fffffffu	/* bit 31: Linux's "reported" bit */

struct ubsan_source_location {
	const char *file;
	u32 line;
	u32 column;
};

struct ubsan_type_descriptor {
	u16 kind;		/* 0: integer, 1: float, 0xffff: unknown */
	u16 info;
	char name[];		/* "'int'" */
};

struct ubsan_overflow_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *type;
};

struct ubsan_shift_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *lhs_type, *rhs_type;
};

struct ubsan_out_of_bounds_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *array_type, *index_type;
};

struct ubsan_type_mismatch_data_v1 {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *type;
	u8 log_alignment;
	u8 type_check_kind;	/* index into ubsan_type_check_kinds */
};

struct ubsan_invalid_value_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *type;
};

struct ubsan_vla_bound_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *type;
};

struct ubsan_nonnull_arg_data {
	struct ubsan_source_location loc;
	struct ubsan_source_location attr_loc;	/* of the nonnull attribute */
	int arg_index;				/* 1-based */
};

struct ubsan_nonnull_return_data {
	struct ubsan_source_location attr_loc;
};

struct ubsan_invalid_builtin_data {
	struct ubsan_source_location loc;
	u8 kind;		/* 0: ctz, 1: clz */
};

struct ubsan_unreachable_data {
	struct ubsan_source_location loc;
};

struct ubsan_pointer_overflow_data {
	struct ubsan_source_location loc;
};

static const char *const ubsan_type_check_kinds[] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
};

static u64 ubsan_reports;
static bool ubsan_in_report;	/* printk may itself be instrumented */
static const struct ubsan_source_location *ubsan_last;	/* of the previous report */

u64 ubsan_report_count(void)
{
	return ubsan_reports;
}

/* ------------------------------------------------------------ values */

static unsigned ubsan_bit_width(const struct ubsan_type_descriptor *t)
{
	return 1u << (t->info >> 1);
}

static bool ubsan_is_signed(const struct ubsan_type_descriptor *t)
{
	return t->kind == 0 && (t->info & 1);
}

/* The low 64 bits of a value, whether passed inline or by pointer. */
static u64 ubsan_raw(const struct ubsan_type_descriptor *t, const void *val)
{
	if (ubsan_bit_width(t) <= 64)
		return (u64)val;
	return *(const u64 *)val;
}

static s64 ubsan_signed(const struct ubsan_type_descriptor *t, const void *val)
{
	unsigned w = ubsan_bit_width(t);
	u64 raw = ubsan_raw(t, val);

	if (w >= 64)
		return (s64)raw;
	/* Sign-extend from the type's width. */
	return (s64)(raw << (64 - w)) >> (64 - w);
}

static bool ubsan_is_negative(const struct ubsan_type_descriptor *t, const void *val)
{
	if (!ubsan_is_signed(t))
		return false;
	if (ubsan_bit_width(t) > 64)
		return (s64)((const u64 *)val)[1] < 0;
	return ubsan_signed(t, val) < 0;
}

static void ubsan_value_str(char *buf, size_t size, const struct ubsan_type_descriptor *t,
			    const void *val)
{
	if (t->kind != 0) {
		ksnprintf(buf, size, "<unknown>");
	} else if (ubsan_bit_width(t) > 64) {
		const u64 *v = val;	/* little-endian 128 bits */

		ksnprintf(buf, size, "0x%016llx%016llx", (unsigned long long)v[1],
			  (unsigned long long)v[0]);
	} else if (ubsan_is_signed(t)) {
		ksnprintf(buf, size, "%lld", (long long)ubsan_signed(t, val));
	} else {
		ksnprintf(buf, size, "%llu", (unsigned long long)ubsan_raw(t, val));
	}
}

/* ------------------------------------------------------------ the frame */

/* false: no report, because one is being printed (this is one of its
 * own) or the previous one was for the same place. */
static bool ubsan_prologue(const struct ubsan_source_location *loc, const char *reason)
{
	if (ubsan_in_report || loc == ubsan_last)
		return false;
	ubsan_in_report = true;
	ubsan_last = loc;
	ubsan_reports++;
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	printk(KERN_ERR "UBSAN: %s in %s:%u:%u\n", reason, loc->file,
	       loc->line & UBSAN_LOCATION_MASK, loc->column & UBSAN_LOCATION_MASK);
	return true;
}

/* noinline: the call trace starts in the handler that called this. */
static __attribute__((noinline)) void ubsan_epilogue(void)
{
	printk(KERN_ERR "CPU: 0 PID: %d Comm: %s Not tainted %s #1\n", current_pid(),
	       current_comm(), CANARY_VERSION);
	printk(KERN_ERR "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)\n");
	show_call_trace(read_rbp());
	printk(KERN_WARNING "---[ end trace ]---\n");
	ubsan_in_report = false;
}

/* ------------------------------------------------------------ arithmetic */

static void ubsan_overflow(const struct ubsan_overflow_data *d, const void *lhs, const void *rhs,
			   char op)
{
	char l[UBSAN_VALUE_MAX], r[UBSAN_VALUE_MAX];

	if (!ubsan_prologue(&d->loc, ubsan_is_signed(d->type) ? "signed-integer-overflow"
							      : "unsigned-integer-overflow"))
		return;
	ubsan_value_str(l, sizeof(l), d->type, lhs);
	ubsan_value_str(r, sizeof(r), d->type, rhs);
	printk(KERN_ERR "%s %c %s cannot be represented in type %s\n", l, op, r, d->type->name);
	ubsan_epilogue();
}

void __ubsan_handle_add_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				 const void *rhs);
void __ubsan_handle_sub_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				 const void *rhs);
void __ubsan_handle_mul_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				 const void *rhs);
void __ubsan_handle_negate_overflow(const struct ubsan_overflow_data *d, const void *old);
void __ubsan_handle_divrem_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				    const void *rhs);

void __ubsan_handle_add_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				 const void *rhs)
{
	ubsan_overflow(d, lhs, rhs, '+');
}

void __ubsan_handle_sub_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				 const void *rhs)
{
	ubsan_overflow(d, lhs, rhs, '-');
}

void __ubsan_handle_mul_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				 const void *rhs)
{
	ubsan_overflow(d, lhs, rhs, '*');
}

void __ubsan_handle_negate_overflow(const struct ubsan_overflow_data *d, const void *old)
{
	char v[UBSAN_VALUE_MAX];

	if (!ubsan_prologue(&d->loc, "negation-overflow"))
		return;
	ubsan_value_str(v, sizeof(v), d->type, old);
	printk(KERN_ERR "negation of %s cannot be represented in type %s:\n", v, d->type->name);
	ubsan_epilogue();
}

/* INT_MIN / -1 or x / 0.  The CPU raises #DE right after this returns. */
void __ubsan_handle_divrem_overflow(const struct ubsan_overflow_data *d, const void *lhs,
				    const void *rhs)
{
	char l[UBSAN_VALUE_MAX];

	if (!ubsan_prologue(&d->loc, "division-overflow"))
		return;
	ubsan_value_str(l, sizeof(l), d->type, lhs);
	if (ubsan_is_signed(d->type) && ubsan_signed(d->type, rhs) == -1)
		printk(KERN_ERR "division of %s by -1 cannot be represented in type %s\n", l,
		       d->type->name);
	else
		printk(KERN_ERR "division by zero\n");
	ubsan_epilogue();
}

void __ubsan_handle_shift_out_of_bounds(const struct ubsan_shift_data *d, const void *lhs,
					const void *rhs);

void __ubsan_handle_shift_out_of_bounds(const struct ubsan_shift_data *d, const void *lhs,
					const void *rhs)
{
	char l[UBSAN_VALUE_MAX], r[UBSAN_VALUE_MAX];

	if (!ubsan_prologue(&d->loc, "shift-out-of-bounds"))
		return;
	ubsan_value_str(l, sizeof(l), d->lhs_type, lhs);
	ubsan_value_str(r, sizeof(r), d->rhs_type, rhs);
	if (ubsan_is_negative(d->rhs_type, rhs))
		printk(KERN_ERR "shift exponent %s is negative\n", r);
	else if (ubsan_raw(d->rhs_type, rhs) >= ubsan_bit_width(d->lhs_type))
		printk(KERN_ERR "shift exponent %s is too large for %u-bit type %s\n", r,
		       ubsan_bit_width(d->lhs_type), d->lhs_type->name);
	else if (ubsan_is_negative(d->lhs_type, lhs))
		printk(KERN_ERR "left shift of negative value %s\n", l);
	else
		printk(KERN_ERR "left shift of %s by %s places cannot be represented in type %s\n", l,
		       r, d->lhs_type->name);
	ubsan_epilogue();
}

/* ------------------------------------------------------------ memory */

void __ubsan_handle_out_of_bounds(const struct ubsan_out_of_bounds_data *d, const void *index);

void __ubsan_handle_out_of_bounds(const struct ubsan_out_of_bounds_data *d, const void *index)
{
	char i[UBSAN_VALUE_MAX];

	if (!ubsan_prologue(&d->loc, "array-index-out-of-bounds"))
		return;
	ubsan_value_str(i, sizeof(i), d->index_type, index);
	printk(KERN_ERR "index %s is out of range for type %s\n", i, d->array_type->name);
	ubsan_epilogue();
}

/* A NULL, misaligned or too small pointer, in that order (Linux's
 * ubsan_type_mismatch_common()). */
void __ubsan_handle_type_mismatch_v1(const struct ubsan_type_mismatch_data_v1 *d, const void *ptr);

void __ubsan_handle_type_mismatch_v1(const struct ubsan_type_mismatch_data_v1 *d, const void *ptr)
{
	u64 align = 1ULL << d->log_alignment, p = (u64)ptr;
	const char *kind = d->type_check_kind < ARRAY_SIZE(ubsan_type_check_kinds)
				   ? ubsan_type_check_kinds[d->type_check_kind]
				   : "access to";

	if (!p) {
		if (!ubsan_prologue(&d->loc, "null-ptr-deref"))
			return;
		printk(KERN_ERR "%s null pointer of type %s\n", kind, d->type->name);
	} else if (align > 1 && (p & (align - 1))) {
		if (!ubsan_prologue(&d->loc, "misaligned-access"))
			return;
		printk(KERN_ERR "%s misaligned address %p for type %s\n", kind, ptr, d->type->name);
		printk(KERN_ERR "which requires %llu byte alignment\n", (unsigned long long)align);
	} else {
		if (!ubsan_prologue(&d->loc, "object-size-mismatch"))
			return;
		printk(KERN_ERR "%s address %p with insufficient space\n", kind, ptr);
		printk(KERN_ERR "for an object of type %s\n", d->type->name);
	}
	ubsan_epilogue();
}

void __ubsan_handle_load_invalid_value(const struct ubsan_invalid_value_data *d, const void *val);

/* A bool that is neither 0 nor 1, an enum outside its values. */
void __ubsan_handle_load_invalid_value(const struct ubsan_invalid_value_data *d, const void *val)
{
	char v[UBSAN_VALUE_MAX];

	if (!ubsan_prologue(&d->loc, "invalid-load"))
		return;
	ubsan_value_str(v, sizeof(v), d->type, val);
	printk(KERN_ERR "load of value %s is not a valid value for type %s\n", v, d->type->name);
	ubsan_epilogue();
}

void __ubsan_handle_pointer_overflow(const struct ubsan_pointer_overflow_data *d, const void *base,
				     const void *result);

/* compiler-rt's wording: Linux has no handler of its own for this one. */
void __ubsan_handle_pointer_overflow(const struct ubsan_pointer_overflow_data *d, const void *base,
				     const void *result)
{
	if (!ubsan_prologue(&d->loc, "pointer-overflow"))
		return;
	if (!base && !result)
		printk(KERN_ERR "applying zero offset to null pointer\n");
	else if (!base)
		printk(KERN_ERR "applying non-zero offset %p to null pointer\n", result);
	else if (!result)
		printk(KERN_ERR "applying non-zero offset to non-null pointer %p produced null pointer\n",
		       base);
	else
		printk(KERN_ERR "pointer index expression with base %p overflowed to %p\n", base,
		       result);
	ubsan_epilogue();
}

void __ubsan_handle_vla_bound_not_positive(const struct ubsan_vla_bound_data *d, const void *bound);

void __ubsan_handle_vla_bound_not_positive(const struct ubsan_vla_bound_data *d, const void *bound)
{
	char b[UBSAN_VALUE_MAX];

	if (!ubsan_prologue(&d->loc, "vla-bound-not-positive"))
		return;
	ubsan_value_str(b, sizeof(b), d->type, bound);
	printk(KERN_ERR "variable length array bound evaluates to non-positive value %s\n", b);
	ubsan_epilogue();
}

/* ------------------------------------------------------------ attributes */

void __ubsan_handle_nonnull_arg(const struct ubsan_nonnull_arg_data *d);
void __ubsan_handle_nonnull_return_v1(const struct ubsan_nonnull_return_data *d,
				      const struct ubsan_source_location *loc);
void __ubsan_handle_invalid_builtin(const struct ubsan_invalid_builtin_data *d);
__noreturn void __ubsan_handle_builtin_unreachable(const struct ubsan_unreachable_data *d);

void __ubsan_handle_nonnull_arg(const struct ubsan_nonnull_arg_data *d)
{
	if (!ubsan_prologue(&d->loc, "nonnull-attribute"))
		return;
	printk(KERN_ERR "null pointer passed as argument %d, which is declared to never be null\n",
	       d->arg_index);
	ubsan_epilogue();
}

/* loc: the return statement; d: the returns_nonnull attribute. */
void __ubsan_handle_nonnull_return_v1(const struct ubsan_nonnull_return_data *d,
				      const struct ubsan_source_location *loc)
{
	(void)d;
	if (!ubsan_prologue(loc, "returns-nonnull-attribute"))
		return;
	printk(KERN_ERR "null pointer returned from function declared to never return null\n");
	ubsan_epilogue();
}

void __ubsan_handle_invalid_builtin(const struct ubsan_invalid_builtin_data *d)
{
	if (!ubsan_prologue(&d->loc, "invalid-builtin-use"))
		return;
	printk(KERN_ERR "passing zero to %s, which is not a valid argument\n",
	       d->kind == 0 ? "ctz()" : "clz()");
	ubsan_epilogue();
}

/* Execution reached a point the compiler was promised it never would:
 * there is no next instruction to return to. */
void __ubsan_handle_builtin_unreachable(const struct ubsan_unreachable_data *d)
{
	if (ubsan_prologue(&d->loc, "unreachable")) {
		printk(KERN_ERR "calling __builtin_unreachable()\n");
		ubsan_epilogue();
	}
	panic("can't return from __builtin_unreachable()");
}
