/*
 * printk.c - format a message, stamp it, keep it in the log ring, show it.
 *
 * Messages are formatted into a stack buffer (long ones are cut at 512
 * bytes), so printk works from any context, including exception handlers
 * before memory management exists.  Interrupts are disabled while a message
 * is written, so lines from an interrupt handler never split another's.
 *
 * State (single CPU, guarded by disabling interrupts): the console level,
 * whether the last output ended a line, the log ring, the capture buffer.
 */
#include "arch/x86_64/x86.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"

#define PRINTK_LINE_MAX 512
#define LOG_RING_SIZE 16384

static int console_loglevel = LOGLEVEL_DEFAULT_CONSOLE;
static bool at_line_start = true;
static int cont_level = LOGLEVEL_DEFAULT_MESSAGE;	/* level of the open line */
static u64 (*clock_ns)(void);

static char log_ring[LOG_RING_SIZE];
static size_t log_head;		/* total bytes ever logged; index = head % size */

static char *capture_buf;
static size_t capture_size, capture_len;

void printk_set_console_loglevel(int level) { console_loglevel = level; }
int printk_console_loglevel(void) { return console_loglevel; }
void printk_set_clock(u64 (*ns_since_boot)(void)) { clock_ns = ns_since_boot; }

static void log_append(const char *s, size_t n, bool show)
{
	for (size_t i = 0; i < n; i++)
		log_ring[(log_head + i) % LOG_RING_SIZE] = s[i];
	log_head += n;
	if (show)
		console_write(s, n);
}

static void capture_append(const char *s, size_t n)
{
	if (!capture_buf || capture_len + 1 >= capture_size)
		return;
	size_t room = capture_size - 1 - capture_len;
	size_t k = n < room ? n : room;

	memcpy(capture_buf + capture_len, s, k);
	capture_len += k;
	capture_buf[capture_len] = '\0';
}

/* Split off a KERN_ prefix; returns the level, or -1 for KERN_CONT. */
static int printk_parse_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] != KERN_SOH[0] || !f[1])
		return at_line_start ? LOGLEVEL_DEFAULT_MESSAGE : -1;
	*fmt = f + 2;
	if (f[1] == 'c')
		return -1;
	if (f[1] >= '0' && f[1] <= '7')
		return f[1] - '0';
	return LOGLEVEL_DEFAULT_MESSAGE;
}

int vprintk(const char *fmt, va_list ap)
{
	char text[PRINTK_LINE_MAX];
	int level = printk_parse_level(&fmt);
	int len = kvsnprintf(text, sizeof(text), fmt, ap);
	size_t n = len < (int)sizeof(text) ? (size_t)len : sizeof(text) - 1;
	u64 flags = irq_save();

	if (level < 0)
		level = cont_level;
	else if (!at_line_start) {
		/* A new message while a line is open: end that line first. */
		log_append("\n", 1, cont_level < console_loglevel);
		at_line_start = true;
	}
	cont_level = level;
	bool show = level < console_loglevel;

	capture_append(text, n);
	for (size_t i = 0; i < n;) {
		if (at_line_start) {
			char stamp[24];
			u64 ns = clock_ns ? clock_ns() : 0;
			int k = ksnprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
					  (unsigned long long)(ns / 1000000000),
					  (unsigned long long)(ns / 1000 % 1000000));
			log_append(stamp, (size_t)k, show);
			at_line_start = false;
		}
		const char *nl = memchr(text + i, '\n', n - i);
		size_t chunk = nl ? (size_t)(nl - (text + i)) + 1 : n - i;

		log_append(text + i, chunk, show);
		if (nl)
			at_line_start = true;
		i += chunk;
	}
	irq_restore(flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int r = vprintk(fmt, ap);
	va_end(ap);
	return r;
}

void printk_capture_start(char *buf, size_t size)
{
	u64 flags = irq_save();

	capture_buf = buf;
	capture_size = size;
	capture_len = 0;
	if (size)
		buf[0] = '\0';
	irq_restore(flags);
}

size_t printk_capture_stop(void)
{
	u64 flags = irq_save();
	size_t n = capture_len;

	capture_buf = NULL;
	irq_restore(flags);
	return n;
}

void printk_dump_log(void (*out)(const char *s, size_t n))
{
	size_t start = log_head > LOG_RING_SIZE ? log_head - LOG_RING_SIZE : 0;

	for (size_t i = start; i < log_head;) {
		size_t at = i % LOG_RING_SIZE;
		size_t run = MIN(LOG_RING_SIZE - at, log_head - i);

		out(log_ring + at, run);
		i += run;
	}
}
