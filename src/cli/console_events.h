/* bitsht CLI (Windows): console events stop a transfer the way SIGINT/SIGTERM do. */
#ifndef BITSHT_CLI_CONSOLE_EVENTS_H
#define BITSHT_CLI_CONSOLE_EVENTS_H

#ifdef _WIN32
#include <windows.h>

/* SetConsoleCtrlHandler: Ctrl+C, Ctrl+Break, closing the console, logoff and shutdown
 * request a stop (cli_stop_request); the flow then cancels or completes its job and
 * reverts the thread. Logoff and shutdown also through a hidden window's
 * WM_QUERYENDSESSION / WM_ENDSESSION. Call before the flow starts. */
void cli_console_events_install(void);
/* The flow has ended (its job cancelled or completed, the thread reverted): a close,
 * logoff or shutdown handler waiting for it may now return and let Windows end us. */
void cli_console_events_flow_done(void);
/* The hidden top-level window that takes WM_QUERYENDSESSION / WM_ENDSESSION (logoff and
 * shutdown as a process that loads user32.dll sees them), for tests; NULL before install. */
HWND cli_console_events_window(void);
/* The handler itself (what Windows calls on its own thread), for tests. */
BOOL WINAPI cli_console_event_handler(DWORD event);
#endif

#endif
