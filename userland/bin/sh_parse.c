/*
 * sh_parse.c - turns a shell line into pipelines of commands (grammar in
 * sh_parse.h).  Two layers: the lexer cuts the line into tokens (words,
 * with their quotes removed, copied into sl->words; and the operators),
 * and the parser, one token at a time, fills the current command and
 * closes commands at '|' and pipelines at ';', '&' and the end of line.
 * Uses only <string.h> and snprintf, so it builds on the host too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sh_parse.h"

enum sh_tok {
	TOK_END,	/* end of line, or a comment */
	TOK_WORD,
	TOK_PIPE,	/* | */
	TOK_SEMI,	/* ; */
	TOK_AMP,	/* & */
	TOK_IN,		/* < */
	TOK_OUT,	/* > */
	TOK_APPEND,	/* >> */
	TOK_ERROR,	/* sl->error says what */
};

/* How a token is named in an error message. */
static const char *const tok_text[] = {
	[TOK_END] = "end of line", [TOK_WORD] = "word", [TOK_PIPE] = "'|'",
	[TOK_SEMI] = "';'", [TOK_AMP] = "'&'", [TOK_IN] = "'<'",
	[TOK_OUT] = "'>'", [TOK_APPEND] = "'>>'", [TOK_ERROR] = "error",
};

struct parser {
	const char *p;			/* next character of the line */
	char *out;			/* where the next word goes, in sl->words */
	char *word;			/* the last TOK_WORD's text */
	struct sh_line *sl;		/* being filled */
	struct sh_pipeline *pipe;	/* the open pipeline: sl->pipes[sl->npipes] */
	struct sh_cmd *cmd;		/* the open command: sl->cmds[sl->ncmds] */
};

__attribute__((format(printf, 2, 3)))
static int parse_fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->sl->error, sizeof(ps->sl->error), fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';	/* \r: a CRLF terminal */
}

static bool is_operator(char c)
{
	return c && strchr("|;&<>", c);
}

/* Copy a quoted part ('...' or "...") starting at the opening quote. */
static int lex_quoted(struct parser *ps)
{
	char quote = *ps->p++;

	while (*ps->p && *ps->p != quote) {
		if (quote == '"' && ps->p[0] == '\\' &&
		    (ps->p[1] == '"' || ps->p[1] == '\\'))
			ps->p++;
		*ps->out++ = *ps->p++;
	}
	if (!*ps->p)
		return parse_fail(ps, "syntax error: unterminated %c quote", quote);
	ps->p++;
	return 0;
}

/* One word, up to a blank, an operator or the end of the line.  Each
 * word needs at most one byte more than its source text, which is what
 * sizes sl->words. */
static enum sh_tok lex_word(struct parser *ps)
{
	char c;

	ps->word = ps->out;
	while ((c = *ps->p) && !is_blank(c) && !is_operator(c)) {
		if (c == '\'' || c == '"') {
			if (lex_quoted(ps) < 0)
				return TOK_ERROR;
			continue;
		}
		if (c == '\\' && ps->p[1])
			ps->p++;
		*ps->out++ = *ps->p++;
	}
	*ps->out++ = '\0';
	return TOK_WORD;
}

static enum sh_tok lex_next(struct parser *ps)
{
	while (is_blank(*ps->p))
		ps->p++;
	switch (*ps->p) {
	case '\0':
	case '#':
		return TOK_END;
	case '|':
		ps->p++;
		return TOK_PIPE;
	case ';':
		ps->p++;
		return TOK_SEMI;
	case '&':
		ps->p++;
		return TOK_AMP;
	case '<':
		ps->p++;
		return TOK_IN;
	case '>':
		ps->p++;
		if (*ps->p != '>')
			return TOK_OUT;
		ps->p++;
		return TOK_APPEND;
	default:
		return lex_word(ps);
	}
}

static bool cmd_is_empty(const struct sh_cmd *c)
{
	return c->argc == 0 && !c->in && !c->out;
}

static int add_word(struct parser *ps)
{
	if (ps->cmd->argc == SH_ARGS_MAX)
		return parse_fail(ps, "too many arguments (the limit is %d)",
				  SH_ARGS_MAX);
	ps->cmd->argv[ps->cmd->argc++] = ps->word;
	return 0;
}

/* After '<', '>' or '>>' (tok), a word must follow: the file. */
static int add_redirect(struct parser *ps, enum sh_tok tok)
{
	if (lex_next(ps) != TOK_WORD)
		return parse_fail(ps, "syntax error: missing file name after %s",
				  tok_text[tok]);
	if (tok == TOK_IN) {
		ps->cmd->in = ps->word;
	} else {
		ps->cmd->out = ps->word;
		ps->cmd->append = tok == TOK_APPEND;
	}
	return 0;
}

/* The open command is complete (`tok` follows it): count it and open the
 * next one. */
static int end_command(struct parser *ps, enum sh_tok tok)
{
	if (cmd_is_empty(ps->cmd))
		return parse_fail(ps, "syntax error: unexpected %s", tok_text[tok]);
	if (ps->cmd->argc == 0)
		return parse_fail(ps, "syntax error: redirection without a command");
	if (ps->sl->ncmds == SH_CMDS_MAX)
		return parse_fail(ps, "too many commands (the limit is %d)",
				  SH_CMDS_MAX);
	ps->sl->ncmds++;
	ps->pipe->ncmds++;
	ps->cmd++;
	return 0;
}

/* The open pipeline ends with its open command (`tok` follows it). */
static int end_pipeline(struct parser *ps, enum sh_tok tok)
{
	if (end_command(ps, tok) < 0)
		return -1;
	ps->pipe->background = tok == TOK_AMP;
	ps->sl->npipes++;
	ps->pipe++;
	ps->pipe->cmds = ps->cmd;
	return 0;
}

/* The end of the line closes the open pipeline, if anything is open. */
static int end_line(struct parser *ps)
{
	if (cmd_is_empty(ps->cmd) && ps->pipe->ncmds == 0)
		return 0;
	return end_pipeline(ps, TOK_END);
}

static int parse_token(struct parser *ps, enum sh_tok tok)
{
	switch (tok) {
	case TOK_WORD:
		return add_word(ps);
	case TOK_IN:
	case TOK_OUT:
	case TOK_APPEND:
		return add_redirect(ps, tok);
	case TOK_PIPE:
		return end_command(ps, tok);
	case TOK_SEMI:
	case TOK_AMP:
		return end_pipeline(ps, tok);
	default:
		return -1;	/* TOK_ERROR: the lexer set sl->error */
	}
}

int sh_parse(const char *line, struct sh_line *sl)
{
	struct parser ps = { .p = line, .out = sl->words, .sl = sl };
	enum sh_tok tok;

	memset(sl, 0, sizeof(*sl));
	ps.pipe = sl->pipes;
	ps.cmd = sl->cmds;
	ps.pipe->cmds = ps.cmd;
	if (strlen(line) >= SH_LINE_MAX)
		return parse_fail(&ps, "line too long (the limit is %d bytes)",
				  SH_LINE_MAX - 1);
	while ((tok = lex_next(&ps)) != TOK_END)
		if (parse_token(&ps, tok) < 0)
			return -1;
	return end_line(&ps);
}
