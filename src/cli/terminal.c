/* bitsht CLI: terminal detection. */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty */
#include "terminal.h"

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

int cli_is_terminal(FILE *f)
{
#ifdef _WIN32
    return _isatty(_fileno(f));
#else
    return isatty(fileno(f));
#endif
}
