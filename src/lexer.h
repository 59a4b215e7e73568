/* The lexer: turns source text into tokens.  Words come out already split
 * into parts (literal text, quoted text, $name, $( ), $(( )), ~), so the
 * expander never re-scans text.  `$(` and backquotes call back into the
 * parser, which reads the nested program from the lexer it is given. */
#ifndef COSH_LEXER_H
#define COSH_LEXER_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"

enum tok_type {
	T_EOF,
	T_NEWLINE,
	T_WORD,
	T_IO_NUMBER, /* digits right before < or > */
	T_SEMI,      /* ;  */
	T_DSEMI,     /* ;; */
	T_AMP,       /* &  */
	T_AND_IF,    /* && */
	T_PIPE,      /* |  */
	T_OR_IF,     /* || */
	T_LPAREN,    /* (  */
	T_RPAREN,    /* )  */
	T_LESS,      /* <  */
	T_GREAT,     /* >  (also >|) */
	T_DGREAT,    /* >> */
	T_LESSAND,   /* <& */
	T_GREATAND,  /* >& */
	T_ANDGREAT,  /* &> */
	T_LESSGREAT, /* <> */
	T_DLESS,     /* << */
	T_DLESSDASH, /* <<- */
	T_ERROR,     /* see the shared parse_error */
};

enum parse_status {
	PARSE_OK,
	PARSE_ERROR,      /* bad input: msg and pos say why and where */
	PARSE_INCOMPLETE, /* input ended inside a construct and more may come */
};

/* Deepest nesting of commands and expansions accepted; deeper input is an
 * error rather than a stack overflow. */
#define PARSE_MAX_DEPTH 1000

/* What a lexer, its sub-lexers and the parser share: the first problem
 * met, and how deep the recursion is now. */
struct parse_error {
	enum parse_status status;
	char *msg; /* arena string, without the "syntax error: " prefix */
	struct pos pos;
	int depth;
};

struct token {
	enum tok_type type;
	struct pos pos;
	size_t begin, end; /* offsets into the lexer's source */
	struct word *word; /* T_WORD */
	int number;        /* T_IO_NUMBER */
};

struct lexer;
/* Parses a nested program from lx: up to its `)` (to_eof false, after
 * `$(`) or to the end of lx's input (backquotes). NULL on error. */
typedef struct node *(*nested_parse_fn)(void *ctx, struct lexer *lx, bool to_eof);

struct lexer {
	const char *src;
	size_t len, i;
	int line, col;
	bool final; /* no more input will follow: running out is an error */
	struct arena *arena;
	struct parse_error *err;
	/* Here-documents whose bodies start after the next newline. */
	struct redir **pending;
	size_t npending, cappending;
	nested_parse_fn nested; /* may be NULL: then $( ) is an error */
	void *ctx;
};

void lexer_init(struct lexer *lx, const char *src, size_t len, int first_line, bool final,
		struct arena *arena, struct parse_error *err);
void lexer_finish(struct lexer *lx);
/* Reads the next token.  After a newline the bodies of pending
 * here-documents are read first.  T_ERROR: see lx->err. */
void lexer_next(struct lexer *lx, struct token *tok);
/* Queues a here-document (its delim, strip_tabs and quoted are set). */
void lexer_push_heredoc(struct lexer *lx, struct redir *r);
/* Records an error; the first one wins. */
void lexer_error(struct lexer *lx, struct pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Counts one more level of nesting; false (and an error) when too deep.
 * Every successful call is paired with lexer_leave. */
bool lexer_enter(struct lexer *lx);
void lexer_leave(struct lexer *lx);
/* Input ran out at pos: incomplete, or an error when final. */
void lexer_eof(struct lexer *lx, struct pos pos, const char *what);
/* Printable name of a token for messages: 'fi', newline, end of file. */
const char *token_describe(struct lexer *lx, const struct token *t);
bool is_name(const char *s, size_t n);
bool is_name_start(int c);
bool is_name_char(int c);

#endif
