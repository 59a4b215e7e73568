/* Unit tests of $(( )) evaluation.  The expected values are bash's on
 * x86-64 (bash -c 'echo $((...))'). */
#include "unit.h"

#include <inttypes.h>

static struct shell *sh;

static void shell_setup(void)
{
	sh = shell_create();
}

static void shell_teardown(void)
{
	shell_destroy(sh);
	sh = NULL;
}

struct evaluation {
	const char *expr;
	int status;
	int64_t value;
};

static void run_eval(void *ctx)
{
	struct evaluation *e = ctx;
	e->status = arith_eval(sh, e->expr, &e->value);
}

/* "N" for a value, or "error: " and what was printed to stderr. */
static char *arith(const char *expr)
{
	struct evaluation e = {expr, 0, INT64_C(-424242)};
	char *err = capture_stderr(run_eval, &e);
	size_t n = strlen(err);
	if (n && err[n - 1] == '\n')
		err[n - 1] = 0;
	char *out;
	if (e.status == 0 && !*err)
		out = xasprintf("%" PRId64, e.value);
	else if (e.status == 0)
		out = xasprintf("%" PRId64 " with stderr: %s", e.value, err);
	else if (e.value != INT64_C(-424242))
		out = xasprintf("error (result changed to %" PRId64 "): %s", e.value, err);
	else
		out = xasprintf("error: %s", err);
	free(err);
	return out;
}

/* expr evaluates to the decimal value expected (a string). */
#define ck_assert_arith(expr, expected) ck_assert_str_eq_free(arith(expr), expected)

/* expr fails (-1, *result untouched) and the message contains needle. */
#define ck_assert_arith_error(expr, needle)                                                \
	do {                                                                                \
		const char *got_ = unit_hold(arith(expr));                                  \
		ck_assert_msg(strncmp(got_, "error: cosh: ", 13) == 0 &&                    \
				      strstr(got_, needle) != NULL,                               \
			      "%s: expected an error with '%s', got '%s'", expr, needle, got_); \
	} while (0)

/* The variable's value, "(unset)" when unset. */
#define ck_assert_var(name, expected)                                  \
	do {                                                           \
		const char *v_ = var_get(sh, name);                    \
		ck_assert_str_eq(v_ ? v_ : "(unset)", expected);       \
	} while (0)

/* ---- precedence and associativity ---- */

START_TEST(precedence_basic)
{
	ck_assert_arith("1+2*3", "7");
	ck_assert_arith("(1+2)*3", "9");
	ck_assert_arith("2 * 3 % 4", "2");
	ck_assert_arith("1 + 2 << 1", "6");
	ck_assert_arith("1 | 2 ^ 3 & 4", "3");
	ck_assert_arith("3 & 6 == 6", "1");
	ck_assert_arith("1 == 1 < 2", "1");
	ck_assert_arith("1 < 2 ? 10 : 20", "10");
}
END_TEST

START_TEST(left_associative)
{
	ck_assert_arith("10 - 2 - 3", "5");
	ck_assert_arith("100 / 10 / 5", "2");
	ck_assert_arith("5 > 3 > 1", "0");
	ck_assert_arith("1 == 2 != 1", "1");
	ck_assert_arith("2 << 1 << 2", "16");
}
END_TEST

START_TEST(power)
{
	ck_assert_arith("2**3**2", "512"); /* right-associative */
	ck_assert_arith("-2**2", "4");      /* unary minus binds tighter, as in bash */
	ck_assert_arith("(-2)**2", "4");
	ck_assert_arith("-3**3", "-27");
	ck_assert_arith("2**0", "1");
	ck_assert_arith("0**0", "1");
	ck_assert_arith("2**62", "4611686018427387904");
	ck_assert_arith("2**63", "-9223372036854775808");
	ck_assert_arith("2**64", "0");
	ck_assert_arith("3 * 2 ** 2", "12");
}
END_TEST

START_TEST(power_negative_exponent)
{
	ck_assert_arith_error("2**-1", "exponent less than 0");
}
END_TEST

/* ---- unary operators ---- */

START_TEST(unary_operators)
{
	ck_assert_arith("-5", "-5");
	ck_assert_arith("+3", "3");
	ck_assert_arith("- -1", "1");
	ck_assert_arith("-+-1", "1");
	ck_assert_arith("-(-1)", "1");
	ck_assert_arith("!5", "0");
	ck_assert_arith("!0", "1");
	ck_assert_arith("!!7", "1");
	ck_assert_arith("~5", "-6");
	ck_assert_arith("~0", "-1");
	ck_assert_arith("~-1", "0");
	ck_assert_arith("3 - - 1", "4");
	ck_assert_arith("3 -- 1", "4");
}
END_TEST

START_TEST(unary_signs_before_a_number)
{
	/* ++ and -- before something that is not a variable are two signs (bash) */
	ck_assert_arith("--1", "1");
	ck_assert_arith("++1", "1");
	ck_assert_arith("-- 5", "5");
}
END_TEST

/* ---- binary operators ---- */

START_TEST(comparisons)
{
	ck_assert_arith("1 < 2", "1");
	ck_assert_arith("2 < 1", "0");
	ck_assert_arith("2 <= 2", "1");
	ck_assert_arith("7 <= 6", "0");
	ck_assert_arith("3 > 2", "1");
	ck_assert_arith("2 >= 3", "0");
	ck_assert_arith("7 >= 7", "1");
	ck_assert_arith("2 == 2", "1");
	ck_assert_arith("2 != 2", "0");
	ck_assert_arith("-1 < 0", "1");
}
END_TEST

START_TEST(bitwise)
{
	ck_assert_arith("5 & 3", "1");
	ck_assert_arith("5 | 3", "7");
	ck_assert_arith("5 ^ 3", "6");
	ck_assert_arith("-1 & 0xff", "255");
}
END_TEST

START_TEST(logical)
{
	ck_assert_arith("1 && 2", "1");
	ck_assert_arith("1 && 0", "0");
	ck_assert_arith("0 || 3", "1");
	ck_assert_arith("0 || 0", "0");
	ck_assert_arith("0 || 0 || 5", "1");
	ck_assert_arith("1 && 0 || 1", "1");
	ck_assert_arith("1 || 0 && 0", "1");
}
END_TEST

START_TEST(division_truncates)
{
	ck_assert_arith("7/2", "3");
	ck_assert_arith("-7/2", "-3");
	ck_assert_arith("-7%3", "-1");
	ck_assert_arith("7%-3", "1");
	ck_assert_arith("-5 / 2", "-2");
	ck_assert_arith("-5 % 2", "-1");
}
END_TEST

START_TEST(shifts)
{
	ck_assert_arith("1 << 4", "16");
	ck_assert_arith("-8 >> 1", "-4");
	ck_assert_arith("-5 >> 1", "-3");
	ck_assert_arith("-1 >> 63", "-1");
	ck_assert_arith("1 << 63", "-9223372036854775808");
}
END_TEST

START_TEST(shift_count_modulo_64)
{
	ck_assert_arith("1 << 64", "1");
	ck_assert_arith("1 << 65", "2");
	ck_assert_arith("1 << -1", "-9223372036854775808");
	ck_assert_arith("-8 >> 65", "-4");
	ck_assert_arith("256 >> -1", "0");
}
END_TEST

START_TEST(conditional)
{
	ck_assert_arith("1 ? 2 : 3", "2");
	ck_assert_arith("0 ? 2 : 3", "3");
	ck_assert_arith("1 ? 0 ? 4 : 5 : 6", "5");
	ck_assert_arith("0 ? 2 : 0 ? 4 : 5", "5");
	ck_assert_arith("0 || 0 ? 7 : 8", "8");
	ck_assert_arith("1 ? 2 : 3, 4", "4");
}
END_TEST

START_TEST(comma)
{
	ck_assert_arith("1 , 2 , 3", "3");
	ck_assert_arith("(1, 2)", "2");
	ck_assert_arith("x=1, y=2, x+y", "3");
	ck_assert_var("x", "1");
	ck_assert_var("y", "2");
}
END_TEST

/* ---- constants ---- */

START_TEST(number_bases)
{
	ck_assert_arith("0x1f", "31");
	ck_assert_arith("0X1F", "31");
	ck_assert_arith("017", "15");
	ck_assert_arith("0777", "511");
	ck_assert_arith("0", "0");
	ck_assert_arith("010 + 0x10 + 10", "34");
	ck_assert_arith("0x7fffffffffffffff", "9223372036854775807");
	ck_assert_arith("0xFFFFFFFFFFFFFFFF", "-1");
}
END_TEST

START_TEST(bad_octal)
{
	ck_assert_arith_error("08", "value too great for base");
	ck_assert_arith_error("0xg", "value too great for base");
}
END_TEST

/* ---- 64-bit wrapping ---- */

START_TEST(wrapping)
{
	ck_assert_arith("9223372036854775807+1", "-9223372036854775808");
	ck_assert_arith("0x7fffffffffffffff + 1", "-9223372036854775808");
	ck_assert_arith("-9223372036854775807 - 2", "9223372036854775807");
	ck_assert_arith("9223372036854775807 * 2", "-2");
	ck_assert_arith("12345678901234567890", "-6101065172474983726");
	ck_assert_arith("-9223372036854775807-1", "-9223372036854775808");
	ck_assert_arith("-(-9223372036854775807-1)", "-9223372036854775808");
}
END_TEST

START_TEST(int64_min_division)
{
	ck_assert_arith("(-9223372036854775807-1) / -1", "-9223372036854775808");
	ck_assert_arith("(-9223372036854775807-1) % -1", "0");
	ck_assert_arith("(-9223372036854775807-1) * -1", "-9223372036854775808");
	ck_assert_arith("x = -9223372036854775807-1, x /= -1", "-9223372036854775808");
}
END_TEST

START_TEST(division_by_zero)
{
	ck_assert_arith_error("1/0", "division by 0");
	ck_assert_arith_error("1%0", "division by 0");
	ck_assert_arith_error("0/0", "division by 0");
	ck_assert_arith_error("x=5/0", "division by 0");
	ck_assert_var("x", "(unset)");
	var_set(sh, "y", "5", 0);
	ck_assert_arith_error("y/=0", "division by 0");
	ck_assert_arith_error("y%=0", "division by 0");
	ck_assert_var("y", "5");
}
END_TEST

/* ---- variables ---- */

START_TEST(assignment)
{
	ck_assert_arith("x=5", "5");
	ck_assert_var("x", "5");
	ck_assert_arith("x = y = 3", "3");
	ck_assert_var("x", "3");
	ck_assert_var("y", "3");
	ck_assert_arith("(x=2) + (y=3)", "5");
	ck_assert_arith("x = 1 ? 2 : 3", "2");
	ck_assert_var("x", "2");
	ck_assert_arith("z = -1", "-1");
	ck_assert_var("z", "-1");
}
END_TEST

struct compound_case {
	const char *expr;
	const char *result;
};

static const struct compound_case compound_cases[] = {
	{"x+=2", "7"},  {"x-=2", "3"},  {"x*=3", "15"}, {"x/=2", "2"},
	{"x%=3", "2"},  {"x<<=2", "20"}, {"x>>=1", "2"}, {"x&=3", "1"},
	{"x|=3", "7"},  {"x^=3", "6"},
};

START_TEST(compound_assignment)
{
	const struct compound_case *c = &compound_cases[_i];
	var_set(sh, "x", "5", 0);
	ck_assert_arith(c->expr, c->result);
	ck_assert_var("x", c->result);
}
END_TEST

START_TEST(compound_assignment_reads_variable_first)
{
	/* bash takes x's value before evaluating the right side */
	var_set(sh, "x", "1", 0);
	ck_assert_arith("x += (x = 5)", "6");
	ck_assert_var("x", "6");
}
END_TEST

START_TEST(increment_decrement)
{
	var_set(sh, "x", "5", 0);
	ck_assert_arith("++x", "6");
	ck_assert_var("x", "6");
	ck_assert_arith("x++", "6");
	ck_assert_var("x", "7");
	ck_assert_arith("--x", "6");
	ck_assert_var("x", "6");
	ck_assert_arith("x--", "6");
	ck_assert_var("x", "5");
	ck_assert_arith("-- x", "4");
	ck_assert_var("x", "4");
	ck_assert_arith("y=x++", "4");
	ck_assert_var("x", "5");
	ck_assert_var("y", "4");
}
END_TEST

START_TEST(increment_in_expressions)
{
	var_set(sh, "x", "5", 0);
	ck_assert_arith("x++ + x", "11");
	var_set(sh, "x", "5", 0);
	ck_assert_arith("++x + x++", "12");
	ck_assert_var("x", "7");
	var_set(sh, "x", "1", 0);
	ck_assert_arith("x+++x", "3");
	ck_assert_var("x", "2");
	ck_assert_arith("++unset1", "1");
	ck_assert_var("unset1", "1");
	var_set(sh, "m", "9223372036854775807", 0);
	ck_assert_arith("m++", "9223372036854775807");
	ck_assert_var("m", "-9223372036854775808");
}
END_TEST

START_TEST(bare_names)
{
	ck_assert_arith("x", "0");
	ck_assert_arith("x + 1", "1");
	ck_assert_var("x", "(unset)");
	var_set(sh, "e", "", 0);
	var_set(sh, "b", " ", 0);
	var_set(sh, "s", "  3  ", 0);
	ck_assert_arith("e", "0");
	ck_assert_arith("b", "0");
	ck_assert_arith("s * 2", "6");
	var_set(sh, "n", "-4", 0);
	ck_assert_arith("-n", "4");
	var_set(sh, "h", "0x10", 0);
	var_set(sh, "o", "017", 0);
	ck_assert_arith("h + o", "31");
}
END_TEST

START_TEST(variable_holding_expression)
{
	var_set(sh, "x", "2+3", 0);
	ck_assert_arith("x * 2", "10"); /* the value is evaluated as a whole */
	var_set(sh, "y", "7", 0);
	var_set(sh, "r", "y", 0);
	ck_assert_arith("r", "7");
	var_set(sh, "u", "nothing_here", 0);
	ck_assert_arith("u", "0");
	var_set(sh, "z", "1 2", 0);
	ck_assert_arith_error("z", "syntax error");
	var_set(sh, "p", "1+", 0);
	ck_assert_arith_error("p", "operand expected");
}
END_TEST

START_TEST(self_reference)
{
	var_set(sh, "x", "x", 0);
	ck_assert_arith_error("x", "expression recursion level exceeded");
	var_set(sh, "a", "b", 0);
	var_set(sh, "b", "a+1", 0);
	ck_assert_arith_error("a", "expression recursion level exceeded");
}
END_TEST

/* ---- side effects only where evaluated ---- */

START_TEST(conditional_side_effects)
{
	ck_assert_arith("1 ? a=1 : (b=2)", "1");
	ck_assert_var("a", "1");
	ck_assert_var("b", "(unset)");
	ck_assert_arith("0 ? (c=1) : (d=2)", "2");
	ck_assert_var("c", "(unset)");
	ck_assert_var("d", "2");
	ck_assert_arith("1 ? 1 : 1/0", "1");
	ck_assert_arith("0 ? 1/0 : 2", "2");
	ck_assert_arith("0 ? x++ : 0", "0");
	ck_assert_var("x", "(unset)");
}
END_TEST

START_TEST(short_circuit_side_effects)
{
	ck_assert_arith("0 && (x=1)", "0");
	ck_assert_arith("1 || (x=1)", "1");
	ck_assert_arith("0 && x++", "0");
	ck_assert_arith("1 || x++", "1");
	ck_assert_var("x", "(unset)");
	ck_assert_arith("1 && (x=1)", "1");
	ck_assert_var("x", "1");
	ck_assert_arith("0 || (y=7)", "1");
	ck_assert_var("y", "7");
	ck_assert_arith("0 && 1/0", "0");
	ck_assert_arith("1 || 1/0", "1");
}
END_TEST

/* ---- errors ---- */

START_TEST(syntax_errors)
{
	ck_assert_arith_error("1 +", "operand expected");
	ck_assert_arith_error("(1", "missing ')'");
	ck_assert_arith_error("1 2", "syntax error in expression");
	ck_assert_arith_error(")", "operand expected");
	ck_assert_arith_error("1 ? 2", "':' expected");
	ck_assert_arith_error("=1", "operand expected");
	ck_assert_arith_error("a b", "syntax error in expression");
	ck_assert_arith_error("1 ?: 2", "error");
}
END_TEST

START_TEST(assignment_to_non_variable)
{
	ck_assert_arith_error("1=2", "error");
	ck_assert_arith_error("(x)=2", "error");
	ck_assert_var("x", "(unset)");
}
END_TEST

START_TEST(error_message_names_expression)
{
	ck_assert_arith_error("2 + 1/0", "cosh: 2 + 1/0: division by 0");
}
END_TEST

START_TEST(empty_expression)
{
	ck_assert_arith("", "0");
	ck_assert_arith("  \t", "0");
	ck_assert_arith(" 1 + 1 ", "2");
	ck_assert_arith("\n1\n", "1");
}
END_TEST

/* n copies of unit, then "1", then n copies of close. */
static char *repeated(const char *unit, const char *close, int n)
{
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < n; i++)
		strbuf_adds(&b, unit);
	strbuf_adds(&b, "1");
	for (int i = 0; i < n; i++)
		strbuf_adds(&b, close);
	return strbuf_take(&b);
}

START_TEST(deep_parentheses)
{
	char *e = repeated("(", ")", 50);
	ck_assert_arith(e, "1");
	free(e);
	e = repeated("(", ")", 100000);
	ck_assert_arith_error(e, "nested too deeply");
	free(e);
}
END_TEST

struct deep_case {
	const char *unit;
	const char *close;
};

static const struct deep_case deep_cases[] = {
	{"1**", ""}, {"x=", ""}, {"x+=", ""}, {"1?1:", ""}, {"-", ""}, {"!", ""},
};

START_TEST(deep_chains_do_not_crash)
{
	/* bash gives 1 (or 0 for !!...) or a recursion error; never a crash */
	const struct deep_case *c = &deep_cases[_i];
	char *e = repeated(c->unit, c->close, 200000);
	struct evaluation ev = {e, 0, 0};
	char *err = capture_stderr(run_eval, &ev);
	ck_assert_msg(ev.status == -1 || ev.value == 1 || ev.value == 0,
		      "%s...: status %d value %" PRId64, c->unit, ev.status, ev.value);
	free(err);
	free(e);
}
END_TEST

static Suite *arith_suite(void)
{
	Suite *s = suite_create("arith");
	TCase *tc = tcase_create("operators");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_add_test(tc, precedence_basic);
	tcase_add_test(tc, left_associative);
	tcase_add_test(tc, power);
	tcase_add_test(tc, power_negative_exponent);
	tcase_add_test(tc, unary_operators);
	tcase_add_test(tc, unary_signs_before_a_number);
	tcase_add_test(tc, comparisons);
	tcase_add_test(tc, bitwise);
	tcase_add_test(tc, logical);
	tcase_add_test(tc, division_truncates);
	tcase_add_test(tc, shifts);
	tcase_add_test(tc, shift_count_modulo_64);
	tcase_add_test(tc, conditional);
	tcase_add_test(tc, comma);
	suite_add_tcase(s, tc);

	tc = tcase_create("numbers");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_add_test(tc, number_bases);
	tcase_add_test(tc, bad_octal);
	tcase_add_test(tc, wrapping);
	tcase_add_test(tc, int64_min_division);
	tcase_add_test(tc, division_by_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("variables");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_add_test(tc, assignment);
	tcase_add_loop_test(tc, compound_assignment, 0,
			    (int)(sizeof compound_cases / sizeof compound_cases[0]));
	tcase_add_test(tc, compound_assignment_reads_variable_first);
	tcase_add_test(tc, increment_decrement);
	tcase_add_test(tc, increment_in_expressions);
	tcase_add_test(tc, bare_names);
	tcase_add_test(tc, variable_holding_expression);
	tcase_add_test(tc, self_reference);
	tcase_add_test(tc, conditional_side_effects);
	tcase_add_test(tc, short_circuit_side_effects);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, assignment_to_non_variable);
	tcase_add_test(tc, error_message_names_expression);
	tcase_add_test(tc, empty_expression);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_tags(tc, "deep");
	tcase_add_checked_fixture(tc, shell_setup, shell_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, deep_parentheses);
	tcase_add_loop_test(tc, deep_chains_do_not_crash, 0,
			    (int)(sizeof deep_cases / sizeof deep_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(arith_suite());
}
