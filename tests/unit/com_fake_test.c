/* bitsht: src/com over the COM-faithful fake BITS (bitsht_fakebits.dll). The COM code that
 * Wine's BITS cannot reach (IBitsTokenOptions, the callbacks, GetError's file, Job5) runs
 * here on every Linux run, against a server that answers as Windows 10's BITS; teardown
 * fails a test whose objects or CoTaskMem blocks outlive it (com_fake_support.c). */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits3_0.h>
#include <bits5_0.h>

#include <stdio.h>
#include <string.h>

#include "../../src/com/bits4_0_compat.h"
#include "../../src/com/com_internal.h"
#include "com_fake_support.h"
/* last, after initguid.h: defines only the File3..6 IIDs this test uses (src/com has none) */
#include <initguid.h>
#include "../../fakes/com/bits_file_compat.h"

#define assert_hr(want, got) assert_int_equal((unsigned long)(HRESULT)(want), \
                                              (unsigned long)(HRESULT)(got))
#define NULL_REF HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER)

/* IIDs src/com does not use (so com_guids.c does not define them) */
static const GUID iid_job3 = {0x443c8934, 0x90ff, 0x48ed,
                              {0xbc, 0xde, 0x26, 0xf5, 0xc7, 0x45, 0x00, 0x42}};
static const GUID iid_job4 = {0x659cdeae, 0x489e, 0x11d9,
                              {0xa9, 0xcd, 0x00, 0x0d, 0x56, 0x96, 0x52, 0x51}};
static const GUID iid_job5 = {0xe847030c, 0xbbba, 0x4657,
                              {0xaf, 0x6d, 0x48, 0x4a, 0xa4, 0x2b, 0xf1, 0xfe}};
static const GUID iid_http_options = {0xf1bd1079, 0x9f01, 0x4bdc,
                                      {0x80, 0x36, 0xf0, 0x9b, 0x70, 0x09, 0x50, 0x66}};

/* ---- through src/com and the core: the whole helper-token flow ---- */

/* C87, C88, C93, C101, C79, C36: token options as the owner, the helper captured while the
 * fake identity ops impersonate, NETWORK opening the share and answering NTLM (implicit
 * credentials: every target/scheme pair recorded), LOCAL_FILE writing the helper's folder,
 * JobTransferred delivered into the STA, files only after Complete. */
static void helper_token_transfer_runs_through_com(void **state)
{
    struct comfake_t *t = *state;
    static const char *const remotes[] = {COMFAKE_URL_AUTH, COMFAKE_URL_SMB};
    struct bht_fakebits_stats st;
    char creds[512], calls[8192];

    comfake_open(t);
    comfake_request(t, BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK, remotes, 2, 1);
    bht_run_transfer(&t->be, &t->req, &t->rep);
    if (t->rep.outcome != BHT_OUTCOME_SUCCESS)
        fail_msg("outcome %d step %s hr 0x%08lX: %s", t->rep.outcome,
                 bht_step_name(t->rep.failed_step), (unsigned long)t->rep.hr, t->rep.detail);
    assert_int_equal(t->rep.final_state, BHT_JOB_ACKNOWLEDGED);
    assert_int_equal(comfake_file_size(t->local[0]), COMFAKE_URL_AUTH_SIZE);
    assert_int_equal(comfake_file_size(t->local[1]), 65536);
    assert_int_equal(t->password[0], 0); /* wiped */
    bht_fakebits_stats(&st);
    assert_int_equal(st.impersonation_depth, 0);
    assert_int_equal(st.open_tokens, 0);
    assert_int_equal(st.jobs_in_state[BHT_JOB_ACKNOWLEDGED], 1);
    assert_int_equal(st.op_calls[BHT_OP_SET_HELPER_TOKEN], 1);
    /* C79: at most once; wait may see TRANSFERRED by polling and Complete (which drops the
     * notify interface) before the call lands (exactly once: the test below) */
    assert_true(st.transferred_callbacks <= 1);
    assert_hr(S_OK, bht_fakebits_credentials(t->rep.job_id, creds, sizeof creds));
    assert_non_null(strstr(creds, "set server/ntlm user=- password=-"));
    assert_non_null(strstr(creds, "set server/negotiate user=- password=-"));
    bht_fakebits_method_calls(NULL, calls, sizeof calls);
    print_message("COM methods that ran:\n%s", calls);
    comfake_close(t);
    comfake_assert_audit_clean("after the transfer and bht_com_backend_close");
}

/* C104: the fake's LogonUserW checks the password (Wine's accepts anything, C103). */
static void wrong_password_is_a_token_failure(void **state)
{
    struct comfake_t *t = *state;
    static const char *const remotes[] = {COMFAKE_URL_AUTH};
    struct bht_fakebits_stats st;

    comfake_open(t);
    comfake_request(t, BHT_TOKEN_NETWORK, remotes, 1, 0);
    strcpy(t->password, "wrong");
    bht_run_transfer(&t->be, &t->req, &t->rep);
    assert_int_equal(t->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(t->rep.failed_step, BHT_STEP_LOGON);
    assert_hr(BHT_E_LOGON_FAILURE, t->rep.hr);
    assert_int_equal(t->rep.final_state, BHT_JOB_CANCELLED);
    bht_fakebits_stats(&st);
    assert_int_equal(st.op_calls[BHT_OP_SET_HELPER_TOKEN], 0);
    assert_int_equal(st.jobs_in_state[BHT_JOB_CANCELLED], 1);
}

/* C92: an administrator's token handed over by a non-admin owner is refused. */
static void admin_helper_of_a_plain_owner_is_access_denied(void **state)
{
    struct comfake_t *t = *state;
    static const char *const remotes[] = {COMFAKE_URL_PUBLIC};

    comfake_open(t);
    comfake_request(t, BHT_TOKEN_LOCAL_FILE, remotes, 1, 0);
    t->req.user = "root";
    strcpy(t->password, "toor");
    bht_run_transfer(&t->be, &t->req, &t->rep);
    assert_int_equal(t->rep.outcome, BHT_OUTCOME_TOKEN_FAILED);
    assert_int_equal(t->rep.failed_step, BHT_STEP_SET_HELPER_TOKEN);
    assert_hr(E_ACCESSDENIED, t->rep.hr);
    assert_int_equal(t->rep.final_state, BHT_JOB_CANCELLED);
}

/* wait of src/com: the callback wakes it (C79) ... */
static enum bht_job_state settle(struct comfake_t *t, struct bht_job *job)
{
    enum bht_job_state st = BHT_JOB_QUEUED;
    int i;

    for (i = 0; i < 100; i++) {
        assert_true(SUCCEEDED(t->be.bits->wait(t->be.bits_ctx, job, 200, &st)));
        if (st == BHT_JOB_TRANSFERRED || st == BHT_JOB_ERROR)
            break;
    }
    return st;
}

static struct bht_job *started_job(struct comfake_t *t, const char *remote, uint32_t notify)
{
    struct bht_job *job = NULL;
    char local[400];

    snprintf(local, sizeof local, "%s\\wait.bin", t->dir);
    assert_hr(S_OK, t->be.bits->create_job(t->be.bits_ctx, "bitsht:wait", &job));
    if (notify)
        assert_hr(S_OK, t->be.bits->set_notify_flags(t->be.bits_ctx, job, notify));
    assert_hr(S_OK, t->be.bits->add_file(t->be.bits_ctx, job, remote, local));
    assert_hr(S_OK, t->be.bits->resume(t->be.bits_ctx, job));
    return job;
}

static void end_job(struct comfake_t *t, struct bht_job *job)
{
    t->be.bits->cancel(t->be.bits_ctx, job);
    t->be.bits->release(t->be.bits_ctx, job);
}

/* C79: JobTransferred reaches the STA through src/com's message pump, exactly once. */
static void job_transferred_arrives_through_the_sta_pump(void **state)
{
    struct comfake_t *t = *state;
    struct bht_job *job;
    long transferred = -1, error = -1;

    comfake_open(t);
    job = started_job(t, COMFAKE_URL_PUBLIC, 0);
    assert_int_equal(settle(t, job), BHT_JOB_TRANSFERRED);
    /* wait may see the state by polling just before the call lands: let the STA take it */
    assert_hr(S_OK, bht_fakebits_drain(5000));
    bht_com_job_notifications(job, &transferred, &error);
    assert_int_equal(transferred, 1);
    assert_int_equal(error, 0);
    end_job(t, job);
}

/* C80: Windows calls JobError once for a job in ERROR; Wine 8 never does. */
static void job_error_arrives_on_windows_never_on_wine8(void **state)
{
    struct comfake_t *t = *state;
    struct bht_job *job;
    long transferred = -1, error = -1;
    int profile;

    for (profile = 0; profile < 2; profile++) {
        comfake_world(t, profile ? "option profile=wine8\n" : NULL);
        comfake_open(t);
        job = started_job(t, COMFAKE_URL_GONE, 0);
        assert_int_equal(settle(t, job), BHT_JOB_ERROR);
        Sleep(100); /* a JobError would have been made by now */
        assert_hr(S_OK, bht_fakebits_drain(5000));
        bht_com_job_notifications(job, &transferred, &error);
        assert_int_equal(transferred, 0);
        assert_int_equal(error, profile ? 0 : 1);
        end_job(t, job);
        comfake_close(t);
        comfake_assert_audit_clean(profile ? "wine8" : "windows");
    }
}

/* A callback that never comes must not hang wait: BG_NOTIFY_DISABLE silences the server,
 * and wait's poll still sees TRANSFERRED. */
static void wait_ends_when_no_callback_ever_comes(void **state)
{
    struct comfake_t *t = *state;
    struct bht_fakebits_stats st;
    struct bht_job *job;
    long transferred = -1, error = -1;

    comfake_open(t);
    job = started_job(t, COMFAKE_URL_PUBLIC, BHT_NOTIFY_DISABLE);
    assert_int_equal(settle(t, job), BHT_JOB_TRANSFERRED);
    bht_com_job_notifications(job, &transferred, &error);
    assert_int_equal(transferred, 0);
    bht_fakebits_stats(&st);
    assert_int_equal(st.transferred_callbacks, 0);
    end_job(t, job);
}

/* ---- the COM surface itself ---- */

typedef HRESULT(STDAPICALLTYPE *get_class_object_fn)(REFCLSID, REFIID, void **);

static IBackgroundCopyManager *manager(void)
{
    get_class_object_fn get = (get_class_object_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"bitsht_fakebits.dll"), "DllGetClassObject");
    IClassFactory *factory = NULL;
    IBackgroundCopyManager *m = NULL;

    assert_non_null(get);
    assert_hr(S_OK, get(&CLSID_BackgroundCopyManager, &IID_IClassFactory, (void **)&factory));
    assert_hr(S_OK, IClassFactory_CreateInstance(factory, NULL, &IID_IBackgroundCopyManager,
                                                 (void **)&m));
    IClassFactory_Release(factory);
    return m;
}

static IBackgroundCopyJob *new_job(IBackgroundCopyManager *m)
{
    IBackgroundCopyJob *job = NULL;
    GUID id;

    assert_hr(S_OK, IBackgroundCopyManager_CreateJob(m, L"bitsht:com", BG_JOB_TYPE_DOWNLOAD,
                                                     &id, &job));
    return job;
}

static HRESULT qi(void *object, REFIID riid)
{
    IUnknown *unk = (IUnknown *)0x1;
    HRESULT hr = IUnknown_QueryInterface((IUnknown *)object, riid, (void **)&unk);

    if (SUCCEEDED(hr))
        IUnknown_Release(unk);
    else
        assert_null(unk); /* a miss clears the out pointer */
    return hr;
}

/* The windows profile answers QueryInterface as Windows 10's BITS; wine8 as Wine 8's qmgr
 * (no IBitsTokenOptions, C87; no Job5; E_NOTIMPL and fixed answers where Wine has them). */
static void profiles_answer_query_interface_as_their_bits(void **state)
{
    struct comfake_t *t = *state;
    IBackgroundCopyManager *m;
    IBackgroundCopyJob *job;
    BG_JOB_TIMES times;
    ULONG delay = 0;
    int profile;

    for (profile = 0; profile < 2; profile++) {
        comfake_world(t, profile ? "option profile=wine8\n" : NULL);
        m = manager();
        job = new_job(m);
        assert_hr(S_OK, qi(job, &IID_IBackgroundCopyJob2));
        assert_hr(S_OK, qi(job, &iid_job3));
        assert_hr(S_OK, qi(job, &iid_job4));
        assert_hr(S_OK, qi(job, &iid_http_options));
        assert_hr(profile ? E_NOINTERFACE : S_OK, qi(job, &iid_job5));
        assert_hr(profile ? E_NOINTERFACE : S_OK, qi(job, &IID_IBitsTokenOptions));
        assert_hr(E_NOINTERFACE, qi(job, &IID_IBackgroundCopyManager));
        assert_hr(profile ? E_NOTIMPL : S_OK, IBackgroundCopyJob_GetTimes(job, &times));
        assert_hr(S_OK, IBackgroundCopyJob_GetMinimumRetryDelay(job, &delay));
        assert_int_equal(delay, profile ? 30 : 600);
        IBackgroundCopyJob_Cancel(job);
        IBackgroundCopyJob_Release(job);
        IBackgroundCopyManager_Release(m);
        comfake_assert_audit_clean(profile ? "wine8" : "windows");
    }
}

static IBackgroundCopyFile *first_file(IBackgroundCopyJob *job)
{
    IEnumBackgroundCopyFiles *files = NULL;
    IBackgroundCopyFile *file = NULL;
    ULONG got = 0;

    assert_hr(S_OK, IBackgroundCopyJob_EnumFiles(job, &files));
    assert_hr(S_OK, IEnumBackgroundCopyFiles_Next(files, 1, &file, &got));
    assert_int_equal(got, 1);
    IEnumBackgroundCopyFiles_Release(files);
    return file;
}

static IBackgroundCopyJob *job_with_file(IBackgroundCopyManager *m, const WCHAR *remote,
                                         const WCHAR *local)
{
    IBackgroundCopyJob *job = new_job(m);

    assert_hr(S_OK, IBackgroundCopyJob_AddFile(job, remote, local));
    return job;
}

/* The file object answers QueryInterface as Windows 10 (IBackgroundCopyFile..6) and as
 * Wine 8's qmgr (dlls/qmgr/file.c: IBackgroundCopyFile2 at most). */
static void file_versions_answer_query_interface_per_profile(void **state)
{
    struct comfake_t *t = *state;
    IBackgroundCopyManager *m;
    IBackgroundCopyJob *job;
    IBackgroundCopyFile *file;
    WCHAR local[400];
    int profile;

    swprintf(local, 400, L"%hs\\qi.bin", t->dir);
    for (profile = 0; profile < 2; profile++) {
        comfake_world(t, profile ? "option profile=wine8\n" : NULL);
        m = manager();
        job = job_with_file(m, L"" COMFAKE_URL_PUBLIC, local);
        file = first_file(job);
        assert_hr(S_OK, qi(file, &IID_IBackgroundCopyFile));
        assert_hr(S_OK, qi(file, &IID_IBackgroundCopyFile2));
        assert_hr(profile ? E_NOINTERFACE : S_OK, qi(file, &IID_IBackgroundCopyFile3));
        assert_hr(profile ? E_NOINTERFACE : S_OK, qi(file, &IID_IBackgroundCopyFile4));
        assert_hr(profile ? E_NOINTERFACE : S_OK, qi(file, &IID_IBackgroundCopyFile5));
        assert_hr(profile ? E_NOINTERFACE : S_OK, qi(file, &IID_IBackgroundCopyFile6));
        assert_hr(E_NOINTERFACE, qi(file, &IID_IBackgroundCopyJob));
        IBackgroundCopyFile_Release(file);
        IBackgroundCopyJob_Cancel(job);
        IBackgroundCopyJob_Release(job);
        IBackgroundCopyManager_Release(m);
        comfake_assert_audit_clean(profile ? "wine8" : "windows");
    }
}

static IBackgroundCopyFile6 *file6_of(IBackgroundCopyJob *job)
{
    IBackgroundCopyFile *file = first_file(job);
    IBackgroundCopyFile6 *file6 = NULL;

    assert_hr(S_OK, IBackgroundCopyFile_QueryInterface(file, &IID_IBackgroundCopyFile6,
                                                       (void **)&file6));
    IBackgroundCopyFile_Release(file);
    return file6;
}

static void assert_filled(IBackgroundCopyFile6 *file6, DWORD want_count, UINT64 want_length)
{
    DWORD count = 7;
    BG_FILE_RANGE *ranges = (BG_FILE_RANGE *)0x1;

    assert_hr(S_OK, IBackgroundCopyFile6_GetFilledFileRanges(file6, &count, &ranges));
    assert_int_equal(count, want_count);
    if (!want_count) {
        assert_null(ranges);
        return;
    }
    assert_true(ranges[0].InitialOffset == 0);
    assert_true(ranges[0].Length == want_length);
    CoTaskMemFree(ranges);
}

/* IBackgroundCopyFile3..6 on the windows profile, slot by slot, before and after the
 * transfer: the temporary name the engine writes, validation kept per file (E_PENDING until
 * transferred), no peers, read-only empty response headers, ranges checked against the size;
 * every CoTaskMem block handed out is freed here (teardown's audit counts them). */
static void file3_to_file6_methods_answer_as_windows(void **state)
{
    struct comfake_t *t = *state;
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job;
    IBackgroundCopyFile6 *file6, *again;
    BITS_FILE_PROPERTY_VALUE v;
    BG_FILE_RANGE r[2];
    BG_JOB_STATE st = BG_JOB_STATE_QUEUED;
    WCHAR local[400], want_temp[500], wid[40], hex[33], *name = NULL;
    UINT64 origin = 9, peers = 9;
    BG_FILE_RANGE *filled = NULL;
    DWORD count = 9;
    BOOL b = TRUE;
    GUID id;
    int i, k = 0;

    swprintf(local, 400, L"%hs\\v.bin", t->dir);
    job = job_with_file(m, L"" COMFAKE_URL_PUBLIC, local);
    file6 = file6_of(job);
    assert_hr(S_OK, IBackgroundCopyJob_GetId(job, &id));
    StringFromGUID2(&id, wid, 40);
    for (i = 0; wid[i]; i++)
        if (wid[i] != L'{' && wid[i] != L'}' && wid[i] != L'-')
            hex[k++] = wid[i];
    hex[k] = 0;
    swprintf(want_temp, 500, L"%hs\\.BIT%ls0000.tmp", t->dir, hex);

    /* File3, before the transfer */
    assert_hr(S_OK, IBackgroundCopyFile6_GetTemporaryName(file6, &name));
    assert_true(wcscmp(name, want_temp) == 0);
    CoTaskMemFree(name);
    assert_hr(NULL_REF, IBackgroundCopyFile6_GetTemporaryName(file6, NULL));
    assert_hr(E_PENDING, IBackgroundCopyFile6_SetValidationState(file6, TRUE));
    assert_hr(S_OK, IBackgroundCopyFile6_GetValidationState(file6, &b));
    assert_int_equal(b, FALSE);
    assert_hr(NULL_REF, IBackgroundCopyFile6_GetValidationState(file6, NULL));
    b = TRUE;
    assert_hr(S_OK, IBackgroundCopyFile6_IsDownloadedFromPeer(file6, &b));
    assert_int_equal(b, FALSE);
    assert_hr(NULL_REF, IBackgroundCopyFile6_IsDownloadedFromPeer(file6, NULL));
    /* File4 */
    assert_hr(S_OK, IBackgroundCopyFile6_GetPeerDownloadStats(file6, &origin, &peers));
    assert_true(origin == 0 && peers == 0);
    assert_hr(NULL_REF, IBackgroundCopyFile6_GetPeerDownloadStats(file6, &origin, NULL));
    /* File5 */
    v.String = NULL;
    assert_hr(BG_E_READ_ONLY_PROPERTY, IBackgroundCopyFile6_SetProperty(
                  file6, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, v));
    assert_hr(E_INVALIDARG, IBackgroundCopyFile6_SetProperty(file6, (BITS_FILE_PROPERTY_ID)2, v));
    assert_hr(S_OK, IBackgroundCopyFile6_GetProperty(
                  file6, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, &v));
    assert_non_null(v.String);
    assert_int_equal(v.String[0], 0);
    CoTaskMemFree(v.String);
    v.String = (LPWSTR)0x1;
    assert_hr(E_INVALIDARG, IBackgroundCopyFile6_GetProperty(file6, (BITS_FILE_PROPERTY_ID)2, &v));
    assert_null(v.String);
    assert_hr(NULL_REF, IBackgroundCopyFile6_GetProperty(
                  file6, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, NULL));
    /* File6, before the transfer: nothing filled */
    assert_filled(file6, 0, 0);
    assert_hr(S_OK, IBackgroundCopyFile6_UpdateDownloadPosition(file6, 100));

    assert_hr(S_OK, IBackgroundCopyJob_Resume(job));
    for (i = 0; i < 200 && st != BG_JOB_STATE_TRANSFERRED; i++) {
        Sleep(20);
        assert_hr(S_OK, IBackgroundCopyJob_GetState(job, &st));
    }
    assert_int_equal(st, BG_JOB_STATE_TRANSFERRED);

    /* after: 4096 bytes, all from the origin, in the same temporary */
    assert_hr(S_OK, IBackgroundCopyFile6_GetTemporaryName(file6, &name));
    assert_true(wcscmp(name, want_temp) == 0);
    CoTaskMemFree(name);
    assert_hr(S_OK, IBackgroundCopyFile6_GetPeerDownloadStats(file6, &origin, &peers));
    assert_true(origin == 4096 && peers == 0);
    assert_filled(file6, 1, 4096);
    r[0].InitialOffset = 0;
    r[0].Length = 4096;
    r[1].InitialOffset = 1000;
    r[1].Length = BG_LENGTH_TO_EOF;
    assert_hr(S_OK, IBackgroundCopyFile6_RequestFileRanges(file6, 2, r));
    r[1].InitialOffset = 4000;
    r[1].Length = 97; /* one byte past the end */
    assert_hr(BG_E_INVALID_RANGE, IBackgroundCopyFile6_RequestFileRanges(file6, 2, r));
    r[1].InitialOffset = 4097;
    r[1].Length = BG_LENGTH_TO_EOF;
    assert_hr(BG_E_INVALID_RANGE, IBackgroundCopyFile6_RequestFileRanges(file6, 2, r));
    assert_hr(NULL_REF, IBackgroundCopyFile6_RequestFileRanges(file6, 1, NULL));
    assert_hr(NULL_REF, IBackgroundCopyFile6_GetFilledFileRanges(file6, NULL, NULL));
    /* validation: accepted now, and kept by the file, not by this object */
    assert_hr(S_OK, IBackgroundCopyFile6_SetValidationState(file6, TRUE));
    again = file6_of(job);
    assert_true(again != file6);
    b = FALSE;
    assert_hr(S_OK, IBackgroundCopyFile6_GetValidationState(again, &b));
    assert_int_equal(b, TRUE);
    assert_hr(S_OK, IBackgroundCopyFile6_SetValidationState(again, FALSE));
    assert_hr(S_OK, IBackgroundCopyFile6_GetValidationState(file6, &b));
    assert_int_equal(b, FALSE);
    IBackgroundCopyFile6_Release(again);
    IBackgroundCopyFile6_Release(file6);
    assert_hr(S_OK, IBackgroundCopyJob_Complete(job));
    IBackgroundCopyJob_Release(job);

    /* ranges need an http(s) download (BITS_JOB_PROPERTY_ON_DEMAND_MODE's requirements) */
    swprintf(local, 400, L"%hs\\smb.bin", t->dir);
    job = job_with_file(m, L"" COMFAKE_URL_SMB, local);
    file6 = file6_of(job);
    assert_hr(BG_E_RANDOM_ACCESS_NOT_SUPPORTED,
              IBackgroundCopyFile6_UpdateDownloadPosition(file6, 0));
    assert_hr(BG_E_RANDOM_ACCESS_NOT_SUPPORTED, IBackgroundCopyFile6_RequestFileRanges(file6, 1, r));
    assert_hr(BG_E_RANDOM_ACCESS_NOT_SUPPORTED,
              IBackgroundCopyFile6_GetFilledFileRanges(file6, &count, &filled));
    assert_int_equal(count, 0);
    assert_null(filled);
    IBackgroundCopyFile6_Release(file6);
    IBackgroundCopyJob_Cancel(job);
    IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(m);
    comfake_assert_audit_clean("file3..6");
}

/* NULL [out]/[in,string] pointers answer what the BITS proxy answers (C03, C19); a job that
 * ended refuses changes (C23, C52, C77, C99). */
static void null_pointers_and_ended_jobs_answer_as_windows(void **state)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job = new_job(m), *none = (IBackgroundCopyJob *)0x1;
    IBitsTokenOptions *opts = NULL;
    IBackgroundCopyJob2 *job2 = NULL;
    BG_AUTH_CREDENTIALS cred;
    GUID id;

    (void)state;
    assert_hr(NULL_REF, IBackgroundCopyJob_GetState(job, NULL));
    assert_hr(NULL_REF, IBackgroundCopyJob_GetDisplayName(job, NULL));
    assert_hr(NULL_REF, IBackgroundCopyJob_AddFile(job, NULL, L"C:\\x"));
    assert_hr(NULL_REF, IBackgroundCopyManager_CreateJob(m, NULL, BG_JOB_TYPE_DOWNLOAD, &id,
                                                         &none));
    assert_null(none); /* outputs are cleared on failure */
    assert_hr(S_OK, IBackgroundCopyJob_QueryInterface(job, &IID_IBitsTokenOptions,
                                                      (void **)&opts));
    assert_hr(NULL_REF, IBitsTokenOptions_GetHelperTokenSid(opts, NULL));
    assert_hr(S_OK, IBackgroundCopyJob_QueryInterface(job, &IID_IBackgroundCopyJob2,
                                                      (void **)&job2));
    assert_hr(S_OK, IBackgroundCopyJob_Cancel(job));
    assert_hr(BG_E_INVALID_STATE, IBackgroundCopyJob_Cancel(job));
    assert_hr(BG_E_INVALID_STATE, IBackgroundCopyJob_AddFile(job, L"https://cdn.example/x",
                                                             L"C:\\x"));
    assert_hr(BG_E_INVALID_STATE, IBackgroundCopyJob_SetDescription(job, L"late"));
    assert_hr(BG_E_INVALID_STATE, IBackgroundCopyJob_SetNotifyInterface(job, NULL));
    assert_hr(BG_E_INVALID_STATE, IBitsTokenOptions_SetHelperTokenFlags(opts, 1));
    memset(&cred, 0, sizeof cred);
    cred.Target = BG_AUTH_TARGET_SERVER;
    cred.Scheme = BG_AUTH_SCHEME_NTLM;
    assert_hr(BG_E_INVALID_STATE, IBackgroundCopyJob2_SetCredentials(job2, &cred));
    IBackgroundCopyJob2_Release(job2);
    IBitsTokenOptions_Release(opts);
    IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(m);
}

/* A call through a released pointer is counted and answered, not a crash: the audit names
 * it, and a reset world starts clean. */
static void a_call_after_the_last_release_is_reported_as_misuse(void **state)
{
    struct comfake_t *t = *state;
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job = new_job(m);
    BG_JOB_STATE st;
    char report[1024];

    IBackgroundCopyJob_Cancel(job);
    assert_int_equal(IBackgroundCopyJob_Release(job), 0);
    assert_hr(RPC_E_DISCONNECTED, IBackgroundCopyJob_GetState(job, &st));
    assert_int_equal(IBackgroundCopyJob_Release(job), 0);
    IBackgroundCopyManager_Release(m);
    assert_int_equal(bht_fakebits_audit(report, sizeof report), 2);
    assert_non_null(strstr(report, "misuse x2"));
    assert_non_null(strstr(report, "IBackgroundCopyJob"));
    comfake_world(t, NULL); /* the graveyard goes with the world */
}

/* Job5 keeps the cost flags and other properties; SetCredentials / RemoveCredentials record
 * every target/scheme pair (S_FALSE when nothing was set for the pair). */
static void job5_properties_and_credentials_are_kept(void **state)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job = new_job(m);
    IBackgroundCopyJob5 *job5 = NULL;
    BITS_JOB_PROPERTY_VALUE v;
    BG_AUTH_CREDENTIALS cred;
    WCHAR user[] = L"u", password[] = L"p";
    GUID id;
    char sid[40], creds[512];
    WCHAR wid[40];
    int i;

    (void)state;
    assert_hr(S_OK, IBackgroundCopyJob_QueryInterface(job, &iid_job5,
                                                      (void **)&job5));
    assert_hr(S_OK, IBackgroundCopyJob5_GetProperty(job5, BITS_JOB_PROPERTY_ID_COST_FLAGS, &v));
    assert_int_equal(v.Dword, 0x8000007Fu); /* BITS_COST_STATE_TRANSFER_NOT_ROAMING */
    v.Dword = 0x80000021u;
    assert_hr(S_OK, IBackgroundCopyJob5_SetProperty(job5, BITS_JOB_PROPERTY_ID_COST_FLAGS, v));
    memset(&v, 0, sizeof v);
    assert_hr(S_OK, IBackgroundCopyJob5_GetProperty(job5, BITS_JOB_PROPERTY_ID_COST_FLAGS, &v));
    assert_int_equal(v.Dword, 0x80000021u);
    v.Uint64 = 123456789ull;
    assert_hr(S_OK, IBackgroundCopyJob5_SetProperty(job5, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, v));
    memset(&v, 0, sizeof v);
    assert_hr(S_OK, IBackgroundCopyJob5_GetProperty(job5, BITS_JOB_PROPERTY_MAX_DOWNLOAD_SIZE, &v));
    assert_true(v.Uint64 == 123456789ull);
    assert_hr(E_INVALIDARG, IBackgroundCopyJob5_GetProperty(job5, (BITS_JOB_PROPERTY_ID)6, &v));

    memset(&cred, 0, sizeof cred);
    cred.Target = BG_AUTH_TARGET_PROXY;
    cred.Scheme = BG_AUTH_SCHEME_BASIC;
    cred.Credentials.Basic.UserName = user;
    cred.Credentials.Basic.Password = password;
    assert_hr(S_OK, IBackgroundCopyJob5_SetCredentials(job5, &cred));
    cred.Target = (BG_AUTH_TARGET)3;
    assert_hr(BG_E_INVALID_AUTH_TARGET, IBackgroundCopyJob5_SetCredentials(job5, &cred));
    assert_hr(S_FALSE, IBackgroundCopyJob5_RemoveCredentials(job5, BG_AUTH_TARGET_SERVER,
                                                            BG_AUTH_SCHEME_NTLM));
    assert_hr(S_OK, IBackgroundCopyJob5_RemoveCredentials(job5, BG_AUTH_TARGET_PROXY,
                                                         BG_AUTH_SCHEME_BASIC));
    assert_hr(S_OK, IBackgroundCopyJob5_GetId(job5, &id));
    StringFromGUID2(&id, wid, 40);
    for (i = 0; i < 39; i++)
        sid[i] = (char)wid[i];
    assert_hr(S_OK, bht_fakebits_credentials(sid, creds, sizeof creds));
    assert_string_equal(creds, "set proxy/basic user=given password=given\n"
                               "remove server/ntlm user=- password=-\n"
                               "remove proxy/basic user=- password=-\n");
    IBackgroundCopyJob5_Cancel(job5);
    IBackgroundCopyJob5_Release(job5);
    IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(m);
}

/* BITS jobs progress by themselves: a client that only polls GetState with Sleep (as
 * Microsoft's samples and Wine's tests do) sees its job finish, in real time. */
static void a_client_that_only_polls_sees_its_job_finish(void **state)
{
    struct comfake_t *t = *state;
    IBackgroundCopyManager *m;
    IBackgroundCopyJob *job;
    BG_JOB_STATE st = BG_JOB_STATE_QUEUED;
    WCHAR local[400];
    ULONGLONG start;
    int i;

    comfake_world(t, "resource https://cdn.example/slow.bin size=2000 rate=4000\n");
    bht_fakebits_set_clock_speed(1);
    m = manager();
    job = new_job(m);
    swprintf(local, 400, L"%hs\\slow.bin", t->dir);
    assert_hr(S_OK, IBackgroundCopyJob_AddFile(job, L"https://cdn.example/slow.bin", local));
    start = GetTickCount64();
    assert_hr(S_OK, IBackgroundCopyJob_Resume(job));
    for (i = 0; i < 200 && st != BG_JOB_STATE_TRANSFERRED; i++) {
        Sleep(50);
        assert_hr(S_OK, IBackgroundCopyJob_GetState(job, &st));
    }
    assert_int_equal(st, BG_JOB_STATE_TRANSFERRED);
    assert_true(GetTickCount64() - start >= 400); /* 2000 bytes at 4000 B/s, real time */
    assert_hr(S_OK, IBackgroundCopyJob_Complete(job));
    IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(helper_token_transfer_runs_through_com, comfake_setup,
                                        comfake_teardown),
        cmocka_unit_test_setup_teardown(wrong_password_is_a_token_failure, comfake_setup,
                                        comfake_teardown),
        cmocka_unit_test_setup_teardown(admin_helper_of_a_plain_owner_is_access_denied,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(job_transferred_arrives_through_the_sta_pump,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(job_error_arrives_on_windows_never_on_wine8,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(wait_ends_when_no_callback_ever_comes, comfake_setup,
                                        comfake_teardown),
        cmocka_unit_test_setup_teardown(profiles_answer_query_interface_as_their_bits,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(file_versions_answer_query_interface_per_profile,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(file3_to_file6_methods_answer_as_windows,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(null_pointers_and_ended_jobs_answer_as_windows,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(a_call_after_the_last_release_is_reported_as_misuse,
                                        comfake_setup, comfake_teardown),
        cmocka_unit_test_setup_teardown(job5_properties_and_credentials_are_kept, comfake_setup,
                                        comfake_teardown),
        cmocka_unit_test_setup_teardown(a_client_that_only_polls_sees_its_job_finish,
                                        comfake_setup, comfake_teardown),
    };
    /* an STA like bitsht.exe's: the manager calls above happen where src/com makes them */
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    return cmocka_run_group_tests_name("com_fake", tests, NULL, NULL);
}
