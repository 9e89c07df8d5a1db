/* bitsht: the helper-token transfer flow (request -> run -> report).
 *
 * Data flows one way: the CLI builds a bht_request, bht_request_validate() checks it
 * before any backend call, bht_run_transfer() drives the backend, the bht_report says
 * what happened. Nothing here prints; the CLI turns the report into text/JSON and an
 * exit code (bht_report_exit_code). */
#ifndef BITSHT_JOB_H
#define BITSHT_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "bitsht/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BHT_NAME_PREFIX "bitsht:" /* display-name prefix that marks a job as ours */

struct bht_file_pair {
    const char *remote; /* http(s) URL, UNC path, file:// URL or full local path */
    const char *local;  /* full local path */
};

/* Stages, in the order the flow passes them; a failure names the stage it happened in. */
enum bht_step {
    BHT_STEP_NONE = 0,
    BHT_STEP_VALIDATE,
    BHT_STEP_CREATE_JOB,
    BHT_STEP_TOKEN_OPTIONS, /* QueryInterface(IBitsTokenOptions) as the owner */
    BHT_STEP_LOGON,
    BHT_STEP_IMPERSONATE,
    BHT_STEP_SET_HELPER_TOKEN,
    BHT_STEP_SET_TOKEN_FLAGS,
    BHT_STEP_REVERT,
    BHT_STEP_SET_CREDENTIALS,
    BHT_STEP_SET_PRIORITY,
    BHT_STEP_SET_COST_FLAGS, /* --allow-metered: IBackgroundCopyJob5 cost flags */
    BHT_STEP_ADD_FILE,
    BHT_STEP_RESUME,
    BHT_STEP_WAIT,
    BHT_STEP_TRANSFER, /* BITS put the job in ERROR */
    BHT_STEP_COMPLETE,
    BHT_STEP_CANCEL,
    BHT_STEP_DONE
};

enum bht_outcome {
    BHT_OUTCOME_SUCCESS = 0,      /* exit 0 */
    BHT_OUTCOME_TRANSFER_FAILED,  /* exit 1: BITS error */
    BHT_OUTCOME_BAD_INPUT,        /* exit 2: usage or bad input; no job was created */
    BHT_OUTCOME_TOKEN_FAILED,     /* exit 3: helper token could not be set */
    BHT_OUTCOME_TIMEOUT,          /* exit 4: deadline passed, job cancelled */
    BHT_OUTCOME_UNAVAILABLE       /* exit 5: BITS unavailable */
};

/* What the flow tells its caller while it runs (only the CLI prints them). */
enum bht_event_kind {
    BHT_EVENT_STAGE,     /* entering ev->step */
    BHT_EVENT_STATE,     /* job state changed to ev->state */
    BHT_EVENT_PROGRESS,  /* ev->progress updated */
    BHT_EVENT_TRANSIENT, /* BITS reported a transient error (ev->error), waiting through it */
    BHT_EVENT_TOKEN_RECOVERY, /* BG_E_TOKEN_REQUIRED: logging on again and resuming */
    BHT_EVENT_COST_FLAGS_UNSUPPORTED /* allow_metered, but this BITS has no cost flags:
                                        the transfer goes on under BITS's cost policy */
};

struct bht_event {
    enum bht_event_kind kind;
    enum bht_step step;
    enum bht_job_state state;
    struct bht_progress progress;
    const struct bht_job_error *error; /* TRANSIENT only; NULL otherwise */
    uint64_t elapsed_ms;
    const char *job_id; /* "" before the job exists */
};

typedef void (*bht_event_fn)(void *user, const struct bht_event *ev);

struct bht_request {
    const char *display_name; /* without prefix; NULL -> "transfer"; BHT_NAME_PREFIX added */
    const struct bht_file_pair *files;
    size_t file_count;

    int use_helper_token; /* 0: plain transfer as the owner */
    const char *domain;   /* may be "" */
    const char *user;
    char *password;       /* wiped (zeroed over its strlen) by bht_run_transfer after logon,
                             and on every path that does not reach logon */
    uint32_t token_flags; /* BHT_TOKEN_*; 0 is refused when use_helper_token is set */
    enum bht_logon_type logon_type;

    int priority;          /* enum bht_priority, or -1 to keep BITS's default */
    uint32_t timeout_s;    /* deadline for the whole flow, on the backend's clock; 0 = none */
    int max_transient;     /* give up after this many transient errors; -1 = keep waiting */
    int overwrite;         /* 0: an existing destination file is refused before any job
                              exists (Wine's Cancel deletes the destination path, C48) */
    uint32_t progress_interval_ms; /* 0: no periodic progress events */
    int allow_metered;     /* set the job's cost flags to BITS_COST_STATE_TRANSFER_ALWAYS;
                              a BITS without them only gets a warning event */

    bht_event_fn on_event; /* may be NULL */
    void *event_user;
    /* Polled while waiting (at least every progress_interval_ms when that is set): a
     * non-zero answer cancels the job and ends the flow (Ctrl-C must not leave a job in
     * the queue). May be NULL. */
    int (*interrupted)(void *user);
};

struct bht_report {
    enum bht_outcome outcome;
    enum bht_step failed_step; /* BHT_STEP_NONE on success */
    bht_hr hr;                 /* the failing call's HRESULT (or BITS's error code) */
    char detail[512];          /* a sentence for the failure: "file 2: local path ..." */
    int has_bits_error;
    struct bht_job_error bits_error;
    char job_id[BHT_JOB_ID_SIZE]; /* "" when no job was created */
    enum bht_job_state final_state;
    int job_created;
    int job_left_in_queue; /* 1 only if cancelling/completing failed: the caller must say so */
    struct bht_progress progress;
    unsigned transient_errors;
    int token_recoveries;
    uint64_t elapsed_ms;
    int cost_flags; /* allow_metered: 1 set to transfer always, -1 unsupported; 0 not asked */
};

/* Checks everything that can be checked before touching BITS (docs/design.md step 1). On
 * failure fills report (BAD_INPUT, VALIDATE, E_INVALIDARG, detail) and returns
 * E_INVALIDARG. */
bht_hr bht_request_validate(const struct bht_request *req, struct bht_report *report);

/* The whole helper-token flow (docs/design.md "The core flow"). Returns report->hr. Every
 * path leaves no job of ours in a non-final state, the thread reverted and the token
 * closed. */
bht_hr bht_run_transfer(const struct bht_backend *backend, const struct bht_request *req,
                        struct bht_report *report);

int bht_outcome_exit_code(enum bht_outcome outcome);
const char *bht_outcome_name(enum bht_outcome outcome); /* "success", "transfer_failed", ... */
const char *bht_step_name(enum bht_step step);          /* "create_job", ... */

/* Wipes n bytes in a way the compiler may not remove. */
void bht_wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif
