/* Unit tests of word expansion: each test parses a one-command program,
 * expands its words and compares the fields, rendered "[f1][f2]..." by
 * expand_fields (unit.h), so that no field and one empty field differ. */
#include "unit.h"

#include <fcntl.h>
#include <sys/stat.h>

static struct shell *sh;

static void shell_setup(void)
{
	sh = shell_create();
	exec_install_signals(sh); /* $( ) waits for its child through the loop */
	var_set(sh, "HOME", "/home/tester", 0);
}

static void shell_teardown(void)
{
	shell_destroy(sh);
	sh = NULL;
}

static void set_params(int argc, const char *const *argv)
{
	shell_set_params(sh, argc, (char **)argv);
}

struct expansion {
	const char *src;
	char *fields;
};

static void run_expansion(void *ctx)
{
	struct expansion *e = ctx;
	e->fields = expand_fields(sh, e->src);
}

/* The fields of src, a blank, and what expanding it wrote to stderr. */
static char *fields_and_stderr(const char *src)
{
	struct expansion e = {src, NULL};
	char *err = capture_stderr(run_expansion, &e);
	char *out = xasprintf("%s %s", e.fields, err);
	free(e.fields);
	free(err);
	return out;
}

/* ---- literals and quotes ---- */

START_TEST(literal_and_quoted_text)
{
	ck_assert_fields(sh, "a \"b c\" 'd'", "[a][b c][d]");
	ck_assert_fields(sh, "a\"b\"'c'd", "[abcd]");
	ck_assert_fields(sh, "\\$x '$x' \"\\$x\\\"\\\\\"", "[$x][$x][$x\"\\]");
	/* in "..." a backslash before another character stays */
	ck_assert_fields(sh, "\"a\\b\"", "[a\\b]");
	ck_assert_fields(sh, "$'a\\tb'", "[a\tb]");
}
END_TEST

START_TEST(empty_quotes_are_fields)
{
	ck_assert_fields(sh, "\"\" ''", "[][]");
	ck_assert_fields(sh, "a '' b", "[a][][b]");
}
END_TEST

/* ---- parameters ---- */

START_TEST(unquoted_parameter_is_one_field)
{
	var_set(sh, "x", "a  b\tc", 0);
	ck_assert_fields(sh, "$x", "[a  b\tc]");
	ck_assert_fields(sh, "${x}", "[a  b\tc]");
	ck_assert_fields(sh, "-$x-", "[-a  b\tc-]");
}
END_TEST

START_TEST(unquoted_empty_parameter_is_no_field)
{
	var_set(sh, "e", "", 0);
	ck_assert_fields(sh, "$e", "");
	ck_assert_fields(sh, "$unset", "");
	ck_assert_fields(sh, "a $e b $unset", "[a][b]");
	ck_assert_fields(sh, "$e$unset", "");
	/* next to text it is just nothing */
	ck_assert_fields(sh, "a$e", "[a]");
}
END_TEST

START_TEST(quoted_parameter_is_one_field)
{
	var_set(sh, "e", "", 0);
	ck_assert_fields(sh, "\"$e\"", "[]");
	ck_assert_fields(sh, "\"$unset\"", "[]");
	ck_assert_fields(sh, "$e\"$unset\"", "[]");
	var_set(sh, "x", "a b", 0);
	ck_assert_fields(sh, "\"-$x-\"", "[-a b-]");
}
END_TEST

START_TEST(expansion_results_not_expanded_again)
{
	var_set(sh, "x", "$(echo hi) $y `z` ~", 0);
	ck_assert_fields(sh, "$x", "[$(echo hi) $y `z` ~]");
	var_set(sh, "y", "$x", 0);
	ck_assert_fields(sh, "$y", "[$x]");
}
END_TEST

START_TEST(positional_at_and_star)
{
	static const char *const argv[] = {"a", "b c", ""};
	set_params(3, argv);
	ck_assert_fields(sh, "\"$@\"", "[a][b c][]");
	ck_assert_fields(sh, "\"${@}\"", "[a][b c][]");
	/* unquoted: one field per non-empty parameter, never split */
	ck_assert_fields(sh, "$@", "[a][b c]");
	ck_assert_fields(sh, "$*", "[a][b c]");
	ck_assert_fields(sh, "\"$*\"", "[a b c ]");
}
END_TEST

START_TEST(positional_at_with_affixes)
{
	static const char *const argv[] = {"a", "b"};
	set_params(2, argv);
	ck_assert_fields(sh, "\"x$@y\"", "[xa][by]");
	ck_assert_fields(sh, "\"$@\"\"$@\"", "[a][ba][b]");
	ck_assert_fields(sh, "\"$1$2\" \"${1}x${2}\"", "[ab][axb]");
}
END_TEST

START_TEST(positional_none)
{
	set_params(0, NULL);
	ck_assert_fields(sh, "\"$@\"", "");
	ck_assert_fields(sh, "$@ $*", "");
	ck_assert_fields(sh, "\"x$@\"", "[x]");
	ck_assert_fields(sh, "\"$*\"", "[]");
	ck_assert_fields(sh, "$# \"$1\"", "[0][]");
}
END_TEST

START_TEST(positional_numbers)
{
	static const char *const argv[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
	set_params(10, argv);
	ck_assert_fields(sh, "$1 ${10} $10 $#", "[a][j][a0][10]");
	ck_assert_fields(sh, "$0 ${11}", "[cosh]");
}
END_TEST

START_TEST(special_parameters)
{
	sh->last_status = 3;
	char pid[32];
	snprintf(pid, sizeof pid, "[%ld]", (long)getpid());
	ck_assert_fields(sh, "$?", "[3]");
	ck_assert_fields(sh, "$$", pid);
	ck_assert_fields(sh, "$!", "");
}
END_TEST

START_TEST(param_default)
{
	var_set(sh, "e", "", 0);
	var_set(sh, "s", "v", 0);
	ck_assert_fields(sh, "${unset:-d} ${e:-d} ${s:-d}", "[d][d][v]");
	ck_assert_fields(sh, "${unset-d} ${e-d} ${s-d}", "[d][v]");
	var_set(sh, "y", "a b", 0);
	ck_assert_fields(sh, "${unset:-$y} ${unset:-\"a  b\"} ${unset:-a  b}", "[a b][a  b][a  b]");
}
END_TEST

START_TEST(param_assign)
{
	ck_assert_fields(sh, "${x:=d}", "[d]");
	ck_assert_str_eq(var_get(sh, "x"), "d");
	ck_assert_fields(sh, "${x:=other}", "[d]");
	ck_assert_str_eq(var_get(sh, "x"), "d");
	var_set(sh, "e", "", 0);
	/* without the colon an empty value stays */
	ck_assert_fields(sh, "${e=d}", "");
	ck_assert_str_eq(var_get(sh, "e"), "");
	ck_assert_fields(sh, "${e:=new}", "[new]");
	ck_assert_str_eq(var_get(sh, "e"), "new");
}
END_TEST

START_TEST(param_alternative)
{
	var_set(sh, "e", "", 0);
	var_set(sh, "s", "v", 0);
	ck_assert_fields(sh, "${s:+a} ${e:+a} ${unset:+a}", "[a]");
	ck_assert_fields(sh, "${s+a} ${e+a} ${unset+a}", "[a][a]");
	ck_assert_fields(sh, "${s:+\"a b\"}", "[a b]");
}
END_TEST

START_TEST(param_error)
{
	var_set(sh, "s", "v", 0);
	ck_assert_fields(sh, "${s:?oops}", "[v]");
}
END_TEST

START_TEST(param_error_message)
{
	ck_assert_str_eq_free(fields_and_stderr("${unset:?it is missing}"),
			      "<error> cosh: unset: it is missing\n");
	ck_assert_str_eq_free(fields_and_stderr("${unset?}"),
			      "<error> cosh: unset: parameter null or not set\n");
}
END_TEST

START_TEST(param_quoted_empty_operator_results)
{
	/* a quoted ${...} is one field even when it expands to nothing, as "$x" */
	var_set(sh, "s", "v", 0);
	var_set(sh, "e", "", 0);
	ck_assert_fields(sh, "\"${e:-$e}\"", "[]");
	ck_assert_fields(sh, "\"${e:+x}\"", "[]");
	ck_assert_fields(sh, "\"${e:=}\"", "[]");
	/* also when the word is empty */
	ck_assert_fields(sh, "\"${unset:-}\"", "[]");
	ck_assert_fields(sh, "\"${unset-}\"", "[]");
	ck_assert_fields(sh, "\"${s:+}\"", "[]");
}
END_TEST

START_TEST(param_length)
{
	var_set(sh, "x", "hello", 0);
	var_set(sh, "u", "h\xc3\xa9llo", 0); /* UTF-8: 5 characters, 6 bytes */
	ck_assert_fields(sh, "${#x} ${#u} ${#unset}", "[5][5][0]");
	static const char *const argv[] = {"a", "b", "c"};
	set_params(3, argv);
	ck_assert_fields(sh, "${#}", "[3]");
}
END_TEST

START_TEST(param_length_of_positionals)
{
	/* ${#@} and ${#*} are the number of positional parameters, as in bash */
	static const char *const argv[] = {"aa", "bb", "cc"};
	set_params(3, argv);
	ck_assert_fields(sh, "${#@} ${#*}", "[3][3]");
}
END_TEST

START_TEST(param_trim_prefix)
{
	var_set(sh, "x", "a/b/c", 0);
	ck_assert_fields(sh, "${x#*/} ${x##*/}", "[b/c][c]");
	ck_assert_fields(sh, "${x#nomatch} ${x#a/b/c}", "[a/b/c]");
	var_set(sh, "y", "abcabc", 0);
	ck_assert_fields(sh, "${y#*b} ${y##*b} ${y#?} ${y#[ab]} ${y#[!a]}", "[cabc][c][bcabc][bcabc][abcabc]");
}
END_TEST

START_TEST(param_trim_suffix)
{
	var_set(sh, "x", "/a/b/c.tar.gz", 0);
	ck_assert_fields(sh, "${x%.*} ${x%%.*} ${x%/*}", "[/a/b/c.tar][/a/b/c][/a/b]");
	var_set(sh, "y", "abcabc", 0);
	ck_assert_fields(sh, "${y%b*} ${y%%b*} ${y%?} ${y%[bc]}", "[abca][a][abcab][abcab]");
}
END_TEST

START_TEST(param_trim_quoted_pattern_is_literal)
{
	var_set(sh, "x", "*a*", 0);
	ck_assert_fields(sh, "${x#\"*\"} ${x#'*'} ${x#\\*}", "[a*][a*][a*]");
	ck_assert_fields(sh, "${x#*}", "[*a*]");
	ck_assert_fields(sh, "\"${x##*a}\"", "[*]");
	var_set(sh, "y", "ab?", 0);
	ck_assert_fields(sh, "${y%\"?\"} ${y%[?]}", "[ab][ab]");
	var_set(sh, "z", "abc", 0);
	ck_assert_fields(sh, "${z%\"?\"}", "[abc]");
}
END_TEST

START_TEST(param_trim_pattern_from_variable)
{
	var_set(sh, "x", "a.b.c", 0);
	var_set(sh, "p", ".*", 0);
	/* unquoted $p is a pattern, "$p" is literal */
	ck_assert_fields(sh, "${x%$p} ${x%%$p} ${x%\"$p\"}", "[a.b][a][a.b.c]");
	var_set(sh, "q", ".c", 0);
	ck_assert_fields(sh, "${x%\"$q\"}", "[a.b]");
}
END_TEST

/* ---- tilde ---- */

START_TEST(tilde_home)
{
	ck_assert_fields(sh, "~ ~/x", "[/home/tester][/home/tester/x]");
	ck_assert_fields(sh, "a~ \"~\" '~' \\~", "[a~][~][~][~]");
	ck_assert_fields(sh, "~no_such_user_cosh/x", "[~no_such_user_cosh/x]");
	/* the value of HOME is not split or globbed */
	var_set(sh, "HOME", "/a b/*", 0);
	ck_assert_fields(sh, "~", "[/a b/*]");
}
END_TEST

START_TEST(tilde_in_default_word)
{
	/* bash expands ~ at the start of the word in ${x:-word} */
	ck_assert_fields(sh, "${unset:-~} ${unset:-~/a}", "[/home/tester][/home/tester/a]");
}
END_TEST

/* ---- arithmetic ---- */

START_TEST(arith_expansion)
{
	var_set(sh, "x", "3", 0);
	ck_assert_fields(sh, "$((1+2)) $((x*2)) $(($x*2)) \"$((2*(3+4)))\"", "[3][6][6][14]");
	ck_assert_fields(sh, "a$((1+1))b", "[a2b]");
	ck_assert_fields(sh, "$((y=5)) $y", "[5][5]");
}
END_TEST

START_TEST(arith_expansion_error)
{
	const char *got = unit_hold(fields_and_stderr("a $((1/0)) b"));
	ck_assert_msg(strncmp(got, "<error> cosh: 1/0: division by 0", 32) == 0, "got: %s", got);
}
END_TEST

START_TEST(nounset)
{
	sh->opt.nounset = true;
	var_set(sh, "e", "", 0);
	ck_assert_fields(sh, "$e ${unset-d} \"$@\" $*", "[d]");
	ck_assert_str_eq_free(fields_and_stderr("a $unset"), "<error> cosh: unset: unbound variable\n");
}
END_TEST

/* ---- expand_string and expand_pattern ---- */

START_TEST(string_expansion)
{
	static const char *const argv[] = {"a", "b c"};
	set_params(2, argv);
	var_set(sh, "x", "*  y", 0);
	ck_assert_str_eq_free(expand_str(sh, "$@"), "a b c");
	ck_assert_str_eq_free(expand_str(sh, "-$x-\"$x\"*"), "-*  y-*  y*");
	ck_assert_str_eq_free(expand_str(sh, "$unset"), "");
}
END_TEST

START_TEST(pattern_expansion)
{
	var_set(sh, "p", "*.c", 0);
	ck_assert_str_eq_free(expand_pat(sh, "\"*\"x*"), "\\*x*");
	ck_assert_str_eq_free(expand_pat(sh, "'[a]'?\\?"), "\\[a\\]?\\?");
	/* unquoted $p stays a pattern, "$p" is escaped */
	ck_assert_str_eq_free(expand_pat(sh, "$p"), "*.c");
	ck_assert_str_eq_free(expand_pat(sh, "\"$p\""), "\\*.c");
}
END_TEST

/* ---- command substitution ---- */

START_TEST(command_substitution_fields)
{
	ck_assert_fields(sh, "$(echo a  b)", "[a][b]");
	ck_assert_fields(sh, "\"$(echo 'a  b')\"", "[a  b]");
	ck_assert_fields(sh, "x$(echo a b)y", "[xa][by]");
	ck_assert_fields(sh, "`echo a b`", "[a][b]");
}
END_TEST

START_TEST(command_substitution_newlines)
{
	/* trailing newlines go; an empty output is no field unquoted */
	ck_assert_fields(sh, "\"$(echo a; echo; echo)\"", "[a]");
	ck_assert_fields(sh, "$(echo)", "");
	ck_assert_fields(sh, "\"$(echo)\"", "[]");
	ck_assert_fields(sh, "$(echo a; echo b)x", "[a][bx]");
	ck_assert_fields(sh, "$(( $(echo 3) + 1 ))", "[4]");
}
END_TEST

/* ---- pathname expansion ---- */

/* The directory is made once for the test case, in the runner's process
 * (an unchecked fixture), so that it is removed even when a test fails;
 * each test runs in it (a checked fixture). */
static char globdir[64];
static int saved_cwd = -1;

static const char *const globfiles[] = {"b", "a", "B", "c.txt", ".hidden", "sub/x.c"};

static char *glob_path(const char *name)
{
	return xasprintf("%s/%s", globdir, name);
}

static void globdir_create(void)
{
	strcpy(globdir, "/tmp/cosh-glob-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(globdir));
	char *sub = glob_path("sub");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	free(sub);
	for (size_t i = 0; i < sizeof globfiles / sizeof globfiles[0]; i++) {
		char *path = glob_path(globfiles[i]);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		free(path);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
}

static void globdir_remove(void)
{
	for (size_t i = 0; i < sizeof globfiles / sizeof globfiles[0]; i++) {
		char *path = glob_path(globfiles[i]);
		unlink(path);
		free(path);
	}
	char *sub = glob_path("sub");
	rmdir(sub);
	free(sub);
	rmdir(globdir);
}

static void glob_setup(void)
{
	shell_setup();
	saved_cwd = open(".", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(saved_cwd, 0);
	ck_assert_int_eq(chdir(globdir), 0);
}

static void glob_teardown(void)
{
	if (saved_cwd >= 0) {
		if (fchdir(saved_cwd) != 0)
			perror("fchdir");
		close(saved_cwd);
		saved_cwd = -1;
	}
	shell_teardown();
}

START_TEST(glob_sorted)
{
	ck_assert_fields(sh, "*", "[B][a][b][c.txt][sub]");
	ck_assert_fields(sh, "x *.txt y", "[x][c.txt][y]");
}
END_TEST

START_TEST(glob_question_and_brackets)
{
	ck_assert_fields(sh, "?", "[B][a][b]");
	ck_assert_fields(sh, "[ab]", "[a][b]");
	ck_assert_fields(sh, "[!ab]", "[B]");
	ck_assert_fields(sh, "*/*.c", "[sub/x.c]");
}
END_TEST

START_TEST(glob_no_match_keeps_word)
{
	ck_assert_fields(sh, "*.none", "[*.none]");
	ck_assert_fields(sh, "no/*", "[no/*]");
}
END_TEST

START_TEST(glob_quoted_not_globbed)
{
	ck_assert_fields(sh, "\"*\" '*' \\* \"*\".txt", "[*][*][*][*.txt]");
	/* a quoted part next to an unquoted * */
	ck_assert_fields(sh, "\"c\"*", "[c.txt]");
	ck_assert_fields(sh, "'['ab]", "[[ab]]");
}
END_TEST

START_TEST(glob_not_applied_to_expansions)
{
	var_set(sh, "x", "*", 0);
	ck_assert_fields(sh, "$x ${x} \"$x\"", "[*][*][*]");
	ck_assert_fields(sh, "$(echo '*')", "[*]");
	ck_assert_fields(sh, "${unset:-*} ${unset:-*.txt}", "[*][*.txt]");
	/* but an unquoted * next to the value is */
	var_set(sh, "p", "c", 0);
	ck_assert_fields(sh, "$p*", "[c.txt]");
}
END_TEST

static Suite *expand_suite(void)
{
	Suite *s = suite_create("expand");
	TCase *tc = tcase_create("words");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_add_test(tc, literal_and_quoted_text);
	tcase_add_test(tc, empty_quotes_are_fields);
	tcase_add_test(tc, unquoted_parameter_is_one_field);
	tcase_add_test(tc, unquoted_empty_parameter_is_no_field);
	tcase_add_test(tc, quoted_parameter_is_one_field);
	tcase_add_test(tc, expansion_results_not_expanded_again);
	tcase_add_test(tc, tilde_home);
	tcase_add_test(tc, tilde_in_default_word);
	tcase_add_test(tc, string_expansion);
	tcase_add_test(tc, pattern_expansion);
	suite_add_tcase(s, tc);

	tc = tcase_create("parameters");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_add_test(tc, positional_at_and_star);
	tcase_add_test(tc, positional_at_with_affixes);
	tcase_add_test(tc, positional_none);
	tcase_add_test(tc, positional_numbers);
	tcase_add_test(tc, special_parameters);
	tcase_add_test(tc, param_default);
	tcase_add_test(tc, param_assign);
	tcase_add_test(tc, param_alternative);
	tcase_add_test(tc, param_error);
	tcase_add_test(tc, param_error_message);
	tcase_add_test(tc, param_quoted_empty_operator_results);
	tcase_add_test(tc, param_length);
	tcase_add_test(tc, param_length_of_positionals);
	tcase_add_test(tc, param_trim_prefix);
	tcase_add_test(tc, param_trim_suffix);
	tcase_add_test(tc, param_trim_quoted_pattern_is_literal);
	tcase_add_test(tc, param_trim_pattern_from_variable);
	tcase_add_test(tc, nounset);
	suite_add_tcase(s, tc);

	tc = tcase_create("substitutions");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_add_test(tc, arith_expansion);
	tcase_add_test(tc, arith_expansion_error);
	tcase_add_test(tc, command_substitution_fields);
	tcase_add_test(tc, command_substitution_newlines);
	suite_add_tcase(s, tc);

	tc = tcase_create("glob");
	tcase_add_unchecked_fixture(tc, globdir_create, globdir_remove);
	tcase_add_checked_fixture(tc, glob_setup, glob_teardown);
	tcase_add_test(tc, glob_sorted);
	tcase_add_test(tc, glob_question_and_brackets);
	tcase_add_test(tc, glob_no_match_keeps_word);
	tcase_add_test(tc, glob_quoted_not_globbed);
	tcase_add_test(tc, glob_not_applied_to_expansions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(expand_suite());
}
