/* $(( )) evaluation: 64-bit integers that wrap as in bash, the C operator
 * set with ** and the assignment operators, variables by bare name.
 * Never undefined behaviour: division by zero is an error, INT64_MIN / -1
 * wraps, shift counts are taken modulo 64. */
#ifndef COSH_ARITH_H
#define COSH_ARITH_H

#include <stdint.h>

struct shell;

/* Evaluates expr; on error prints "cosh: EXPR: message" and returns -1. */
int arith_eval(struct shell *sh, const char *expr, int64_t *result);

#endif
