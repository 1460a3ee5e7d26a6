/*
 * sh_parse.h - the shell's parser: one input line in, a list of pipelines
 * of commands out.  Pure: no system calls and no allocation, so sh.c
 * links it and a host program can test it as it is.
 *
 *   line     := [ pipeline { (';' | '&') pipeline } [ ';' | '&' ] ] [ # comment ]
 *   pipeline := command { '|' command }
 *   command  := { word | '<' word | '>' word | '>>' word }, with a word
 *   word     := characters other than blanks and | ; & < >, where
 *               '...' is taken literally, "..." too except that \" and \\
 *               stand for " and \, and outside quotes \c stands for c.
 *               '' and "" make an empty word.  A '#' that begins a word
 *               starts a comment to the end of the line.
 *
 * All strings in a parsed sh_line point into the sh_line itself, so a
 * parsed sh_line must not be copied, and lives as long as its commands.
 */
#ifndef CANARY_SH_PARSE_H
#define CANARY_SH_PARSE_H

#include <stdbool.h>

#define SH_LINE_MAX  512	/* bytes in a line, the NUL included */
#define SH_ARGS_MAX  32		/* words in one command (= ARGV_MAX) */
#define SH_CMDS_MAX  32		/* commands in one line, all pipelines together */
#define SH_ERROR_MAX 96		/* bytes of sh_line.error */

struct sh_cmd {
	int argc;
	char *argv[SH_ARGS_MAX + 1];	/* argv[argc] == NULL; words in sh_line */
	char *in;			/* "< in", or NULL */
	char *out;			/* "> out" or ">> out", or NULL */
	bool append;			/* out came with ">>": O_APPEND, not O_TRUNC */
};

struct sh_pipeline {
	struct sh_cmd *cmds;		/* ncmds commands inside sh_line.cmds */
	int ncmds;			/* at least 1: cmds[i] | cmds[i + 1] */
	bool background;		/* ended with '&': do not wait for it */
};

struct sh_line {
	/* The entries past npipes and ncmds are the parser's scratch: the
	 * pipeline and command still being read (hence the + 1). */
	struct sh_pipeline pipes[SH_CMDS_MAX + 1];	/* in the order to run them */
	int npipes;				/* 0 for a blank line or a comment */
	struct sh_cmd cmds[SH_CMDS_MAX + 1];	/* every pipeline's commands */
	int ncmds;
	char words[2 * SH_LINE_MAX];	/* the words without their quotes, NUL-ended */
	char error[SH_ERROR_MAX];	/* why sh_parse failed: "syntax error: ..." */
};

/*
 * Parse the NUL-terminated `line` into *sl.  Returns 0, or -1 with
 * sl->error set (nothing in *sl is then to be run).  Syntax errors read
 * "syntax error: ..."; a line over a limit above reads "too many ..." or
 * "line too long ...".
 */
int sh_parse(const char *line, struct sh_line *sl);

#endif
