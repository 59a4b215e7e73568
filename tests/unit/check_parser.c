/* Unit tests of the parser: every construct through its ast_dump
 * rendering, here-documents, command substitutions, and the status,
 * position and message of errors and of incomplete input. */
#include "unit.h"

/* ---- simple commands ---- */

START_TEST(simple_words)
{
	ck_assert_parse("echo a  b", "(cmd 'echo' 'a' 'b')");
	ck_assert_parse("echo a\"b\"c 'd e'", "(cmd 'echo' 'a'.Q'b'.'c' Q'd e')");
	/* keywords are ordinary words after the first */
	ck_assert_parse("echo if then fi { } !", "(cmd 'echo' 'if' 'then' 'fi' '{' '}' '!')");
}
END_TEST

START_TEST(simple_assignments)
{
	ck_assert_parse("x=1 y=\"a b\" cmd", "(cmd x='1' y=Q'a b' 'cmd')");
	ck_assert_parse("x=1 y=2", "(cmd x='1' y='2')");
	ck_assert_parse("x=", "(cmd x=)");
	/* after the command name it is an argument */
	ck_assert_parse("echo x=1", "(cmd 'echo' 'x=1')");
	/* a quoted or invalid name is no assignment */
	ck_assert_parse("\"x\"=1 a", "(cmd Q'x'.'=1' 'a')");
	ck_assert_parse("1x=2", "(cmd '1x=2')");
	ck_assert_parse("x=$(a; b) c", "(cmd x=$((list (cmd 'a') (cmd 'b'))) 'c')");
}
END_TEST

START_TEST(assignment_tilde)
{
	ck_assert_parse("x=~/a", "(cmd x=~.'/a')");
	ck_assert_parse("x=~", "(cmd x=~)");
	ck_assert_parse("x=a~", "(cmd x='a~')");
}
END_TEST

START_TEST(simple_redirections)
{
	ck_assert_parse("cmd >out 2>&1 <in", "(cmd 'cmd' (> 'out') (2>& '1') (< 'in'))");
	ck_assert_parse("a >>x <>y &>z <&0 3<&- 4>&2 >|w",
			"(cmd 'a' (>> 'x') (<> 'y') (&> 'z') (<& '0') (3<& '-') (4>& '2') (> 'w'))");
	/* anywhere in the command, also first */
	ck_assert_parse(">out echo a", "(cmd 'echo' 'a' (> 'out'))");
	ck_assert_parse("echo a>b c", "(cmd 'echo' 'a' 'c' (> 'b'))");
	ck_assert_parse("x=1 >f", "(cmd x='1' (> 'f'))");
	ck_assert_parse("a2>x", "(cmd 'a2' (> 'x'))");
}
END_TEST

/* ---- pipelines and lists ---- */

START_TEST(pipelines)
{
	ck_assert_parse("a | b | c", "(pipe (cmd 'a') (cmd 'b') (cmd 'c'))");
	ck_assert_parse("! a | b", "(!pipe (cmd 'a') (cmd 'b'))");
	ck_assert_parse("! a", "(!pipe (cmd 'a'))");
	/* newlines may follow | */
	ck_assert_parse("a |\n b |\n\n c", "(pipe (cmd 'a') (cmd 'b') (cmd 'c'))");
	ck_assert_parse("(a) | { b; }", "(pipe (subshell (cmd 'a')) (group (cmd 'b')))");
}
END_TEST

START_TEST(and_or_left_associative)
{
	ck_assert_parse("a | b && c", "(and (pipe (cmd 'a') (cmd 'b')) (cmd 'c'))");
	ck_assert_parse("a && b || c && d",
			"(and (or (and (cmd 'a') (cmd 'b')) (cmd 'c')) (cmd 'd'))");
	ck_assert_parse("a&&b", "(and (cmd 'a') (cmd 'b'))");
	ck_assert_parse("! a && b", "(and (!pipe (cmd 'a')) (cmd 'b'))");
	ck_assert_parse("a &&\n\n b ||\n c", "(or (and (cmd 'a') (cmd 'b')) (cmd 'c'))");
}
END_TEST

START_TEST(lists)
{
	ck_assert_parse("a; b & c\nd", "(list (cmd 'a') (cmd 'b') & (cmd 'c') (cmd 'd'))");
	ck_assert_parse("a &", "(list (cmd 'a') &)");
	ck_assert_parse("a;", "(cmd 'a')");
	ck_assert_parse("\n\na\n\n", "(cmd 'a')");
	ck_assert_parse("a && b & c || d;",
			"(list (and (cmd 'a') (cmd 'b')) & (or (cmd 'c') (cmd 'd')))");
}
END_TEST

START_TEST(empty_program)
{
	struct parse_result res;
	parse_text("  \n# just a comment\n\n", 21, 1, true, &res);
	ck_assert_int_eq(res.status, PARSE_OK);
	ck_assert_ptr_null(res.tree);
	parse_result_finish(&res);
	ck_assert_parse("", "()");
}
END_TEST

START_TEST(background_item_text)
{
	struct parse_result res;
	const char *src = "sleep 1 && b  &  c";
	parse_text(src, strlen(src), 1, true, &res);
	ck_assert_int_eq(res.status, PARSE_OK);
	ck_assert_int_eq(res.tree->type, N_LIST);
	struct node_list *l = AST_CAST(node_list, res.tree);
	ck_assert_uint_eq(l->n, 2);
	ck_assert(l->items[0].background);
	ck_assert_str_eq(l->items[0].text, "sleep 1 && b");
	ck_assert(!l->items[1].background);
	ck_assert_str_eq(l->items[1].text, "c");
	parse_result_finish(&res);
}
END_TEST

START_TEST(node_positions)
{
	struct parse_result res;
	const char *src = "a\n  b | c";
	parse_text(src, strlen(src), 10, true, &res);
	ck_assert_int_eq(res.status, PARSE_OK);
	struct node_list *l = AST_CAST(node_list, res.tree);
	ck_assert_int_eq(l->items[0].cmd->pos.line, 10);
	ck_assert_int_eq(l->items[0].cmd->pos.col, 1);
	struct node_pipeline *p = AST_CAST(node_pipeline, l->items[1].cmd);
	ck_assert_int_eq(p->base.type, N_PIPELINE);
	ck_assert_int_eq(p->cmds[1]->pos.line, 11);
	ck_assert_int_eq(p->cmds[1]->pos.col, 7);
	struct node_simple *s = AST_CAST(node_simple, p->cmds[1]);
	ck_assert_uint_eq(s->nwords, 1);
	ck_assert_ptr_null(s->words[1]);
	parse_result_finish(&res);
}
END_TEST

/* ---- compound commands ---- */

START_TEST(group_and_subshell)
{
	ck_assert_parse("{ a; b; }", "(group (list (cmd 'a') (cmd 'b')))");
	ck_assert_parse("( a; b )", "(subshell (list (cmd 'a') (cmd 'b')))");
	ck_assert_parse("(a)", "(subshell (cmd 'a'))");
	ck_assert_parse("{\na\n}", "(group (cmd 'a'))");
	ck_assert_parse("{ echo }; }", "(group (cmd 'echo' '}'))");
	/* { and } are words unless alone */
	ck_assert_parse("{a}", "(cmd '{a}')");
}
END_TEST

START_TEST(if_elif_else)
{
	ck_assert_parse("if a; then b; fi", "(if (cmd 'a') (cmd 'b'))");
	ck_assert_parse("if a; then b; else c; fi", "(if (cmd 'a') (cmd 'b') (cmd 'c'))");
	ck_assert_parse("if a; then b; elif c; then d; else e; fi",
			"(if (cmd 'a') (cmd 'b') (if (cmd 'c') (cmd 'd') (cmd 'e')))");
	ck_assert_parse("if a\nthen\n  b\n  c\nfi", "(if (cmd 'a') (list (cmd 'b') (cmd 'c')))");
	ck_assert_parse("if a; b; then :; fi", "(if (list (cmd 'a') (cmd 'b')) (cmd ':'))");
}
END_TEST

START_TEST(while_until)
{
	ck_assert_parse("while a; do b; done", "(while (cmd 'a') (cmd 'b'))");
	ck_assert_parse("until a; do b; done", "(until (cmd 'a') (cmd 'b'))");
	ck_assert_parse("while a\ndo\n b\ndone", "(while (cmd 'a') (cmd 'b'))");
	ck_assert_parse("while ! a | b; do c && d; done",
			"(while (!pipe (cmd 'a') (cmd 'b')) (and (cmd 'c') (cmd 'd')))");
}
END_TEST

START_TEST(for_loops)
{
	ck_assert_parse("for i in 1 2; do echo $i; done", "(for i in '1' '2' (cmd 'echo' ${i}))");
	/* without in: over "$@" (words NULL) */
	ck_assert_parse("for i; do b; done", "(for i (cmd 'b'))");
	ck_assert_parse("for i\ndo b; done", "(for i (cmd 'b'))");
	ck_assert_parse("for i do b; done", "(for i (cmd 'b'))");
	/* an empty list is not the same as none */
	ck_assert_parse("for i in; do b; done", "(for i in (cmd 'b'))");
	ck_assert_parse("for i\nin a b\ndo c\ndone", "(for i in 'a' 'b' (cmd 'c'))");
}
END_TEST

START_TEST(case_clauses)
{
	ck_assert_parse("case $x in a|b) c;; (d) e;; *) ;; esac",
			"(case ${x} ('a'|'b' (cmd 'c')) ('d' (cmd 'e')) ('*' ()))");
	ck_assert_parse("case x in esac", "(case 'x')");
	/* the last ;; is optional */
	ck_assert_parse("case a in a) x;; b) y; esac", "(case 'a' ('a' (cmd 'x')) ('b' (cmd 'y')))");
	ck_assert_parse("case x in\n  a)\n    b\n    ;;\n  *) c ;;\nesac",
			"(case 'x' ('a' (cmd 'b')) ('*' (cmd 'c')))");
	ck_assert_parse("case a in (a|b|c) ;; esac", "(case 'a' ('a'|'b'|'c' ()))");
	ck_assert_parse("case $(x) in \"a\"*) ;; esac", "(case $((cmd 'x')) (Q'a'.'*' ()))");
}
END_TEST

START_TEST(function_definitions)
{
	ck_assert_parse("f() { a; }", "(func f (group (cmd 'a')))");
	ck_assert_parse("f () { a; }", "(func f (group (cmd 'a')))");
	ck_assert_parse("f() ( a )", "(func f (subshell (cmd 'a')))");
	ck_assert_parse("f()\n{\n a\n}", "(func f (group (cmd 'a')))");
	ck_assert_parse("f() if a; then b; fi", "(func f (if (cmd 'a') (cmd 'b')))");
	ck_assert_parse("f() { a; } >log", "(func f (group (cmd 'a') (> 'log')))");
}
END_TEST

START_TEST(coproc_group)
{
	ck_assert_parse("coproc g { a; }", "(cmd 'coproc' 'g' (group (cmd 'a')))");
	ck_assert_parse("coproc -p -t 5 g {\n a\n b\n} 2>log; c",
			"(list (cmd 'coproc' '-p' '-t' '5' 'g' (group (list (cmd 'a') (cmd 'b'))) (2> 'log')) (cmd 'c'))");
	ck_assert_parse("coproc g { a; } | b", "(pipe (cmd 'coproc' 'g' (group (cmd 'a'))) (cmd 'b'))");
	/* only after `coproc` and a name: elsewhere { stays a word */
	ck_assert_parse_fails("coproc { a; }", true,
			      "error 1:8 a coprocess group needs a name: coproc NAME { list; }");
	ck_assert_parse("echo g { a", "(cmd 'echo' 'g' '{' 'a')");
	ck_assert_parse("'coproc' g { a", "(cmd Q'coproc' 'g' '{' 'a')");
}
END_TEST

START_TEST(compound_redirections)
{
	ck_assert_parse("{ a; } >out 2>&1", "(group (cmd 'a') (> 'out') (2>& '1'))");
	ck_assert_parse("if a; then b; fi <in", "(if (cmd 'a') (cmd 'b') (< 'in'))");
	ck_assert_parse("while a; do b; done >log &",
			"(list (while (cmd 'a') (cmd 'b') (> 'log')) &)");
	ck_assert_parse("(a) 2>/dev/null | b", "(pipe (subshell (cmd 'a') (2> '/dev/null')) (cmd 'b'))");
	ck_assert_parse("for i in a; do b; done <f", "(for i in 'a' (cmd 'b') (< 'f'))");
	ck_assert_parse("case a in a) ;; esac >f", "(case 'a' ('a' ()) (> 'f'))");
}
END_TEST

/* ---- here-documents ---- */

START_TEST(heredoc_expanded)
{
	ck_assert_parse("cat <<EOF\nhello $x\nEOF\n", "(cmd 'cat' (<< Q'hello '.Q${x}.Q'\n'))");
	/* only \$ \` \\ are escapes in the body; quotes are text */
	ck_assert_parse("cat <<EOF\n\\$x \\\\ \\y \"q\" $(echo hi)\nEOF\n",
			"(cmd 'cat' (<< Q'$x \\ \\y \"q\" '.Q$((cmd 'echo' 'hi')).Q'\n'))");
	ck_assert_parse("cat <<EOF\na\\\nb\nEOF\n", "(cmd 'cat' (<< Q'ab\n'))");
	/* an empty body is still one (empty) word */
	ck_assert_parse("cat <<EOF\nEOF\n", "(cmd 'cat' (<< Q''))");
}
END_TEST

START_TEST(heredoc_quoted_delimiter)
{
	ck_assert_parse("cat <<'EOF'\nhello $x `y`\nEOF\n", "(cmd 'cat' (<<' Q'hello $x `y`\n'))");
	ck_assert_parse("cat <<\"EOF\"\n\\$z\nEOF\n", "(cmd 'cat' (<<' Q'\\$z\n'))");
	/* any quoting in the delimiter makes the body literal */
	ck_assert_parse("cat <<E\"O\"F\n$x\nEOF\n", "(cmd 'cat' (<<' Q'$x\n'))");
	ck_assert_parse("cat <<\\EOF\n$x\nEOF\n", "(cmd 'cat' (<<' Q'$x\n'))");
}
END_TEST

START_TEST(heredoc_strip_tabs)
{
	ck_assert_parse("cat <<-EOF\n\t\thello\n  \tb\n\tEOF\n",
			"(cmd 'cat' (<<- Q'hello\n  \tb\n'))");
	/* without - the indented delimiter is body text */
	ck_assert_parse("cat <<EOF\n\tEOF\nEOF\n", "(cmd 'cat' (<< Q'\tEOF\n'))");
}
END_TEST

START_TEST(heredoc_several_and_later_commands)
{
	ck_assert_parse("cat <<A; echo b\nbody\nA\necho c",
			"(list (cmd 'cat' (<< Q'body\n')) (cmd 'echo' 'b') (cmd 'echo' 'c'))");
	ck_assert_parse("cat <<A <<-B\n1\nA\n\t2\n\tB\n", "(cmd 'cat' (<< Q'1\n') (<<- Q'2\n'))");
	ck_assert_parse("cat <<EOF | tr a b\na\nEOF\n",
			"(pipe (cmd 'cat' (<< Q'a\n')) (cmd 'tr' 'a' 'b'))");
	ck_assert_parse("if a; then cat <<EOF\nx\nEOF\nfi", "(if (cmd 'a') (cmd 'cat' (<< Q'x\n')))");
}
END_TEST

START_TEST(heredoc_in_command_substitution)
{
	ck_assert_parse("echo $(cat <<EOF\nx\nEOF\n)", "(cmd 'echo' $((cmd 'cat' (<< Q'x\n'))))");
	/* a ) in the body does not end the $( ) */
	ck_assert_parse("x=$(cat <<E\n)\nE\n)", "(cmd x=$((cmd 'cat' (<< Q')\n'))))");
}
END_TEST

/* ---- substitutions ---- */

START_TEST(command_substitution_nested)
{
	ck_assert_parse("echo $(a $(b) c)", "(cmd 'echo' $((cmd 'a' $((cmd 'b')) 'c')))");
	ck_assert_parse("echo \"$(echo \"a b\")\"", "(cmd 'echo' Q$((cmd 'echo' Q'a b')))");
	ck_assert_parse("echo \"$(echo \")\")\"", "(cmd 'echo' Q$((cmd 'echo' Q')')))");
	ck_assert_parse("echo $(echo \\))", "(cmd 'echo' $((cmd 'echo' Q')')))");
	ck_assert_parse("echo $( (a) )", "(cmd 'echo' $((subshell (cmd 'a'))))");
	ck_assert_parse("echo $()", "(cmd 'echo' $())");
}
END_TEST

START_TEST(command_substitution_with_case)
{
	/* the ) of a case pattern does not end the $( ) */
	ck_assert_parse("echo $(case x in x) echo y;; esac)",
			"(cmd 'echo' $((case 'x' ('x' (cmd 'echo' 'y')))))");
	ck_assert_parse("echo $(case x in (a) b;; esac) z",
			"(cmd 'echo' $((case 'x' ('a' (cmd 'b')))) 'z')");
}
END_TEST

START_TEST(backquotes)
{
	ck_assert_parse("echo `echo a`", "(cmd 'echo' $((cmd 'echo' 'a')))");
	ck_assert_parse("echo `echo \\`b\\``", "(cmd 'echo' $((cmd 'echo' $((cmd 'b')))))");
	ck_assert_parse("echo \"`echo \\\"q\\\"`\"", "(cmd 'echo' Q$((cmd 'echo' Q'q')))");
	ck_assert_parse("x=`a; b`", "(cmd x=$((list (cmd 'a') (cmd 'b'))))");
}
END_TEST

START_TEST(parameter_forms)
{
	ck_assert_parse("echo ${#} ${#x} ${?} ${10} $10",
			"(cmd 'echo' ${#} ${#x} ${?} ${10} ${1}.'0')");
	ck_assert_parse("echo ${x##*.} ${x%%.*} ${x#a} ${x%b}",
			"(cmd 'echo' ${x##'*.'} ${x%%'.*'} ${x#'a'} ${x%'b'})");
	ck_assert_parse("echo ${x:?msg} ${x+alt} ${x=asg} ${x:-\"a b\"}",
			"(cmd 'echo' ${x:?'msg'} ${x+'alt'} ${x='asg'} ${x:-Q'a b'})");
	ck_assert_parse("echo $$ $! $# $? $- $@ $* $0",
			"(cmd 'echo' ${$} ${!} ${#} ${?} ${-} ${@} ${*} ${0})");
	ck_assert_parse("echo \"${x:-$y}\" $((1 + $n))",
			"(cmd 'echo' Q${x:-Q${y}} $((Q'1 + '.Q${n})))");
}
END_TEST

/* Parses src and checks the failure's status and place and that its
 * message starts with prefix (for messages whose detail may change). */
static void check_failure(const char *src, bool final, enum parse_status status, int line, int col,
			  const char *prefix)
{
	struct parse_result res;
	parse_text(src, strlen(src), 1, final, &res);
	ck_assert_int_eq(res.status, status);
	ck_assert_int_eq(res.pos.line, line);
	ck_assert_int_eq(res.pos.col, col);
	ck_assert_ptr_nonnull(res.msg);
	ck_assert_msg(strncmp(res.msg, prefix, strlen(prefix)) == 0, "message '%s' for %s", res.msg,
		      src);
	parse_result_finish(&res);
}

/* ---- errors ---- */

START_TEST(error_unexpected_keyword)
{
	ck_assert_parse_fails("echo a\nfi", true, "error 2:1 unexpected 'fi'");
	ck_assert_parse_fails("then", true, "error 1:1 unexpected 'then'");
	ck_assert_parse_fails("in", true, "error 1:1 unexpected 'in'");
	ck_assert_parse_fails("while a; do b; od", true,
			      "error 1:18 unexpected end of file (expecting 'done')");
	ck_assert_parse_fails("for i in a; b; done", true, "error 1:13 unexpected 'b' (expecting 'do')");
}
END_TEST

START_TEST(error_first_line_offset)
{
	struct parse_result res;
	parse_text("a\n\n  fi", 7, 5, true, &res);
	ck_assert_int_eq(res.status, PARSE_ERROR);
	ck_assert_int_eq(res.pos.line, 7);
	ck_assert_int_eq(res.pos.col, 3);
	ck_assert_str_eq(res.msg, "unexpected 'fi'");
	ck_assert_ptr_null(res.tree);
	parse_result_finish(&res);
}
END_TEST

START_TEST(error_if_without_fi)
{
	check_failure("if true; then", false, PARSE_INCOMPLETE, 1, 14, "unexpected end of file");
	check_failure("if true; then", true, PARSE_ERROR, 1, 14, "unexpected end of file");
	ck_assert_parse_fails("if a; then b; else c", true,
			      "error 1:21 unexpected end of file (expecting 'fi')");
	ck_assert_parse_fails("if a\n", false,
			      "incomplete 2:1 unexpected end of file (expecting 'then')");
}
END_TEST

START_TEST(error_incomplete_operators)
{
	ck_assert_parse_fails("a |", false, "incomplete 1:4 unexpected end of file");
	ck_assert_parse_fails("a |", true, "error 1:4 unexpected end of file");
	ck_assert_parse_fails("a |\n", false, "incomplete 2:1 unexpected end of file");
	ck_assert_parse_fails("a &&", false, "incomplete 1:5 unexpected end of file");
	ck_assert_parse_fails("a ||", true, "error 1:5 unexpected end of file");
	ck_assert_parse_fails("a \\\n", false, "incomplete 2:1 unexpected end of file");
}
END_TEST

START_TEST(error_incomplete_quotes_and_substitutions)
{
	ck_assert_parse_fails("echo \"abc", false, "incomplete 1:6 unterminated quoted string");
	ck_assert_parse_fails("echo \"abc", true, "error 1:6 unterminated quoted string");
	ck_assert_parse_fails("echo 'abc\n", false, "incomplete 1:6 unterminated quoted string");
	ck_assert_parse_fails("echo $(", false, "incomplete 1:8 unterminated $(...)");
	ck_assert_parse_fails("echo $(a", true, "error 1:9 unterminated $(...)");
	ck_assert_parse_fails("echo ${x", false, "incomplete 1:6 unterminated ${...}");
	ck_assert_parse_fails("echo $((1+2)", true, "error 1:6 unterminated $((...))");
	ck_assert_parse_fails("echo `a", false, "incomplete 1:6 unterminated `...`");
}
END_TEST

START_TEST(error_incomplete_heredoc)
{
	ck_assert_parse_fails("cat <<EOF\nx\n", false, "incomplete 1:5 here-document not ended");
	ck_assert_parse_fails("cat <<EOF", false, "incomplete 1:5 here-document not ended");
	/* at the real end of input the body ends there, as in bash */
	ck_assert_parse("cat <<EOF\nx\n", "(cmd 'cat' (<< Q'x\n'))");
}
END_TEST

START_TEST(error_incomplete_compounds)
{
	ck_assert_parse_fails("{ a", false, "incomplete 1:4 unexpected end of file (expecting '}')");
	ck_assert_parse_fails("( a", true, "error 1:4 unexpected end of file (expecting ')')");
	ck_assert_parse_fails("for i in a", false,
			      "incomplete 1:11 unexpected end of file (expecting 'do')");
	ck_assert_parse_fails("case x in", false, "incomplete 1:10 unexpected end of file (expecting 'esac')");
	ck_assert_parse_fails("case x in a) b;; c", true,
			      "error 1:19 unexpected end of file (expecting ')')");
	ck_assert_parse_fails("f()", false, "incomplete 1:4 unexpected end of file (expecting '{')");
}
END_TEST

START_TEST(error_empty_bodies)
{
	check_failure("( )", true, PARSE_ERROR, 1, 3, "unexpected ')'");
	check_failure("{ }", true, PARSE_ERROR, 1, 3, "unexpected '}'");
	check_failure("if then fi", true, PARSE_ERROR, 1, 4, "unexpected 'then'");
	check_failure("while do done", true, PARSE_ERROR, 1, 7, "unexpected 'do'");
}
END_TEST

START_TEST(error_misplaced_operators)
{
	ck_assert_parse_fails(";;", true, "error 1:1 unexpected ';;'");
	ck_assert_parse_fails("a;;", true, "error 1:2 unexpected ';;'");
	ck_assert_parse_fails("a && && b", true, "error 1:6 unexpected '&&'");
	ck_assert_parse_fails("a ; ; b", true, "error 1:5 unexpected ';'");
	ck_assert_parse_fails("a &; b", true, "error 1:4 unexpected ';'");
	ck_assert_parse_fails("echo )", true, "error 1:6 unexpected ')'");
	ck_assert_parse_fails("| a", true, "error 1:1 unexpected '|'");
	ck_assert_parse_fails("a | ;", true, "error 1:5 unexpected ';'");
	ck_assert_parse_fails("! ! a", true, "error 1:3 unexpected '!'");
}
END_TEST

START_TEST(error_redirections)
{
	ck_assert_parse_fails("a >", true, "error 1:4 unexpected end of file");
	ck_assert_parse_fails("a > ;", true, "error 1:5 unexpected ';'");
	ck_assert_parse_fails("a < | b", true, "error 1:5 unexpected '|'");
}
END_TEST

START_TEST(error_names)
{
	ck_assert_parse_fails("9f() { a; }", true, "error 1:1 invalid function name '9f'");
	ck_assert_parse_fails("f() a", true, "error 1:5 unexpected 'a' (expecting '{')");
	ck_assert_parse_fails("for 1 in a; do b; done", true,
			      "error 1:5 invalid for-loop variable '1'");
}
END_TEST

START_TEST(error_inside_substitution)
{
	/* positions inside $( ) and ` ` are those of the whole text */
	ck_assert_parse_fails("echo \"a\n  $(fi)\"", true, "error 2:5 unexpected 'fi'");
	ck_assert_parse_fails("`fi`", true, "error 1:2 unexpected 'fi'");
	ck_assert_parse_fails("echo $(a;;)", true, "error 1:9 unexpected ';;'");
}
END_TEST

/* n copies of open, then "x", then n copies of close. */
static char *nested_text(const char *open, const char *close, int n)
{
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < n; i++)
		strbuf_adds(&b, open);
	strbuf_adds(&b, "x");
	for (int i = 0; i < n; i++)
		strbuf_adds(&b, close);
	return strbuf_take(&b);
}

/* The status and message of parsing src (final). */
static char *status_and_msg(const char *src)
{
	struct parse_result res;
	parse_text(src, strlen(src), 1, true, &res);
	char *out = xasprintf("%s %s", status_name(res.status), res.msg ? res.msg : "-");
	parse_result_finish(&res);
	return out;
}

START_TEST(deep_nesting_accepted_below_limit)
{
	char *src = nested_text("(", ")", 500);
	struct parse_result res;
	parse_text(src, strlen(src), 1, true, &res);
	ck_assert_int_eq(res.status, PARSE_OK);
	ck_assert_int_eq(res.tree->type, N_SUBSHELL);
	parse_result_finish(&res);
	free(src);
}
END_TEST

START_TEST(deep_nesting_parentheses)
{
	static const int depths[] = {1001, 5000, 200000};
	for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
		char *src = nested_text("(", ")", depths[i]);
		ck_assert_str_eq_free(status_and_msg(src),
				      "error commands nested too deeply (more than 1000 levels)");
		free(src);
	}
	char *src = nested_text("{ ", "; }", 2000);
	ck_assert_str_eq_free(status_and_msg(src),
			      "error commands nested too deeply (more than 1000 levels)");
	free(src);
}
END_TEST

START_TEST(deep_nesting_command_substitution)
{
	/* must be an error, not a stack overflow */
	char *src = nested_text("$(", "", 200000);
	ck_assert_str_eq_free(status_and_msg(src),
			      "error commands nested too deeply (more than 1000 levels)");
	free(src);
}
END_TEST

/* Parses src (final) and checks that it failed with PARSE_ERROR. */
static void check_fails_cleanly(const char *src)
{
	struct parse_result res;
	parse_text(src, strlen(src), 1, true, &res);
	ck_assert_int_eq(res.status, PARSE_ERROR);
	parse_result_finish(&res);
}

static const char *const deep_opens[] = {"${x:-", "\"${x:-", "$((", "$(( ("};

START_TEST(deep_nesting_parameter_and_arith)
{
	/* unterminated, so an error whatever the nesting limit; never a crash */
	char *src = nested_text(deep_opens[_i], "", 200000);
	check_fails_cleanly(src);
	free(src);
}
END_TEST

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("simple");
	tcase_add_test(tc, simple_words);
	tcase_add_test(tc, simple_assignments);
	tcase_add_test(tc, assignment_tilde);
	tcase_add_test(tc, simple_redirections);
	tcase_add_test(tc, pipelines);
	tcase_add_test(tc, and_or_left_associative);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, empty_program);
	tcase_add_test(tc, background_item_text);
	tcase_add_test(tc, node_positions);
	suite_add_tcase(s, tc);

	tc = tcase_create("compound");
	tcase_add_test(tc, group_and_subshell);
	tcase_add_test(tc, if_elif_else);
	tcase_add_test(tc, while_until);
	tcase_add_test(tc, for_loops);
	tcase_add_test(tc, case_clauses);
	tcase_add_test(tc, function_definitions);
	tcase_add_test(tc, coproc_group);
	tcase_add_test(tc, compound_redirections);
	suite_add_tcase(s, tc);

	tc = tcase_create("heredoc");
	tcase_add_test(tc, heredoc_expanded);
	tcase_add_test(tc, heredoc_quoted_delimiter);
	tcase_add_test(tc, heredoc_strip_tabs);
	tcase_add_test(tc, heredoc_several_and_later_commands);
	tcase_add_test(tc, heredoc_in_command_substitution);
	suite_add_tcase(s, tc);

	tc = tcase_create("substitutions");
	tcase_add_test(tc, command_substitution_nested);
	tcase_add_test(tc, command_substitution_with_case);
	tcase_add_test(tc, backquotes);
	tcase_add_test(tc, parameter_forms);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, error_unexpected_keyword);
	tcase_add_test(tc, error_first_line_offset);
	tcase_add_test(tc, error_if_without_fi);
	tcase_add_test(tc, error_incomplete_operators);
	tcase_add_test(tc, error_incomplete_quotes_and_substitutions);
	tcase_add_test(tc, error_incomplete_heredoc);
	tcase_add_test(tc, error_incomplete_compounds);
	tcase_add_test(tc, error_empty_bodies);
	tcase_add_test(tc, error_misplaced_operators);
	tcase_add_test(tc, error_redirections);
	tcase_add_test(tc, error_names);
	tcase_add_test(tc, error_inside_substitution);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_tags(tc, "deep");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, deep_nesting_accepted_below_limit);
	tcase_add_test(tc, deep_nesting_parentheses);
	tcase_add_test(tc, deep_nesting_command_substitution);
	tcase_add_loop_test(tc, deep_nesting_parameter_and_arith, 0,
			    (int)(sizeof deep_opens / sizeof deep_opens[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(parser_suite());
}
