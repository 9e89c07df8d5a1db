/* bitsht conformance suite: what every check sees.
 *
 * One source set of contract checks (docs/contract.md), linked once per backend: the
 * backend file (backend_fake.c or backend_com.c) fills a struct bht_under_test per check,
 * the checks only ever call through t->bits / t->identity. Expectations are Windows's; a
 * known difference of a backend is listed in divergences.h and checked with the *_DIV
 * macros below (the spirit of Wine's todo_wine). */
#ifndef BHT_CONFORMANCE_H
#define BHT_CONFORMANCE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "bitsht/backend.h"

#define CONF_PATH_SIZE 1024
#define CONF_URL_SIZE 512
#define CONF_MAX_EXTRA_JOBS 96 /* C05 creates 60 jobs of its own */

struct conf_trace;

/* Per check, passed as cmocka's initial state: which check this is. */
struct conf_check {
    const char *name;
};

/* The backend under test, as a check sees it. */
struct bht_under_test {
    const struct conf_check *check;
    const struct bht_bits_ops *bits;
    void *ctx;
    const struct bht_identity_ops *identity;
    void *identity_ctx;
    /* "fake-windows", "fake-wine8", "com-wine8", "com-windows": divergences.h keys. */
    const char *backend_id;
    int is_fake;
    struct bht_job *job;              /* fresh per check, SUSPENDED, no files */
    struct bht_job *extra[CONF_MAX_EXTRA_JOBS]; /* more jobs a check made; teardown ends them */
    size_t n_extra;
    char dir[CONF_PATH_SIZE];         /* this check's own empty folder (native path form) */
    char http[CONF_URL_SIZE];         /* base URL of the test server; "" when none */
    /* A second account for helper-token checks; user "" when the backend has none. */
    char helper_domain[64], helper_user[64], helper_password[128];
    int divergence_seen;              /* a *_DIV check of a listed divergence ran */
    struct conf_trace *trace;         /* NULL unless recording */
    void *backend_state;              /* the backend file's own per-check data */
};

/* ---- backend files (backend_fake.c, backend_com.c): one of them is linked ---- */

/* The name the whole run reports under ("conformance_fake[windows]", ...). */
const char *conf_backend_group_name(void);
int conf_backend_group_setup(void);
int conf_backend_group_teardown(void);
/* Fills bits/identity/backend_id/http/helper_* of t for one check (a fresh fake world, or
 * the shared COM connection). t->dir exists already. */
int conf_backend_check_setup(struct bht_under_test *t);
void conf_backend_check_teardown(struct bht_under_test *t);
/* A check's end lets its jobs finish before it cancels them (fixture.c): hurry(1) makes
 * what is still in flight arrive at once, hurry(0) puts the pace back for the next job. */
void conf_backend_hurry(int on);

/* ---- wine_version.c ---- */
/* Wine's version string ("8.0") when running under Wine, else NULL. */
const char *conf_wine_version(void);

/* ---- fixture.c: per-check setup/teardown and helpers ---- */
int conf_check_setup(void **state);
int conf_check_teardown(void **state);
int conf_group_setup(void **state);
int conf_group_teardown(void **state);

/* Bounded copy, always NUL-terminated (a truncation is cut, not an overflow). */
void conf_strcpy(char *dst, size_t size, const char *src);
/* dir/name in the platform's separator, into out (CONF_PATH_SIZE). */
char *conf_path(const struct bht_under_test *t, const char *name, char *out);
/* base/rest, e.g. conf_url(t, "/file/1000", out); skips the check when there is no server. */
char *conf_url(struct bht_under_test *t, const char *rest, char *out);
/* Writes a real file of size bytes (byte i = (i * 7 + 3) & 0xFF). */
void conf_make_file(struct bht_under_test *t, const char *path, size_t size);
void conf_write_text(struct bht_under_test *t, const char *path, const char *text);
int conf_file_exists(struct bht_under_test *t, const char *path);
/* Size of a regular file, or -1. */
long long conf_file_size(struct bht_under_test *t, const char *path);
/* The same file without a check around it (replay.c): 0 on success. */
int conf_write_pattern(const char *path, size_t size);
/* mkdir (0 on success) and rm -r, portable (MinGW's CRT has both). */
int conf_make_dir(const char *path);
void conf_remove_tree(const char *path);
/* The platform's path separator. */
char conf_sep(void);
/* 1 when the file holds exactly the pattern conf_make_file writes for size bytes. */
int conf_file_has_pattern(const char *path, size_t size);
/* Waits (backend clock) until the job's state is an act-now one (§3.3) or in stop_mask
 * (bits 1u << state), or timeout_ms passes; returns the state reached. */
enum bht_job_state conf_settle(struct bht_under_test *t, struct bht_job *job,
                               uint32_t timeout_ms, unsigned stop_mask);
/* Creates another job (teardown cancels and releases it). */
struct bht_job *conf_new_job(struct bht_under_test *t, const char *suffix);
/* Adds remote -> dir/local_name; asserts S_OK. */
void conf_add(struct bht_under_test *t, struct bht_job *job, const char *remote,
              const char *local_name);
/* A job with one finished local copy (SUSPENDED -> TRANSFERRED), source size bytes. */
void conf_transfer_local(struct bht_under_test *t, struct bht_job *job, const char *name,
                         size_t size);
/* Skips the check (with a printed reason) unless the backend has the capability. */
void conf_require_http(struct bht_under_test *t);
void conf_require_helper_account(struct bht_under_test *t);

#define CONF_INFLIGHT_MASK ((1u << BHT_JOB_QUEUED) | (1u << BHT_JOB_CONNECTING) | \
                            (1u << BHT_JOB_TRANSFERRING) | (1u << BHT_JOB_TRANSIENT_ERROR))
/* Moving bytes or about to: what "in flight" means for the checks that need one. */
#define CONF_MOVING_MASK ((1u << BHT_JOB_CONNECTING) | (1u << BHT_JOB_TRANSFERRING))
#define CONF_SETTLE_MS 60000u

/* ---- divergence.c: checks against Windows's expectation ---- */

/* Ordinary checks: print expected and got, fail the check. */
void conf_check_hr(struct bht_under_test *t, bht_hr expected, bht_hr got, const char *what,
                   const char *file, int line);
void conf_check_u64(struct bht_under_test *t, uint64_t expected, uint64_t got,
                    const char *what, const char *file, int line);
/* Checks that may be listed in divergences.h for this backend: a listed check that
 * mismatches is a KNOWN divergence (printed, the check ends as skipped); a listed check
 * that matches is STALE (fails). */
void conf_check_hr_div(struct bht_under_test *t, bht_hr expected, bht_hr got,
                       const char *what, const char *file, int line);
void conf_check_u64_div(struct bht_under_test *t, uint64_t expected, uint64_t got,
                        const char *what, const char *file, int line);
/* The divergence listed for (check, backend), or NULL; its reason, or NULL. */
const struct bht_divergence *conf_find_divergence(const char *check, const char *backend_id);
const char *conf_divergence_reason(const char *check, const char *backend_id);
/* Prints a skip reason in the runner's format and skips. */
void conf_skip(struct bht_under_test *t, const char *reason);

#define CHECK_HR(t, expected, call) \
    conf_check_hr((t), (expected), (call), #call, __FILE__, __LINE__)
#define CHECK_HR_DIV(t, expected, call) \
    conf_check_hr_div((t), (expected), (call), #call, __FILE__, __LINE__)
#define CHECK_U64(t, expected, got) \
    conf_check_u64((t), (uint64_t)(expected), (uint64_t)(got), #got, __FILE__, __LINE__)
#define CHECK_U64_DIV(t, expected, got) \
    conf_check_u64_div((t), (uint64_t)(expected), (uint64_t)(got), #got, __FILE__, __LINE__)
#define CHECK_STATE(t, expected, got) CHECK_U64((t), (expected), (got))
#define CHECK_STATE_DIV(t, expected, got) CHECK_U64_DIV((t), (expected), (got))

/* The job's state now (asserts get_state succeeds). */
enum bht_job_state conf_state(struct bht_under_test *t, struct bht_job *job);

#define POISON_STATE ((enum bht_job_state)0x7777)

#endif
