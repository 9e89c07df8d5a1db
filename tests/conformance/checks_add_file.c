/* bitsht conformance: AddFile (docs/contract.md). */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "fixture_world.h"

static void progress_of(struct bht_under_test *t, struct bht_progress *p)
{
    memset(p, 0x5A, sizeof(*p));
    CHECK_HR(t, S_OK, t->bits->get_progress(t->ctx, t->job, p));
}

static void add_file_http_counts_a_file_of_unknown_size(void **state)
{
    struct bht_under_test *t = *state;
    char url[CONF_URL_SIZE];
    struct bht_progress p;

    conf_add(t, t->job, conf_url(t, CONF_HTTP_FILE_1000, url), "http.bin"); /* C14 */
    progress_of(t, &p);
    CHECK_U64(t, 1, p.files_total);
    CHECK_U64(t, BHT_SIZE_UNKNOWN, p.bytes_total); /* C56: unknown until connected */
    CHECK_STATE(t, BHT_JOB_SUSPENDED, conf_state(t, t->job));
}

static void add_file_accepts_a_full_local_path_source(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];
    struct bht_progress p;

    conf_make_file(t, conf_path(t, "local.src", src), 10);
    conf_add(t, t->job, src, "local.bin"); /* C15: SMB rules cover local paths */
    progress_of(t, &p);
    CHECK_U64(t, 1, p.files_total);
}

static void add_file_relative_local_name_gives_e_invalidarg(void **state)
{
    struct bht_under_test *t = *state;
    char url[CONF_URL_SIZE];
    bht_hr hr;

    /* C16: the local name must be a full path */
    hr = t->bits->add_file(t->ctx, t->job, conf_url(t, CONF_HTTP_FILE_1000, url), "relative.bin");
    CHECK_HR_DIV(t, E_INVALIDARG, hr);
}

static void add_file_ftp_scheme_gives_e_invalidarg(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    CHECK_HR_DIV(t, E_INVALIDARG, t->bits->add_file(t->ctx, t->job, "ftp://127.0.0.1/file",
                                                    conf_path(t, "ftp.bin", local))); /* C17 */
}

static void add_file_relative_remote_name_gives_e_invalidarg(void **state)
{
    struct bht_under_test *t = *state;
    char local[CONF_PATH_SIZE];

    CHECK_HR_DIV(t, E_INVALIDARG, t->bits->add_file(t->ctx, t->job, "relative/source.bin",
                                                    conf_path(t, "rel.bin", local))); /* C18 */
}

static void add_file_to_transferred_job_keeps_it_transferred(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE];

    conf_transfer_local(t, t->job, "first.bin", 100);
    conf_make_file(t, conf_path(t, "second.src", src), 50);
    conf_add(t, t->job, src, "second.bin"); /* C21: allowed until Complete or Cancel */
    CHECK_STATE(t, BHT_JOB_TRANSFERRED, conf_state(t, t->job));
}

static void add_file_after_complete_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE], local[CONF_PATH_SIZE];

    conf_transfer_local(t, t->job, "done.bin", 100);
    CHECK_HR(t, S_OK, t->bits->complete(t->ctx, t->job));
    conf_make_file(t, conf_path(t, "late.src", src), 10);
    CHECK_HR_DIV(t, BG_E_INVALID_STATE, t->bits->add_file(t->ctx, t->job, src,
                                                          conf_path(t, "late.bin", local)));
}

static void add_file_after_cancel_gives_bg_e_invalid_state(void **state)
{
    struct bht_under_test *t = *state;
    char src[CONF_PATH_SIZE], local[CONF_PATH_SIZE];

    CHECK_HR(t, S_OK, t->bits->cancel(t->ctx, t->job));
    conf_make_file(t, conf_path(t, "late.src", src), 10);
    CHECK_HR_DIV(t, BG_E_INVALID_STATE, t->bits->add_file(t->ctx, t->job, src,
                                                          conf_path(t, "late.bin", local)));
}

static void add_file_201st_file_gives_bg_e_too_many_files_in_job(void **state)
{
    struct bht_under_test *t = *state;
    char url[CONF_URL_SIZE], name[32], local[CONF_PATH_SIZE];
    unsigned i;

    /* C24: MaxFilesPerJob 200 for a non-admin owner */
    if (!t->is_fake && !conf_wine_version())
        conf_skip(t, "on Windows the suite runs as SYSTEM or an administrator: exempt from MaxFilesPerJob");
    conf_url(t, CONF_HTTP_FILE_1000, url);
    for (i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "f%03u.bin", i);
        conf_add(t, t->job, url, name);
    }
    CHECK_HR_DIV(t, BG_E_TOO_MANY_FILES_IN_JOB,
                 t->bits->add_file(t->ctx, t->job, url, conf_path(t, "f200.bin", local)));
}

static void add_file_remote_name_longer_than_2200_chars_gives_e_invalidarg(void **state)
{
    struct bht_under_test *t = *state;
    char url[BHT_REMOTE_NAME_MAX + 64], local[CONF_PATH_SIZE];
    size_t n;

    /* §2.4: at most 2,200 characters */
    conf_url(t, "/file/", url);
    n = strlen(url);
    memset(url + n, 'a', BHT_REMOTE_NAME_MAX + 1 - n);
    url[BHT_REMOTE_NAME_MAX + 1] = '\0';
    CHECK_HR_DIV(t, E_INVALIDARG, t->bits->add_file(t->ctx, t->job, url,
                                                    conf_path(t, "long.bin", local)));
}

const struct conf_registered conf_checks_add_file[] = {
    CONF_REGISTER(add_file_http_counts_a_file_of_unknown_size),
    CONF_REGISTER(add_file_accepts_a_full_local_path_source),
    CONF_REGISTER(add_file_relative_local_name_gives_e_invalidarg),
    CONF_REGISTER(add_file_ftp_scheme_gives_e_invalidarg),
    CONF_REGISTER(add_file_relative_remote_name_gives_e_invalidarg),
    CONF_REGISTER(add_file_to_transferred_job_keeps_it_transferred),
    CONF_REGISTER(add_file_after_complete_gives_bg_e_invalid_state),
    CONF_REGISTER(add_file_after_cancel_gives_bg_e_invalid_state),
    CONF_REGISTER(add_file_201st_file_gives_bg_e_too_many_files_in_job),
    CONF_REGISTER(add_file_remote_name_longer_than_2200_chars_gives_e_invalidarg),
    CONF_END,
};
