/* bitsht conformance: comparing got with Windows's expectation, and the divergence rules.
 *
 * Every verdict other than a plain pass prints one line the runner (run_conformance.py)
 * collects next to cmocka's JUnit XML, because cmocka's XML has no text for a skip:
 *   BHT-CONFORMANCE KNOWN <check> <backend> | <reason> | <what was got>
 *   BHT-CONFORMANCE STALE <check> <backend> | <reason> | <what was got>
 *   BHT-CONFORMANCE SKIP <check> <backend> | <reason>
 *   BHT-CONFORMANCE FAIL <check> <backend> | <file:line: what was expected and got>
 * A KNOWN check ends as skipped (cmocka); STALE and FAIL fail. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "conformance.h"
#include "divergences.h"

static int backend_matches(const char *listed, const char *backend_id)
{
    const char *dash;

    if (!strcmp(listed, backend_id))
        return 1;
    /* "wine8" covers fake-wine8, com-wine8 and com-fake-wine8: they must agree
     * (divergences.h); the platform is what follows the last dash. */
    dash = strrchr(backend_id, '-');
    if (!dash)
        return 0;
    if (!strcmp(listed, dash + 1))
        return 1;
    /* ... and "com" covers every com-* run: a difference of our COM backend. */
    dash = strchr(backend_id, '-');
    return strlen(listed) == (size_t)(dash - backend_id) &&
           !strncmp(listed, backend_id, (size_t)(dash - backend_id));
}

const struct bht_divergence *conf_find_divergence(const char *check, const char *backend_id)
{
    size_t i;

    for (i = 0; i < sizeof(bht_divergences) / sizeof(bht_divergences[0]); i++)
        if (!strcmp(bht_divergences[i].check, check) &&
            backend_matches(bht_divergences[i].backend, backend_id))
            return &bht_divergences[i];
    return NULL;
}

const char *conf_divergence_reason(const char *check, const char *backend_id)
{
    const struct bht_divergence *d = conf_find_divergence(check, backend_id);

    return d ? d->reason : NULL;
}

static void verdict_line(const char *kind, const struct bht_under_test *t, const char *reason,
                         const char *detail)
{
    printf("BHT-CONFORMANCE %s %s %s | %s%s%s\n", kind, t->check->name, t->backend_id, reason,
           detail ? " | " : "", detail ? detail : "");
    fflush(stdout);
}

void conf_skip(struct bht_under_test *t, const char *reason)
{
    verdict_line("SKIP", t, reason, NULL);
    skip();
}

static void describe_hr(char *out, size_t size, const char *what, bht_hr expected, bht_hr got)
{
    char e[64], g[64];

    snprintf(out, size, "%s: expected %s, got %s", what, bht_hr_format(expected, e, sizeof(e)),
             bht_hr_format(got, g, sizeof(g)));
}

static void describe_u64(char *out, size_t size, const char *what, uint64_t expected,
                         uint64_t got)
{
    snprintf(out, size, "%s: expected %" PRIu64 " (0x%" PRIX64 "), got %" PRIu64 " (0x%" PRIX64
             ")", what, expected, expected, got, got);
}

/* cmocka's XML keeps only its own "Failure!" line: the runner takes the text from here. */
static void fail_check(struct bht_under_test *t, const char *msg, const char *file, int line)
{
    const char *base = strrchr(file, '/');
    char where[700];

    snprintf(where, sizeof(where), "%s:%d: %s", base ? base + 1 : file, line, msg);
    verdict_line("FAIL", t, where, NULL);
    fail_msg("%s", where);
}

void conf_check_hr(struct bht_under_test *t, bht_hr expected, bht_hr got, const char *what,
                   const char *file, int line)
{
    char msg[512];

    if (expected == got)
        return;
    describe_hr(msg, sizeof(msg), what, expected, got);
    fail_check(t, msg, file, line);
}

void conf_check_u64(struct bht_under_test *t, uint64_t expected, uint64_t got,
                    const char *what, const char *file, int line)
{
    char msg[512];

    if (expected == got)
        return;
    describe_u64(msg, sizeof(msg), what, expected, got);
    fail_check(t, msg, file, line);
}

/* The todo_wine rule: a listed check that matches is stale, one that mismatches is known;
 * an unlisted one is an ordinary check. */
static void judge_div(struct bht_under_test *t, int matches, const char *msg, const char *file,
                      int line)
{
    const struct bht_divergence *d = conf_find_divergence(t->check->name, t->backend_id);

    if (!d) {
        if (!matches)
            fail_check(t, msg, file, line);
        return;
    }
    t->divergence_seen = 1;
    if (matches) {
        verdict_line("STALE", t, d->reason, msg);
        fail_msg("%s:%d: STALE divergence annotation for %s on %s (%s): the check now "
                 "behaves like Windows; remove it from divergences.h",
                 file, line, t->check->name, t->backend_id, d->reason);
    }
    verdict_line("KNOWN", t, d->reason, msg);
    skip();
}

void conf_check_hr_div(struct bht_under_test *t, bht_hr expected, bht_hr got,
                       const char *what, const char *file, int line)
{
    char msg[512];

    describe_hr(msg, sizeof(msg), what, expected, got);
    judge_div(t, expected == got, msg, file, line);
}

void conf_check_u64_div(struct bht_under_test *t, uint64_t expected, uint64_t got,
                        const char *what, const char *file, int line)
{
    char msg[512];

    describe_u64(msg, sizeof(msg), what, expected, got);
    judge_div(t, expected == got, msg, file, line);
}

enum bht_job_state conf_state(struct bht_under_test *t, struct bht_job *job)
{
    enum bht_job_state st = POISON_STATE;

    CHECK_HR(t, S_OK, t->bits->get_state(t->ctx, job, &st));
    return st;
}
