/* bitsht conformance: are we running under Wine? (Windows-only probe.)
 *
 * Wine exports wine_get_version from its ntdll; Windows does not. The one place in the
 * suite that includes windows.h, so the checks stay portable. */
#include "conformance.h"

#ifdef _WIN32
#include <string.h>
#include <windows.h>

typedef const char *(__cdecl *wine_get_version_fn)(void);

const char *conf_wine_version(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    FARPROC proc = ntdll ? GetProcAddress(ntdll, "wine_get_version") : NULL;
    wine_get_version_fn fn;

    if (!proc)
        return NULL;
    /* A direct cast between function pointer types trips -Wcast-function-type (-Wextra). */
    memcpy(&fn, &proc, sizeof(fn));
    return fn();
}
#else
const char *conf_wine_version(void)
{
    return NULL; /* a native build never runs under Wine */
}
#endif
