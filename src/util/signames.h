/* Signal names without the SIG prefix, both ways. */
#ifndef COSH_SIGNAMES_H
#define COSH_SIGNAMES_H

/* "INT", "SIGINT", "int" or "2" -> 2; -1 when unknown. */
int sig_from_name(const char *name);
/* 2 -> "INT"; NULL when unknown. */
const char *sig_name(int signo);
/* Iterates: fills *signo and returns the name of entry i, NULL past the end. */
const char *sig_entry(int i, int *signo);

#endif
