/* bitsht: `bitsht doctor`, the machine checks (design.md "System checks").
 *
 * bht_run_doctor() asks the backend's system ops and BITS itself (a throw-away job,
 * cancelled at once) why a job would not move, and fills one verdict per check. Nothing
 * here prints; the CLI turns the report into text or JSON and an exit code. A check whose
 * question the platform cannot answer is BHT_CHECK_UNKNOWN, never a guess. */
#ifndef BITSHT_DOCTOR_H
#define BITSHT_DOCTOR_H

#include "bitsht/backend.h"
#include "bitsht/system.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bht_check_status { BHT_CHECK_PASS, BHT_CHECK_WARN, BHT_CHECK_FAIL, BHT_CHECK_UNKNOWN };

/* In the order they run and print. */
enum bht_check_id {
    BHT_CHECK_SERVICE,        /* bits-service */
    BHT_CHECK_SESSION,        /* logon-session (C109) */
    BHT_CHECK_VERSION,        /* bits-version */
    BHT_CHECK_TOKEN_SUPPORT,  /* helper-token-support (C87), on a throw-away job */
    BHT_CHECK_JOB_LIMITS,     /* job-limits (C05, C06, C116) */
    BHT_CHECK_NETWORK_COST,   /* network-cost */
    BHT_CHECK_PROXY,          /* proxy (C114) */
    BHT_CHECK_HELPER_LOGON,   /* helper-logon (C103-C105, C113): only with a helper */
    BHT_CHECK_HELPER_RULE,    /* helper-token-rule (C91-C93): only with a helper */
    BHT_CHECK_COUNT
};

#define BHT_CHECK_TEXT_SIZE 400

struct bht_check {
    enum bht_check_id id;
    enum bht_check_status status;
    bht_hr hr;                       /* the call behind a fail, S_OK otherwise */
    char reason[BHT_CHECK_TEXT_SIZE]; /* one line: what was seen */
    char fix[BHT_CHECK_TEXT_SIZE];    /* one line: what to do ("nothing to do" on pass) */
};

struct bht_doctor_request {
    /* S_OK when be->bits is usable; otherwise why BITS could not be reached (be->bits is
     * then ignored and the checks that need BITS say so). */
    bht_hr bits_open_hr;
    int with_helper;      /* --user given: helper-logon and helper-token-rule run */
    const char *domain;   /* may be "" */
    const char *user;
    const char *user_arg; /* as given, for texts */
    char *password;       /* wiped by bht_run_doctor on every path */
    enum bht_logon_type logon_type;
    uint32_t token_flags;
};

struct bht_doctor_report {
    struct bht_check checks[BHT_CHECK_COUNT];
    size_t count;          /* checks that ran, in checks[0..count) */
    int probe_left_in_queue; /* a throw-away job could not be cancelled */
    char probe_job_id[BHT_JOB_ID_SIZE];
};

/* Runs every check; returns S_OK (the verdicts are in the report). */
bht_hr bht_run_doctor(const struct bht_backend *be, const struct bht_doctor_request *req,
                      struct bht_doctor_report *rep);

/* 1 when some check failed, else 0 (the CLI's exit code for a doctor run). */
int bht_doctor_exit_code(const struct bht_doctor_report *rep);
const char *bht_check_id_name(enum bht_check_id id);            /* "bits-service", ... */
const char *bht_check_status_name(enum bht_check_status status); /* "pass", ... */

/* The verdicts on their own (pure: the answers in, one check out), for tests and the
 * driver. limits: the caller's non-final jobs, ours among them, the machine's (-1 when
 * not visible). */
void bht_verdict_service(bht_hr hr, const struct bht_service_info *svc, struct bht_check *out);
void bht_verdict_session(bht_hr hr, const struct bht_session_info *s, struct bht_check *out);
void bht_verdict_version(bht_hr hr, const char *version, struct bht_check *out);
void bht_verdict_job_limits(const struct bht_bits_policy *policy, enum bht_tristate admin,
                            long caller_jobs, long our_jobs, long machine_jobs,
                            struct bht_check *out);
/* cost_flags_supported: the throw-away job accepted cost flags (BHT_TRI_UNKNOWN: not
 * tried). */
void bht_verdict_network_cost(bht_hr hr, uint32_t cost, enum bht_tristate cost_flags_supported,
                              struct bht_check *out);
void bht_verdict_proxy(bht_hr hr, const struct bht_proxy_info *p, struct bht_check *out);

#ifdef __cplusplus
}
#endif

#endif
