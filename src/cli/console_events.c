/* bitsht CLI (Windows): console events.
 *
 * Windows calls the handler on a thread of its own. Ctrl+C and Ctrl+Break only ask the flow
 * to stop (the handler returns at once; the flow notices within its progress interval,
 * cancels the job and reverts). Close, logoff and shutdown end the process as soon as the
 * handler returns (close: after about 5 s at the latest), so for those the handler waits
 * until the flow says it has finished, for a bounded time below that limit.
 *
 * A console process that loads user32.dll (the COM backend's message pump does) no longer
 * gets CTRL_LOGOFF_EVENT / CTRL_SHUTDOWN_EVENT (SetConsoleCtrlHandler's remarks); they are
 * handled here for builds and hosts where they still arrive. */
#include "console_events.h"

#include "stop_signals.h"

/* below the ~5 s Windows allows a CTRL_CLOSE_EVENT handler before it ends the process */
#define FLOW_END_WAIT_MS 4500u

static HANDLE flow_ended; /* manual reset: set when no flow runs */

void cli_console_events_install(void)
{
    if (!flow_ended)
        flow_ended = CreateEventW(NULL, TRUE, FALSE, NULL);
    else
        ResetEvent(flow_ended);
    SetConsoleCtrlHandler(cli_console_event_handler, TRUE);
}

void cli_console_events_flow_done(void)
{
    if (flow_ended)
        SetEvent(flow_ended);
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
        if (flow_ended)
            WaitForSingleObject(flow_ended, FLOW_END_WAIT_MS);
        return TRUE;
    default:
        return FALSE;
    }
}
