/*
 * sh.c - the shell: reads lines, parses each (sh_parse.c) and runs its
 * pipelines with fork, pipe, dup2 and exec, waiting for the last command
 * of each unless the pipeline ends in '&'.
 *
 *   sh              read lines from fd 0; prompt "$ " when fd 0 is the
 *                   console (a character device, as isatty() would say)
 *   sh -c LINE      run LINE; exit with its status
 *   sh FILE         run FILE line by line; exit with the last status
 *
 * A command name without '/' is run as /bin/NAME.  The builtins are
 * listed in `builtins` below; all but `exit` run in a child like any
 * program, so that pipes and redirections apply to them unchanged.
 * Status: a command's exit status, 128 + N when signal N killed it, 2 for
 * a syntax error, 126/127 when it could not be run (as in POSIX shells).
 * A background pipeline's last pid is printed as "[pid]" on stderr; ended
 * background children are collected before each line is read, and one
 * that a signal killed is reported then.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh_parse.h"

_Static_assert(SH_ARGS_MAX <= ARGV_MAX, "the parser allows more words than exec takes");

static int script_fd = -1;	/* the script being read: children must not inherit it */
static int last_status;		/* of the last pipeline, for `exit` without N */

struct builtin {
	const char *name;
	const char *usage;		/* for help */
	int (*run)(struct sh_cmd *c);	/* returns the exit status */
	bool in_shell;			/* runs in the shell itself, not a child */
};

static int builtin_exit(struct sh_cmd *c);
static int builtin_help(struct sh_cmd *c);
static int builtin_monitor(struct sh_cmd *c);

static const struct builtin builtins[] = {
	{ "exit", "exit [N]   leave the shell with status N (default: the last status)",
	  builtin_exit, true },
	{ "help", "help       this list",
	  builtin_help, false },
	{ "monitor", "monitor    enter the kernel monitor (leave it to come back)",
	  builtin_monitor, false },
};

static const struct builtin *find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}

static int builtin_exit(struct sh_cmd *c)
{
	char *end;
	long n;

	if (c->argc == 1)
		exit(last_status);
	if (c->argc > 2) {
		dprintf(STDERR_FILENO, "sh: exit: too many arguments\n");
		return 1;
	}
	n = strtol(c->argv[1], &end, 10);
	if (end == c->argv[1] || *end) {
		dprintf(STDERR_FILENO, "sh: exit: %s: not a number\n", c->argv[1]);
		exit(2);
	}
	exit((int)(n & 0xff));
}

/* The names in /bin, eight to a line. */
static int list_programs(void)
{
	struct dirent de;
	long fd = open("/bin", O_RDONLY), r;
	int n = 0;

	if (fd < 0)
		return err_report("sh", "/bin", fd);
	while ((r = readdir((int)fd, &de)) > 0)
		printf(++n % 8 ? "  %s" : "  %s\n", de.name);
	if (n % 8)
		printf("\n");
	close((int)fd);
	return r < 0 ? err_report("sh", "/bin", r) : 0;
}

static int builtin_help(struct sh_cmd *c)
{
	(void)c;
	printf("builtins:\n");
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		printf("  %s\n", builtins[i].usage);
	printf("programs in /bin:\n");
	return list_programs();
}

static int builtin_monitor(struct sh_cmd *c)
{
	long r = monitor();

	(void)c;
	return r < 0 ? err_report("sh", "monitor", r) : 0;
}

/* Make `fd` the descriptor `to`, leaving no other copy open. */
static void move_fd(int fd, int to)
{
	if (fd == to)
		return;
	dup2(fd, to);
	close(fd);
}

/* Apply c's "< in" and "> out"; in a child, after the pipes. */
static int redirect(const struct sh_cmd *c)
{
	long fd;

	if (c->in) {
		fd = open(c->in, O_RDONLY);
		if (fd < 0)
			return -err_report("sh", c->in, fd);
		move_fd((int)fd, STDIN_FILENO);
	}
	if (c->out) {
		fd = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC));
		if (fd < 0)
			return -err_report("sh", c->out, fd);
		move_fd((int)fd, STDOUT_FILENO);
	}
	return 0;
}

/* Run c as /bin/NAME or as the path it names; exits only on failure. */
static __attribute__((noreturn)) void exec_program(struct sh_cmd *c)
{
	char path[PATH_MAX];
	const char *name = c->argv[0];
	long r;

	if (strchr(name, '/'))
		r = exec(name, c->argv);
	else if (snprintf(path, sizeof(path), "/bin/%s", name) >= (int)sizeof(path))
		r = -ENAMETOOLONG;
	else
		r = exec(path, c->argv);
	err_report("sh", name, r);
	exit(r == -ENOENT ? 127 : 126);
}

/*
 * The child's side of one command: stdin from `in`, stdout to `out`
 * (pipe ends, or 0 and 1), `other` (the read end of the next pipe, which
 * only the next command may hold) closed; then redirections, then run.
 */
static __attribute__((noreturn)) void run_child(struct sh_cmd *c, int in, int out, int other)
{
	const struct builtin *b = find_builtin(c->argv[0]);

	if (other >= 0)
		close(other);
	if (script_fd >= 0)
		close(script_fd);
	move_fd(in, STDIN_FILENO);
	move_fd(out, STDOUT_FILENO);
	if (redirect(c) < 0)
		exit(1);
	if (b)
		exit(b->run(c));
	exec_program(c);
}

/*
 * Start p's commands, each reading the previous one's pipe.  Fills pids
 * (0 for a command that could not be started) and returns how many
 * commands were started, stopping at the first failure.
 */
static int start_pipeline(struct sh_pipeline *p, long *pids)
{
	int in = STDIN_FILENO, i;

	for (i = 0; i < p->ncmds; i++) {
		int fds[2] = { -1, STDOUT_FILENO };	/* the last writes to stdout */
		long r = i + 1 < p->ncmds ? pipe(fds) : 0;

		if (r >= 0)
			r = pids[i] = fork();
		if (r == 0)
			run_child(&p->cmds[i], in, fds[1], fds[0]);
		if (in != STDIN_FILENO)
			close(in);
		if (fds[1] != STDOUT_FILENO)
			close(fds[1]);
		if (r < 0) {
			if (fds[0] >= 0)
				close(fds[0]);
			err_report("sh", p->cmds[i].argv[0], r);
			break;
		}
		in = fds[0];
	}
	return i;
}

/* The shell status for a wait status, reporting a death by signal. */
static int wait_status(const char *name, int st)
{
	if (WIFSIGNALED(st)) {
		dprintf(STDERR_FILENO, "sh: %s: killed by signal %d\n", name, WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	return WEXITSTATUS(st);
}

/* Wait for the n started commands of p; the status is the last one's
 * (1 if not all of p could be started). */
static int wait_pipeline(struct sh_pipeline *p, const long *pids, int n)
{
	int status = 1, st;

	for (int i = 0; i < n; i++) {
		long r = waitpid((int)pids[i], &st, 0);

		status = r < 0 ? err_report("sh", "waitpid", r) :
			wait_status(p->cmds[i].argv[0], st);
	}
	return n == p->ncmds ? status : 1;
}

static int run_pipeline(struct sh_pipeline *p)
{
	long pids[SH_CMDS_MAX];
	const struct builtin *b = find_builtin(p->cmds[0].argv[0]);
	int n;

	if (p->ncmds == 1 && !p->background && b && b->in_shell)
		return b->run(&p->cmds[0]);
	n = start_pipeline(p, pids);
	if (!p->background)
		return wait_pipeline(p, pids, n);
	if (n > 0)
		dprintf(STDERR_FILENO, "[%ld]\n", pids[n - 1]);
	return n == p->ncmds ? 0 : 1;
}

/* Collect background children that have ended, so none stays a zombie. */
static void reap_background(void)
{
	long pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		if (WIFSIGNALED(st))
			dprintf(STDERR_FILENO, "sh: [%ld]: killed by signal %d\n",
				pid, WTERMSIG(st));
}

static int run_line(const char *line)
{
	static struct sh_line sl;	/* ~10 KiB: not on the stack */

	if (sh_parse(line, &sl) < 0) {
		dprintf(STDERR_FILENO, "sh: %s\n", sl.error);
		return last_status = 2;
	}
	for (int i = 0; i < sl.npipes; i++)
		last_status = run_pipeline(&sl.pipes[i]);
	return last_status;
}

/* Run every line read from fd; `prompt` before each. */
static void run_lines(int fd, bool prompt)
{
	char line[SH_LINE_MAX + 1];	/* + 1: a line too long reaches the parser */

	for (;;) {
		reap_background();
		if (prompt)
			write(STDOUT_FILENO, "$ ", 2);
		if (readline(fd, line, sizeof(line)) < 0)
			return;
		run_line(line);
	}
}

static int run_file(const char *path)
{
	long fd = open(path, O_RDONLY);

	if (fd < 0) {
		err_report("sh", path, fd);
		return 127;
	}
	script_fd = (int)fd;
	run_lines(script_fd, false);
	close(script_fd);
	return last_status;
}

/* Whether fd 0 is the console: only then is a prompt wanted. */
static bool stdin_is_console(void)
{
	struct stat st;

	return fstat(STDIN_FILENO, &st) < 0 || st.type == S_IFCHR;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-c"))
		return run_line(argv[2]);
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		err_usage("sh [-c command | file]");
	if (argc == 2)
		return run_file(argv[1]);
	run_lines(STDIN_FILENO, stdin_is_console());
	return 0;
}
