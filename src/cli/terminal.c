/* bitsht CLI: terminal detection and echo control (termios / console mode). */
#define _POSIX_C_SOURCE 200809L /* fileno, isatty, termios */
#include "terminal.h"

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

/* The state to put back while echo is off. */
#ifdef _WIN32
static DWORD saved_mode;
#else
static struct termios saved_mode;
#endif
static int echo_is_off;

int cli_is_terminal(FILE *f)
{
#ifdef _WIN32
    return _isatty(_fileno(f));
#else
    return isatty(fileno(f));
#endif
}

int cli_echo_off(void)
{
#ifdef _WIN32
    HANDLE h = GetStdHandle(STD_INPUT_HANDLE);

    echo_is_off = GetConsoleMode(h, &saved_mode) &&
                  SetConsoleMode(h, saved_mode & ~(DWORD)ENABLE_ECHO_INPUT);
    return echo_is_off;
#else
    struct termios quiet;

    if (tcgetattr(STDIN_FILENO, &saved_mode) != 0)
        return 0;
    quiet = saved_mode;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    echo_is_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    return echo_is_off;
#endif
}

void cli_echo_restore(void)
{
    if (!echo_is_off)
        return;
#ifdef _WIN32
    SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), saved_mode);
#else
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_mode);
#endif
    echo_is_off = 0;
}
