/* bitsht bench: the reference waiter for wait_cpu_ratio (issue 8).
 *
 * Downloads one URL with BITS and waits for it the way Microsoft's helper-token sample
 * does (win32 Bits/example-adding-a-helper-token-to-a-bits-transfer-job-.md, step 15): a
 * loop that drains the message queue with PeekMessage until a deadline read from
 * GetTickCount, never blocking. The sample leaves the loop when its callback posts
 * WM_QUIT; Wine 8 does not call the callback reliably (divergences.h, "notify.job_error"),
 * so this loop also reads the job state, at most every POLL_MS, to see the end. It talks
 * to BITS directly, not through bitsht, so it measures the waiting style and nothing else.
 *
 * This is the one file outside src/com that includes windows.h: it exists to be the
 * documented Windows program bitsht is compared with. Helper tokens are left out on
 * purpose: Wine has no IBitsTokenOptions (C87), and bitsht runs the same transfer with
 * --no-helper-token.
 *
 * usage: bench_sample_wait.exe URL LOCAL [TIMEOUT_S]
 * exit: 0 transferred and completed, 1 the job went to ERROR, 4 deadline, 5 BITS
 * unreachable, 2 usage -- the same meanings as bitsht's exit codes. */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>

#include <bits.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define POLL_MS 100u

/* docs/contract.md; MinGW-w64's libuuid has no BITS identifiers. */
static const CLSID clsid_manager = {
    0x4991d34b, 0x80a1, 0x4291, { 0x83, 0xb6, 0x33, 0x28, 0x36, 0x6b, 0x90, 0x97 } };
static const IID iid_manager = {
    0x5ce34c0d, 0x0dc9, 0x4c1f, { 0x89, 0x7c, 0xda, 0xa1, 0xb7, 0x8c, 0xee, 0x7c } };

static int fail(const char *what, HRESULT hr, int code)
{
    fprintf(stderr, "sample_wait: %s failed: 0x%08lx\n", what, (unsigned long)hr);
    return code;
}

static int run(const wchar_t *url, const wchar_t *local, DWORD timeout_ms)
{
    IBackgroundCopyManager *mgr = NULL;
    IBackgroundCopyJob *job = NULL;
    BG_JOB_STATE state = BG_JOB_STATE_SUSPENDED;
    DWORD start, last_poll;
    GUID id;
    HRESULT hr;
    int rc = 0;

    /* The sample's security set-up: BITS needs at least IMPERSONATE. */
    hr = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_CONNECT,
                              RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_DYNAMIC_CLOAKING, NULL);
    if (FAILED(hr))
        return fail("CoInitializeSecurity", hr, 5);
    hr = CoCreateInstance(&clsid_manager, NULL, CLSCTX_LOCAL_SERVER, &iid_manager, (void **)&mgr);
    if (FAILED(hr))
        return fail("CoCreateInstance(BackgroundCopyManager)", hr, 5);
    hr = IBackgroundCopyManager_CreateJob(mgr, L"bitsht-bench:sample_wait",
                                          BG_JOB_TYPE_DOWNLOAD, &id, &job);
    if (FAILED(hr)) {
        rc = fail("CreateJob", hr, 1);
        goto out;
    }
    hr = IBackgroundCopyJob_AddFile(job, url, local);
    if (SUCCEEDED(hr))
        hr = IBackgroundCopyJob_Resume(job);
    if (FAILED(hr)) {
        rc = fail("AddFile/Resume", hr, 1);
        IBackgroundCopyJob_Cancel(job);
        goto out;
    }

    /* The sample's wait: spin on PeekMessage until the deadline (it never blocks). */
    start = last_poll = GetTickCount();
    for (;;) {
        MSG msg;
        DWORD now;

        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            if (msg.message == WM_QUIT)
                break;
            DispatchMessageW(&msg);
        }
        now = GetTickCount();
        if (now - start >= timeout_ms) {
            IBackgroundCopyJob_Cancel(job);
            fprintf(stderr, "sample_wait: deadline of %lu ms passed\n", (unsigned long)timeout_ms);
            rc = 4;
            break;
        }
        if (now - last_poll < POLL_MS)
            continue;
        last_poll = now;
        hr = IBackgroundCopyJob_GetState(job, &state);
        if (FAILED(hr)) {
            rc = fail("GetState", hr, 1);
            IBackgroundCopyJob_Cancel(job);
            break;
        }
        if (state == BG_JOB_STATE_TRANSFERRED) {
            hr = IBackgroundCopyJob_Complete(job);
            rc = hr == S_OK ? 0 : fail("Complete", hr, 1);
            break;
        }
        if (state == BG_JOB_STATE_ERROR) {
            IBackgroundCopyJob_Cancel(job);
            fprintf(stderr, "sample_wait: the job went to ERROR\n");
            rc = 1;
            break;
        }
        if (state == BG_JOB_STATE_CANCELLED || state == BG_JOB_STATE_ACKNOWLEDGED) {
            rc = 1;
            break;
        }
    }
    fprintf(stderr, "sample_wait: exit %d after %lu ms\n", rc,
            (unsigned long)(GetTickCount() - start));
out:
    if (job)
        IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(mgr);
    return rc;
}

int wmain(int argc, wchar_t **argv)
{
    DWORD timeout_ms = 900u * 1000u; /* the sample's 15-minute limit */
    HRESULT hr;
    int rc;

    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: bench_sample_wait.exe URL LOCAL [TIMEOUT_S]\n");
        return 2;
    }
    if (argc == 4)
        timeout_ms = (DWORD)wcstoul(argv[3], NULL, 10) * 1000u;
    hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (FAILED(hr))
        return fail("CoInitializeEx", hr, 5);
    rc = run(argv[1], argv[2], timeout_ms);
    CoUninitialize();
    return rc;
}
