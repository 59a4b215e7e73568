/* Unit tests of the lexer: token types and positions, words and their
 * parts, here-document bodies, and incomplete or bad input.  Tokens are
 * rendered by lex_tokens (unit.h) as "TYPE@LINE:COL", words followed by
 * their ast_dump_word form. */
#include "unit.h"

/* ---- operators ---- */

START_TEST(operators_all)
{
	ck_assert_lex("; ;; & && | || ( ) < > >> <& >& &> <> << <<- >|", true,
		      ";@1:1 ;;@1:3 &@1:6 &&@1:8 |@1:11 ||@1:13 (@1:16 )@1:18 <@1:20 >@1:22 "
		      ">>@1:24 <&@1:27 >&@1:30 &>@1:33 <>@1:36 <<@1:39 <<-@1:42 >@1:46 EOF@1:48");
}
END_TEST

START_TEST(operators_without_blanks)
{
	ck_assert_lex("a;b&&c||d|e&f", true,
		      "WORD@1:1='a' ;@1:2 WORD@1:3='b' &&@1:4 WORD@1:6='c' ||@1:7 WORD@1:9='d' "
		      "|@1:10 WORD@1:11='e' &@1:12 WORD@1:13='f' EOF@1:14");
	ck_assert_lex("a>b<c", true, "WORD@1:1='a' >@1:2 WORD@1:3='b' <@1:4 WORD@1:5='c' EOF@1:6");
	ck_assert_lex("a;;b", true, "WORD@1:1='a' ;;@1:2 WORD@1:4='b' EOF@1:5");
	/* |& is not an operator: a pipe then an ampersand */
	ck_assert_lex("a|&b", true, "WORD@1:1='a' |@1:2 &@1:3 WORD@1:4='b' EOF@1:5");
}
END_TEST

START_TEST(redirection_operators_with_targets)
{
	ck_assert_lex("<<-E <&3 >&- <>f", true,
		      "<<-@1:1 WORD@1:4='E' <&@1:6 WORD@1:8='3' >&@1:10 WORD@1:12='-' <>@1:14 "
		      "WORD@1:16='f' EOF@1:17");
	/* >| is a plain > (no noclobber) */
	ck_assert_lex("a >|x", true, "WORD@1:1='a' >@1:3 WORD@1:5='x' EOF@1:6");
}
END_TEST

/* ---- IO numbers ---- */

START_TEST(io_number)
{
	ck_assert_lex("2>x", true, "IO@1:1=2 >@1:2 WORD@1:3='x' EOF@1:4");
	ck_assert_lex("2>&1", true, "IO@1:1=2 >&@1:2 WORD@1:4='1' EOF@1:5");
	ck_assert_lex("a 12<y", true, "WORD@1:1='a' IO@1:3=12 <@1:5 WORD@1:6='y' EOF@1:7");
	ck_assert_lex("2<<E", true, "IO@1:1=2 <<@1:2 WORD@1:4='E' EOF@1:5");
}
END_TEST

START_TEST(io_number_only_right_before_redirection)
{
	/* part of a word */
	ck_assert_lex("a2>x", true, "WORD@1:1='a2' >@1:3 WORD@1:4='x' EOF@1:5");
	/* separated from the operator */
	ck_assert_lex("2 >x", true, "WORD@1:1='2' >@1:3 WORD@1:4='x' EOF@1:5");
	/* a digit string followed by a word character */
	ck_assert_lex("2x>y", true, "WORD@1:1='2x' >@1:3 WORD@1:4='y' EOF@1:5");
}
END_TEST

/* ---- words and quoting ---- */

START_TEST(word_quotes)
{
	ck_assert_lex("x=1 'a b' \"c $d\"", true,
		      "WORD@1:1='x=1' WORD@1:5=Q'a b' WORD@1:11=Q'c '.Q${d} EOF@1:17");
	ck_assert_lex("a'b'\"c\"", true, "WORD@1:1='a'.Q'bc' EOF@1:8");
	ck_assert_lex("'' \"\"", true, "WORD@1:1=Q'' WORD@1:4=Q'' EOF@1:6");
}
END_TEST

START_TEST(word_backslash_escapes)
{
	ck_assert_lex("a\\ b \\\"q\\\" \\' \\\\", true,
		      "WORD@1:1='a'.Q' '.'b' WORD@1:6=Q'\"'.'q'.Q'\"' WORD@1:12=Q''' WORD@1:15=Q'\\' "
		      "EOF@1:17");
	/* inside '...' nothing is special; inside "..." only $ ` " \ */
	ck_assert_lex("'a\\b' \"a\\\"b\\$c\\`d\\\\e\\f\"", true,
		      "WORD@1:1=Q'a\\b' WORD@1:7=Q'a\"b$c`d\\e\\f' EOF@1:24");
}
END_TEST

START_TEST(word_dollar_forms)
{
	ck_assert_lex("$ a$ $\"abc\" \"$\" $1x $x$y ${x}y $-a $%", true,
		      "WORD@1:1='$' WORD@1:3='a$' WORD@1:6=Q'abc' WORD@1:13=Q'$' WORD@1:17=${1}.'x' "
		      "WORD@1:21=${x}.${y} WORD@1:26=${x}.'y' WORD@1:32=${-}.'a' WORD@1:36='$%' "
		      "EOF@1:38");
	ck_assert_lex("\"a $x b\" ${x:-a b} $((1+2))", true,
		      "WORD@1:1=Q'a '.Q${x}.Q' b' WORD@1:10=${x:-'a b'} WORD@1:20=$((Q'1+2')) "
		      "EOF@1:28");
}
END_TEST

START_TEST(word_tilde)
{
	ck_assert_lex("~/x ~ a~ ~u/y \"~\"", true,
		      "WORD@1:1=~.'/x' WORD@1:5=~ WORD@1:7='a~' WORD@1:10=~u.'/y' WORD@1:15=Q'~' "
		      "EOF@1:18");
}
END_TEST

START_TEST(dollar_single_quote_escapes)
{
	ck_assert_lex("$'a\\tb\\x41\\101\\\\\\'c'", true,
		      "WORD@1:1=Q'a\tbAA\\'c' EOF@1:21");
	ck_assert_lex("$'\\n\\r\\a\\b\\f\\v\\e\\E\\\"\\?'", true,
		      "WORD@1:1=Q'\n\r\a\b\f\v\033\033\"?' EOF@1:24");
	/* one hex digit, \NNN of up to three digits, unknown escapes kept */
	ck_assert_lex("$'\\x4g\\1234\\q' $'' $'\\''", true,
		      "WORD@1:1=Q'\004gS4\\q' WORD@1:16=Q'' WORD@1:20=Q''' EOF@1:25");
}
END_TEST

/* ---- blanks, continuation, comments ---- */

START_TEST(backslash_newline_continuation)
{
	ck_assert_lex("a\\\nb", true, "WORD@1:1='ab' EOF@2:2");
	ck_assert_lex("a \\\n b c", true, "WORD@1:1='a' WORD@2:2='b' WORD@2:4='c' EOF@2:5");
	ck_assert_lex("\"a\\\nb\"", true, "WORD@1:1=Q'ab' EOF@2:3");
	/* in single quotes it is kept */
	ck_assert_lex("'a\\\nb'", true, "WORD@1:1=Q'a\\\nb' EOF@2:3");
}
END_TEST

START_TEST(comments)
{
	ck_assert_lex("a # comment ; b\nc", true, "WORD@1:1='a' NL@1:16 WORD@2:1='c' EOF@2:2");
	ck_assert_lex("# only\n", true, "NL@1:7 EOF@2:1");
	/* # inside a word is not a comment */
	ck_assert_lex("a#b", true, "WORD@1:1='a#b' EOF@1:4");
}
END_TEST

START_TEST(newlines_and_tabs)
{
	ck_assert_lex("\n\na", true, "NL@1:1 NL@2:1 WORD@3:1='a' EOF@3:2");
	ck_assert_lex("a\tb", true, "WORD@1:1='a' WORD@1:3='b' EOF@1:4");
}
END_TEST

START_TEST(first_line_number)
{
	/* lexer_init takes the number of the first line */
	struct arena *a = arena_create();
	struct parse_error err = {0};
	struct lexer lx;
	lexer_init(&lx, "a\nb", 3, 7, true, a, &err);
	struct token t;
	lexer_next(&lx, &t);
	ck_assert_int_eq(t.type, T_WORD);
	ck_assert_int_eq(t.pos.line, 7);
	lexer_next(&lx, &t);
	ck_assert_int_eq(t.type, T_NEWLINE);
	lexer_next(&lx, &t);
	ck_assert_int_eq(t.type, T_WORD);
	ck_assert_int_eq(t.pos.line, 8);
	ck_assert_int_eq(t.pos.col, 1);
	ck_assert_uint_eq(t.begin, 2);
	ck_assert_uint_eq(t.end, 3);
	lexer_finish(&lx);
	arena_unref(a);
}
END_TEST

/* ---- here-documents ---- */

/* Lexes src, queuing a here-document with delim after the first token
 * (as the parser does after `<<`), and returns the tokens followed by
 * " BODY=" and the dump of the body. */
static char *lex_with_heredoc(const char *src, const char *delim, bool strip_tabs, bool quoted)
{
	struct lexfix f;
	lexfix_init(&f, src, true);
	struct redir *r = arena_alloc(f.arena, sizeof *r);
	r->op = R_HEREDOC;
	r->fd = -1;
	r->delim = arena_strndup(f.arena, delim, strlen(delim));
	r->strip_tabs = strip_tabs;
	r->quoted = quoted;
	struct strbuf b;
	strbuf_init(&b);
	for (int k = 0; k < 100; k++) {
		struct token t;
		lexer_next(&f.lx, &t);
		if (k == 0)
			lexer_push_heredoc(&f.lx, r);
		else
			strbuf_addc(&b, ' ');
		tok_render(&f, &t, &b);
		if (t.type == T_EOF || t.type == T_ERROR)
			break;
	}
	strbuf_adds(&b, " BODY=");
	if (r->body)
		ast_dump_word(r->body, &b);
	lexfix_finish(&f);
	return strbuf_take(&b);
}

START_TEST(heredoc_body_read_after_newline)
{
	ck_assert_str_eq_free(lex_with_heredoc("cat x\nhello $v\nEOF\nnext", "EOF", false, false),
			      "WORD@1:1='cat' WORD@1:5='x' NL@1:6 WORD@4:1='next' EOF@4:5 "
			      "BODY=Q'hello '.Q${v}.Q'\n'");
}
END_TEST

START_TEST(heredoc_quoted_and_tab_stripping)
{
	ck_assert_str_eq_free(lex_with_heredoc("cat\n$v `x`\nEOF\n", "EOF", false, true),
			      "WORD@1:1='cat' NL@1:4 EOF@4:1 BODY=Q'$v `x`\n'");
	ck_assert_str_eq_free(lex_with_heredoc("cat\n\t\ta\n \tb\n\tEOF\n", "EOF", true, false),
			      "WORD@1:1='cat' NL@1:4 EOF@5:1 BODY=Q'a\n \tb\n'");
}
END_TEST

START_TEST(heredoc_pending_at_end_of_input)
{
	/* incomplete when more input may come */
	struct lexfix f;
	lexfix_init(&f, "cat", false);
	struct redir *r = arena_alloc(f.arena, sizeof *r);
	r->op = R_HEREDOC;
	r->delim = arena_strndup(f.arena, "EOF", 3);
	r->pos = (struct pos){1, 5};
	struct token t;
	lexer_next(&f.lx, &t);
	lexer_push_heredoc(&f.lx, r);
	lexer_next(&f.lx, &t);
	ck_assert_int_eq(t.type, T_ERROR);
	ck_assert_int_eq(f.err.status, PARSE_INCOMPLETE);
	ck_assert_str_eq(f.err.msg, "here-document not ended");
	ck_assert_int_eq(f.err.pos.line, 1);
	ck_assert_int_eq(f.err.pos.col, 5);
	lexfix_finish(&f);
}
END_TEST

/* ---- incomplete and bad input ---- */

START_TEST(open_single_quote)
{
	ck_assert_lex("echo 'abc", false,
		      "WORD@1:1='echo' ERROR{incomplete 1:6 unterminated quoted string}");
	ck_assert_lex("echo 'abc", true,
		      "WORD@1:1='echo' ERROR{error 1:6 unterminated quoted string}");
}
END_TEST

START_TEST(open_double_quote)
{
	ck_assert_lex("\"abc\n", false, "ERROR{incomplete 1:1 unterminated quoted string}");
	ck_assert_lex("x \"abc\ndef", true, "WORD@1:1='x' ERROR{error 1:3 unterminated quoted string}");
}
END_TEST

START_TEST(open_dollar_forms)
{
	ck_assert_lex("$'abc", false, "ERROR{incomplete 1:1 unterminated $'...' string}");
	ck_assert_lex("$'abc", true, "ERROR{error 1:1 unterminated $'...' string}");
	ck_assert_lex("a ${x", false, "WORD@1:1='a' ERROR{incomplete 1:3 unterminated ${...}}");
	ck_assert_lex("$((1+2)", true, "ERROR{error 1:1 unterminated $((...))}");
}
END_TEST

START_TEST(trailing_backslash)
{
	/* a backslash-newline at the end asks for more... */
	ck_assert_lex("a \\\n", false, "WORD@1:1='a' ERROR{incomplete 2:1 unexpected end of file}");
	ck_assert_lex("a\\", false, "ERROR{incomplete 1:2 unexpected end of file}");
	/* ...but at the real end a lone backslash is literal */
	ck_assert_lex("a\\", true, "WORD@1:1='a\\' EOF@1:3");
}
END_TEST

START_TEST(bad_substitutions)
{
	ck_assert_lex("${x!}", true, "ERROR{error 1:1 bad substitution}");
	ck_assert_lex("${#x-y}", true, "ERROR{error 1:1 bad substitution}");
	ck_assert_lex("${}", true, "ERROR{error 1:1 bad substitution}");
}
END_TEST

START_TEST(command_substitution_needs_parser)
{
	/* a lexer without a nested parser refuses $( ) and ` ` */
	ck_assert_lex("echo $(x)", true,
		      "WORD@1:1='echo' ERROR{error 1:6 command substitution not allowed here}");
	ck_assert_lex("`x`", true, "ERROR{error 1:1 command substitution not allowed here}");
}
END_TEST

START_TEST(error_is_sticky)
{
	struct lexfix f;
	lexfix_init(&f, "'a b", true);
	struct token t;
	lexer_next(&f.lx, &t);
	ck_assert_int_eq(t.type, T_ERROR);
	lexer_next(&f.lx, &t);
	ck_assert_int_eq(t.type, T_ERROR);
	/* the first error wins */
	lexer_error(&f.lx, (struct pos){9, 9}, "other");
	ck_assert_str_eq(f.err.msg, "unterminated quoted string");
	lexfix_finish(&f);
}
END_TEST

START_TEST(token_describe_names)
{
	struct lexfix f;
	lexfix_init(&f, "fi\n", true);
	struct token t;
	lexer_next(&f.lx, &t);
	ck_assert_str_eq(token_describe(&f.lx, &t), "'fi'");
	lexer_next(&f.lx, &t);
	ck_assert_str_eq(token_describe(&f.lx, &t), "newline");
	lexer_next(&f.lx, &t);
	ck_assert_str_eq(token_describe(&f.lx, &t), "end of file");
	lexfix_finish(&f);
}
END_TEST

START_TEST(name_predicates)
{
	ck_assert(is_name("_a1", 3));
	ck_assert(is_name("abc=", 3));
	ck_assert(!is_name("1a", 2));
	ck_assert(!is_name("", 0));
	ck_assert(!is_name("a-b", 3));
}
END_TEST

static Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("tokens");
	tcase_add_test(tc, operators_all);
	tcase_add_test(tc, operators_without_blanks);
	tcase_add_test(tc, redirection_operators_with_targets);
	tcase_add_test(tc, io_number);
	tcase_add_test(tc, io_number_only_right_before_redirection);
	tcase_add_test(tc, newlines_and_tabs);
	tcase_add_test(tc, first_line_number);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, backslash_newline_continuation);
	tcase_add_test(tc, token_describe_names);
	tcase_add_test(tc, name_predicates);
	suite_add_tcase(s, tc);

	tc = tcase_create("words");
	tcase_add_test(tc, word_quotes);
	tcase_add_test(tc, word_backslash_escapes);
	tcase_add_test(tc, word_dollar_forms);
	tcase_add_test(tc, word_tilde);
	tcase_add_test(tc, dollar_single_quote_escapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("heredoc");
	tcase_add_test(tc, heredoc_body_read_after_newline);
	tcase_add_test(tc, heredoc_quoted_and_tab_stripping);
	tcase_add_test(tc, heredoc_pending_at_end_of_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, open_single_quote);
	tcase_add_test(tc, open_double_quote);
	tcase_add_test(tc, open_dollar_forms);
	tcase_add_test(tc, trailing_backslash);
	tcase_add_test(tc, bad_substitutions);
	tcase_add_test(tc, command_substitution_needs_parser);
	tcase_add_test(tc, error_is_sticky);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(lexer_suite());
}
