/* bitsht: the abstraction layer between the core flow and a BITS implementation.
 *
 * Two ops structs, each travelling with its own void *ctx (no globals: a test may run many
 * worlds at once). Shapes follow libgit2's backends: `version` first, members only ever
 * appended, bht_*_ops_check() refuses an incomplete struct. Strings are UTF-8 (the COM
 * backend converts at its edge); numbers are BITS's own (docs/contract.md).
 *
 * Rules every op follows (the COM rules):
 *  - returns a bht_hr; on failure pointer outputs are set to NULL / zero;
 *  - strings an op returns are freed with bits->free_mem;
 *  - a job handle from create_job/open_job is released with bits->release, exactly once,
 *    whatever state the job is in (releasing does not cancel: BITS jobs outlive handles);
 *  - every op of a backend, and of its identity ops, runs on the thread that opened the
 *    backend (for COM: the STA whose proxies and message queue it uses); impersonate and
 *    revert act on that thread's token. */
#ifndef BITSHT_BACKEND_H
#define BITSHT_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "bitsht/hresult.h"

#ifdef __cplusplus
extern "C" {
#endif

/* BG_JOB_STATE values */
enum bht_job_state {
    BHT_JOB_QUEUED = 0,
    BHT_JOB_CONNECTING = 1,
    BHT_JOB_TRANSFERRING = 2,
    BHT_JOB_SUSPENDED = 3,
    BHT_JOB_ERROR = 4,
    BHT_JOB_TRANSIENT_ERROR = 5,
    BHT_JOB_TRANSFERRED = 6,
    BHT_JOB_ACKNOWLEDGED = 7,
    BHT_JOB_CANCELLED = 8
};
#define BHT_JOB_STATE_COUNT 9

/* BG_JOB_PRIORITY values */
enum bht_priority {
    BHT_PRIORITY_FOREGROUND = 0,
    BHT_PRIORITY_HIGH = 1,
    BHT_PRIORITY_NORMAL = 2,
    BHT_PRIORITY_LOW = 3
};

/* BG_ERROR_CONTEXT values */
enum bht_error_context {
    BHT_ERRCTX_NONE = 0,
    BHT_ERRCTX_UNKNOWN = 1,
    BHT_ERRCTX_GENERAL_QUEUE_MANAGER = 2,
    BHT_ERRCTX_QUEUE_MANAGER_NOTIFICATION = 3,
    BHT_ERRCTX_LOCAL_FILE = 4,
    BHT_ERRCTX_REMOTE_FILE = 5,
    BHT_ERRCTX_GENERAL_TRANSPORT = 6,
    BHT_ERRCTX_REMOTE_APPLICATION = 7
};

/* LOGON32_LOGON_* values */
enum bht_logon_type {
    BHT_LOGON_INTERACTIVE = 2,
    BHT_LOGON_NETWORK = 3,
    BHT_LOGON_BATCH = 4,
    BHT_LOGON_SERVICE = 5,
    /* like NETWORK, but the token keeps the credentials, so the helper can open an SMB
     * source or answer HTTP authentication (C113) */
    BHT_LOGON_NETWORK_CLEARTEXT = 8,
    BHT_LOGON_NEW_CREDENTIALS = 9
};

/* BG_TOKEN_* (bits4_0.h) */
#define BHT_TOKEN_LOCAL_FILE 0x0001u
#define BHT_TOKEN_NETWORK 0x0002u
#define BHT_TOKEN_VALID_MASK 0x0003u

/* BG_NOTIFY_* */
#define BHT_NOTIFY_JOB_TRANSFERRED 0x01u
#define BHT_NOTIFY_JOB_ERROR 0x02u
#define BHT_NOTIFY_DISABLE 0x04u
#define BHT_NOTIFY_JOB_MODIFICATION 0x08u
#define BHT_NOTIFY_FILE_TRANSFERRED 0x10u
#define BHT_NOTIFY_FILE_RANGES_TRANSFERRED 0x20u

#define BHT_SIZE_UNKNOWN UINT64_MAX        /* BG_SIZE_UNKNOWN */
#define BHT_JOB_ID_SIZE 39                 /* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" + NUL */
#define BHT_DISPLAY_NAME_MAX 256           /* characters, docs/contract.md */
#define BHT_REMOTE_NAME_MAX 2200           /* characters */
#define BHT_TEXT_SIZE 1024                 /* bytes of UTF-8 kept for a description */
#define BHT_NAME_SIZE (4 * BHT_REMOTE_NAME_MAX + 1) /* bytes: any remote name in UTF-8 */

/* BG_JOB_PROGRESS */
struct bht_progress {
    uint64_t bytes_total;       /* BHT_SIZE_UNKNOWN until every size is known */
    uint64_t bytes_transferred;
    uint32_t files_total;
    uint32_t files_transferred;
};

/* IBackgroundCopyJob::GetError, flattened. Texts may be empty where the backend has none
 * (Wine: descriptions are E_NOTIMPL). */
struct bht_job_error {
    enum bht_error_context context;
    bht_hr code;
    char description[BHT_TEXT_SIZE];         /* GetErrorDescription */
    char context_description[BHT_TEXT_SIZE]; /* GetErrorContextDescription */
    char remote_name[BHT_NAME_SIZE];         /* GetFile's remote name; "" when none */
};

/* One entry of enum_jobs. */
struct bht_job_info {
    char id[BHT_JOB_ID_SIZE];
    char display_name[4 * BHT_DISPLAY_NAME_MAX + 1];
    enum bht_job_state state;
    struct bht_progress progress;
    uint64_t created_unix_s;    /* creation time, seconds since 1970 (virtual in the fake) */
    uint64_t age_s;             /* seconds since creation, on the backend's own clock */
};

struct bht_job;   /* a backend's job handle; each backend defines it */
struct bht_system_ops; /* system.h */
struct bht_token; /* a backend's logon token; each identity backend defines it */

/* Version 2 appended set_cost_flags (optional: NULL = this BITS cannot set cost flags). */
#define BHT_BITS_OPS_VERSION 2

struct bht_bits_ops {
    int version; /* BHT_BITS_OPS_VERSION; first, so older structs can be recognised */
    const char *name; /* "fake", "com": for reports and divergence tables */

    /* CreateJob(display_name, DOWNLOAD): new job SUSPENDED (C01-C06). */
    bht_hr (*create_job)(void *ctx, const char *display_name, struct bht_job **out_job);
    /* GetJob by id string "{GUID}" (C08-C10). */
    bht_hr (*open_job)(void *ctx, const char *job_id, struct bht_job **out_job);
    /* The job's GUID as "{...}" into out_id (BHT_JOB_ID_SIZE bytes). */
    bht_hr (*get_id)(void *ctx, struct bht_job *job, char *out_id);
    /* AddFile(remote, local) (C14-C24). */
    bht_hr (*add_file)(void *ctx, struct bht_job *job, const char *remote, const char *local);
    /* SetPriority (C83-C84). */
    bht_hr (*set_priority)(void *ctx, struct bht_job *job, enum bht_priority priority);
    /* SetNotifyFlags / GetNotifyFlags (C74-C77). */
    bht_hr (*set_notify_flags)(void *ctx, struct bht_job *job, uint32_t flags);
    bht_hr (*get_notify_flags)(void *ctx, struct bht_job *job, uint32_t *out_flags);
    /* IBackgroundCopyJob2::SetCredentials with NULL user and password: lets BITS answer
     * HTTP server/proxy challenges with the helper (NETWORK flag, §3.4 rule 4). */
    bht_hr (*set_implicit_credentials)(void *ctx, struct bht_job *job);

    /* QueryInterface(IBitsTokenOptions), called as the job owner before impersonating
     * (C87, §3.4 rule 2): S_OK, E_NOINTERFACE (no token options: Wine) or E_ACCESSDENIED.
     * The token calls below answer E_NOINTERFACE too when the job has no token options. */
    bht_hr (*get_token_options)(void *ctx, struct bht_job *job);
    /* SetHelperToken: captures the calling thread's impersonation token (C88-C92). */
    bht_hr (*set_helper_token)(void *ctx, struct bht_job *job);
    bht_hr (*set_helper_token_flags)(void *ctx, struct bht_job *job, uint32_t flags); /* C93-C94 */
    bht_hr (*get_helper_token_flags)(void *ctx, struct bht_job *job, uint32_t *out_flags); /* C95 */
    /* S_OK and *out_sid NULL when no helper token is set (C96-C97); free with free_mem. */
    bht_hr (*get_helper_token_sid)(void *ctx, struct bht_job *job, char **out_sid);
    bht_hr (*clear_helper_token)(void *ctx, struct bht_job *job); /* C98 */

    bht_hr (*resume)(void *ctx, struct bht_job *job);  /* C27-C33 */
    bht_hr (*suspend)(void *ctx, struct bht_job *job); /* C34-C35 */
    /* Blocks (never spins) until the job's state differs from its state at the call, or is
     * one the caller must act on (TRANSFERRED, ERROR, ACKNOWLEDGED, CANCELLED), or timeout_ms
     * has passed on the backend's clock. S_OK with *out_state when woken by the job, S_FALSE
     * with *out_state on timeout. The fake advances its virtual clock instead of sleeping. */
    bht_hr (*wait)(void *ctx, struct bht_job *job, uint32_t timeout_ms,
                   enum bht_job_state *out_state);
    bht_hr (*get_state)(void *ctx, struct bht_job *job, enum bht_job_state *out_state); /* C53 */
    bht_hr (*get_progress)(void *ctx, struct bht_job *job, struct bht_progress *out); /* C54-C57 */
    /* GetError and the error object's getters (C58-C68); BG_E_ERROR_INFORMATION_UNAVAILABLE
     * when the job has no error to give. */
    bht_hr (*get_error)(void *ctx, struct bht_job *job, struct bht_job_error *out);
    bht_hr (*complete)(void *ctx, struct bht_job *job); /* C36-C45 */
    bht_hr (*cancel)(void *ctx, struct bht_job *job);   /* C46-C52 */
    /* Jobs visible to the caller whose display name starts with prefix ("" = all), as a
     * free_mem-able array. */
    bht_hr (*enum_jobs)(void *ctx, const char *prefix, struct bht_job_info **out_jobs,
                        size_t *out_count);
    /* The backend's monotonic clock in milliseconds (virtual in the fake): deadlines and
     * elapsed times are measured on it so fake tests never depend on wall time. */
    uint64_t (*clock_ms)(void *ctx);
    void (*free_mem)(void *ctx, void *p);
    void (*release)(void *ctx, struct bht_job *job);

    /* Version 2. IBackgroundCopyJob5::SetProperty(BITS_JOB_PROPERTY_ID_COST_FLAGS): which
     * network cost states the job may transfer on (BITS_COST_STATE_*, system.h). Optional:
     * NULL, or E_NOINTERFACE from a BITS without Job5 (before Windows 8, Wine), means the
     * job keeps BITS's default policy. */
    bht_hr (*set_cost_flags)(void *ctx, struct bht_job *job, uint32_t flags);
};

#define BHT_IDENTITY_OPS_VERSION 1

struct bht_identity_ops {
    int version; /* BHT_IDENTITY_OPS_VERSION */
    const char *name;
    /* LogonUserW(user, domain, password, type, provider chosen by type) (C103-C105).
     * domain "" means a UPN in user (user@domain) or, for a bare name, a local account of
     * this machine only (C112). The caller wipes password after. */
    bht_hr (*logon)(void *ctx, const char *domain, const char *user, const char *password,
                    enum bht_logon_type type, struct bht_token **out_token);
    /* ImpersonateLoggedOnUser on the calling thread (C106). */
    bht_hr (*impersonate)(void *ctx, struct bht_token *token);
    /* RevertToSelf (C107). */
    bht_hr (*revert)(void *ctx);
    /* CloseHandle; the token is gone whatever it returns. */
    bht_hr (*close)(void *ctx, struct bht_token *token);
};

/* A backend pair as the core uses it. */
struct bht_backend {
    const struct bht_bits_ops *bits;
    void *bits_ctx;
    const struct bht_identity_ops *identity;
    void *identity_ctx;
    /* Machine questions for `bitsht doctor` (system.h); NULL when the backend has none. */
    const struct bht_system_ops *system;
    void *system_ctx;
};

/* S_OK, or E_INVALIDARG when the version is unknown or a required member is NULL
 * (every member of version 1 is required; later members are optional). */
bht_hr bht_bits_ops_check(const struct bht_bits_ops *ops);
bht_hr bht_identity_ops_check(const struct bht_identity_ops *ops);

const char *bht_job_state_name(enum bht_job_state state);        /* "TRANSFERRED", ... */
const char *bht_error_context_name(enum bht_error_context ctx);  /* "REMOTE_FILE", ... */

#ifdef __cplusplus
}
#endif

#endif
