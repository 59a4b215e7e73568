/* GNU readline, loaded at run time (see rlapi.h). */
#include "config.h"
#include "rlapi.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

/* The library the headers we were built with belong to. */
#define RLAPI_STR2(x) #x
#define RLAPI_STR(x) RLAPI_STR2(x)
#define RLAPI_SONAME "libreadline.so." RLAPI_STR(RL_VERSION_MAJOR)

bool rlapi_load(struct shell *sh)
{
	if (sh->rl)
		return true;
	void *h = dlopen(RLAPI_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		sh_error(sh, "%s: line editing and history are off", dlerror());
		return false;
	}
	struct rlapi *rl = xcalloc(1, sizeof *rl);
	rl->handle = h;
	const char *missing = NULL;
	/* dlsym gives a void *; copying its bytes into the typed field is
	 * the portable way to turn it into a function pointer */
#define RLAPI_LOOKUP(name)                                                                     \
	do {                                                                                   \
		void *p = dlsym(h, #name);                                                     \
		if (!p && !missing)                                                            \
			missing = #name;                                                       \
		memcpy(&rl->name, &p, sizeof p);                                               \
	} while (0);
	RLAPI_SYMBOLS(RLAPI_LOOKUP)
#undef RLAPI_LOOKUP
	if (missing) {
		sh_error(sh, "%s: no symbol %s: line editing and history are off", RLAPI_SONAME,
			missing);
		free(rl);
		dlclose(h);
		return false;
	}
	sh->rl = rl;
	return true;
}

void rlapi_free(struct shell *sh)
{
	free(sh->rl);
	sh->rl = NULL;
}
