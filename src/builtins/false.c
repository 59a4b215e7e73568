/* false: do nothing, unsuccessfully. */
#include "config.h"
#include "builtins/builtin.h"

BUILTIN(false)
{
	(void)sh;
	(void)argc;
	(void)argv;
	return 1;
}
