/* bitsht COM fake: what the files of fakes/com share (this folder only).
 *
 * An in-process BITS COM server in C over the fake world of fakes/: every COM method takes
 * the server lock, calls the fake's ops (so the fault plan, call log and engine are the
 * ones the ops-level fake uses) or reads the world, and answers as Windows 10's BITS
 * (profile windows) or Wine 8's qmgr (profile wine8) does. Objects follow Wine's
 * dlls/qmgr shape: one struct per object, each interface a member, impl_from_* through
 * CONTAINING_RECORD, static const vtables in slot order. */
#ifndef BITSHT_COMFAKE_H
#define BITSHT_COMFAKE_H

#ifndef COBJMACROS /* the build defines it (fakes/com/CMakeLists.txt) */
#define COBJMACROS
#endif
#include <windows.h>
#include <objbase.h>
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits2_5.h>
#include <bits3_0.h>
#include <bits5_0.h>

#include "bits4_0_compat.h"
#include "bits_file_compat.h"
#include "bitsht_fakebits.h"
#include "fake_internal.h"

/* bits5_0.h of MinGW-w64 v10 lacks the composite cost states (BITS_COST_STATE docs) */
#ifndef BITS_COST_STATE_TRANSFER_NOT_ROAMING
#define BITS_COST_STATE_TRANSFER_NOT_ROAMING 0x8000007Fu
#endif

#define WINE8_PROFILE() (comfake_server.world->profile == BHT_FAKE_PROFILE_WINE8)
/* A NULL [out] or [in, string] pointer: the BITS proxy refuses it before BITS sees the call
 * (measured on Wine 8 for strings, C03/C19; MIDL [ref] pointers behave the same). */
#define COMFAKE_E_NULL_REF HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER)

/* Every object starts with this header: the audit lists live objects and counts misuse.
 * Objects are never freed before the world is reset, so a call through a released
 * pointer is counted and answered (RPC_E_DISCONNECTED) instead of crashing. */
struct comfake_obj {
    const char *kind;      /* "job", "manager", ... */
    const char *iface;     /* the interface it was created for */
    char label[48];        /* job id or file index, for the audit report */
    LONG refs;
    int dead;              /* refs reached 0: resources gone, calls are misuse */
    void (*destroy)(struct comfake_obj *o); /* frees the object's resources, not itself */
    struct comfake_obj *next;
};

/* Per fake job: what BITS keeps that the fake world does not model (keyed by serial). */
#define COMFAKE_MAX_CRED_RECORDS 32
struct comfake_cred_record {
    BG_AUTH_TARGET target;
    BG_AUTH_SCHEME scheme;
    int has_user, has_password;
    int removed; /* a RemoveCredentials call */
};

struct comfake_extra {
    uint32_t serial;
    WCHAR *description;
    BG_JOB_PROXY_USAGE proxy_usage;
    WCHAR *proxy_list, *proxy_bypass;
    ULONG min_retry_delay_s, no_progress_timeout_s, max_download_time_s;
    WCHAR *notify_program, *notify_parameters;
    DWORD acl_flags, peer_flags;
    unsigned creds_set;            /* bit (target-1)*5 + (scheme-1): currently set */
    struct comfake_cred_record cred_log[COMFAKE_MAX_CRED_RECORDS];
    unsigned n_cred_log;
    WCHAR *custom_headers;
    ULONG security_flags;
    BG_CERT_STORE_LOCATION cert_location;
    WCHAR *cert_store, *cert_subject;
    BYTE cert_hash[20];
    int has_cert;
    /* Job5 properties */
    DWORD cost_flags;
    GUID notification_clsid;
    BOOL dynamic_content, high_performance, on_demand;
    UINT64 max_download_size;
    BG_AUTH_TARGET stored_credentials_target;
    DWORD min_notification_interval_ms;
    /* notifications: the client's callback in the global interface table */
    DWORD callback_cookie; /* 0: none */
    enum bht_job_state notified_state; /* the state last notified, to send each once */
    unsigned error_count;
    enum bht_job_state last_seen_state;
    uint64_t modified_ms, transferred_ms;
    struct comfake_extra *next;
};

struct comfake_method_stat {
    const char *name;
    unsigned calls;     /* since the last reset */
    unsigned total;     /* since the DLL was loaded */
    unsigned nth;       /* 0: no fault planned */
    HRESULT hr;
    int persistent;
    unsigned fired;
};
#define COMFAKE_MAX_METHODS 192

struct comfake_server_state {
    CRITICAL_SECTION lock;
    int initialized;
    struct bht_fake_world *world;
    char state_path[MAX_PATH];
    unsigned clock_speed;           /* virtual ms per real ms; 0 = stopped */
    ULONGLONG last_tick;
    HANDLE worker, stop;
    struct comfake_extra *extras;
    struct comfake_obj *objects;    /* every object since the last reset */
    LONG server_locks;              /* IClassFactory::LockServer */
    unsigned misuse;
    char last_misuse[160];
    unsigned transferred_callbacks, error_callbacks;
    LONG callbacks_in_flight;       /* calls made and not returned (the client is not pumping) */
    struct comfake_method_stat methods[COMFAKE_MAX_METHODS];
    unsigned n_methods;
};

extern struct comfake_server_state comfake_server;

/* server.c */
void comfake_lock(void);
void comfake_unlock(void);
/* Method prologue: takes the lock, counts the call, answers calls on dead objects and
 * planned method faults. S_OK: the lock is held and the method goes on; anything else is
 * the method's answer (lock released). */
HRESULT comfake_enter(struct comfake_obj *o, const char *method);
HRESULT comfake_leave(HRESULT hr); /* releases the lock, returns hr */
HRESULT comfake_ensure_started(void);
struct comfake_extra *comfake_extra_of(const struct fake_job *j); /* created on demand */

/* audit.c */
void comfake_obj_register(struct comfake_obj *o, const char *kind, const char *iface,
                          void (*destroy)(struct comfake_obj *));
ULONG comfake_obj_addref(struct comfake_obj *o);
ULONG comfake_obj_release(struct comfake_obj *o);
void comfake_objects_free_all(void);
unsigned comfake_live_objects(void);
HRESULT comfake_spy_start(void);
void comfake_spy_track(void *p); /* a CoTaskMem block handed to a client */
unsigned comfake_spy_outstanding(void);
void comfake_spy_forget_all(void);
/* Strings handed out (CoTaskMemAlloc'd, tracked); NULL src gives NULL and S_OK. */
HRESULT comfake_cotask_wcsdup(const WCHAR *src, WCHAR **out);
HRESULT comfake_cotask_from_utf8(const char *src, WCHAR **out);
/* malloc'd UTF-8 of a UTF-16 string (NULL on failure) */
char *comfake_utf8(const WCHAR *src);
WCHAR *comfake_wcsdup(const WCHAR *src); /* malloc'd copy, NULL for NULL */

/* job.c */
HRESULT comfake_job_new(struct bht_job *h, IBackgroundCopyJob **out); /* takes over h */
struct bht_job *comfake_handle_of(IBackgroundCopyJob *iface); /* NULL if not ours */

/* manager.c */
HRESULT comfake_manager_new(REFIID riid, void **out);
HRESULT comfake_enum_jobs_new(IBackgroundCopyJob **jobs, ULONG n, IEnumBackgroundCopyJobs **out);

/* error_file.c */
HRESULT comfake_error_new(struct bht_job *h, const struct bht_job_error *e, int file_index,
                          IBackgroundCopyError **out);
HRESULT comfake_file_new(struct bht_job *h, size_t index, IBackgroundCopyFile **out);
HRESULT comfake_enum_files_new(struct bht_job *h, IEnumBackgroundCopyFiles **out);
struct bht_job *comfake_handle_dup(struct bht_job *h); /* another handle on the same job */

/* worker.c */
HRESULT comfake_worker_start(void);
void comfake_worker_stop(void);
void comfake_clock_catch_up(void); /* under the lock: the virtual clock to real time */

#endif
