/* bitsht COM fake: time and notifications.
 *
 * BITS jobs progress by themselves: a client that only polls GetState with Sleep between
 * calls sees its job finish. The worker thread moves the world's virtual clock with real
 * time (times the clock speed) and, after each step, calls the JobTransferred / JobError
 * of the jobs' notify interfaces — through the global interface table, i.e. through a
 * proxy into the client's apartment, as the BITS service's calls arrive (an STA client
 * receives them only while it pumps messages). */
#include "comfake.h"

#include <stdlib.h>

#define WORKER_TICK_MS 10u
/* At most this much real time per step: when a client that does not pump holds the worker
 * in a notification call, the clock slows down instead of jumping ahead when it returns
 * (a jump would finish a whole transfer between two of the client's polls). */
#define MAX_STEP_MS 50u

/* Under the lock: moves the clock to now. Only the worker (and a change of speed) moves
 * it, so a state change and the notification it owes are decided in one locked step, as
 * the service's own thread does. */
void comfake_clock_catch_up(void)
{
    ULONGLONG now = GetTickCount64();
    ULONGLONG real = now - comfake_server.last_tick;

    comfake_server.last_tick = now;
    if (real > MAX_STEP_MS)
        real = MAX_STEP_MS;
    if (comfake_server.clock_speed && real && comfake_server.world)
        bht_fake_advance(comfake_server.world, (uint64_t)real * comfake_server.clock_speed);
}

struct pending_call {
    DWORD cookie;
    int error; /* JobError, else JobTransferred */
    struct bht_job *handle;
    struct bht_job_error err;
    int file_index;
};

/* Under the lock: the notifications due now (each state change is notified once, C79/C80;
 * BG_NOTIFY_DISABLE and missing flags suppress them; Wine 8 never calls JobError). */
static size_t collect(struct pending_call *calls, size_t max)
{
    struct bht_fake_world *w = comfake_server.world;
    struct fake_job *j;
    size_t n = 0;

    for (j = w->q_head; j && n < max; j = j->q_next) {
        struct comfake_extra *e = comfake_extra_of(j);
        uint32_t flags = j->notify_flags;
        int transferred, error;

        if (!e)
            continue;
        if (j->state != e->last_seen_state) {
            if (j->state == BHT_JOB_ERROR || j->state == BHT_JOB_TRANSIENT_ERROR)
                e->error_count++;
            if (j->state == BHT_JOB_TRANSFERRED)
                e->transferred_ms = w->now_ms;
            e->modified_ms = w->now_ms;
            e->last_seen_state = j->state;
        }
        if (!e->callback_cookie || (flags & BHT_NOTIFY_DISABLE) || e->notified_state == j->state)
            continue;
        transferred = j->state == BHT_JOB_TRANSFERRED && (flags & BHT_NOTIFY_JOB_TRANSFERRED);
        error = j->state == BHT_JOB_ERROR && (flags & BHT_NOTIFY_JOB_ERROR) && !WINE8_PROFILE();
        if (!transferred && !error)
            continue;
        calls[n].handle = fake_handle_new(j);
        if (!calls[n].handle)
            continue;
        e->notified_state = j->state;
        calls[n].cookie = e->callback_cookie;
        calls[n].error = error;
        calls[n].file_index = j->error.file;
        memset(&calls[n].err, 0, sizeof(calls[n].err));
        if (error)
            bht_fake_bits_ops.get_error(w, calls[n].handle, &calls[n].err);
        /* counted here, under the lock that made the state visible: a client that sees
         * the new state and then drains finds the call in flight (deliver ends it) */
        InterlockedIncrement(&comfake_server.callbacks_in_flight);
        n++;
    }
    return n;
}

/* Outside the lock: the client's code runs, and may call back into this server. */
static void deliver(IGlobalInterfaceTable *git, struct pending_call *c)
{
    IBackgroundCopyCallback *cb = NULL;
    IBackgroundCopyJob *job = NULL;
    IBackgroundCopyError *err = NULL;
    HRESULT hr;

    hr = IGlobalInterfaceTable_GetInterfaceFromGlobal(git, c->cookie, &IID_IBackgroundCopyCallback,
                                                      (void **)&cb);
    if (SUCCEEDED(hr))
        hr = comfake_job_new(comfake_handle_dup(c->handle), &job);
    if (SUCCEEDED(hr) && c->error)
        hr = comfake_error_new(c->handle, &c->err, c->file_index, &err);
    if (SUCCEEDED(hr)) {
        comfake_lock();
        if (c->error)
            comfake_server.error_callbacks++;
        else
            comfake_server.transferred_callbacks++;
        comfake_unlock();
        if (c->error)
            IBackgroundCopyCallback_JobError(cb, job, err);
        else
            IBackgroundCopyCallback_JobTransferred(cb, job);
    }
    if (err)
        IBackgroundCopyError_Release(err);
    if (job)
        IBackgroundCopyJob_Release(job);
    if (cb)
        IBackgroundCopyCallback_Release(cb);
    comfake_lock();
    bht_fake_bits_ops.release(comfake_server.world, c->handle);
    comfake_unlock();
    InterlockedDecrement(&comfake_server.callbacks_in_flight);
}

static DWORD WINAPI worker_main(void *arg)
{
    IGlobalInterfaceTable *git = NULL;
    struct pending_call calls[16];
    HANDLE stop = arg;

    if (FAILED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
        return 1;
    CoCreateInstance(&CLSID_StdGlobalInterfaceTable, NULL, CLSCTX_INPROC_SERVER,
                     &IID_IGlobalInterfaceTable, (void **)&git);
    while (WaitForSingleObject(stop, WORKER_TICK_MS) == WAIT_TIMEOUT) {
        size_t n, i;

        comfake_lock();
        comfake_clock_catch_up();
        n = collect(calls, sizeof(calls) / sizeof(calls[0]));
        comfake_unlock();
        for (i = 0; i < n; i++) {
            if (git)
                deliver(git, &calls[i]);
            else {
                comfake_lock();
                bht_fake_bits_ops.release(comfake_server.world, calls[i].handle);
                comfake_unlock();
                InterlockedDecrement(&comfake_server.callbacks_in_flight);
            }
        }
    }
    if (git)
        IGlobalInterfaceTable_Release(git);
    CoUninitialize();
    return 0;
}

HRESULT comfake_worker_start(void)
{
    if (comfake_server.worker)
        return S_OK;
    comfake_server.stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!comfake_server.stop)
        return HRESULT_FROM_WIN32(GetLastError());
    comfake_server.worker = CreateThread(NULL, 0, worker_main, comfake_server.stop, 0, NULL);
    if (!comfake_server.worker) {
        CloseHandle(comfake_server.stop);
        comfake_server.stop = NULL;
        return HRESULT_FROM_WIN32(GetLastError());
    }
    return S_OK;
}

void comfake_worker_stop(void)
{
    if (!comfake_server.worker)
        return;
    SetEvent(comfake_server.stop);
    WaitForSingleObject(comfake_server.worker, INFINITE);
    CloseHandle(comfake_server.worker);
    CloseHandle(comfake_server.stop);
    comfake_server.worker = NULL;
    comfake_server.stop = NULL;
}
