/* bitsht: the fake in-memory BITS world (public face for tests, the CLI and benchmarks).
 *
 * One world = users, resources, folders, a job queue, a virtual clock, a fault plan and a
 * call log. Both ops structs take the world as their ctx. Faithful to documented Windows
 * BITS (docs/contract.md); profile wine8 reproduces Wine 8's divergences. See
 * fakes/README.md for the world-file format. Nothing here sleeps or uses global state. */
#ifndef BITSHT_FAKE_WORLD_H
#define BITSHT_FAKE_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "bitsht/backend.h"
#include "bitsht/system.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bht_fake_world;

enum bht_fake_profile { BHT_FAKE_PROFILE_WINDOWS = 0, BHT_FAKE_PROFILE_WINE8 = 1 };

/* Every op of both ops structs, for fault injection and call counting. */
enum bht_fake_op {
    BHT_OP_CREATE_JOB,
    BHT_OP_OPEN_JOB,
    BHT_OP_GET_ID,
    BHT_OP_ADD_FILE,
    BHT_OP_SET_PRIORITY,
    BHT_OP_SET_NOTIFY_FLAGS,
    BHT_OP_GET_NOTIFY_FLAGS,
    BHT_OP_SET_IMPLICIT_CREDENTIALS,
    BHT_OP_GET_TOKEN_OPTIONS,
    BHT_OP_SET_HELPER_TOKEN,
    BHT_OP_SET_HELPER_TOKEN_FLAGS,
    BHT_OP_GET_HELPER_TOKEN_FLAGS,
    BHT_OP_GET_HELPER_TOKEN_SID,
    BHT_OP_CLEAR_HELPER_TOKEN,
    BHT_OP_RESUME,
    BHT_OP_SUSPEND,
    BHT_OP_WAIT,
    BHT_OP_GET_STATE,
    BHT_OP_GET_PROGRESS,
    BHT_OP_GET_ERROR,
    BHT_OP_COMPLETE,
    BHT_OP_CANCEL,
    BHT_OP_ENUM_JOBS,
    BHT_OP_LOGON,
    BHT_OP_IMPERSONATE,
    BHT_OP_REVERT,
    BHT_OP_CLOSE,
    BHT_OP_SET_COST_FLAGS, /* bits ops version 2 */
    BHT_OP_COUNT
};

enum bht_fault_mode {
    BHT_FAULT_ONCE = 0,      /* fail the Nth call only */
    BHT_FAULT_PERSISTENT = 1 /* fail the Nth call and every call after it */
};

extern const struct bht_bits_ops bht_fake_bits_ops;
extern const struct bht_identity_ops bht_fake_identity_ops;
/* The machine as the world declares it (`system` lines, fakes/README.md); ctx = the world. */
extern const struct bht_system_ops bht_fake_system_ops;

struct bht_fake_world *bht_fake_world_new(void); /* empty world, profile windows */
void bht_fake_world_free(struct bht_fake_world *w);
/* Job GUIDs are {serial-tag} with a random 64-bit tag per world, so no two processes
 * make the same one; a test that wants the same ids in every run fixes the tag
 * (BHT_FAKE_FIXED_ID_TAG gives {00000001-FA4E-4B17-9B17-0000B175B175} for job 1). */
#define BHT_FAKE_FIXED_ID_TAG 0xFA4E0000B175B175ull
void bht_fake_world_set_id_tag(struct bht_fake_world *w, uint64_t tag);
/* Fills out with the three ops structs, ctx = w. */
void bht_fake_backend(struct bht_fake_world *w, struct bht_backend *out);

/* World declarations (fakes/README.md). source_name is used in errors, which read
 * "source:line: reason" in err (NUL-terminated, truncated to err_size). Returns S_OK or
 * E_INVALIDARG; a failed parse leaves the world as it was before the call. */
bht_hr bht_fake_world_parse(struct bht_fake_world *w, const char *text, const char *source_name,
                            char *err, size_t err_size);
/* Reads a world file; errors "path:line: reason", or "path: <why it cannot be read>". */
bht_hr bht_fake_world_load(struct bht_fake_world *w, const char *path, char *err,
                           size_t err_size);

/* The persisted queue (jobs, files, states, helper tokens, virtual time). load: a missing
 * file is an empty queue (S_OK); a corrupt or truncated one is E_INVALIDARG with
 * "path: reason" in err. save: atomic (temporary file + rename). */
bht_hr bht_fake_state_load(struct bht_fake_world *w, const char *path, char *err,
                           size_t err_size);
bht_hr bht_fake_state_save(struct bht_fake_world *w, const char *path, char *err,
                           size_t err_size);
/* Processes that share a state file and change it hold its lock from load to save, so
 * none loses another's jobs and serials (job ids) stay unique: PATH.lock, created beside
 * it (never through a link). wait: block until the lock is free; without, S_FALSE says
 * another process holds it. Readers that never save need no lock: saves replace PATH
 * in one step. Failures: "PATH.lock: cannot lock the state file (why)" in err. */
struct bht_fake_state_lock;
bht_hr bht_fake_state_lock(const char *path, int wait, struct bht_fake_state_lock **out,
                           char *err, size_t err_size);
void bht_fake_state_unlock(struct bht_fake_state_lock *lock); /* NULL is fine */

/* Virtual clock, milliseconds since the world's epoch. */
uint64_t bht_fake_now_ms(const struct bht_fake_world *w);
/* Runs the world forward (transfers progress, retries fire); never sleeps. */
void bht_fake_advance(struct bht_fake_world *w, uint64_t ms);

void bht_fake_set_profile(struct bht_fake_world *w, enum bht_fake_profile profile);
enum bht_fake_profile bht_fake_get_profile(const struct bht_fake_world *w);

/* Fault injection: the nth call (1-based) of op fails with hr (once, or from then on).
 * Replaces any earlier plan for op; returns how many times the earlier plan fired. */
unsigned bht_fake_fail(struct bht_fake_world *w, enum bht_fake_op op, unsigned nth, bht_hr hr,
                       enum bht_fault_mode mode);
unsigned bht_fake_faults_fired(const struct bht_fake_world *w, enum bht_fake_op op);
unsigned bht_fake_calls(const struct bht_fake_world *w, enum bht_fake_op op);
const char *bht_fake_op_name(enum bht_fake_op op); /* "create_job", ... */

/* Accounting the tests read. */
unsigned bht_fake_open_tokens(const struct bht_fake_world *w);
unsigned bht_fake_impersonation_depth(const struct bht_fake_world *w);
unsigned bht_fake_jobs_in_state(const struct bht_fake_world *w, enum bht_job_state state);
unsigned bht_fake_job_count(const struct bht_fake_world *w); /* every job, final ones too */
/* Call log: one line per op ("resume {id} -> S_OK"), secrets never recorded.
 * Returns the number of entries; entry i via bht_fake_log_entry (NULL past the end). */
size_t bht_fake_log_size(const struct bht_fake_world *w);
const char *bht_fake_log_entry(const struct bht_fake_world *w, size_t i);

/* The SetCredentials pairs with implicit (NULL) credentials on job_id, in a fixed order
 * ("server/negotiate server/ntlm proxy/negotiate proxy/ntlm", blank-separated, "" for none)
 * into out (C114). S_OK, or BG_E_NOT_FOUND when no job of the queue has that id. */
bht_hr bht_fake_implicit_credentials(const struct bht_fake_world *w, const char *job_id,
                                     char *out, size_t out_size);

/* Appended by the fake's issue. The call log keeps the last `entries` lines (default 1024,
 * 0 turns it off); changing the limit empties it. Long runs stay O(1) per op. */
void bht_fake_set_log_limit(struct bht_fake_world *w, size_t entries);

#ifdef __cplusplus
}
#endif

#endif
