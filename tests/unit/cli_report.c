/* bitsht: the CLI's output (src/cli/output.c), byte for byte: every ASCII byte's JSON
 * escape (cli_output.c has UTF-8), the JSON report and the JSON usage error with every
 * optional field both ways, the text report,
 * the stage/state/transient/recovery lines, --quiet, the warnings, and the live bar.
 * stdout and stderr are captured (capture.h: native builds only). tests/e2e/test_cli_fake.py
 * parses the CLI's JSON, escapes included, with a real JSON parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bitsht/hresult.h"
#include "capture.h"
#include "output.h"

static const char *json_of(const char *s)
{
    static struct capture o, e;

    CAPTURE(o, e, out_json_string(stdout, s));
    return o.text;
}

/* Every ASCII byte: the five short escapes, \u00XX for the other controls and DEL, the
 * rest as is. */
static void json_string_escapes_every_ascii_special(void **state)
{
    (void)state;
    for (int b = 1; b < 0x80; b++) {
        char in[2] = {(char)b, '\0'};
        char want[16];

        switch (b) {
        case '"': strcpy(want, "\"\\\"\""); break;
        case '\\': strcpy(want, "\"\\\\\""); break;
        case '\n': strcpy(want, "\"\\n\""); break;
        case '\r': strcpy(want, "\"\\r\""); break;
        case '\t': strcpy(want, "\"\\t\""); break;
        default:
            if (b < 0x20 || b == 0x7f)
                snprintf(want, sizeof want, "\"\\u%04x\"", (unsigned)b);
            else
                snprintf(want, sizeof want, "\"%c\"", b);
        }
        assert_string_equal(json_of(in), want);
    }
    assert_string_equal(json_of("a\"b\\c\nd\x1f" "e"), "\"a\\\"b\\\\c\\nd\\u001fe\"");
    assert_string_equal(json_of(""), "\"\"");
    assert_string_equal(json_of(NULL), "\"\"");
}

static void hr_json_has_hex_name_or_null_and_message(void **state)
{
    char want[512];
    struct capture o, e;

    (void)state;
    CAPTURE(o, e, (out_hr_json(stdout, E_ACCESSDENIED), fputc('|', stdout),
                   out_hr_json(stdout, BHT_HR(0x80991234u))));
    snprintf(want, sizeof want,
             "{\"hex\":\"0x80070005\",\"name\":\"E_ACCESSDENIED\",\"message\":\"%s\"}|"
             "{\"hex\":\"0x80991234\",\"name\":null,\"message\":\"%s\"}",
             bht_hr_message(E_ACCESSDENIED), bht_hr_message(BHT_HR(0x80991234u)));
    assert_string_equal(o.text, want);
}

static struct bht_report failed_report(void)
{
    struct bht_report r;

    memset(&r, 0, sizeof r);
    r.outcome = BHT_OUTCOME_TRANSFER_FAILED;
    r.failed_step = BHT_STEP_TRANSFER;
    r.hr = BG_E_NOT_FOUND;
    strcpy(r.detail, "BITS said \"no\"\tfor file 1");
    r.has_bits_error = 1;
    r.bits_error.context = BHT_ERRCTX_REMOTE_FILE;
    r.bits_error.code = BHT_E_FILE_NOT_FOUND;
    strcpy(r.bits_error.description, "not there");
    strcpy(r.bits_error.context_description, "remote\\file");
    strcpy(r.bits_error.remote_name, "https://h/a");
    strcpy(r.job_id, "{00000000-0000-0000-0000-000000000001}");
    r.final_state = BHT_JOB_CANCELLED;
    r.job_created = 1;
    r.progress.bytes_total = BHT_SIZE_UNKNOWN;
    r.progress.bytes_transferred = 7;
    r.progress.files_total = 2;
    r.progress.files_transferred = 1;
    r.transient_errors = 3;
    r.cost_flags = 1; /* --allow-metered took effect */
    r.token_recoveries = 2;
    r.elapsed_ms = 1234;
    return r;
}

static void json_report_of_a_failure_has_every_field(void **state)
{
    struct cli_output out;
    struct bht_report r = failed_report();
    struct capture o, e;
    char want[4096], hr1[256], hr2[256];
    int code = -1;

    (void)state;
    out_init(&out, 1, 0);
    snprintf(hr1, sizeof hr1, "{\"hex\":\"0x80200001\",\"name\":\"BG_E_NOT_FOUND\",\"message\":\"%s\"}",
             bht_hr_message(BG_E_NOT_FOUND));
    snprintf(hr2, sizeof hr2,
             "{\"hex\":\"0x80070002\",\"name\":\"HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)\","
             "\"message\":\"%s\"}",
             bht_hr_message(BHT_E_FILE_NOT_FOUND));
    CAPTURE(o, e, code = out_report(&out, &r));
    assert_int_equal(code, 1);
    snprintf(want, sizeof want,
             "{\"outcome\":\"transfer_failed\",\"exit_code\":1,\"failed_step\":\"transfer\","
             "\"hresult\":%s,\"detail\":\"BITS said \\\"no\\\"\\tfor file 1\","
             "\"bits_error\":{\"context\":\"REMOTE_FILE\",\"context_code\":5,\"code\":%s,"
             "\"description\":\"not there\",\"context_description\":\"remote\\\\file\","
             "\"file\":\"https://h/a\"},"
             "\"job_id\":\"{00000000-0000-0000-0000-000000000001}\",\"final_state\":\"CANCELLED\","
             "\"job_left_in_queue\":false,\"files\":{\"total\":2,\"transferred\":1},"
             "\"bytes\":{\"total\":null,\"transferred\":7},\"cost_flags\":\"transfer_always\",\"transient_errors\":3,"
             "\"token_recoveries\":2,\"elapsed_ms\":1234}\n",
             hr1, hr2);
    assert_string_equal(o.text, want);
    assert_string_equal(e.text, "");
}

static void json_report_without_job_or_bits_error_says_null(void **state)
{
    struct cli_output out;
    struct bht_report r;
    struct capture o, e;
    char want[2048];

    (void)state;
    memset(&r, 0, sizeof r);
    r.outcome = BHT_OUTCOME_SUCCESS;
    r.failed_step = BHT_STEP_NONE;
    r.hr = S_OK;
    r.progress.bytes_total = 10;
    r.progress.bytes_transferred = 10;
    r.job_left_in_queue = 1;
    out_init(&out, 1, 0);
    CAPTURE(o, e, out_report(&out, &r));
    snprintf(want, sizeof want,
             "{\"outcome\":\"success\",\"exit_code\":0,\"failed_step\":null,"
             "\"hresult\":{\"hex\":\"0x00000000\",\"name\":\"S_OK\",\"message\":\"%s\"},"
             "\"detail\":\"\",\"bits_error\":null,\"job_id\":null,\"final_state\":null,"
             "\"job_left_in_queue\":true,\"files\":{\"total\":0,\"transferred\":0},"
             "\"bytes\":{\"total\":10,\"transferred\":10},\"cost_flags\":null,\"transient_errors\":0,"
             "\"token_recoveries\":0,\"elapsed_ms\":0}\n",
             bht_hr_message(S_OK));
    assert_string_equal(o.text, want);
    assert_string_equal(e.text, "bitsht: warning: the job could not be cancelled and is still "
                                "in the BITS queue: run 'bitsht cleanup'\n");
}

static void text_report_of_a_success_counts_files(void **state)
{
    struct cli_output out;
    struct bht_report r;
    struct capture o, e;

    (void)state;
    memset(&r, 0, sizeof r);
    r.outcome = BHT_OUTCOME_SUCCESS;
    r.progress.files_transferred = 1;
    r.progress.bytes_transferred = 1023;
    r.elapsed_ms = 1500;
    strcpy(r.job_id, "{J}");
    out_init(&out, 0, 0);
    CAPTURE(o, e, assert_int_equal(out_report(&out, &r), 0));
    assert_string_equal(o.text, "transferred 1 file, 1023 B in 1.5 s (job {J})\n");
    assert_string_equal(e.text, "");

    r.progress.files_transferred = 2;
    r.progress.bytes_transferred = 3u * 1024 * 1024 / 2;
    CAPTURE(o, e, out_report(&out, &r));
    assert_string_equal(o.text, "transferred 2 files, 1.5 MiB in 1.5 s (job {J})\n");

    /* Units stop at TiB. */
    r.progress.bytes_transferred = 2048ull * 1024 * 1024 * 1024 * 1024;
    CAPTURE(o, e, out_report(&out, &r));
    assert_string_equal(o.text, "transferred 2 files, 2048.0 TiB in 1.5 s (job {J})\n");
    r.progress.bytes_transferred = 1024;
    CAPTURE(o, e, out_report(&out, &r));
    assert_string_equal(o.text, "transferred 2 files, 1.0 KiB in 1.5 s (job {J})\n");

    out_init(&out, 0, 1); /* --quiet: nothing at all on success */
    CAPTURE(o, e, out_report(&out, &r));
    assert_string_equal(o.text, "");
    assert_string_equal(e.text, "");
}

static void text_report_of_a_failure_names_step_hresult_bits_error_and_job(void **state)
{
    struct cli_output out;
    struct bht_report r = failed_report();
    struct capture o, e;
    char want[2048], hr[64], hr2[64];

    (void)state;
    out_init(&out, 0, 1); /* errors print even with --quiet */
    CAPTURE(o, e, assert_int_equal(out_report(&out, &r), 1));
    snprintf(want, sizeof want,
             "bitsht: error: BITS said \"no\"\tfor file 1 (step transfer)\n"
             "bitsht:   %s: %s\n"
             "bitsht:   BITS error context REMOTE_FILE, file https://h/a\n"
             "bitsht:   BITS says: not there\n"
             "bitsht:   job {00000000-0000-0000-0000-000000000001} ended CANCELLED\n",
             bht_hr_format(BG_E_NOT_FOUND, hr, sizeof hr), bht_hr_message(BG_E_NOT_FOUND));
    assert_string_equal(o.text, "");
    assert_string_equal(e.text, want);

    /* No file, no description, no id; BITS went away with the job created. */
    r.bits_error.remote_name[0] = '\0';
    r.bits_error.description[0] = '\0';
    r.job_id[0] = '\0';
    r.outcome = BHT_OUTCOME_UNAVAILABLE;
    r.hr = BHT_HR(0x800706BAu);
    CAPTURE(o, e, assert_int_equal(out_report(&out, &r), 5));
    snprintf(want, sizeof want,
             "bitsht: error: BITS said \"no\"\tfor file 1 (step transfer)\n"
             "bitsht:   %s: %s\n"
             "bitsht:   BITS error context REMOTE_FILE\n"
             "bitsht:   job (unknown id) ended CANCELLED\n"
             "bitsht: warning: BITS became unavailable during the transfer: the job may still be "
             "in the BITS queue; 'bitsht cleanup' removes it once BITS is back\n",
             bht_hr_format(r.hr, hr2, sizeof hr2), bht_hr_message(r.hr));
    assert_string_equal(e.text, want);

    /* No job at all, no BITS error: two lines only; unavailable without a job: no warning. */
    r.has_bits_error = 0;
    r.job_created = 0;
    CAPTURE(o, e, out_report(&out, &r));
    snprintf(want, sizeof want,
             "bitsht: error: BITS said \"no\"\tfor file 1 (step transfer)\n"
             "bitsht:   %s: %s\n",
             bht_hr_format(r.hr, hr2, sizeof hr2), bht_hr_message(r.hr));
    assert_string_equal(e.text, want);
}

/* The JSON usage error: the outcome follows the exit code (0-5), anything else is a
 * transfer failure; step "validate" for exit 2 only. */
static void json_error_maps_each_exit_code(void **state)
{
    static const char *const outcomes[] = {
        "success", "transfer_failed", "bad_input", "token_failed", "timeout", "unavailable",
    };
    struct cli_output out;
    struct capture o, e;
    char want[1024];

    (void)state;
    out_init(&out, 1, 0);
    for (int code = -1; code <= 6; code++) {
        const char *outcome = code >= 0 && code <= 5 ? outcomes[code] : "transfer_failed";

        CAPTURE(o, e, assert_int_equal(out_error(&out, code, E_INVALIDARG, "bad \"x\""), code));
        snprintf(want, sizeof want,
                 "{\"outcome\":\"%s\",\"exit_code\":%d,\"failed_step\":\"%s\",\"hresult\":"
                 "{\"hex\":\"0x80070057\",\"name\":\"E_INVALIDARG\",\"message\":\"%s\"},"
                 "\"detail\":\"bad \\\"x\\\"\",\"bits_error\":null,\"job_id\":null}\n",
                 outcome, code, code == 2 ? "validate" : "backend", bht_hr_message(E_INVALIDARG));
        assert_string_equal(o.text, want);
        assert_string_equal(e.text, "bitsht: error: bad \"x\"\n");
    }
    out_init(&out, 0, 0); /* text: stderr only */
    CAPTURE(o, e, assert_int_equal(out_error(&out, 2, E_INVALIDARG, "no"), 2));
    assert_string_equal(o.text, "");
    assert_string_equal(e.text, "bitsht: error: no\n");
}

static const char *event_text(struct cli_output *out, struct bht_event ev)
{
    static struct capture o, e;

    CAPTURE(o, e, out_event(out, &ev));
    assert_string_equal(o.text, "");
    return e.text;
}

static void stage_lines_name_each_step(void **state)
{
    static const struct {
        enum bht_step step;
        const char *line;
    } stages[] = {
        {BHT_STEP_VALIDATE, "checking the request"},
        {BHT_STEP_CREATE_JOB, "creating the BITS job"},
        {BHT_STEP_TOKEN_OPTIONS, "asking the job for IBitsTokenOptions (as the job owner)"},
        {BHT_STEP_LOGON, "logging on the helper user"},
        {BHT_STEP_IMPERSONATE, "impersonating the helper user"},
        {BHT_STEP_SET_HELPER_TOKEN, "handing the helper token to BITS"},
        {BHT_STEP_SET_TOKEN_FLAGS, "setting the helper token flags"},
        {BHT_STEP_REVERT, "reverting to the job owner"},
        {BHT_STEP_SET_CREDENTIALS, "enabling implicit credentials for HTTP authentication"},
        {BHT_STEP_SET_PRIORITY, "setting the job priority"},
        {BHT_STEP_SET_COST_FLAGS, "letting the job transfer on metered networks"},
        {BHT_STEP_ADD_FILE, "adding the files"},
        {BHT_STEP_RESUME, "starting the transfer"},
        {BHT_STEP_WAIT, "waiting for BITS"},
        {BHT_STEP_COMPLETE, "completing the job (the files appear now)"},
        {BHT_STEP_CANCEL, "cancelling the job"},
    };
    struct cli_output out;
    struct bht_event ev = {.kind = BHT_EVENT_STAGE, .job_id = ""};
    char want[256];

    (void)state;
    out_init(&out, 0, 0);
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        ev.step = stages[i].step;
        snprintf(want, sizeof want, "bitsht: %s\n", stages[i].line);
        assert_string_equal(event_text(&out, ev), want);
    }
    /* Steps without a stage line print nothing. */
    ev.step = BHT_STEP_TRANSFER;
    assert_string_equal(event_text(&out, ev), "");
    ev.step = BHT_STEP_DONE;
    assert_string_equal(event_text(&out, ev), "");
    /* The user, the flags and the job id where known. */
    out.user = "CORP\\alice";
    out.flags_text = "local,network";
    ev.step = BHT_STEP_LOGON;
    assert_string_equal(event_text(&out, ev), "bitsht: logging on CORP\\alice\n");
    ev.step = BHT_STEP_SET_TOKEN_FLAGS;
    assert_string_equal(event_text(&out, ev),
                        "bitsht: setting the helper token flags (local,network)\n");
    /* C115: with new-credentials the logon line says what that means. */
    out.new_credentials = 1;
    ev.step = BHT_STEP_LOGON;
    assert_string_equal(event_text(&out, ev),
                        "bitsht: logging on CORP\\alice with new-credentials: the token is your "
                        "own (the helper SID BITS reports is yours), CORP\\alice's credentials "
                        "are used only toward servers, and the password is not checked now: a "
                        "wrong one shows later as HTTP 401 or access denied\n");
    ev.step = BHT_STEP_SET_TOKEN_FLAGS; /* only the logon line changes */
    assert_string_equal(event_text(&out, ev),
                        "bitsht: setting the helper token flags (local,network)\n");
    out.new_credentials = 0;
    ev.step = BHT_STEP_ADD_FILE;
    assert_string_equal(event_text(&out, ev), "bitsht: adding the files\n");
    ev.job_id = "{J}";
    assert_string_equal(event_text(&out, ev), "bitsht: adding the files to job {J}\n");
    /* --quiet: no stage lines at all. */
    out_init(&out, 0, 1);
    assert_string_equal(event_text(&out, ev), "");
}

static void state_transient_and_recovery_lines(void **state)
{
    struct cli_output out;
    struct bht_job_error err = {.context = BHT_ERRCTX_GENERAL_TRANSPORT,
                                .code = BG_E_NETWORK_DISCONNECTED};
    struct bht_event ev = {.kind = BHT_EVENT_STATE, .state = BHT_JOB_TRANSIENT_ERROR, .job_id = ""};
    char want[512], hr[64];

    (void)state;
    out_init(&out, 0, 0);
    assert_string_equal(event_text(&out, ev), "bitsht: job state TRANSIENT_ERROR\n");
    ev.kind = BHT_EVENT_TRANSIENT;
    assert_string_equal(event_text(&out, ev), "bitsht: transient error; BITS will retry\n");
    ev.error = &err;
    snprintf(want, sizeof want, "bitsht: transient error %s: %s; BITS will retry\n",
             bht_hr_format(BG_E_NETWORK_DISCONNECTED, hr, sizeof hr),
             bht_hr_message(BG_E_NETWORK_DISCONNECTED));
    assert_string_equal(event_text(&out, ev), want);
    ev.kind = BHT_EVENT_TOKEN_RECOVERY;
    assert_string_equal(event_text(&out, ev),
                        "bitsht: BITS dropped the helper token; setting it again\n");
    /* Progress without a terminal draws nothing. */
    ev.kind = BHT_EVENT_PROGRESS;
    assert_string_equal(event_text(&out, ev), "");
    out_init(&out, 0, 1);
    ev.kind = BHT_EVENT_TOKEN_RECOVERY;
    assert_string_equal(event_text(&out, ev), "");
}

static void live_bar_draws_at_most_every_100_ms_and_is_cleared_by_the_next_line(void **state)
{
    struct cli_output out;
    struct bht_event ev = {.kind = BHT_EVENT_PROGRESS, .job_id = ""};

    (void)state;
    out_init(&out, 0, 0);
    out.tty = 1; /* as on a terminal */
    ev.progress.bytes_total = 2048;
    ev.progress.bytes_transferred = 1024;
    ev.elapsed_ms = 1000;
    assert_string_equal(event_text(&out, ev),
                        "\r\033[K[##########..........]  50%  1.0 KiB / 2.0 KiB  1.0 KiB/s  ETA 1s");
    assert_int_equal(out.bar_drawn, 1);
    /* 99 ms later: not redrawn; 100 ms later: redrawn. */
    ev.elapsed_ms = 1099;
    assert_string_equal(event_text(&out, ev), "");
    ev.elapsed_ms = 1100;
    ev.progress.bytes_transferred = 2048;
    assert_string_equal(event_text(&out, ev),
                        "\r\033[K[####################] 100%  2.0 KiB / 2.0 KiB  1.8 KiB/s");
    /* The next line clears the bar first, once. */
    ev.kind = BHT_EVENT_STATE;
    ev.state = BHT_JOB_TRANSFERRED;
    assert_string_equal(event_text(&out, ev), "\r\033[Kbitsht: job state TRANSFERRED\n");
    assert_string_equal(event_text(&out, ev), "bitsht: job state TRANSFERRED\n");
    /* Unknown total, nothing elapsed: an empty bar, "?" and no rate or ETA. */
    ev.kind = BHT_EVENT_PROGRESS;
    ev.progress.bytes_total = BHT_SIZE_UNKNOWN;
    ev.progress.bytes_transferred = 5;
    ev.elapsed_ms = 0;
    assert_string_equal(event_text(&out, ev), "\r\033[K[....................]   0%  5 B / ?  0 B/s");
    /* A known total of 0 counts as unknown. */
    ev.progress.bytes_total = 0;
    ev.elapsed_ms = 200;
    assert_string_equal(event_text(&out, ev), "\r\033[K[....................]   0%  5 B / ?  25 B/s");
    /* A total of exactly 1 byte is known. */
    ev.progress.bytes_total = 1;
    ev.progress.bytes_transferred = 0;
    ev.elapsed_ms = 400;
    assert_string_equal(event_text(&out, ev), "\r\033[K[....................]   0%  0 B / 1 B  0 B/s");
    /* Exactly 1 B/s: the ETA shows; a stage line clears the bar first. */
    ev.progress.bytes_total = 3;
    ev.progress.bytes_transferred = 1;
    ev.elapsed_ms = 1000;
    assert_string_equal(event_text(&out, ev),
                        "\r\033[K[######..............]  33%  1 B / 3 B  1 B/s  ETA 2s");
    ev.kind = BHT_EVENT_STAGE;
    ev.step = BHT_STEP_COMPLETE;
    assert_string_equal(event_text(&out, ev),
                        "\r\033[Kbitsht: completing the job (the files appear now)\n");
    /* Transient and recovery lines clear the bar too. */
    ev.kind = BHT_EVENT_PROGRESS;
    ev.elapsed_ms = 5000;
    event_text(&out, ev);
    ev.kind = BHT_EVENT_TRANSIENT;
    ev.error = NULL;
    assert_string_equal(event_text(&out, ev),
                        "\r\033[Kbitsht: transient error; BITS will retry\n");
    ev.kind = BHT_EVENT_PROGRESS;
    ev.elapsed_ms = 6000;
    event_text(&out, ev);
    ev.kind = BHT_EVENT_TOKEN_RECOVERY;
    assert_string_equal(event_text(&out, ev),
                        "\r\033[Kbitsht: BITS dropped the helper token; setting it again\n");
    /* --quiet never draws, even on a terminal. */
    out_init(&out, 0, 1);
    assert_int_equal(out.tty, 0);
}

/* A report or an error after the live bar clears it first; control characters in a
 * message print as '?' (a tab stays), so a BITS text cannot drive the terminal. */
static void report_and_error_clear_the_bar_and_neutralise_controls(void **state)
{
    struct cli_output out;
    struct bht_report r = failed_report();
    struct bht_event ev = {.kind = BHT_EVENT_PROGRESS, .job_id = ""};
    struct capture o, e;

    (void)state;
    out_init(&out, 0, 0);
    out.tty = 1;
    ev.progress.bytes_total = 10;
    ev.elapsed_ms = 1000;
    CAPTURE(o, e, out_event(&out, &ev));
    strcpy(r.detail, "bad\x1f\x1b[2Jx\x7f\ty");
    CAPTURE(o, e, out_report(&out, &r));
    assert_memory_equal(e.text, "\r\033[Kbitsht: error: bad??[2Jx?\ty (step transfer)\n",
                        strlen("\r\033[Kbitsht: error: bad??[2Jx?\ty (step transfer)\n"));
    CAPTURE(o, e, out_event(&out, &ev));
    CAPTURE(o, e, out_error(&out, 2, E_INVALIDARG, "no"));
    assert_string_equal(e.text, "\r\033[Kbitsht: error: no\n");
}

/* C115, issue 14: with new-credentials a server's refusal (HTTP 401 or access denied
 * while transferring) is what a wrong password gives: the report says so, naming the
 * user; any other failure, another step, or another logon type: no such line. */
static void new_credentials_hint_follows_only_a_server_refusal(void **state)
{
    static const char hint[] = "bitsht:   with --logon-type new-credentials the password is "
                               "checked only by the server: a wrong password for %s looks "
                               "exactly like this\n";
    struct cli_output out;
    struct bht_report r = failed_report();
    struct capture o, e;
    char base[1024], want[2048], hrtext[64];
    const bht_hr refusals[] = {BHT_BG_E_HTTP_ERROR(401), E_ACCESSDENIED};

    (void)state;
    r.has_bits_error = 0;
    r.job_created = 0;
    out_init(&out, 0, 0);
    out.new_credentials = 1;
    for (size_t i = 0; i < 2; i++) {
        r.hr = refusals[i];
        snprintf(base, sizeof base, "bitsht: error: BITS said \"no\"\tfor file 1 (step transfer)\n"
                                    "bitsht:   %s: %s\n",
                 bht_hr_format(r.hr, hrtext, sizeof hrtext), bht_hr_message(r.hr));
        out.user = "CORP\\alice";
        CAPTURE(o, e, out_report(&out, &r));
        snprintf(want, sizeof want, "%s", base);
        snprintf(want + strlen(want), sizeof want - strlen(want), hint, "CORP\\alice");
        assert_string_equal(e.text, want);
        out.user = NULL;
        CAPTURE(o, e, out_report(&out, &r));
        snprintf(want, sizeof want, "%s", base);
        snprintf(want + strlen(want), sizeof want - strlen(want), hint, "the helper");
        assert_string_equal(e.text, want);
        /* the same failure at another step, or without new-credentials: no hint */
        r.failed_step = BHT_STEP_COMPLETE;
        CAPTURE(o, e, out_report(&out, &r));
        assert_null(strstr(e.text, "new-credentials"));
        r.failed_step = BHT_STEP_TRANSFER;
        out.new_credentials = 0;
        CAPTURE(o, e, out_report(&out, &r));
        assert_string_equal(e.text, base);
        out.new_credentials = 1;
    }
    r.hr = BHT_BG_E_HTTP_ERROR(403);
    CAPTURE(o, e, out_report(&out, &r));
    assert_null(strstr(e.text, "new-credentials"));
    r.hr = BHT_BG_E_HTTP_ERROR(402);
    CAPTURE(o, e, out_report(&out, &r));
    assert_null(strstr(e.text, "new-credentials"));
}

/* An event kind this output does not know prints nothing (a newer core may add some). */
static void an_unknown_event_prints_nothing(void **state)
{
    struct cli_output out;
    struct bht_event ev;
    struct capture o, e;

    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.kind = (enum bht_event_kind)99;
    out_init(&out, 0, 0);
    CAPTURE(o, e, out_event(&out, &ev));
    assert_string_equal(o.text, "");
    assert_string_equal(e.text, "");
}

/* --allow-metered on a BITS without cost flags: the warning clears the bar first and is
 * printed even with --quiet (it says the job may wait). */
static void cost_flags_warning_clears_the_bar_even_when_quiet(void **state)
{
    static const char warning[] =
        "bitsht: warning: --allow-metered: this BITS cannot set job cost flags (no "
        "IBackgroundCopyJob5); the job keeps BITS's cost policy and may wait on a metered "
        "network\n";
    struct cli_output out;
    struct bht_event ev;
    struct capture o, e;
    char want[512];

    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.kind = BHT_EVENT_COST_FLAGS_UNSUPPORTED;
    out_init(&out, 0, 0);
    out.bar_drawn = 1; /* a bar is on the line */
    CAPTURE(o, e, out_event(&out, &ev));
    snprintf(want, sizeof want, "\r\033[K%s", warning);
    assert_string_equal(e.text, want);
    assert_int_equal(out.bar_drawn, 0);
    out_init(&out, 1, 1);
    CAPTURE(o, e, out_event(&out, &ev));
    assert_string_equal(e.text, warning);
    assert_string_equal(o.text, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_string_escapes_every_ascii_special),
        cmocka_unit_test(new_credentials_hint_follows_only_a_server_refusal),
        cmocka_unit_test(an_unknown_event_prints_nothing),
        cmocka_unit_test(cost_flags_warning_clears_the_bar_even_when_quiet),
        cmocka_unit_test(hr_json_has_hex_name_or_null_and_message),
        cmocka_unit_test(json_report_of_a_failure_has_every_field),
        cmocka_unit_test(json_report_without_job_or_bits_error_says_null),
        cmocka_unit_test(text_report_of_a_success_counts_files),
        cmocka_unit_test(text_report_of_a_failure_names_step_hresult_bits_error_and_job),
        cmocka_unit_test(json_error_maps_each_exit_code),
        cmocka_unit_test(stage_lines_name_each_step),
        cmocka_unit_test(state_transient_and_recovery_lines),
        cmocka_unit_test(live_bar_draws_at_most_every_100_ms_and_is_cleared_by_the_next_line),
        cmocka_unit_test(report_and_error_clear_the_bar_and_neutralise_controls),
    };
    return cmocka_run_group_tests_name("cli report", tests, NULL, NULL);
}
