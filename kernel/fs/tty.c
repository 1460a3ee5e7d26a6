/*
 * tty.c - the console as a file (/dev/console, and fds 0-2 of init), and
 * /dev/null.
 *
 * Output goes where printk's goes (console_write: serial and VGA), with
 * interrupts off per line as printk does, so a message from an interrupt
 * handler never lands inside a character sequence.
 *
 * Input is "cooked", as a Unix terminal in canonical mode: the reader gets
 * whole lines.  Typed bytes are echoed; backspace (0x7f or 0x08) erases a
 * character, Ctrl-U the line; Enter (CR or LF; the LF of a CR LF pair is
 * dropped) ends it and the reader gets "...\n"; Ctrl-D at the start of a
 * line is end of file (read returns 0), elsewhere it hands over the line
 * so far without a newline.  Other control bytes and non-ASCII are ignored.
 *
 * The line discipline runs in the reader's thread, on demand: a read that
 * has no finished line takes bytes from the UART's receive ring (filled
 * by its interrupt) and edits the line, and sleeps on tty_rx_wait when the
 * ring is empty; the UART interrupt wakes it (uart_set_rx_notify).  So
 * bytes typed while nobody reads stay in the UART ring, and the kernel
 * monitor, which reads that ring itself with uart_getc, keeps working.
 *
 * Lock: tty_lock (a mutex) guards the line, the finished line and the
 * queued test input; one reader edits at a time.  The UART ring is taken
 * from with interrupts off, as uart16550.h asks.
 */
#include "arch/x86_64/x86.h"
#include "drivers/serial/uart16550.h"
#include "fs/file.h"
#include "lib/console.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "sched/mutex.h"
#include "sched/wait.h"

#define TTY_LINE_MAX  256		/* bytes in a line, with its "\n" */
#define TTY_WRITE_RUN 256		/* most bytes written with interrupts off */

#define CTRL(c) ((c) & 0x1f)

static DEFINE_MUTEX(tty_lock);
/* [tty_lock] */
static char tty_line[TTY_LINE_MAX];	/* the line being typed */
static size_t tty_line_len;
static char tty_ready[TTY_LINE_MAX];	/* a finished line the reader is taking */
static size_t tty_ready_len, tty_ready_pos;
static bool tty_eof;			/* Ctrl-D at a line start: next read returns 0 */
static bool tty_after_cr;		/* the last byte was CR: drop an LF now */
static char tty_fake[TTY_LINE_MAX];	/* tty_input's bytes, taken before the UART's */
static size_t tty_fake_len, tty_fake_pos;

/* Readers wait here for a byte; the UART interrupt wakes them. */
static struct wait_queue_head tty_rx_wait = WAIT_QUEUE_HEAD_INIT(tty_rx_wait);

/* ------------------------------------------------------------ output */

static void tty_echo(const char *s, size_t n)
{
	/* Interrupts off, as printk's vprintk holds them, so a line of
	 * ours and a line of a message never mix within a byte sequence. */
	u64 flags = irq_save();

	console_write(s, n);
	irq_restore(flags);
}

static long tty_write(struct file *f, const void *buf, size_t n)
{
	const char *s = buf;

	(void)f;
	/* A line at a time (at most TTY_WRITE_RUN bytes) with interrupts
	 * off: a whole 4 KiB at 115200 baud would hold them off ~350 ms. */
	for (size_t i = 0; i < n;) {
		size_t run = MIN(n - i, (size_t)TTY_WRITE_RUN);
		const char *nl = memchr(s + i, '\n', run);

		if (nl)
			run = (size_t)(nl - (s + i)) + 1;
		tty_echo(s + i, run);
		i += run;
	}
	return (long)n;
}

/* ------------------------------------------------------------ input */

/* The next input byte, or -1 if none is waiting. */
static int tty_getc_locked(void)
{
	if (tty_fake_pos < tty_fake_len)
		return (u8)tty_fake[tty_fake_pos++];
	u64 flags = irq_save();
	int c = uart_getc();

	irq_restore(flags);
	return c;
}

/* The line is finished: hand it to the reader. */
static void tty_finish_line_locked(bool newline)
{
	memcpy(tty_ready, tty_line, tty_line_len);
	tty_ready_len = tty_line_len;
	if (newline)
		tty_ready[tty_ready_len++] = '\n';	/* room kept: see tty_edit_locked */
	tty_ready_pos = 0;
	tty_line_len = 0;
}

/* One typed byte: edit the line, echo. */
static void tty_edit_locked(char c)
{
	bool after_cr = tty_after_cr;

	tty_after_cr = c == '\r';
	if (c == '\n' && after_cr)
		return;			/* the LF of CR LF: Enter was handled */
	if (c == '\r' || c == '\n') {
		tty_echo("\n", 1);
		tty_finish_line_locked(true);
	} else if (c == 0x7f || c == '\b') {
		if (tty_line_len) {
			tty_line_len--;
			tty_echo("\b \b", 3);
		}
	} else if (c == CTRL('U')) {
		for (; tty_line_len; tty_line_len--)
			tty_echo("\b \b", 3);
	} else if (c == CTRL('D')) {
		if (tty_line_len)
			tty_finish_line_locked(false);
		else
			tty_eof = true;
	} else if ((c >= ' ' && c < 0x7f) || c == '\t') {
		/* One byte stays free for the "\n" Enter adds. */
		if (tty_line_len < TTY_LINE_MAX - 1) {
			tty_line[tty_line_len++] = c;
			tty_echo(&c, 1);
		}
	}
}

/*
 * Wait for input, the race-free way of wait.h: queue first, then look for
 * a byte (and at the kill flag), and only then sleep.  A byte the UART
 * interrupt queues after our look wakes us, because we are on the queue
 * by then; so does a kill's sched_wake.  The byte found, if any, is
 * edited in.  -EINTR if the process was killed.
 */
static int tty_wait_locked(void)
{
	DEFINE_WAIT(w);

	prepare_to_wait_interruptible(&tty_rx_wait, &w);
	int c = tty_getc_locked();
	bool killed = proc_killed();

	if (c < 0 && !killed) {
		/* Sleep without the mutex: a second reader blocks on it
		 * uninterruptibly otherwise, deaf to kill. */
		mutex_unlock(&tty_lock);
		schedule();
		finish_wait(&tty_rx_wait, &w);
		mutex_lock(&tty_lock);
	} else {
		finish_wait(&tty_rx_wait, &w);
	}
	if (c >= 0)
		tty_edit_locked((char)c);
	return killed ? -EINTR : 0;
}

static long tty_read(struct file *f, void *buf, size_t n)
{
	long r;

	(void)f;
	if (n == 0)
		return 0;
	mutex_lock(&tty_lock);
	for (;;) {
		if (tty_ready_pos < tty_ready_len) {
			/* What is left of the line; the rest waits for the next read. */
			size_t k = MIN(n, tty_ready_len - tty_ready_pos);

			memcpy(buf, tty_ready + tty_ready_pos, k);
			tty_ready_pos += k;
			r = (long)k;
			break;
		}
		if (tty_eof) {
			tty_eof = false;	/* one end of file per Ctrl-D */
			r = 0;
			break;
		}
		int c = tty_getc_locked();

		if (c >= 0) {
			tty_edit_locked((char)c);
			continue;
		}
		r = tty_wait_locked();
		if (r)
			break;
	}
	mutex_unlock(&tty_lock);
	return r;
}

/* Called from the UART's interrupt handler, interrupts off. */
static void tty_rx_notify(void)
{
	wake_up_all(&tty_rx_wait);
}

void tty_input(const char *s, size_t n)
{
	mutex_lock(&tty_lock);
	if (tty_fake_pos == tty_fake_len)
		tty_fake_pos = tty_fake_len = 0;
	n = MIN(n, sizeof(tty_fake) - tty_fake_len);
	memcpy(tty_fake + tty_fake_len, s, n);
	tty_fake_len += n;
	mutex_unlock(&tty_lock);
	wake_up_all(&tty_rx_wait);
}

void tty_init(void)
{
	uart_set_rx_notify(tty_rx_notify);
}

/* ------------------------------------------------------------ files */

static void tty_stat(struct file *f, struct stat *st)
{
	(void)f;
	st->type = S_IFCHR;
	st->mode = 0620;
}

static const struct file_ops tty_ops = {
	.name = "console", .seekable = false,
	.read = tty_read, .write = tty_write, .stat = tty_stat,
};

int tty_open(int flags, struct file **out)
{
	*out = file_alloc(&tty_ops, flags & (O_ACCMODE | O_APPEND), NULL);
	return *out ? 0 : -ENOMEM;
}

/* /dev/null: reads are at end of file, writes vanish.  Seekable like
 * Linux's (lseek succeeds and means nothing). */
static long null_read(struct file *f, void *buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return 0;
}

static long null_write(struct file *f, const void *buf, size_t n)
{
	(void)f, (void)buf;
	return (long)n;
}

static void null_stat(struct file *f, struct stat *st)
{
	(void)f;
	st->type = S_IFCHR;
	st->mode = 0666;
}

static const struct file_ops null_ops = {
	.name = "null", .seekable = true,
	.read = null_read, .write = null_write, .stat = null_stat,
};

int null_open(int flags, struct file **out)
{
	*out = file_alloc(&null_ops, flags & (O_ACCMODE | O_APPEND), NULL);
	return *out ? 0 : -ENOMEM;
}
