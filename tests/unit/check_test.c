/* The test / [ builtin: strings, integers, files, !, -a, -o, parentheses,
 * the POSIX rules by argument count, and the errors (status 2). */
#include "unit.h"

#include <sys/stat.h>

#include "builtins/builtin.h"

static struct shell *sh;
static char dir[] = "/tmp/cosh-test-XXXXXX";

/* Runs `test ARGS` given as one blank-separated string ("" = no args);
 * "_" stands for an empty argument. */
static int run(const char *args)
{
	char *copy = xstrdup(args);
	char *argv[64] = {"test"};
	int argc = 1;
	for (char *t = strtok(copy, " "); t && argc < 63; t = strtok(NULL, " "))
		argv[argc++] = strcmp(t, "_") == 0 ? "" : t;
	argv[argc] = NULL;
	int st = builtin_test(sh, argc, argv);
	free(copy);
	return st;
}

struct err_ctx {
	const char *args;
	int st;
};

static void run_ctx(void *p)
{
	struct err_ctx *c = p;
	c->st = run(c->args);
}

static void setup(void)
{
	sh = shell_create();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	FILE *f = fopen("file", "w");
	fputs("x", f);
	fclose(f);
	fclose(fopen("empty", "w"));
	mkdir("sub", 0755);
	symlink("file", "link");
	chmod("file", 0755);
}

static void teardown(void)
{
	unlink("file");
	unlink("empty");
	unlink("link");
	rmdir("sub");
	ck_assert_int_eq(chdir("/"), 0);
	rmdir(dir);
	strcpy(dir, "/tmp/cosh-test-XXXXXX");
	shell_destroy(sh);
}

static const struct {
	const char *args;
	int status;
} cases[] = {
	{"", 1},
	{"a", 0},
	{"_", 1},
	{"! a", 1},
	{"! _", 0},
	{"-n a", 0},
	{"-n _", 1},
	{"-z _", 0},
	{"-z a", 1},
	{"a = a", 0},
	{"a = b", 1},
	{"a == a", 0},
	{"a != b", 0},
	{"a < b", 0},
	{"b > a", 0},
	{"b < a", 1},
	{"1 -eq 1", 0},
	{"1 -ne 1", 1},
	{"-3 -lt 2", 0},
	{"2 -le 2", 0},
	{"3 -gt 2", 0},
	{"2 -ge 3", 1},
	{"10 -gt 9", 0},
	{"-f file", 0},
	{"-f sub", 1},
	{"-d sub", 0},
	{"-e nosuch", 1},
	{"-s file", 0},
	{"-s empty", 1},
	{"-L link", 0},
	{"-h file", 1},
	{"-x file", 0},
	{"-r file", 0},
	{"file -ef link", 0},
	{"file -ef empty", 1},
	{"! a = b", 0},
	{"! -f file", 1},
	{"( a )", 0},
	{"( _ )", 1},
	{"( a = a )", 0},
	{"a -a b", 0},
	{"a -a _", 1},
	{"_ -o b", 0},
	{"_ -o _", 1},
	{"-f file -a -d sub", 0},
	{"-f file -a ! -d sub", 1},
	{"_ -o a -a _", 1},
	{"( _ -o a ) -a a", 0},
	{"! ( a = b ) -a -n x", 0},
	{"= = =", 0},
	{"! = = =", 1},
	{"-n = -n", 0},
	{"( = )", 1},
	{"( a ) -a ( b )", 0},
};

START_TEST(test_cases)
{
	ck_assert_msg(run(cases[_i].args) == cases[_i].status, "test %s: expected %d",
		      cases[_i].args, cases[_i].status);
}
END_TEST

START_TEST(test_bracket)
{
	char *ok[] = {"[", "a", "=", "a", "]", NULL};
	ck_assert_int_eq(builtin_test(sh, 5, ok), 0);
	char *no[] = {"[", "a", "=", "b", "]", NULL};
	ck_assert_int_eq(builtin_test(sh, 5, no), 1);
	char *empty[] = {"[", "]", NULL};
	ck_assert_int_eq(builtin_test(sh, 2, empty), 1);
}
END_TEST

static void missing_bracket(void *p)
{
	char *argv[] = {"[", "a", NULL};
	((struct err_ctx *)p)->st = builtin_test(sh, 2, argv);
}

START_TEST(test_missing_bracket)
{
	struct err_ctx c = {0};
	char *out = capture_stderr(missing_bracket, &c);
	ck_assert_int_eq(c.st, 2);
	ck_assert_str_eq(out, "cosh: [: missing ']'\n");
	free(out);
}
END_TEST

static const struct {
	const char *args;
	const char *msg;
} errors[] = {
	{"1 -eq x", "cosh: test: x: integer expression expected\n"},
	{"a -lt 1", "cosh: test: a: integer expression expected\n"},
	{"-q a", "cosh: test: -q: unary operator expected\n"},
	{"( a", "cosh: test: (: unary operator expected\n"},
	{"( a = a", "cosh: test: ')' expected\n"},
	{"a b c d e", "cosh: test: b: unexpected argument\n"},
};

START_TEST(test_errors)
{
	struct err_ctx c = {errors[_i].args, 0};
	char *out = capture_stderr(run_ctx, &c);
	ck_assert_int_eq(c.st, 2);
	ck_assert_str_eq(out, errors[_i].msg);
	free(out);
}
END_TEST

static Suite *test_suite(void)
{
	Suite *s = suite_create("test");
	TCase *tc = tcase_create("test");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_cases, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, test_bracket);
	tcase_add_test(tc, test_missing_bracket);
	tcase_add_loop_test(tc, test_errors, 0, sizeof errors / sizeof errors[0]);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(test_suite());
}
