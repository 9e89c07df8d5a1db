/* bitsht tests: the core's fake-world fixture. */
#include "core_fixture.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_support.h"

static const char standard_world[] =
    "user CORP\\alice password=" ALICE_PASSWORD "\n"
    "user CORP\\bob password=hunter2\n"
    "user CORP\\root password=toor admin\n"
    "option owner=CORP\\bob\n"
    "resource https://files.corp.example/q3.pdf size=1048576 rate=65536 readable-by=CORP\\alice auth=network\n"
    "resource \\\\fs01\\finance\\ledger.xlsx size=4096 readable-by=CORP\\alice\n"
    "resource https://cdn.example/public.bin size=3000\n"
    "resource https://cdn.example/big.iso size=100000 transient=3\n"
    "resource https://cdn.example/gone fail=0x80190194\n"
    "resource https://cdn.example/stuck size=100 stall\n"
    "resource https://cdn.example/flaky size=50000 rate=1000 drop-token-after=20000\n";

void core_fixture_world(struct core_fixture *f, const char *extra)
{
    char err[512], text[4096];
    bht_hr hr;

    if (f->world)
        bht_fake_world_free(f->world);
    f->world = bht_fake_world_new();
    assert_non_null(f->world);
    snprintf(text, sizeof text, "%sfolder %s writable-by=CORP\\alice\n%s", standard_world,
             f->restricted, extra ? extra : "");
    hr = bht_fake_world_parse(f->world, text, "core-fixture", err, sizeof err);
    if (BHT_FAILED(hr))
        fail_msg("world: %s", err);
    bht_fake_backend(f->world, &f->be);
}

int core_fixture_setup(void **state)
{
    struct core_fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    bht_test_mkdtemp(f->dir, sizeof f->dir);
    bht_test_path(f->restricted, sizeof f->restricted, f->dir, "restricted");
    bht_test_mkdir(f->restricted);
    core_fixture_world(f, NULL);
    *state = f;
    return 0;
}

int core_fixture_teardown(void **state)
{
    struct core_fixture *f = *state;

    bht_fake_world_free(f->world);
    bht_test_rmdir(f->restricted);
    bht_test_rmdir(f->dir);
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
        bht_test_path(f->local[i], sizeof f->local[i], to_restricted ? f->restricted : f->dir,
                      name);
        remove(f->local[i]);
        f->files[i].remote = remotes[i];
        f->files[i].local = f->local[i];
    }
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

    assert_int_equal(bht_fake_impersonation_depth(f->world), 0);
    assert_int_equal(bht_fake_open_tokens(f->world), 0);
    for (size_t i = 0; i < sizeof f->password; i++)
        if (f->password[i] != 0)
            fail_msg("password byte %zu not wiped", i);
    for (int st = 0; st <= BHT_JOB_TRANSFERRED; st++)
        live += bht_fake_jobs_in_state(f->world, (enum bht_job_state)st);
    assert_int_equal(live, f->rep.job_left_in_queue ? 1 : 0);
}
