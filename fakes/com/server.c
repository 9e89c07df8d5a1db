/* bitsht COM fake: the server — the one world, its lock, the class factory, the DLL's
 * exports and the identity glue.
 *
 * A COM server is process-wide by nature (DllGetClassObject has no context), so this file
 * holds the one global of the fake: the server state with the world. Everything else in
 * fakes/ still takes the world as an argument. */
#include "comfake.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct comfake_server_state comfake_server;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH)
        InitializeCriticalSection(&comfake_server.lock); /* nothing else here: loader lock */
    return TRUE;
}

void comfake_lock(void)
{
    EnterCriticalSection(&comfake_server.lock);
}

void comfake_unlock(void)
{
    LeaveCriticalSection(&comfake_server.lock);
}

static struct comfake_method_stat *method_stat(const char *name)
{
    unsigned i;

    for (i = 0; i < comfake_server.n_methods; i++)
        if (!strcmp(comfake_server.methods[i].name, name))
            return &comfake_server.methods[i];
    if (comfake_server.n_methods == COMFAKE_MAX_METHODS)
        return NULL;
    comfake_server.methods[i].name = name;
    return &comfake_server.methods[comfake_server.n_methods++];
}

HRESULT comfake_enter(struct comfake_obj *o, const char *method)
{
    struct comfake_method_stat *m;

    comfake_lock();
    if (o->dead) {
        comfake_server.misuse++;
        snprintf(comfake_server.last_misuse, sizeof(comfake_server.last_misuse),
                 "%s after the last Release of %s %s", method, o->kind, o->label);
        comfake_unlock();
        /* what a proxy answers once its object is gone */
        return RPC_E_DISCONNECTED;
    }
    m = method_stat(method);
    if (m) {
        m->calls++;
        m->total++;
        if (m->nth && (m->calls == m->nth || (m->persistent && m->calls > m->nth))) {
            m->fired++;
            comfake_unlock();
            return m->hr;
        }
    }
    return S_OK;
}

HRESULT comfake_leave(HRESULT hr)
{
    comfake_unlock();
    return hr;
}

/* ---- per-job extras ---- */

struct comfake_extra *comfake_extra_of(const struct fake_job *j)
{
    struct comfake_extra *e;

    for (e = comfake_server.extras; e; e = e->next)
        if (e->serial == j->serial)
            return e;
    e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->serial = j->serial;
    /* Windows's defaults (IBackgroundCopyJob::GetMinimumRetryDelay 600 s,
     * GetNoProgressTimeout 14 days, SetMaximumDownloadTime 90 days) */
    e->min_retry_delay_s = 600;
    e->no_progress_timeout_s = 1209600;
    e->max_download_time_s = 7776000;
    e->proxy_usage = BG_JOB_PROXY_USAGE_PRECONFIG;
    e->cost_flags = BITS_COST_STATE_TRANSFER_NOT_ROAMING;
    e->last_seen_state = j->state;
    e->notified_state = BHT_JOB_SUSPENDED;
    e->modified_ms = j->created_ms;
    e->next = comfake_server.extras;
    comfake_server.extras = e;
    return e;
}

static void extras_free_all(void)
{
    struct comfake_extra *e = comfake_server.extras, *next;
    IGlobalInterfaceTable *git = NULL;

    if (SUCCEEDED(CoCreateInstance(&CLSID_StdGlobalInterfaceTable, NULL, CLSCTX_INPROC_SERVER,
                                   &IID_IGlobalInterfaceTable, (void **)&git)))
        for (e = comfake_server.extras; e; e = e->next)
            if (e->callback_cookie)
                IGlobalInterfaceTable_RevokeInterfaceFromGlobal(git, e->callback_cookie);
    if (git)
        IGlobalInterfaceTable_Release(git);
    for (e = comfake_server.extras; e; e = next) {
        next = e->next;
        free(e->description);
        free(e->proxy_list);
        free(e->proxy_bypass);
        free(e->notify_program);
        free(e->notify_parameters);
        free(e->custom_headers);
        free(e->cert_store);
        free(e->cert_subject);
        free(e);
    }
    comfake_server.extras = NULL;
}

/* ---- the world ---- */

static void reset_methods(void)
{
    unsigned i;

    /* names and totals stay: bht_fakebits_method_calls lists what ran in the process */
    for (i = 0; i < comfake_server.n_methods; i++) {
        struct comfake_method_stat *m = &comfake_server.methods[i];
        m->calls = m->nth = m->fired = 0;
        m->persistent = 0;
        m->hr = S_OK;
    }
}

static HRESULT install_world(struct bht_fake_world *w)
{
    comfake_objects_free_all();
    extras_free_all();
    comfake_spy_forget_all();
    if (comfake_server.world)
        bht_fake_world_free(comfake_server.world);
    comfake_server.world = w;
    comfake_server.clock_speed = w->clock_speed ? w->clock_speed : 1;
    comfake_server.last_tick = GetTickCount64();
    comfake_server.misuse = 0;
    comfake_server.last_misuse[0] = '\0';
    comfake_server.transferred_callbacks = 0;
    comfake_server.error_callbacks = 0;
    reset_methods();
    return S_OK;
}

static HRESULT load_from_environment(char *err, size_t err_size)
{
    struct bht_fake_world *w = bht_fake_world_new();
    char path[MAX_PATH];
    DWORD n;
    HRESULT hr = S_OK;

    if (!w)
        return E_OUTOFMEMORY;
    n = GetEnvironmentVariableA("BITSHT_FAKE_WORLD", path, sizeof(path));
    if (n && n < sizeof(path))
        hr = bht_fake_world_load(w, path, err, err_size);
    comfake_server.state_path[0] = '\0';
    n = GetEnvironmentVariableA("BITSHT_FAKE_STATE", path, sizeof(path));
    if (SUCCEEDED(hr) && n && n < sizeof(path)) {
        hr = bht_fake_state_load(w, path, err, err_size);
        if (SUCCEEDED(hr))
            memcpy(comfake_server.state_path, path, n + 1);
    }
    if (FAILED(hr)) {
        bht_fake_world_free(w);
        return hr;
    }
    return install_world(w);
}

/* First use: the world from the environment, the CoTaskMem spy, the worker. */
HRESULT comfake_ensure_started(void)
{
    char err[512];
    HRESULT hr = S_OK;

    comfake_lock();
    if (!comfake_server.initialized) {
        hr = load_from_environment(err, sizeof(err));
        if (FAILED(hr))
            fprintf(stderr, "bitsht_fakebits: %s\n", err);
        if (SUCCEEDED(hr)) {
            comfake_spy_start(); /* best effort: a host spy leaves the count at 0 */
            hr = comfake_worker_start();
        }
        if (SUCCEEDED(hr))
            comfake_server.initialized = 1;
    }
    comfake_unlock();
    return hr;
}

/* ---- the class factory ---- */

struct class_factory {
    struct comfake_obj hdr;
    IClassFactory IClassFactory_iface;
};

static struct class_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct class_factory, IClassFactory_iface);
}

static HRESULT STDMETHODCALLTYPE factory_QueryInterface(IClassFactory *iface, REFIID riid,
                                                        void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IClassFactory)) {
        *out = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE factory_AddRef(IClassFactory *iface)
{
    return comfake_obj_addref(&impl_from_IClassFactory(iface)->hdr);
}

static ULONG STDMETHODCALLTYPE factory_Release(IClassFactory *iface)
{
    return comfake_obj_release(&impl_from_IClassFactory(iface)->hdr);
}

static HRESULT STDMETHODCALLTYPE factory_CreateInstance(IClassFactory *iface, IUnknown *outer,
                                                        REFIID riid, void **out)
{
    (void)iface;
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    return comfake_manager_new(riid, out);
}

static HRESULT STDMETHODCALLTYPE factory_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface;
    if (lock)
        InterlockedIncrement(&comfake_server.server_locks);
    else
        InterlockedDecrement(&comfake_server.server_locks);
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    factory_QueryInterface, factory_AddRef, factory_Release, factory_CreateInstance,
    factory_LockServer,
};

HRESULT STDAPICALLTYPE DllGetClassObject(REFCLSID clsid, REFIID riid, void **out)
{
    struct class_factory *f;
    HRESULT hr;

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!IsEqualGUID(clsid, &CLSID_BackgroundCopyManager))
        return CLASS_E_CLASSNOTAVAILABLE;
    hr = comfake_ensure_started();
    if (FAILED(hr))
        return hr;
    f = calloc(1, sizeof(*f));
    if (!f)
        return E_OUTOFMEMORY;
    f->IClassFactory_iface.lpVtbl = (IClassFactoryVtbl *)&factory_vtbl;
    comfake_obj_register(&f->hdr, "class factory", "IClassFactory", NULL);
    hr = IClassFactory_QueryInterface(&f->IClassFactory_iface, riid, out);
    IClassFactory_Release(&f->IClassFactory_iface);
    return hr;
}

HRESULT STDAPICALLTYPE DllCanUnloadNow(void)
{
    HRESULT hr;

    comfake_lock();
    hr = comfake_live_objects() || comfake_server.server_locks ? S_FALSE : S_OK;
    comfake_unlock();
    /* the worker thread runs this DLL's code: it never unloads while started */
    return comfake_server.initialized ? S_FALSE : hr;
}

/* ---- identity glue: the fake identity ops on this world, under the lock ---- */

static bht_hr id_logon(void *ctx, const char *domain, const char *user, const char *password,
                       enum bht_logon_type type, struct bht_token **out_token)
{
    bht_hr hr;

    (void)ctx;
    comfake_lock();
    hr = bht_fake_identity_ops.logon(comfake_server.world, domain, user, password, type,
                                     out_token);
    comfake_unlock();
    return hr;
}

static bht_hr id_impersonate(void *ctx, struct bht_token *token)
{
    bht_hr hr;

    (void)ctx;
    comfake_lock();
    hr = bht_fake_identity_ops.impersonate(comfake_server.world, token);
    comfake_unlock();
    return hr;
}

static bht_hr id_revert(void *ctx)
{
    bht_hr hr;

    (void)ctx;
    comfake_lock();
    hr = bht_fake_identity_ops.revert(comfake_server.world);
    comfake_unlock();
    return hr;
}

static bht_hr id_close(void *ctx, struct bht_token *token)
{
    bht_hr hr;

    (void)ctx;
    comfake_lock();
    hr = bht_fake_identity_ops.close(comfake_server.world, token);
    comfake_unlock();
    return hr;
}

static const struct bht_identity_ops comfake_identity_ops = {
    BHT_IDENTITY_OPS_VERSION, "fakebits", id_logon, id_impersonate, id_revert, id_close,
};

BHT_FAKEBITS_API void bht_fakebits_identity(const struct bht_identity_ops **out_ops,
                                            void **out_ctx)
{
    comfake_ensure_started();
    *out_ops = &comfake_identity_ops;
    *out_ctx = NULL;
}

/* ---- the other exports ---- */

BHT_FAKEBITS_API HRESULT bht_fakebits_drain(DWORD timeout_ms)
{
    ULONGLONG start = GetTickCount64();
    MSG msg;

    /* the notification calls wait for the client's apartment to take them: pump it */
    while (InterlockedCompareExchange(&comfake_server.callbacks_in_flight, 0, 0)) {
        if (GetTickCount64() - start >= timeout_ms)
            return S_FALSE;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 10, QS_ALLINPUT);
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
    return S_OK;
}

BHT_FAKEBITS_API HRESULT bht_fakebits_reset(const char *world_text, char *err, size_t err_size)
{
    struct bht_fake_world *w;
    HRESULT hr;

    hr = comfake_ensure_started();
    if (FAILED(hr))
        return hr;
    /* a call in flight holds objects of the old world */
    if (bht_fakebits_drain(5000) != S_OK) {
        snprintf(err, err_size, "a notification call is still in flight");
        return HRESULT_FROM_WIN32(ERROR_BUSY);
    }
    w = bht_fake_world_new();
    if (!w)
        return E_OUTOFMEMORY;
    if (world_text) {
        hr = bht_fake_world_parse(w, world_text, "bht_fakebits_reset", err, err_size);
        if (FAILED(hr)) {
            bht_fake_world_free(w);
            return hr;
        }
    }
    comfake_lock();
    comfake_server.state_path[0] = '\0';
    hr = install_world(w);
    comfake_unlock();
    return hr;
}

BHT_FAKEBITS_API void bht_fakebits_set_clock_speed(unsigned speed)
{
    comfake_lock();
    comfake_clock_catch_up();
    comfake_server.clock_speed = speed;
    comfake_unlock();
}

BHT_FAKEBITS_API void bht_fakebits_advance(uint64_t ms)
{
    comfake_ensure_started();
    comfake_lock();
    bht_fake_advance(comfake_server.world, ms);
    comfake_unlock();
}

BHT_FAKEBITS_API unsigned bht_fakebits_fail(enum bht_fake_op op, unsigned nth, HRESULT hr,
                                            enum bht_fault_mode mode)
{
    unsigned fired;

    comfake_ensure_started();
    comfake_lock();
    fired = bht_fake_fail(comfake_server.world, op, nth, hr, mode);
    comfake_unlock();
    return fired;
}

BHT_FAKEBITS_API unsigned bht_fakebits_fail_method(const char *method, unsigned nth, HRESULT hr,
                                                   enum bht_fault_mode mode)
{
    struct comfake_method_stat *m;
    unsigned fired = 0;
    char *name;

    comfake_ensure_started();
    comfake_lock();
    /* the table keeps the pointer: interned once per reset, freed with the process */
    m = NULL;
    {
        unsigned i;
        for (i = 0; i < comfake_server.n_methods; i++)
            if (!strcmp(comfake_server.methods[i].name, method))
                m = &comfake_server.methods[i];
    }
    if (!m && comfake_server.n_methods < COMFAKE_MAX_METHODS && (name = fake_strdup(method))) {
        m = &comfake_server.methods[comfake_server.n_methods++];
        m->name = name;
    }
    if (m) {
        fired = m->fired;
        m->nth = nth;
        m->hr = hr;
        m->persistent = mode == BHT_FAULT_PERSISTENT;
        m->fired = 0;
        m->calls = 0;
    }
    comfake_unlock();
    return fired;
}

BHT_FAKEBITS_API void bht_fakebits_stats(struct bht_fakebits_stats *out)
{
    unsigned s;

    memset(out, 0, sizeof(*out));
    comfake_ensure_started();
    comfake_lock();
    out->live_objects = comfake_live_objects();
    out->cotaskmem_outstanding = comfake_spy_outstanding();
    out->misuse = comfake_server.misuse;
    out->impersonation_depth = bht_fake_impersonation_depth(comfake_server.world);
    out->open_tokens = bht_fake_open_tokens(comfake_server.world);
    for (s = 0; s < BHT_JOB_STATE_COUNT; s++)
        out->jobs_in_state[s] = bht_fake_jobs_in_state(comfake_server.world,
                                                       (enum bht_job_state)s);
    out->transferred_callbacks = comfake_server.transferred_callbacks;
    out->error_callbacks = comfake_server.error_callbacks;
    out->now_ms = bht_fake_now_ms(comfake_server.world);
    out->callbacks_in_flight = (unsigned)comfake_server.callbacks_in_flight;
    for (s = 0; s < BHT_OP_COUNT; s++) {
        out->op_calls[s] = bht_fake_calls(comfake_server.world, (enum bht_fake_op)s);
        out->faults_fired[s] = bht_fake_faults_fired(comfake_server.world, (enum bht_fake_op)s);
    }
    comfake_unlock();
}

static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!out || *used >= size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(out + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used += (size_t)n < size - *used ? (size_t)n : size - *used - 1;
}

BHT_FAKEBITS_API unsigned bht_fakebits_audit(char *out, size_t out_size)
{
    struct comfake_obj *o;
    unsigned problems = 0, cotask;
    size_t used = 0;

    if (out && out_size)
        out[0] = '\0';
    comfake_ensure_started();
    comfake_lock();
    for (o = comfake_server.objects; o; o = o->next) {
        if (o->dead)
            continue;
        problems++;
        append(out, out_size, &used, "live %s%s%s: %s refs=%ld\n", o->kind,
               o->label[0] ? " " : "", o->label, o->iface, (long)o->refs);
    }
    cotask = comfake_spy_outstanding();
    if (cotask) {
        problems += cotask;
        append(out, out_size, &used, "CoTaskMem blocks handed out and not freed: %u\n", cotask);
    }
    if (comfake_server.misuse) {
        problems += comfake_server.misuse;
        append(out, out_size, &used, "misuse x%u, last: %s\n", comfake_server.misuse,
               comfake_server.last_misuse);
    }
    comfake_unlock();
    return problems;
}

BHT_FAKEBITS_API unsigned bht_fakebits_method_calls(const char *method, char *out,
                                                    size_t out_size)
{
    unsigned i, calls = 0;
    size_t used = 0;

    if (out && out_size)
        out[0] = '\0';
    comfake_lock();
    for (i = 0; i < comfake_server.n_methods; i++) {
        const struct comfake_method_stat *m = &comfake_server.methods[i];
        if (method && !strcmp(m->name, method))
            calls = m->calls;
        if (!method && m->total) {
            append(out, out_size, &used, "%s %u\n", m->name, m->total);
            calls++;
        }
    }
    comfake_unlock();
    return calls;
}

static const char *target_name(BG_AUTH_TARGET t)
{
    return t == BG_AUTH_TARGET_SERVER ? "server" : t == BG_AUTH_TARGET_PROXY ? "proxy" : "?";
}

static const char *scheme_name(BG_AUTH_SCHEME s)
{
    static const char *const names[] = { "?", "basic", "digest", "ntlm", "negotiate",
                                         "passport" };

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

BHT_FAKEBITS_API HRESULT bht_fakebits_credentials(const char *job_id, char *out,
                                                  size_t out_size)
{
    struct comfake_extra *e;
    uint32_t serial;
    size_t used = 0;
    unsigned i;

    if (out && out_size)
        out[0] = '\0';
    if (!job_id || !fake_job_parse_id(job_id, &serial))
        return BG_E_NOT_FOUND;
    comfake_lock();
    for (e = comfake_server.extras; e && e->serial != serial; e = e->next)
        ;
    for (i = 0; e && i < e->n_cred_log; i++) {
        const struct comfake_cred_record *r = &e->cred_log[i];
        append(out, out_size, &used, "%s %s/%s user=%s password=%s\n",
               r->removed ? "remove" : "set", target_name(r->target), scheme_name(r->scheme),
               r->has_user ? "given" : "-", r->has_password ? "given" : "-");
    }
    comfake_unlock();
    return S_OK;
}
