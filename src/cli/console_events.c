/* bitsht CLI (Windows): console events.
 *
 * Windows calls the handler on a thread of its own. Ctrl+C and Ctrl+Break only ask the flow
 * to stop (the handler returns at once; the flow notices within its progress interval,
 * cancels the job and reverts). Close, logoff and shutdown end the process as soon as the
 * handler returns (close: after about 5 s at the latest), so for those the handler waits
 * until the flow says it has finished, for a bounded time below that limit.
 *
 * A console process that loads user32.dll (the COM backend's message pump does) no longer
 * gets CTRL_LOGOFF_EVENT / CTRL_SHUTDOWN_EVENT (SetConsoleCtrlHandler's remarks): Windows
 * sends it WM_QUERYENDSESSION / WM_ENDSESSION instead, to top-level windows. A hidden one,
 * on a thread of its own with its own message loop, takes them the same way. */
#include "console_events.h"

#include <string.h>

#include "stop_signals.h"

/* below the ~5 s Windows allows a CTRL_CLOSE_EVENT handler before it ends the process */
#define FLOW_END_WAIT_MS 4500u

static HANDLE flow_ended; /* manual reset: set when no flow runs */
static HWND session_window;
static HANDLE session_thread_handle;

static void wait_for_the_flow(void)
{
    if (flow_ended)
        WaitForSingleObject(flow_ended, FLOW_END_WAIT_MS);
}

static LRESULT CALLBACK session_proc(HWND window, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_QUERYENDSESSION:
        cli_stop_request();
        return TRUE; /* the session may end: the job is being cancelled */
    case WM_ENDSESSION:
        if (wp) { /* it ends when this returns */
            cli_stop_request();
            wait_for_the_flow();
        }
        return 0;
    case WM_DESTROY:
        PostQuitMessage(0); /* the flow is over: the window's thread ends */
        return 0;
    default:
        return DefWindowProcW(window, msg, wp, lp);
    }
}

static DWORD WINAPI session_thread(void *ready)
{
    WNDCLASSW wc;
    MSG msg;

    memset(&wc, 0, sizeof wc);
    wc.lpfnWndProc = session_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"bitsht-session-end";
    RegisterClassW(&wc);
    /* top-level (not HWND_MESSAGE): only those are sent the session messages; never shown */
    session_window = CreateWindowExW(0, wc.lpszClassName, L"bitsht", WS_OVERLAPPED, 0, 0, 0, 0,
                                     NULL, NULL, wc.hInstance, NULL);
    SetEvent(ready);
    while (session_window && GetMessageW(&msg, NULL, 0, 0) > 0) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    session_window = NULL;
    return 0;
}

static void start_session_window(void)
{
    HANDLE ready = CreateEventW(NULL, TRUE, FALSE, NULL), thread;

    if (!ready)
        return;
    thread = CreateThread(NULL, 0, session_thread, ready, 0, NULL);
    if (thread) {
        WaitForSingleObject(ready, 5000);
        session_thread_handle = thread;
    }
    CloseHandle(ready);
}

void cli_console_events_install(void)
{
    if (!flow_ended)
        flow_ended = CreateEventW(NULL, TRUE, FALSE, NULL);
    else
        ResetEvent(flow_ended);
    SetConsoleCtrlHandler(cli_console_event_handler, TRUE);
    if (!session_window)
        start_session_window();
}

HWND cli_console_events_window(void)
{
    return session_window;
}

void cli_console_events_flow_done(void)
{
    if (flow_ended)
        SetEvent(flow_ended);
    /* the window is no longer needed: its thread ends here rather than being torn down at
     * process exit (Wine under load has hung there) */
    if (session_thread_handle) {
        if (session_window)
            PostMessageW(session_window, WM_CLOSE, 0, 0);
        WaitForSingleObject(session_thread_handle, 2000);
        CloseHandle(session_thread_handle);
        session_thread_handle = NULL;
    }
}

BOOL WINAPI cli_console_event_handler(DWORD event)
{
    switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        cli_stop_request();
        return TRUE; /* handled: the process goes on and the flow cancels its job */
    case CTRL_CLOSE_EVENT:
    case CTRL_LOGOFF_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        cli_stop_request();
        wait_for_the_flow();
        return TRUE;
    default:
        return FALSE;
    }
}
