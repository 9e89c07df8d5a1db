/* bitsht_fakebits.dll: an in-process BITS COM server over the fake world (fakes/com).
 *
 * Standard exports: DllGetClassObject (CLSID_BackgroundCopyManager) and DllCanUnloadNow,
 * so any BITS client can load it (src/com does when BITSHT_COM_SERVER names it). The DLL
 * owns one fake world: from BITSHT_FAKE_WORLD (a world file, fakes/README.md), the queue
 * from BITSHT_FAKE_STATE (saved whenever the last COM object is released); with neither,
 * an empty world where the owner reads and writes real local files.
 *
 * The functions below are the DLL's documented extra exports, for tests and for the
 * identity glue: they act on that same world (there is only one). All take the server
 * lock; none may be called from inside a BITS callback. */
#ifndef BITSHT_FAKEBITS_H
#define BITSHT_FAKEBITS_H

#include <windows.h>

#include <stddef.h>
#include <stdint.h>

#include "bitsht/backend.h"
#include "bitsht/fake_world.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef BHT_FAKEBITS_BUILD
#define BHT_FAKEBITS_API __declspec(dllexport)
#else
#define BHT_FAKEBITS_API __declspec(dllimport)
#endif

/* Replaces the world: world_text in world-file syntax (NULL: the empty world), clock speed
 * 1 unless the caller sets another. Every job, object and planned fault of the old world is
 * gone (outstanding objects are counted by the audit first: call bht_fakebits_audit before).
 * S_OK, or E_INVALIDARG with "source:line: reason" in err. */
BHT_FAKEBITS_API HRESULT bht_fakebits_reset(const char *world_text, char *err, size_t err_size);

/* Pumps the calling thread's messages until no JobTransferred / JobError call is in flight
 * (such a call waits until the client's apartment takes it), for at most timeout_ms:
 * S_OK, or S_FALSE when some are still pending. reset drains first (5 s). */
BHT_FAKEBITS_API HRESULT bht_fakebits_drain(DWORD timeout_ms);

/* The identity ops over the DLL's world (logon, impersonate, revert, close), each under the
 * server lock. SetHelperToken captures what they impersonate (C88). */
BHT_FAKEBITS_API void bht_fakebits_identity(const struct bht_identity_ops **out_ops,
                                            void **out_ctx);

/* The clock: virtual milliseconds per real millisecond (default 1, the world option
 * clock-speed= sets it); 0 stops it so that only bht_fakebits_advance moves it. */
BHT_FAKEBITS_API void bht_fakebits_set_clock_speed(unsigned speed);
BHT_FAKEBITS_API void bht_fakebits_advance(uint64_t ms);

/* The fake's fault plan (bht_fake_fail on the DLL's world): the ops behind the COM methods
 * (create_job behind CreateJob, get_state behind GetState, ...). */
BHT_FAKEBITS_API unsigned bht_fakebits_fail(enum bht_fake_op op, unsigned nth, HRESULT hr,
                                            enum bht_fault_mode mode);
/* A fault on one COM method by name ("IBackgroundCopyJob::GetDisplayName",
 * "IBitsTokenOptions::SetHelperToken", ...): its nth call answers hr. Returns how often the
 * earlier plan of that method fired. */
BHT_FAKEBITS_API unsigned bht_fakebits_fail_method(const char *method, unsigned nth, HRESULT hr,
                                                   enum bht_fault_mode mode);

struct bht_fakebits_stats {
    unsigned live_objects;       /* COM objects with references */
    unsigned cotaskmem_outstanding; /* strings/arrays handed out, not yet CoTaskMemFree'd */
    unsigned misuse;             /* calls on released objects, releases below zero */
    unsigned impersonation_depth;
    unsigned open_tokens;
    unsigned jobs_in_state[BHT_JOB_STATE_COUNT];
    unsigned transferred_callbacks; /* JobTransferred calls made */
    unsigned error_callbacks;       /* JobError calls made */
    uint64_t now_ms;                /* the virtual clock */
    unsigned callbacks_in_flight;
    unsigned op_calls[BHT_OP_COUNT];     /* bht_fake_calls of each op behind the methods */
    unsigned faults_fired[BHT_OP_COUNT]; /* bht_fake_faults_fired */
};
BHT_FAKEBITS_API void bht_fakebits_stats(struct bht_fakebits_stats *out);

/* Leak and misuse report: one line per live object ("job {id}: IBackgroundCopyJob refs=2"),
 * the CoTaskMem count and the last misuse, into out (NUL-terminated). Returns the number of
 * problems (0: clean). */
BHT_FAKEBITS_API unsigned bht_fakebits_audit(char *out, size_t out_size);

/* How often a COM method ran since the last reset (name as in fail_method); with
 * method NULL, writes "Iface::Method calls\n" for every method that ran since the DLL was
 * loaded into out, and returns how many methods that is. */
BHT_FAKEBITS_API unsigned bht_fakebits_method_calls(const char *method, char *out,
                                                    size_t out_size);

/* The target/scheme pairs SetCredentials and RemoveCredentials saw on a job, in call order:
 * "server/ntlm user=- password=-\n" ... (secrets never). S_OK or BG_E_NOT_FOUND. */
BHT_FAKEBITS_API HRESULT bht_fakebits_credentials(const char *job_id, char *out,
                                                  size_t out_size);

#ifdef __cplusplus
}
#endif

#endif
