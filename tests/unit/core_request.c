/* bitsht: request validation (design.md step 1; bits-contract.md §2.4, C16-C18). Bad
 * input is refused with a sentence naming the problem, before any backend call. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bitsht/job.h"
#include "fake_support.h" /* assert_hr */

struct request_case {
    const char *remote;
    const char *local;
    int valid;
    const char *detail_part; /* expected in report.detail when invalid */
};

static const struct request_case cases[] = {
    {"https://cdn.example/a.bin", "/srv/out/a.bin", 1, NULL},
    {"HTTP://cdn.example/a.bin", "C:\\out\\a.bin", 1, NULL},
    {"\\\\fs01\\share\\a.bin", "D:/out/a.bin", 1, NULL},
    {"file:///srv/in/a.bin", "/srv/out/a.bin", 1, NULL},
    {"/srv/in/a.bin", "\\\\server\\share\\a.bin", 1, NULL},
    {"C:\\in\\a.bin", "/srv/out/a.bin", 1, NULL},
    {"", "/srv/out/a.bin", 0, "remote name is empty"},
    {"ftp://example.com/a", "/srv/out/a.bin", 0, "unsupported URL scheme"},       /* C17 */
    {"https://", "/srv/out/a.bin", 0, "no host"},
    {"https:///path", "/srv/out/a.bin", 0, "no host"},
    {"relative/path", "/srv/out/a.bin", 0, "neither a URL nor a full path"},       /* C18 */
    {"\\\\server", "/srv/out/a.bin", 0, "malformed UNC"},
    {"https://cdn.example/a", "", 0, "local name is empty"},
    {"https://cdn.example/a", "out/a.bin", 0, "not a full path"},                 /* C16 */
    {"https://cdn.example/a", "a.bin", 0, "not a full path"},
    {"https://cdn.example/a", "C:\\out\\*.bin", 0, "wildcard"},
    {"https://cdn.example/a", "C:\\out\\a.bin:stream", 0, "NTFS stream"},
    {"https://cdn.example/a", "\\\\?\\C:\\out\\a.bin", 0, "not a full path"},
    {"https://cdn.example/a", "/srv/out/", 0, "directory"},
};

static void init(struct bht_request *req, struct bht_file_pair *pair, char *password)
{
    memset(req, 0, sizeof *req);
    req->files = pair;
    req->file_count = 1;
    req->use_helper_token = 1;
    req->domain = "CORP";
    req->user = "alice";
    req->password = password;
    req->token_flags = BHT_TOKEN_LOCAL_FILE;
    req->logon_type = BHT_LOGON_INTERACTIVE;
    req->priority = -1;
    req->max_transient = -1;
}

static void file_pairs_are_validated(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct bht_request req;
        struct bht_report rep;
        struct bht_file_pair pair = {cases[i].remote, cases[i].local};
        char password[] = "x";
        bht_hr hr;

        init(&req, &pair, password);
        memset(&rep, 0, sizeof rep);
        hr = bht_request_validate(&req, &rep);
        if (cases[i].valid) {
            if (hr != S_OK)
                fail_msg("case %zu (%s -> %s) refused: %s", i, cases[i].remote, cases[i].local,
                         rep.detail);
        } else {
            assert_hr(E_INVALIDARG, hr);
            assert_int_equal(rep.outcome, BHT_OUTCOME_BAD_INPUT);
            assert_int_equal(rep.failed_step, BHT_STEP_VALIDATE);
            if (!strstr(rep.detail, cases[i].detail_part))
                fail_msg("case %zu: detail '%s' does not mention '%s'", i, rep.detail,
                         cases[i].detail_part);
        }
    }
}

static void long_names_are_refused(void **state)
{
    static char remote[2300], local[300], name[300];
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {remote, "/srv/out/a.bin"};
    char password[] = "x";

    (void)state;
    memset(remote, 'a', sizeof remote - 1);
    memcpy(remote, "https://h/", 10); /* 2299 characters > 2200 (§2.4) */
    init(&req, &pair, password);
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "2200"));

    memset(local, 'b', sizeof local - 1);
    local[0] = '/'; /* 299 characters > MAX_PATH */
    pair.remote = "https://h/x";
    pair.local = local;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "MAX_PATH"));

    memset(name, 'n', sizeof name - 1); /* 299 + "bitsht:" > 256 (C02, C86) */
    pair.local = "/srv/out/a.bin";
    req.display_name = name;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "job name"));
}

static void helper_settings_are_validated(void **state)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pair = {"https://h/x", "/srv/out/a.bin"};
    char password[] = "x";

    (void)state;
    init(&req, &pair, password);
    req.token_flags = 0x4; /* C94: only LOCAL_FILE|NETWORK are flags */
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.token_flags = 0;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.user = "";
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "user name"));
    init(&req, &pair, password);
    req.logon_type = (enum bht_logon_type)7; /* UNLOCK: not a type bitsht offers */
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.priority = 4;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    init(&req, &pair, password);
    req.use_helper_token = 0;
    req.token_flags = 0;
    assert_hr(S_OK, bht_request_validate(&req, &rep));
}

static void duplicate_destinations_are_refused(void **state)
{
    struct bht_request req;
    struct bht_report rep;
    struct bht_file_pair pairs[2] = {{"https://h/x", "/srv/out/a.bin"},
                                     {"https://h/y", "/srv/out/a.bin"}};
    char password[] = "x";

    (void)state;
    init(&req, pairs, password);
    req.file_count = 2;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
    assert_non_null(strstr(rep.detail, "same local file"));
    req.file_count = 0;
    assert_hr(E_INVALIDARG, bht_request_validate(&req, &rep));
}

static void hresults_have_names_and_messages(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(bht_hr_name(BG_E_EMPTY), "BG_E_EMPTY");
    assert_string_equal(bht_hr_name(BHT_BG_E_HTTP_ERROR(404)), "BG_E_HTTP_ERROR_404");
    assert_string_equal(bht_hr_name(BHT_E_LOGON_FAILURE), "HRESULT_FROM_WIN32(ERROR_LOGON_FAILURE)");
    assert_null(bht_hr_name(BHT_HR(0x80071234u)));
    assert_string_equal(bht_hr_format(E_NOINTERFACE, buf, sizeof buf), "0x80004002 (E_NOINTERFACE)");
    assert_string_equal(bht_hr_format(BHT_HR(0x80071234u), buf, sizeof buf), "0x80071234");
    assert_string_equal(bht_hr_message(BHT_E_LOGON_FAILURE), "wrong user name or password");
    assert_int_equal((uint32_t)BHT_HR_FROM_WIN32(1326), 0x8007052Eu);
    assert_string_equal(bht_job_state_name(BHT_JOB_TRANSIENT_ERROR), "TRANSIENT_ERROR");
    assert_int_equal(bht_outcome_exit_code(BHT_OUTCOME_UNAVAILABLE), 5);
    assert_true(bht_hr_means_unavailable(REGDB_E_CLASSNOTREG));
    assert_true(bht_hr_means_unavailable(BHT_HR(0x800706BEu))); /* service died (Wine) */
    assert_false(bht_hr_means_unavailable(E_ACCESSDENIED));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_pairs_are_validated),
        cmocka_unit_test(long_names_are_refused),
        cmocka_unit_test(helper_settings_are_validated),
        cmocka_unit_test(duplicate_destinations_are_refused),
        cmocka_unit_test(hresults_have_names_and_messages),
    };
    return cmocka_run_group_tests_name("core_request", tests, NULL, NULL);
}
