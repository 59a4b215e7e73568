/* : and true: do nothing, successfully. */
#include "config.h"
#include "builtins/builtin.h"

BUILTIN(colon)
{
	(void)sh;
	(void)argc;
	(void)argv;
	return 0;
}
