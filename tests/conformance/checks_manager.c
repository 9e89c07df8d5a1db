/* bitsht conformance: the manager — create, find, enumerate (docs/contract.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

static void new_job_is_suspended_with_zero_progress(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_progress p;

    memset(&p, 0x5A, sizeof(p)); /* poison: a getter that writes nothing is caught */
    CHECK_STATE(t, BHT_JOB_SUSPENDED, conf_state(t, t->job)); /* C01 */
    CHECK_HR(t, S_OK, t->bits->get_progress(t->ctx, t->job, &p)); /* C55 */
    CHECK_U64(t, 0, p.bytes_total);
    CHECK_U64(t, 0, p.bytes_transferred);
    CHECK_U64(t, 0, p.files_total);
    CHECK_U64(t, 0, p.files_transferred);
}

static void new_jobs_get_distinct_guids(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job *other = conf_new_job(t, "second");
    char a[BHT_JOB_ID_SIZE], b[BHT_JOB_ID_SIZE];

    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, t->job, a));
    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, other, b));
    /* C01: "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" and a new GUID per job */
    CHECK_U64(t, BHT_JOB_ID_SIZE - 1, strlen(a));
    CHECK_U64(t, '{', a[0]);
    CHECK_U64(t, '}', a[BHT_JOB_ID_SIZE - 2]);
    assert_string_not_equal(a, b);
}

static void create_job_accepts_name_of_256_chars(void **state)
{
    struct bht_under_test *t = *state;
    char name[BHT_DISPLAY_NAME_MAX + 1];
    struct bht_job *job = NULL;

    memset(name, 'n', BHT_DISPLAY_NAME_MAX);
    name[BHT_DISPLAY_NAME_MAX] = '\0';
    CHECK_HR(t, S_OK, t->bits->create_job(t->ctx, name, &job)); /* C02: at most 256 */
    t->extra[t->n_extra++] = job;
}

static void create_job_rejects_name_longer_than_256_chars(void **state)
{
    struct bht_under_test *t = *state;
    char name[BHT_DISPLAY_NAME_MAX + 2];
    struct bht_job *job = NULL;
    bht_hr hr;

    memset(name, 'n', BHT_DISPLAY_NAME_MAX + 1);
    name[BHT_DISPLAY_NAME_MAX + 1] = '\0';
    hr = t->bits->create_job(t->ctx, name, &job);
    if (job)
        t->extra[t->n_extra++] = job;
    CHECK_HR_DIV(t, E_INVALIDARG, hr); /* C02 */
    assert_null(job);
}

static void open_job_finds_a_created_job(void **state)
{
    struct bht_under_test *t = *state;
    char id[BHT_JOB_ID_SIZE], again[BHT_JOB_ID_SIZE];
    struct bht_job *job = NULL;

    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, t->job, id));
    CHECK_HR(t, S_OK, t->bits->open_job(t->ctx, id, &job)); /* C08 (positive) */
    assert_non_null(job);
    t->extra[t->n_extra++] = job;
    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, job, again));
    assert_string_equal(id, again);
}

static void open_job_of_unknown_guid_gives_bg_e_not_found(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job *job = (struct bht_job *)&job; /* poison */

    CHECK_HR(t, BG_E_NOT_FOUND, t->bits->open_job(t->ctx, "{0badc0de-0000-4000-8000-000000000001}",
                                                  &job)); /* C08 */
    assert_null(job);
}

static void open_job_of_cancelled_job_gives_bg_e_not_found(void **state)
{
    struct bht_under_test *t = *state;
    char id[BHT_JOB_ID_SIZE];
    struct bht_job *job = NULL;
    bht_hr hr;

    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, t->job, id));
    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    hr = t->bits->open_job(t->ctx, id, &job);
    if (job)
        t->extra[t->n_extra++] = job;
    CHECK_HR_DIV(t, BG_E_NOT_FOUND, hr); /* C09: final jobs leave the queue */
}

static int listed(struct bht_under_test *t, const char *prefix, const char *id)
{
    struct bht_job_info *jobs = NULL;
    size_t n = 0, i;
    int found = 0;

    CHECK_HR(t, S_OK, t->bits->enum_jobs(t->ctx, prefix, &jobs, &n));
    for (i = 0; i < n; i++)
        if (!strcmp(jobs[i].id, id))
            found = 1;
    t->bits->free_mem(t->ctx, jobs);
    return found;
}

static void enum_jobs_lists_the_job_under_its_name_prefix(void **state)
{
    struct bht_under_test *t = *state;
    char id[BHT_JOB_ID_SIZE];

    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, t->job, id));
    CHECK_U64(t, 1, listed(t, "bht-conformance:", id)); /* C11 */
    CHECK_U64(t, 0, listed(t, "bht-conformance-no-such-prefix:", id));
}

static void enum_jobs_reports_state_of_each_job(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job_info *jobs = NULL;
    size_t n = 0, i, hits = 0;
    char id[BHT_JOB_ID_SIZE], prefix[200];

    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, t->job, id));
    snprintf(prefix, sizeof(prefix), "bht-conformance:%s", t->check->name);
    CHECK_HR(t, S_OK, t->bits->enum_jobs(t->ctx, prefix, &jobs, &n));
    for (i = 0; i < n; i++) {
        if (strcmp(jobs[i].id, id) != 0)
            continue;
        hits++;
        CHECK_STATE(t, BHT_JOB_SUSPENDED, jobs[i].state); /* C11 */
        assert_string_equal(prefix, jobs[i].display_name);
    }
    t->bits->free_mem(t->ctx, jobs);
    CHECK_U64(t, 1, hits);
}

static void enum_jobs_omits_cancelled_job(void **state)
{
    struct bht_under_test *t = *state;
    char id[BHT_JOB_ID_SIZE];

    CHECK_HR(t, S_OK, t->bits->get_id(t->ctx, t->job, id));
    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    CHECK_U64_DIV(t, 0, listed(t, "bht-conformance:", id)); /* C11: final jobs absent */
}

static void too_many_jobs_gives_bg_e_too_many_jobs_per_user(void **state)
{
    struct bht_under_test *t = *state;
    struct bht_job *job = NULL;
    bht_hr hr = S_OK;
    unsigned made = 1; /* the fixture's job */

    /* C05: MaxJobsPerUser 60 for a non-admin owner (the fake's owner; a real runner's
     * account may be exempt as an administrator). */
    if (!t->is_fake && !conf_wine_version())
        conf_skip(t, "on Windows the suite runs as SYSTEM or an administrator: exempt from MaxJobsPerUser");
    while (made < 60 && t->n_extra < CONF_MAX_EXTRA_JOBS - 1) {
        conf_new_job(t, "filler");
        made++;
    }
    hr = t->bits->create_job(t->ctx, "bht-conformance:too_many_jobs:61st", &job);
    if (job)
        t->extra[t->n_extra++] = job;
    CHECK_HR_DIV(t, BG_E_TOO_MANY_JOBS_PER_USER, hr);
}

const struct conf_registered conf_checks_manager[] = {
    CONF_REGISTER(new_job_is_suspended_with_zero_progress),
    CONF_REGISTER(new_jobs_get_distinct_guids),
    CONF_REGISTER(create_job_accepts_name_of_256_chars),
    CONF_REGISTER(create_job_rejects_name_longer_than_256_chars),
    CONF_REGISTER(open_job_finds_a_created_job),
    CONF_REGISTER(open_job_of_unknown_guid_gives_bg_e_not_found),
    CONF_REGISTER(open_job_of_cancelled_job_gives_bg_e_not_found),
    CONF_REGISTER(enum_jobs_lists_the_job_under_its_name_prefix),
    CONF_REGISTER(enum_jobs_reports_state_of_each_job),
    CONF_REGISTER(enum_jobs_omits_cancelled_job),
    CONF_REGISTER(too_many_jobs_gives_bg_e_too_many_jobs_per_user),
    CONF_END,
};
