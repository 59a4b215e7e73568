/* The syntax tree.  Every node embeds struct node as its first member and
 * is told apart by its type tag; AST_CAST checks the tag in debug builds.
 * All nodes, words and strings of one parse live in one arena (parser.h). */
#ifndef COSH_AST_H
#define COSH_AST_H

#include <stdbool.h>
#include <string.h>
#include <stddef.h>

#include "util/util.h"

struct pos {
	int line, col; /* 1-based */
};

enum part_type {
	PART_LIT,    /* text */
	PART_PARAM,  /* $name ${name...} */
	PART_CMDSUB, /* $( ) and ` ` */
	PART_ARITH,  /* $(( )) */
	PART_TILDE,  /* ~ or ~user at a word's start */
};

enum param_op {
	POP_NONE,
	POP_LENGTH,       /* ${#name} */
	POP_DEFAULT,      /* ${name-word} ${name:-word} */
	POP_ASSIGN,       /* ${name=word} */
	POP_ALT,          /* ${name+word} */
	POP_ERROR,        /* ${name?word} */
	POP_TRIM_PREFIX,  /* ${name#pat} */
	POP_TRIM_PREFIX_LONG,
	POP_TRIM_SUFFIX,  /* ${name%pat} */
	POP_TRIM_SUFFIX_LONG,
};

struct word;
struct node;

struct part {
	struct part *next;
	enum part_type type;
	bool quoted; /* inside "" or '' or escaped: no splitting, no globbing */
	char *text;  /* LIT: the text; PARAM: the name; TILDE: the user ("" = $HOME) */
	enum param_op op;   /* PARAM */
	bool colon;         /* PARAM: ":-" rather than "-" */
	struct word *arg;   /* PARAM: the word after the operator; ARITH: the expression */
	struct node *body;  /* CMDSUB */
};

struct word {
	struct part *parts;
	struct pos pos;
};

enum redir_op {
	R_IN,      /* <   */
	R_OUT,     /* >   */
	R_APPEND,  /* >>  */
	R_DUPIN,   /* <&  */
	R_DUPOUT,  /* >&  */
	R_BOTH,    /* &>  */
	R_RDWR,    /* <>  */
	R_HEREDOC, /* << and <<- */
};

struct redir {
	struct redir *next;
	enum redir_op op;
	int fd;              /* explicit [n], or -1 for the default */
	struct word *target; /* file, fd number, or "-"; NULL for here-documents */
	struct word *body;   /* here-document body, parts already split */
	char *delim;         /* here-document delimiter after quote removal */
	bool strip_tabs;     /* <<- */
	bool quoted;         /* <<'EOF': body is literal */
	struct pos pos;
};

enum node_type {
	N_SIMPLE,
	N_PIPELINE,
	N_AND,
	N_OR,
	N_LIST,
	N_GROUP,
	N_SUBSHELL,
	N_IF,
	N_WHILE,
	N_UNTIL,
	N_FOR,
	N_CASE,
	N_FUNCDEF,
};

struct node {
	enum node_type type;
	struct pos pos;
	struct redir *redirs; /* on simple and compound commands */
};

struct assign {
	struct assign *next;
	char *name;
	struct word *value;
};

struct node_simple {
	struct node base;
	struct assign *assigns;
	struct word **words; /* NULL-terminated */
	size_t nwords;
	/* coproc [OPTION...] NAME { list; }: the group run as the coprocess,
	 * and its source text (for an owner that did not parse it); or NULL */
	struct node *group;
	char *group_text;
};

struct node_pipeline {
	struct node base;
	bool bang;
	struct node **cmds;
	size_t n;
};

struct node_binary { /* N_AND, N_OR */
	struct node base;
	struct node *left, *right;
};

struct list_item {
	struct node *cmd;
	bool background;
	char *text; /* its source text, naming its job in `jobs` and notices */
};

struct node_list {
	struct node base;
	struct list_item *items;
	size_t n;
};

struct node_group { /* N_GROUP, N_SUBSHELL */
	struct node base;
	struct node *body;
};

struct node_if {
	struct node base;
	struct node *cond, *then_part, *else_part; /* else may be NULL; elif nests */
};

struct node_loop { /* N_WHILE, N_UNTIL */
	struct node base;
	struct node *cond, *body;
};

struct node_for {
	struct node base;
	char *name;
	struct word **words; /* NULL-terminated; NULL pointer itself = "$@" */
	struct node *body;
};

struct case_item {
	struct word **patterns; /* NULL-terminated */
	struct node *body;      /* may be NULL */
};

struct node_case {
	struct node base;
	struct word *subject;
	struct case_item *items;
	size_t n;
};

struct node_funcdef {
	struct node base;
	char *name;
	struct node *body;
	struct arena *arena; /* the parse's arena, kept while defined */
};

#define AST_CAST(kind, n) ((struct kind *)(n))

/* Appends a canonical, parenthesised rendering of n to out (unit tests and
 * debugging): (list (and (cmd a) (cmd b)) ...). */
void ast_dump(const struct node *n, struct strbuf *out);
void ast_dump_word(const struct word *w, struct strbuf *out);

/* True when the word is exactly the unquoted literal s (keywords).
 * Inline: the parser asks it of every word, for every keyword. */
static inline bool word_is(const struct word *w, const char *s)
{
	const struct part *p = w->parts;
	return p && !p->next && p->type == PART_LIT && !p->quoted && p->text[0] == s[0] &&
	       strcmp(p->text, s) == 0;
}
/* The word's text when it is a single unquoted or quoted literal, else NULL. */
const char *word_literal(const struct word *w);

#endif
