/* bitsht tests (Windows): replace an entry of this executable's import table, so a test can
 * see every call the statically linked library makes to a system function. */
#ifndef BITSHT_TESTS_IAT_HOOK_H
#define BITSHT_TESTS_IAT_HOOK_H

#include <windows.h>

/* Points this .exe's import of dll!function at replacement. Returns the address it held
 * (to forward calls and to restore), or NULL when the .exe does not import it. */
typedef void (*iat_fn)(void); /* any function; cast to and from the real type */

iat_fn iat_hook(const char *dll, const char *function, iat_fn replacement);

#endif
