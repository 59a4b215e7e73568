/* Rendering of syntax trees for tests and debugging, and word helpers. */
#include "config.h"
#include "ast.h"

#include <string.h>

const char *word_literal(const struct word *w)
{
	const struct part *p = w->parts;
	if (p && !p->next && p->type == PART_LIT)
		return p->text;
	return NULL;
}

static const char *const pop_names[] = {
	[POP_NONE] = "",
	[POP_LENGTH] = "#",
	[POP_DEFAULT] = "-",
	[POP_ASSIGN] = "=",
	[POP_ALT] = "+",
	[POP_ERROR] = "?",
	[POP_TRIM_PREFIX] = "#",
	[POP_TRIM_PREFIX_LONG] = "##",
	[POP_TRIM_SUFFIX] = "%",
	[POP_TRIM_SUFFIX_LONG] = "%%",
};

void ast_dump_word(const struct word *w, struct strbuf *out)
{
	bool first = true;
	for (const struct part *p = w->parts; p; p = p->next) {
		if (!first)
			strbuf_addc(out, '.');
		first = false;
		if (p->quoted)
			strbuf_addc(out, 'Q');
		switch (p->type) {
		case PART_LIT:
			strbuf_addf(out, "'%s'", p->text);
			break;
		case PART_TILDE:
			strbuf_addf(out, "~%s", p->text);
			break;
		case PART_PARAM:
			if (p->op == POP_LENGTH) {
				strbuf_addf(out, "${#%s}", p->text);
				break;
			}
			strbuf_addf(out, "${%s", p->text);
			if (p->op != POP_NONE) {
				strbuf_addf(out, "%s%s", p->colon ? ":" : "", pop_names[p->op]);
				if (p->arg)
					ast_dump_word(p->arg, out);
			}
			strbuf_addc(out, '}');
			break;
		case PART_CMDSUB:
			strbuf_adds(out, "$(");
			if (p->body)
				ast_dump(p->body, out);
			strbuf_addc(out, ')');
			break;
		case PART_ARITH:
			strbuf_adds(out, "$((");
			ast_dump_word(p->arg, out);
			strbuf_adds(out, "))");
			break;
		}
	}
}

static const char *const redir_names[] = {
	[R_IN] = "<", [R_OUT] = ">", [R_APPEND] = ">>", [R_DUPIN] = "<&",
	[R_DUPOUT] = ">&", [R_BOTH] = "&>", [R_RDWR] = "<>", [R_HEREDOC] = "<<",
};

static void dump_redirs(const struct redir *r, struct strbuf *out)
{
	for (; r; r = r->next) {
		strbuf_adds(out, " (");
		if (r->fd >= 0)
			strbuf_addf(out, "%d", r->fd);
		strbuf_adds(out, redir_names[r->op]);
		if (r->op == R_HEREDOC) {
			strbuf_addf(out, "%s%s ", r->strip_tabs ? "-" : "", r->quoted ? "'" : "");
			if (r->body)
				ast_dump_word(r->body, out);
		} else {
			strbuf_addc(out, ' ');
			ast_dump_word(r->target, out);
		}
		strbuf_addc(out, ')');
	}
}

static void dump_words(struct word *const *w, struct strbuf *out)
{
	for (; w && *w; w++) {
		strbuf_addc(out, ' ');
		ast_dump_word(*w, out);
	}
}

void ast_dump(const struct node *n, struct strbuf *out)
{
	if (!n) {
		strbuf_adds(out, "()");
		return;
	}
	switch (n->type) {
	case N_SIMPLE: {
		const struct node_simple *s = AST_CAST(node_simple, n);
		strbuf_adds(out, "(cmd");
		for (const struct assign *a = s->assigns; a; a = a->next) {
			strbuf_addf(out, " %s=", a->name);
			ast_dump_word(a->value, out);
		}
		dump_words(s->words, out);
		if (s->group) {
			strbuf_addc(out, ' ');
			ast_dump(s->group, out);
		}
		break;
	}
	case N_PIPELINE: {
		const struct node_pipeline *p = AST_CAST(node_pipeline, n);
		strbuf_adds(out, p->bang ? "(!pipe" : "(pipe");
		for (size_t i = 0; i < p->n; i++) {
			strbuf_addc(out, ' ');
			ast_dump(p->cmds[i], out);
		}
		break;
	}
	case N_AND:
	case N_OR: {
		const struct node_binary *b = AST_CAST(node_binary, n);
		strbuf_adds(out, n->type == N_AND ? "(and " : "(or ");
		ast_dump(b->left, out);
		strbuf_addc(out, ' ');
		ast_dump(b->right, out);
		break;
	}
	case N_LIST: {
		const struct node_list *l = AST_CAST(node_list, n);
		strbuf_adds(out, "(list");
		for (size_t i = 0; i < l->n; i++) {
			strbuf_addc(out, ' ');
			ast_dump(l->items[i].cmd, out);
			if (l->items[i].background)
				strbuf_adds(out, " &");
		}
		break;
	}
	case N_GROUP:
	case N_SUBSHELL:
		strbuf_adds(out, n->type == N_GROUP ? "(group " : "(subshell ");
		ast_dump(AST_CAST(node_group, n)->body, out);
		break;
	case N_IF: {
		const struct node_if *i = AST_CAST(node_if, n);
		strbuf_adds(out, "(if ");
		ast_dump(i->cond, out);
		strbuf_addc(out, ' ');
		ast_dump(i->then_part, out);
		if (i->else_part) {
			strbuf_addc(out, ' ');
			ast_dump(i->else_part, out);
		}
		break;
	}
	case N_WHILE:
	case N_UNTIL: {
		const struct node_loop *l = AST_CAST(node_loop, n);
		strbuf_adds(out, n->type == N_WHILE ? "(while " : "(until ");
		ast_dump(l->cond, out);
		strbuf_addc(out, ' ');
		ast_dump(l->body, out);
		break;
	}
	case N_FOR: {
		const struct node_for *f = AST_CAST(node_for, n);
		strbuf_addf(out, "(for %s", f->name);
		if (f->words) {
			strbuf_adds(out, " in");
			dump_words(f->words, out);
		}
		strbuf_addc(out, ' ');
		ast_dump(f->body, out);
		break;
	}
	case N_CASE: {
		const struct node_case *c = AST_CAST(node_case, n);
		strbuf_adds(out, "(case ");
		ast_dump_word(c->subject, out);
		for (size_t i = 0; i < c->n; i++) {
			strbuf_adds(out, " (");
			for (struct word **w = c->items[i].patterns; *w; w++) {
				if (w != c->items[i].patterns)
					strbuf_addc(out, '|');
				ast_dump_word(*w, out);
			}
			strbuf_addc(out, ' ');
			ast_dump(c->items[i].body, out);
			strbuf_addc(out, ')');
		}
		break;
	}
	case N_FUNCDEF: {
		const struct node_funcdef *f = AST_CAST(node_funcdef, n);
		strbuf_addf(out, "(func %s ", f->name);
		ast_dump(f->body, out);
		break;
	}
	}
	dump_redirs(n->redirs, out);
	strbuf_addc(out, ')');
}
