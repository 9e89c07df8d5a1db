/* bitsht COM fake: what BITS keeps per job beyond the fake world's model — names,
 * description, notifications, retry and timeout settings, proxy, command line, credentials,
 * ACL and peer-caching flags, Job5 properties. Windows profile: each setter acts or keeps
 * its value and refuses a job that ended (BG_E_INVALID_STATE); wine8: what Wine 8's qmgr
 * answers (E_NOTIMPL or a stub where Wine has one). */
#include "comfake_job.h"

#include <stdlib.h>
#include <string.h>

#define W (comfake_server.world)
#define MAX_DESCRIPTION 1024 /* characters (IBackgroundCopyJob::SetDescription) */

/* A job method that only reads or keeps an extra: enter, find the extra. */
#define EXTRA_ENTER(iface, method)                                    \
    struct comfake_extra *e;                                          \
    JOB_ENTER(iface, method);                                         \
    e = comfake_extra_of(JOB_FAKE(job));                              \
    if (!e)                                                           \
        return comfake_leave(E_OUTOFMEMORY)

static HRESULT replace_wstr(WCHAR **slot, const WCHAR *value)
{
    WCHAR *copy = NULL;

    if (value && !(copy = comfake_wcsdup(value)))
        return E_OUTOFMEMORY;
    free(*slot);
    *slot = copy;
    return S_OK;
}

HRESULT STDMETHODCALLTYPE comfake_job_SetDisplayName(IBackgroundCopyJob5 *iface, LPCWSTR val)
{
    struct fake_job *j;
    char *name;
    JOB_ENTER(iface, "IBackgroundCopyJob::SetDisplayName");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!val)
        return comfake_leave(COMFAKE_E_NULL_REF);
    if (wcslen(val) > BHT_DISPLAY_NAME_MAX)
        return comfake_leave(E_INVALIDARG); /* as CreateJob's name, C02 */
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    j = JOB_FAKE(job);
    if (!(name = comfake_utf8(val)))
        return comfake_leave(E_OUTOFMEMORY);
    free(j->display_name);
    j->display_name = name;
    return comfake_leave(S_OK);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetDisplayName(IBackgroundCopyJob5 *iface, LPWSTR *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::GetDisplayName");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    return comfake_leave(comfake_cotask_from_utf8(JOB_FAKE(job)->display_name, out));
}

HRESULT STDMETHODCALLTYPE comfake_job_SetDescription(IBackgroundCopyJob5 *iface, LPCWSTR val)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::SetDescription");

    if (!val)
        return comfake_leave(COMFAKE_E_NULL_REF);
    if (wcslen(val) > MAX_DESCRIPTION)
        return comfake_leave(BG_E_STRING_TOO_LONG);
    if (WINE8_PROFILE() ? fake_state_is_final(JOB_FAKE(job)->state)
                        : comfake_job_settable(job) != S_OK)
        return comfake_leave(BG_E_INVALID_STATE);
    return comfake_leave(replace_wstr(&e->description, val));
}

HRESULT STDMETHODCALLTYPE comfake_job_GetDescription(IBackgroundCopyJob5 *iface, LPWSTR *out)
{
    static const WCHAR empty[] = { 0 };
    EXTRA_ENTER(iface, "IBackgroundCopyJob::GetDescription");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    /* a job without a description answers an empty string */
    return comfake_leave(comfake_cotask_wcsdup(e->description ? e->description : empty, out));
}

HRESULT STDMETHODCALLTYPE comfake_job_SetPriority(IBackgroundCopyJob5 *iface, BG_JOB_PRIORITY val)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::SetPriority");

    return comfake_leave(bht_fake_bits_ops.set_priority(W, job->h, (enum bht_priority)val));
}

HRESULT STDMETHODCALLTYPE comfake_job_GetPriority(IBackgroundCopyJob5 *iface, BG_JOB_PRIORITY *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::GetPriority");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = (BG_JOB_PRIORITY)JOB_FAKE(job)->priority;
    return comfake_leave(S_OK);
}

HRESULT STDMETHODCALLTYPE comfake_job_SetNotifyFlags(IBackgroundCopyJob5 *iface, ULONG val)
{
    JOB_ENTER(iface, "IBackgroundCopyJob::SetNotifyFlags");

    return comfake_leave(bht_fake_bits_ops.set_notify_flags(W, job->h, val));
}

HRESULT STDMETHODCALLTYPE comfake_job_GetNotifyFlags(IBackgroundCopyJob5 *iface, ULONG *out)
{
    uint32_t flags = 0;
    JOB_ENTER(iface, "IBackgroundCopyJob::GetNotifyFlags");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    hr = bht_fake_bits_ops.get_notify_flags(W, job->h, &flags);
    *out = flags;
    return comfake_leave(hr);
}

static IGlobalInterfaceTable *git(void)
{
    IGlobalInterfaceTable *t = NULL;

    CoCreateInstance(&CLSID_StdGlobalInterfaceTable, NULL, CLSCTX_INPROC_SERVER,
                     &IID_IGlobalInterfaceTable, (void **)&t);
    return t;
}

HRESULT STDMETHODCALLTYPE comfake_job_SetNotifyInterface(IBackgroundCopyJob5 *iface,
                                                         IUnknown *val)
{
    IBackgroundCopyCallback *cb = NULL;
    IGlobalInterfaceTable *table;
    DWORD cookie = 0;
    EXTRA_ENTER(iface, "IBackgroundCopyJob::SetNotifyInterface");

    if (fake_state_is_final(JOB_FAKE(job)->state))
        return comfake_leave(BG_E_INVALID_STATE); /* C77, Wine too */
    if (!(table = git()))
        return comfake_leave(E_UNEXPECTED);
    if (val) {
        /* the interface BITS will call; registered for use from the worker's apartment */
        hr = IUnknown_QueryInterface(val, &IID_IBackgroundCopyCallback, (void **)&cb);
        if (SUCCEEDED(hr))
            hr = IGlobalInterfaceTable_RegisterInterfaceInGlobal(
                table, (IUnknown *)cb, &IID_IBackgroundCopyCallback, &cookie);
        if (cb)
            IBackgroundCopyCallback_Release(cb);
    }
    if (SUCCEEDED(hr)) {
        /* one notify interface per job: the last caller wins (C78) */
        if (e->callback_cookie)
            IGlobalInterfaceTable_RevokeInterfaceFromGlobal(table, e->callback_cookie);
        e->callback_cookie = cookie;
        e->notified_state = JOB_FAKE(job)->state;
    }
    IGlobalInterfaceTable_Release(table);
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetNotifyInterface(IBackgroundCopyJob5 *iface,
                                                         IUnknown **out)
{
    IGlobalInterfaceTable *table;
    EXTRA_ENTER(iface, "IBackgroundCopyJob::GetNotifyInterface");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = NULL;
    if (!e->callback_cookie)
        return comfake_leave(S_OK);
    if (!(table = git()))
        return comfake_leave(E_UNEXPECTED);
    hr = IGlobalInterfaceTable_GetInterfaceFromGlobal(table, e->callback_cookie, &IID_IUnknown,
                                                      (void **)out);
    IGlobalInterfaceTable_Release(table);
    return comfake_leave(hr);
}

/* Wine keeps none of the three timeouts and answers fixed values. */
HRESULT STDMETHODCALLTYPE comfake_job_SetMinimumRetryDelay(IBackgroundCopyJob5 *iface, ULONG s)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::SetMinimumRetryDelay");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK);
    if ((hr = comfake_job_settable(job)) == S_OK)
        e->min_retry_delay_s = s < 60 ? 60 : s; /* BITS raises anything under 60 s */
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetMinimumRetryDelay(IBackgroundCopyJob5 *iface, ULONG *out)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::GetMinimumRetryDelay");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = WINE8_PROFILE() ? 30 : e->min_retry_delay_s;
    return comfake_leave(S_OK);
}

HRESULT STDMETHODCALLTYPE comfake_job_SetNoProgressTimeout(IBackgroundCopyJob5 *iface, ULONG s)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::SetNoProgressTimeout");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK);
    if ((hr = comfake_job_settable(job)) == S_OK)
        e->no_progress_timeout_s = s;
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetNoProgressTimeout(IBackgroundCopyJob5 *iface, ULONG *out)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::GetNoProgressTimeout");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = WINE8_PROFILE() ? 900 : e->no_progress_timeout_s;
    return comfake_leave(S_OK);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetErrorCount(IBackgroundCopyJob5 *iface, ULONG *out)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::GetErrorCount");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = e->error_count;
    return comfake_leave(S_OK);
}

HRESULT STDMETHODCALLTYPE comfake_job_SetProxySettings(IBackgroundCopyJob5 *iface,
                                                       BG_JOB_PROXY_USAGE usage,
                                                       const WCHAR *list, const WCHAR *bypass)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::SetProxySettings");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if ((unsigned)usage > BG_JOB_PROXY_USAGE_AUTODETECT)
        return comfake_leave(E_INVALIDARG);
    /* lists only with OVERRIDE, and OVERRIDE needs a proxy list */
    if (usage == BG_JOB_PROXY_USAGE_OVERRIDE ? !list : (list || bypass))
        return comfake_leave(E_INVALIDARG);
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    e->proxy_usage = usage;
    hr = replace_wstr(&e->proxy_list, list);
    if (SUCCEEDED(hr))
        hr = replace_wstr(&e->proxy_bypass, bypass);
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetProxySettings(IBackgroundCopyJob5 *iface,
                                                       BG_JOB_PROXY_USAGE *usage,
                                                       LPWSTR *list, LPWSTR *bypass)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob::GetProxySettings");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!usage || !list || !bypass)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *usage = e->proxy_usage;
    *list = *bypass = NULL;
    hr = comfake_cotask_wcsdup(e->proxy_list, list);
    if (SUCCEEDED(hr))
        hr = comfake_cotask_wcsdup(e->proxy_bypass, bypass);
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_SetNotifyCmdLine(IBackgroundCopyJob5 *iface,
                                                       LPCWSTR program, LPCWSTR parameters)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob2::SetNotifyCmdLine");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!program && parameters)
        return comfake_leave(E_INVALIDARG); /* parameters need a program */
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    hr = replace_wstr(&e->notify_program, program);
    if (SUCCEEDED(hr))
        hr = replace_wstr(&e->notify_parameters, parameters);
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetNotifyCmdLine(IBackgroundCopyJob5 *iface,
                                                       LPWSTR *program, LPWSTR *parameters)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob2::GetNotifyCmdLine");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!program || !parameters)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *program = *parameters = NULL;
    hr = comfake_cotask_wcsdup(e->notify_program, program);
    if (SUCCEEDED(hr))
        hr = comfake_cotask_wcsdup(e->notify_parameters, parameters);
    return comfake_leave(hr);
}

/* The reply methods belong to upload-reply jobs: "not implemented for jobs of type
 * BG_JOB_TYPE_DOWNLOAD" is their documented answer, Windows and Wine alike. */
HRESULT STDMETHODCALLTYPE comfake_job_GetReplyProgress(IBackgroundCopyJob5 *iface,
                                                       BG_JOB_REPLY_PROGRESS *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob2::GetReplyProgress");

    (void)job;
    if (out)
        memset(out, 0, sizeof(*out));
    return comfake_leave(E_NOTIMPL);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetReplyData(IBackgroundCopyJob5 *iface, byte **buffer,
                                                   UINT64 *length)
{
    JOB_ENTER(iface, "IBackgroundCopyJob2::GetReplyData");

    (void)job;
    if (buffer)
        *buffer = NULL;
    if (length)
        *length = 0;
    return comfake_leave(E_NOTIMPL);
}

HRESULT STDMETHODCALLTYPE comfake_job_SetReplyFileName(IBackgroundCopyJob5 *iface, LPCWSTR name)
{
    JOB_ENTER(iface, "IBackgroundCopyJob2::SetReplyFileName");

    (void)job;
    (void)name;
    return comfake_leave(E_NOTIMPL);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetReplyFileName(IBackgroundCopyJob5 *iface, LPWSTR *out)
{
    JOB_ENTER(iface, "IBackgroundCopyJob2::GetReplyFileName");

    (void)job;
    if (out)
        *out = NULL;
    return comfake_leave(E_NOTIMPL);
}

static void log_credentials(struct comfake_extra *e, BG_AUTH_TARGET target,
                            BG_AUTH_SCHEME scheme, int has_user, int has_password, int removed)
{
    struct comfake_cred_record *r;

    if (e->n_cred_log == COMFAKE_MAX_CRED_RECORDS)
        return;
    r = &e->cred_log[e->n_cred_log++];
    r->target = target;
    r->scheme = scheme;
    r->has_user = has_user;
    r->has_password = has_password;
    r->removed = removed;
}

static unsigned cred_bit(BG_AUTH_TARGET target, BG_AUTH_SCHEME scheme)
{
    return 1u << ((target - 1) * 5 + (scheme - 1));
}

static HRESULT check_target_scheme(BG_AUTH_TARGET target, BG_AUTH_SCHEME scheme)
{
    if (target < BG_AUTH_TARGET_SERVER || target > BG_AUTH_TARGET_PROXY)
        return BG_E_INVALID_AUTH_TARGET;
    if (scheme < BG_AUTH_SCHEME_BASIC || scheme > BG_AUTH_SCHEME_PASSPORT)
        return BG_E_INVALID_AUTH_SCHEME;
    return S_OK;
}

HRESULT STDMETHODCALLTYPE comfake_job_SetCredentials(IBackgroundCopyJob5 *iface,
                                                     BG_AUTH_CREDENTIALS *cred)
{
    int has_user, has_password;
    EXTRA_ENTER(iface, "IBackgroundCopyJob2::SetCredentials");

    if (!cred)
        return comfake_leave(COMFAKE_E_NULL_REF);
    if ((hr = check_target_scheme(cred->Target, cred->Scheme)) != S_OK)
        return comfake_leave(hr);
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    has_user = cred->Credentials.Basic.UserName != NULL;
    has_password = cred->Credentials.Basic.Password != NULL;
    /* NULL user and password for NTLM/Negotiate: BITS answers the server's challenge with
     * the helper's (or owner's) logon credentials (C101, §3.4 rule 4). The fake's op is
     * what makes an auth_network resource accept the job. */
    if (!has_user && !has_password &&
        (cred->Scheme == BG_AUTH_SCHEME_NTLM || cred->Scheme == BG_AUTH_SCHEME_NEGOTIATE))
        /* per pair: a proxy challenge is answered only when the proxy pairs are set (C114) */
        hr = fake_set_implicit_credentials_pair(W, job->h, (int)cred->Target,
                                                (int)cred->Scheme);
    if (SUCCEEDED(hr)) {
        e->creds_set |= cred_bit(cred->Target, cred->Scheme);
        log_credentials(e, cred->Target, cred->Scheme, has_user, has_password, 0);
    }
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_RemoveCredentials(IBackgroundCopyJob5 *iface,
                                                        BG_AUTH_TARGET target,
                                                        BG_AUTH_SCHEME scheme)
{
    unsigned bit;
    EXTRA_ENTER(iface, "IBackgroundCopyJob2::RemoveCredentials");

    if ((hr = check_target_scheme(target, scheme)) != S_OK)
        return comfake_leave(hr);
    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    log_credentials(e, target, scheme, 0, 0, 1);
    bit = cred_bit(target, scheme);
    if (!(e->creds_set & bit))
        return comfake_leave(WINE8_PROFILE() ? S_OK : S_FALSE); /* none were set */
    e->creds_set &= ~bit;
    return comfake_leave(S_OK);
}

#define ACL_FLAGS_ALL (BG_COPY_FILE_OWNER | BG_COPY_FILE_GROUP | BG_COPY_FILE_DACL | \
                       BG_COPY_FILE_SACL)

HRESULT STDMETHODCALLTYPE comfake_job_SetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD flags)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob3::SetFileACLFlags");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK); /* Wine: a stub that keeps nothing */
    if (flags & ~(DWORD)ACL_FLAGS_ALL)
        return comfake_leave(E_INVALIDARG);
    if ((hr = comfake_job_settable(job)) == S_OK)
        e->acl_flags = flags;
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetFileACLFlags(IBackgroundCopyJob5 *iface, DWORD *out)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob3::GetFileACLFlags");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK); /* Wine: S_OK, *out untouched */
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = e->acl_flags;
    return comfake_leave(S_OK);
}

#define PEER_FLAGS_ALL (BG_JOB_ENABLE_PEERCACHING_CLIENT | BG_JOB_ENABLE_PEERCACHING_SERVER | \
                        BG_JOB_DISABLE_BRANCH_CACHE)

HRESULT STDMETHODCALLTYPE comfake_job_SetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD flags)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob4::SetPeerCachingFlags");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK);
    if (flags & ~(DWORD)PEER_FLAGS_ALL)
        return comfake_leave(E_INVALIDARG);
    if ((hr = comfake_job_settable(job)) == S_OK)
        e->peer_flags = flags;
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetPeerCachingFlags(IBackgroundCopyJob5 *iface, DWORD *out)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob4::GetPeerCachingFlags");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = e->peer_flags;
    return comfake_leave(S_OK);
}

HRESULT STDMETHODCALLTYPE comfake_job_SetMaximumDownloadTime(IBackgroundCopyJob5 *iface, ULONG s)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob4::SetMaximumDownloadTime");

    if (WINE8_PROFILE())
        return comfake_leave(S_OK);
    if ((hr = comfake_job_settable(job)) == S_OK)
        e->max_download_time_s = s; /* 0: no limit */
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetMaximumDownloadTime(IBackgroundCopyJob5 *iface,
                                                             ULONG *out)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob4::GetMaximumDownloadTime");

    if (WINE8_PROFILE())
        return comfake_leave(E_NOTIMPL);
    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    *out = e->max_download_time_s;
    return comfake_leave(S_OK);
}

/* Job5 is Windows-only (QueryInterface refuses it in wine8), so no profile checks here. */
HRESULT STDMETHODCALLTYPE comfake_job_SetProperty(IBackgroundCopyJob5 *iface,
                                                  BITS_JOB_PROPERTY_ID id,
                                                  BITS_JOB_PROPERTY_VALUE value)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob5::SetProperty");

    if ((hr = comfake_job_settable(job)) != S_OK)
        return comfake_leave(hr);
    switch (id) {
    case BITS_JOB_PROPERTY_ID_COST_FLAGS:
        /* the engine holds a job the cost policy excludes (fakes/fake_system.c): the
         * fake op applies the flags, this record answers GetProperty */
        hr = bht_fake_bits_ops.set_cost_flags(W, job->h, value.Dword);
        if (SUCCEEDED(hr))
            e->cost_flags = value.Dword;
        break;
    case BITS_JOB_PROPERTY_NOTIFICATION_CLSID:
        e->notification_clsid = value.ClsID;
        break;
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
        e->dynamic_content = value.Enable ? TRUE : FALSE;
        break;
    case BITS_JOB_PROPERTY_HIGH_PERFORMANCE:
        e->high_performance = value.Enable ? TRUE : FALSE;
        break;
    case BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE:
        e->max_download_size = value.Uint64;
        break;
    case BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS:
        if ((unsigned)value.Target > BG_AUTH_TARGET_PROXY)
            hr = E_INVALIDARG;
        else
            e->stored_credentials_target = value.Target;
        break;
    case BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS:
        e->min_notification_interval_ms = value.Dword;
        break;
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        e->on_demand = value.Enable ? TRUE : FALSE;
        break;
    default:
        hr = E_INVALIDARG; /* not a property id */
    }
    return comfake_leave(hr);
}

HRESULT STDMETHODCALLTYPE comfake_job_GetProperty(IBackgroundCopyJob5 *iface,
                                                  BITS_JOB_PROPERTY_ID id,
                                                  BITS_JOB_PROPERTY_VALUE *out)
{
    EXTRA_ENTER(iface, "IBackgroundCopyJob5::GetProperty");

    if (!out)
        return comfake_leave(COMFAKE_E_NULL_REF);
    memset(out, 0, sizeof(*out));
    switch (id) {
    case BITS_JOB_PROPERTY_ID_COST_FLAGS:
        out->Dword = e->cost_flags;
        break;
    case BITS_JOB_PROPERTY_NOTIFICATION_CLSID:
        out->ClsID = e->notification_clsid;
        break;
    case BITS_JOB_PROPERTY_DYNAMIC_CONTENT:
        out->Enable = e->dynamic_content;
        break;
    case BITS_JOB_PROPERTY_HIGH_PERFORMANCE:
        out->Enable = e->high_performance;
        break;
    case BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE:
        out->Uint64 = e->max_download_size;
        break;
    case BITS_JOB_PROPERTY_USE_STORED_CREDENTIALS:
        out->Target = e->stored_credentials_target;
        break;
    case BITS_JOB_PROPERTY_MINIMUM_NOTIFICATION_INTERVAL_MS:
        out->Dword = e->min_notification_interval_ms;
        break;
    case BITS_JOB_PROPERTY_ON_DEMAND_MODE:
        out->Enable = e->on_demand;
        break;
    default:
        hr = E_INVALIDARG;
    }
    return comfake_leave(hr);
}
