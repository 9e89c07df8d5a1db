/* bitsht tests: the core's fake-world fixture. */
#include "core_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void core_fixture_world(struct core_fixture *f, const char *extra)
{
    fake_t_world(f->t, extra);
    bht_fake_backend(f->t->w, &f->be);
}

int core_fixture_setup(void **state)
{
    struct core_fixture *f = calloc(1, sizeof *f);
    void *t;

    assert_non_null(f);
    fake_t_setup(&t);
    f->t = t;
    bht_fake_backend(f->t->w, &f->be);
    *state = f;
    return 0;
}

int core_fixture_teardown(void **state)
{
    struct core_fixture *f = *state;
    void *t = f->t;

    fake_t_teardown(&t);
    free(f);
    return 0;
}

void core_fixture_request(struct core_fixture *f, uint32_t flags, const char *const *remotes,
                          size_t n, int to_restricted)
{
    assert_true(n <= 4);
    memset(&f->req, 0, sizeof f->req);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "out%zu.bin", i);
        if (to_restricted)
            fake_t_restricted_path(f->t, f->local[i], sizeof f->local[i], name);
        else
            fake_t_path(f->t, f->local[i], sizeof f->local[i], name);
        remove(f->local[i]);
        f->files[i].remote = remotes[i];
        f->files[i].local = f->local[i];
    }
    memset(f->password, 0, sizeof f->password);
    strcpy(f->password, ALICE_PASSWORD);
    f->req.display_name = "test";
    f->req.files = f->files;
    f->req.file_count = n;
    f->req.use_helper_token = flags != 0;
    f->req.domain = "CORP";
    f->req.user = "alice";
    f->req.password = f->password;
    f->req.token_flags = flags;
    f->req.logon_type = BHT_LOGON_INTERACTIVE;
    f->req.priority = -1;
    f->req.timeout_s = 900;
    f->req.max_transient = -1;
}

void core_fixture_assert_clean(struct core_fixture *f)
{
    unsigned live = 0;

    assert_int_equal(bht_fake_impersonation_depth(f->t->w), 0);
    assert_int_equal(bht_fake_open_tokens(f->t->w), 0);
    for (size_t i = 0; i < sizeof f->password; i++)
        if (f->password[i] != 0)
            fail_msg("password byte %zu not wiped", i);
    for (int st = 0; st <= BHT_JOB_TRANSFERRED; st++)
        live += bht_fake_jobs_in_state(f->t->w, (enum bht_job_state)st);
    assert_int_equal(live, f->rep.job_left_in_queue ? 1 : 0);
}
