/* bitsht: the CLI's job commands (src/cli/commands.c) on the fake: every error path of
 * token-sid / token-flags / clear-token / list / cleanup with its exact message and exit
 * code (C08 unknown job -> BG_E_NOT_FOUND -> exit 2), JSON and text forms, --quiet, the
 * exit code of each failing HRESULT, and a stop request (Ctrl-C) ending a transfer before
 * any job is queued. Output is captured byte for byte (capture.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"
#include "backend_select.h"
#include "bitsht/doctor.h"
#include "capture.h"
#include "commands.h"
#include "fake_support.h"
#include "output.h"
#include "stop_signals.h"

#define JSON_BAD_INPUT \
    "{\"outcome\":\"bad_input\",\"exit_code\":2,\"failed_step\":\"validate\",\"hresult\":" \
    "{\"hex\":\"0x80070057\""
#define ALICE_SID "S-1-5-21-1004336348-1177238915-682003330-"

struct cmd_t {
    struct fake_t *t;
    struct cli_backend b;
    struct cli_options o;
    struct cli_output out;
    char job_id[BHT_JOB_ID_SIZE];
    struct capture so, se;
};

static int setup(void **state)
{
    struct cmd_t *c = calloc(1, sizeof *c);
    void *inner = NULL;

    assert_non_null(c);
    fake_t_setup_job(&inner);
    c->t = inner;
    bht_fake_backend(c->t->w, &c->b.be);
    c->b.world = c->t->w;
    assert_hr(S_OK, c->t->b->get_id(c->t->w, c->t->job, c->job_id));
    c->o.job_id = c->job_id;
    out_init(&c->out, 0, 0);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct cmd_t *c = *state;
    void *inner = c->t;

    fake_t_teardown(&inner);
    free(c);
    return 0;
}

typedef int (*cmd_fn)(struct cli_options *, struct cli_backend *, struct cli_output *);

/* Runs one command with the given output mode; returns its exit code. */
static int run(struct cmd_t *c, cmd_fn fn, enum cli_command command, int json, int quiet)
{
    int code = -1;

    c->o.command = command;
    c->o.json = json;
    c->o.quiet = quiet;
    out_init(&c->out, json, quiet);
    CAPTURE(c->so, c->se, code = fn(&c->o, &c->b, &c->out));
    return code;
}

/* The next call of op fails with hr, once. */
static void fail_next(struct cmd_t *c, enum bht_fake_op op, bht_hr hr)
{
    bht_fake_fail(c->t->w, op, bht_fake_calls(c->t->w, op) + 1, hr, BHT_FAULT_ONCE);
}

static void expect_error(struct cmd_t *c, const char *what, bht_hr hr)
{
    char want[512], hrtext[64];

    snprintf(want, sizeof want, "bitsht: error: %s: %s: %s\n", what,
             bht_hr_format(hr, hrtext, sizeof hrtext), bht_hr_message(hr));
    assert_string_equal(c->se.text, want);
}

static void exit_code_of_each_failing_hresult(void **state)
{
    (void)state;
    assert_int_equal(cmd_exit_code_for(BG_E_NOT_FOUND), 2);
    assert_int_equal(cmd_exit_code_for(E_INVALIDARG), 2);
    assert_int_equal(cmd_exit_code_for(E_NOINTERFACE), 3);
    assert_int_equal(cmd_exit_code_for(E_ACCESSDENIED), 3);
    assert_int_equal(cmd_exit_code_for(CO_E_FAILEDTOIMPERSONATE), 3);
    assert_int_equal(cmd_exit_code_for(BHT_HR(0x800706BAu)), 5); /* RPC_S_SERVER_UNAVAILABLE */
    assert_int_equal(cmd_exit_code_for(E_FAIL), 1);
    assert_int_equal(cmd_exit_code_for(BG_E_INVALID_STATE), 1);
}

/* C08: an unknown job id is BG_E_NOT_FOUND, exit 2, and nothing on stdout. */
static void token_commands_on_an_unknown_job_exit_2(void **state)
{
    struct cmd_t *c = *state;

    c->o.job_id = "{00000000-0000-0000-0000-000000000000}";
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 0, 0), 2);
    assert_string_equal(c->so.text, "");
    expect_error(c, "cannot open the job", BG_E_NOT_FOUND);
}

static void token_sid_without_and_with_a_helper(void **state)
{
    struct cmd_t *c = *state;
    char want[256];

    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 0, 0), 0);
    assert_string_equal(c->so.text, "(no helper token)\n");
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 1, 0), 0);
    snprintf(want, sizeof want, "{\"job_id\":\"%s\",\"helper_sid\":null}\n", c->job_id);
    assert_string_equal(c->so.text, want);

    fake_t_set_alice_helper(c->t, c->t->job, BHT_TOKEN_LOCAL_FILE);
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 0, 0), 0);
    assert_memory_equal(c->so.text, ALICE_SID, strlen(ALICE_SID));
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 1, 0), 0);
    snprintf(want, sizeof want, "{\"job_id\":\"%s\",\"helper_sid\":\"" ALICE_SID, c->job_id);
    assert_memory_equal(c->so.text, want, strlen(want));
    assert_string_equal(c->se.text, "");
}

/* Each call's failure: its own message, the HRESULT's exit code, nothing on stdout. */
static void token_command_failures_name_the_call(void **state)
{
    struct cmd_t *c = *state;

    fail_next(c, BHT_OP_GET_TOKEN_OPTIONS, E_NOINTERFACE);
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 0, 0), 3);
    expect_error(c, "the job has no helper-token options", E_NOINTERFACE);
    assert_string_equal(c->so.text, "");

    fail_next(c, BHT_OP_GET_HELPER_TOKEN_SID, E_ACCESSDENIED);
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 0, 0), 3);
    expect_error(c, "cannot read the helper token's SID", E_ACCESSDENIED);
    assert_string_equal(c->so.text, "");

    c->o.token_flags_given = 1;
    c->o.token_flags = BHT_TOKEN_NETWORK;
    fail_next(c, BHT_OP_SET_HELPER_TOKEN_FLAGS, E_FAIL);
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_FLAGS, 0, 0), 1);
    expect_error(c, "cannot set the helper token flags", E_FAIL);

    fail_next(c, BHT_OP_GET_HELPER_TOKEN_FLAGS, BHT_HR(0x800706BAu));
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_FLAGS, 0, 0), 5);
    expect_error(c, "cannot read the helper token flags", BHT_HR(0x800706BAu));

    fail_next(c, BHT_OP_CLEAR_HELPER_TOKEN, E_INVALIDARG);
    assert_int_equal(run(c, cmd_token, CLI_CLEAR_TOKEN, 1, 0), 2);
    expect_error(c, "cannot clear the helper token", E_INVALIDARG);
    /* --json: the same error as one JSON object on stdout. */
    assert_memory_equal(c->so.text, JSON_BAD_INPUT, strlen(JSON_BAD_INPUT));
}

static void token_flags_reads_and_sets(void **state)
{
    struct cmd_t *c = *state;
    char want[256];

    fake_t_set_alice_helper(c->t, c->t->job, BHT_TOKEN_LOCAL_FILE);
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_FLAGS, 0, 0), 0);
    assert_string_equal(c->so.text, "local\n");
    c->o.token_flags_given = 1;
    c->o.token_flags = BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK;
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_FLAGS, 1, 0), 0);
    snprintf(want, sizeof want, "{\"job_id\":\"%s\",\"token_flags\":\"local,network\",\"value\":3}\n",
             c->job_id);
    assert_string_equal(c->so.text, want);
    assert_int_equal(bht_fake_calls(c->t->w, BHT_OP_SET_HELPER_TOKEN_FLAGS), 2);
    /* Without new flags: read only. */
    c->o.token_flags_given = 0;
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_FLAGS, 0, 0), 0);
    assert_string_equal(c->so.text, "local,network\n");
    assert_int_equal(bht_fake_calls(c->t->w, BHT_OP_SET_HELPER_TOKEN_FLAGS), 2);
}

static void clear_token_text_quiet_and_json(void **state)
{
    struct cmd_t *c = *state;
    char want[256];

    fake_t_set_alice_helper(c->t, c->t->job, BHT_TOKEN_LOCAL_FILE);
    assert_int_equal(run(c, cmd_token, CLI_CLEAR_TOKEN, 0, 0), 0);
    assert_string_equal(c->so.text, "helper token cleared (flags kept)\n");
    assert_int_equal(run(c, cmd_token, CLI_TOKEN_SID, 0, 0), 0);
    assert_string_equal(c->so.text, "(no helper token)\n");
    assert_int_equal(run(c, cmd_token, CLI_CLEAR_TOKEN, 0, 1), 0);
    assert_string_equal(c->so.text, "");
    assert_int_equal(run(c, cmd_token, CLI_CLEAR_TOKEN, 1, 1), 0);
    snprintf(want, sizeof want, "{\"job_id\":\"%s\",\"cleared\":true}\n", c->job_id);
    assert_string_equal(c->so.text, want);
    assert_int_equal(bht_fake_calls(c->t->w, BHT_OP_CLEAR_HELPER_TOKEN), 3);
}

static void list_in_text_and_json(void **state)
{
    struct cmd_t *c = *state;
    struct bht_job *second;
    char want[1024];

    assert_int_equal(run(c, cmd_list, CLI_LIST, 0, 0), 0);
    snprintf(want, sizeof want, "%s  SUSPENDED        0/0 files  0 bytes  bitsht:test\n", c->job_id);
    assert_string_equal(c->so.text, want);
    assert_string_equal(c->se.text, "");
    assert_int_equal(run(c, cmd_list, CLI_LIST, 1, 0), 0);
    snprintf(want, sizeof want,
             "{\"jobs\":[{\"id\":\"%s\",\"name\":\"bitsht:test\",\"state\":\"SUSPENDED\","
             "\"files_total\":0,\"files_transferred\":0,\"bytes_transferred\":0,\"age_s\":0}]}\n",
             c->job_id);
    assert_string_equal(c->so.text, want);

    /* Two jobs: a comma between them. */
    second = fake_t_new_job(c->t);
    assert_int_equal(run(c, cmd_list, CLI_LIST, 1, 0), 0);
    assert_non_null(strstr(c->so.text, "\"age_s\":0},{\"id\":\"{"));
    c->t->b->release(c->t->w, second);
}

static void list_of_nothing_and_list_failure(void **state)
{
    struct cmd_t *c = *state;

    assert_hr(S_OK, c->t->b->cancel(c->t->w, c->t->job));
    /* Only final jobs left: enum_jobs still lists them (CANCELLED). Empty world instead. */
    fake_t_world(c->t, "");
    bht_fake_backend(c->t->w, &c->b.be);
    c->t->job = NULL;
    assert_int_equal(run(c, cmd_list, CLI_LIST, 0, 0), 0);
    assert_string_equal(c->so.text, "");
    assert_string_equal(c->se.text, "bitsht: no jobs of ours in the BITS queue\n");
    assert_int_equal(run(c, cmd_list, CLI_LIST, 0, 1), 0);
    assert_string_equal(c->se.text, "");
    assert_int_equal(run(c, cmd_list, CLI_LIST, 1, 0), 0);
    assert_string_equal(c->so.text, "{\"jobs\":[]}\n");
    assert_string_equal(c->se.text, "");

    fail_next(c, BHT_OP_ENUM_JOBS, E_ACCESSDENIED);
    assert_int_equal(run(c, cmd_list, CLI_LIST, 1, 0), 3);
    expect_error(c, "cannot list the BITS jobs", E_ACCESSDENIED);
    fail_next(c, BHT_OP_ENUM_JOBS, E_FAIL);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 0, 0), 1);
    expect_error(c, "cannot list the BITS jobs", E_FAIL);
}

static void cleanup_cancels_live_jobs_and_counts(void **state)
{
    struct cmd_t *c = *state;
    struct bht_job *second = fake_t_new_job(c->t);
    char want[512];

    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 0, 0), 0);
    assert_string_equal(c->so.text, "cancelled 2 jobs\n");
    snprintf(want, sizeof want, "bitsht: cancelled %s (bitsht:test, SUSPENDED)\n", c->job_id);
    assert_memory_equal(c->se.text, want, strlen(want));
    assert_int_equal(bht_fake_jobs_in_state(c->t->w, BHT_JOB_CANCELLED), 2);
    /* Final jobs are skipped: nothing left to cancel. */
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 0, 0), 0);
    assert_string_equal(c->so.text, "cancelled 0 jobs\n");
    assert_string_equal(c->se.text, "");
    assert_int_equal(bht_fake_calls(c->t->w, BHT_OP_CANCEL), 2);
    c->t->b->release(c->t->w, second);

    second = fake_t_new_job(c->t);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 1, 0), 0);
    assert_string_equal(c->so.text, "{\"cancelled\":1,\"failed\":0}\n");
    assert_string_equal(c->se.text, "");
    c->t->b->release(c->t->w, second);
    second = fake_t_new_job(c->t);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 0, 1), 0);
    assert_string_equal(c->so.text, "");
    assert_string_equal(c->se.text, "");
    c->t->b->release(c->t->w, second);
    second = fake_t_new_job(c->t);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 0, 0), 0);
    assert_string_equal(c->so.text, "cancelled 1 job\n");
    c->t->b->release(c->t->w, second); /* every handle released: ASan's leak check */
}

static void cleanup_reports_jobs_it_cannot_cancel_and_exits_1(void **state)
{
    struct cmd_t *c = *state;
    char want[512], hrtext[64];

    fail_next(c, BHT_OP_CANCEL, E_ACCESSDENIED);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 1, 0), 1);
    assert_string_equal(c->so.text, "{\"cancelled\":0,\"failed\":1}\n");
    snprintf(want, sizeof want, "bitsht: error: cannot cancel %s: %s\n", c->job_id,
             bht_hr_format(E_ACCESSDENIED, hrtext, sizeof hrtext));
    assert_string_equal(c->se.text, want);
    assert_int_equal(bht_fake_jobs_in_state(c->t->w, BHT_JOB_SUSPENDED), 1);
    /* Opening fails: counted the same way; errors print even with --quiet. */
    fail_next(c, BHT_OP_OPEN_JOB, BG_E_NOT_FOUND);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 0, 1), 1);
    assert_string_equal(c->so.text, "");
    snprintf(want, sizeof want, "bitsht: error: cannot cancel %s: %s\n", c->job_id,
             bht_hr_format(BG_E_NOT_FOUND, hrtext, sizeof hrtext));
    assert_string_equal(c->se.text, want);
    assert_int_equal(bht_fake_calls(c->t->w, BHT_OP_CANCEL), 1);
}

/* --older-than N spares jobs younger than N seconds, exactly at N it cancels. */
static void cleanup_older_than_spares_younger_jobs(void **state)
{
    struct cmd_t *c = *state;

    c->o.older_than_given = 1;
    c->o.older_than_s = 60;
    bht_fake_advance(c->t->w, 59 * 1000);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 1, 0), 0);
    assert_string_equal(c->so.text, "{\"cancelled\":0,\"failed\":0}\n");
    bht_fake_advance(c->t->w, 1000);
    assert_int_equal(run(c, cmd_cleanup, CLI_CLEANUP, 1, 0), 0);
    assert_string_equal(c->so.text, "{\"cancelled\":1,\"failed\":0}\n");
}

/* The options of `transfer --no-helper-token REMOTE LOCAL` for one file. */
static void transfer_one_file(struct cmd_t *c, struct bht_file_pair *file, const char *remote,
                              const char *local)
{
    file->remote = remote;
    file->local = local;
    c->o.files = file;
    c->o.file_count = 1;
    c->o.no_helper_token = 1;
    c->o.priority = -1;
    c->o.max_transient = -1;
    c->o.command = CLI_TRANSFER;
}

/* Issue 14 (item 8 of issue 13): a transfer that failed and whose queue then cannot be
 * saved tells both, once, in the report: the save's error and HRESULT follow the
 * transfer's detail. */
static void a_failed_save_after_a_failed_transfer_is_appended_to_the_detail(void **state)
{
    struct cmd_t *c = *state;
    char local[600], state_path[600], blocker[700], save_err[400], hrtext[64], want[1400];
    struct bht_file_pair file;
    bht_hr save_hr;
    int code = -1;

    fake_t_path(c->t, local, sizeof local, "gone.bin");
    fake_t_path(c->t, state_path, sizeof state_path, "q.state");
    snprintf(blocker, sizeof blocker, "%s.tmp", state_path);
    fake_t_mkdir(blocker); /* the save's temporary file cannot be made */
    snprintf(blocker, sizeof blocker, "%s.tmp/x", state_path);
    fake_t_write_file(blocker, "", 0);
    save_hr = bht_fake_state_save(c->t->w, state_path, save_err, sizeof save_err);
    assert_true(BHT_FAILED(save_hr));
    transfer_one_file(c, &file, "https://cdn.example/gone", local);
    c->b.state_path = state_path;
    out_init(&c->out, 1, 1); /* --json --quiet: stderr stays empty */
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, NULL));
    assert_int_equal(code, 1);
    snprintf(want, sizeof want, "; and the fake queue could not be saved: %s (%s)\",", save_err,
             bht_hr_format(save_hr, hrtext, sizeof hrtext));
    assert_non_null(strstr(c->so.text, want));
    assert_non_null(strstr(c->so.text, "\"outcome\":\"transfer_failed\",\"exit_code\":1,"
                                       "\"failed_step\":\"transfer\""));
    assert_string_equal(c->se.text, "");
    /* saved once: the close that follows reports the same result, no second attempt */
    assert_int_equal(c->b.state_saved, 1);
    assert_hr(save_hr, cli_backend_save(&c->b, save_err, sizeof save_err));
    c->b.world = NULL; /* the fixture frees it */
    snprintf(blocker, sizeof blocker, "%s.tmp/x", state_path);
    remove(blocker);
    snprintf(blocker, sizeof blocker, "%s.tmp", state_path);
    fake_t_rmdir(blocker);
}

/* cmd_doctor with BITS out of reach (bits_open_hr): the checks then never touch the
 * queue, so a second run gives the same report, which the test formats itself. */
static int doctor(struct cmd_t *c, int json, bht_hr bits_open_hr, struct bht_doctor_report *rep)
{
    struct bht_doctor_request req;
    char password[8] = "";
    int code = -1;

    c->o.json = json;
    c->o.command = CLI_DOCTOR;
    out_init(&c->out, json, 0);
    CAPTURE(c->so, c->se, code = cmd_doctor(&c->o, &c->b, &c->out, password, bits_open_hr));
    memset(&req, 0, sizeof req);
    req.bits_open_hr = bits_open_hr;
    req.domain = req.user = "";
    req.password = password;
    req.logon_type = BHT_LOGON_INTERACTIVE;
    bht_run_doctor(&c->b.be, &req, rep);
    return code;
}

/* Issue 14: doctor's text, byte for byte: a status line and a fix line per check, then the
 * count of each status; exit 1 when a check failed. */
static void doctor_text_lists_every_check_and_counts_them(void **state)
{
    struct cmd_t *c = *state;
    struct bht_doctor_report rep;
    unsigned counts[4] = {0, 0, 0, 0};
    char want[8192];
    size_t n = 0;
    int code = doctor(c, 0, BHT_HR(0x80070422u), &rep); /* the service is disabled */

    assert_true(rep.count >= 5);
    for (size_t i = 0; i < rep.count; i++) {
        const struct bht_check *k = &rep.checks[i];
        counts[k->status]++;
        n += (size_t)snprintf(want + n, sizeof want - n, "%-8s %-21s %s\n%-30s fix: %s\n",
                              bht_check_status_name(k->status), bht_check_id_name(k->id),
                              k->reason, "", k->fix);
    }
    snprintf(want + n, sizeof want - n, "%u pass, %u warn, %u fail, %u unknown\n",
             counts[BHT_CHECK_PASS], counts[BHT_CHECK_WARN], counts[BHT_CHECK_FAIL],
             counts[BHT_CHECK_UNKNOWN]);
    /* the run shows every status but one kind: the counts' order matters */
    assert_true(counts[BHT_CHECK_FAIL] > 0 && counts[BHT_CHECK_PASS] > 0);
    assert_true(counts[BHT_CHECK_PASS] != counts[BHT_CHECK_FAIL] ||
                counts[BHT_CHECK_WARN] != counts[BHT_CHECK_UNKNOWN]);
    assert_string_equal(c->so.text, want);
    assert_string_equal(c->se.text, "");
    assert_int_equal(code, 1);
    assert_int_equal(bht_doctor_exit_code(&rep), 1);
}

/* Issue 14: doctor --json: one object, each check with its HRESULT when it failed (null
 * otherwise), and the exit code. */
static void doctor_json_lists_every_check_with_its_hresult(void **state)
{
    struct cmd_t *c = *state;
    struct bht_doctor_report rep;
    struct capture want_cap, unused;
    int code = doctor(c, 1, BHT_HR(0x80070422u), &rep);
    int failed = 0;

    CAPTURE(want_cap, unused, {
        fputs("{\"checks\":[", stdout);
        for (size_t i = 0; i < rep.count; i++) {
            const struct bht_check *k = &rep.checks[i];
            printf("%s{\"id\":\"%s\",\"status\":\"%s\",\"reason\":", i ? "," : "",
                   bht_check_id_name(k->id), bht_check_status_name(k->status));
            out_json_string(stdout, k->reason);
            fputs(",\"fix\":", stdout);
            out_json_string(stdout, k->fix);
            fputs(",\"hresult\":", stdout);
            if (BHT_FAILED(k->hr)) {
                out_hr_json(stdout, k->hr);
                failed++;
            } else
                fputs("null", stdout);
            fputc('}', stdout);
        }
        printf("],\"exit_code\":1}\n");
        fflush(stdout);
    });
    assert_true(failed > 0 && (size_t)failed < rep.count); /* both forms of "hresult" */
    assert_string_equal(c->so.text, want_cap.text);
    assert_non_null(strstr(c->so.text, "\"hresult\":{\"hex\":\"0x80070422\""));
    assert_string_equal(c->se.text, "");
    assert_int_equal(code, 1);
}

/* Issue 14: a throw-away doctor job that cannot be cancelled is left in the queue: the
 * run says so on stderr (after the checks) and how to remove it. */
static void doctor_warns_about_a_probe_job_left_in_the_queue(void **state)
{
    struct cmd_t *c = *state;
    char password[8] = "";
    int code = -1;

    bht_fake_fail(c->t->w, BHT_OP_CANCEL, 1, E_ACCESSDENIED, BHT_FAULT_PERSISTENT);
    c->o.command = CLI_DOCTOR;
    out_init(&c->out, 0, 0);
    CAPTURE(c->so, c->se, code = cmd_doctor(&c->o, &c->b, &c->out, password, S_OK));
    assert_string_equal(c->se.text, "bitsht: warning: a throw-away doctor job could not be "
                                    "cancelled and is still in the BITS queue: run 'bitsht "
                                    "cleanup'\n");
    assert_non_null(strstr(c->so.text, " unknown\n"));
    (void)code;
    /* and without the fault: no warning */
    bht_fake_fail(c->t->w, BHT_OP_CANCEL, 1, S_OK, BHT_FAULT_ONCE);
    CAPTURE(c->so, c->se, code = cmd_doctor(&c->o, &c->b, &c->out, password, S_OK));
    assert_string_equal(c->se.text, "");
}

/* The progress beat: every 100 ms of the transfer when the bar is drawn (a terminal),
 * every 500 ms otherwise (it bounds how long Ctrl-C waits to be noticed). The fake's
 * clock is virtual and delivers this resource's bytes once a second: 1.1 s in, the bar
 * shows 1000 B at 909 B/s (at 1.111 s, with a 101 ms beat, it would be 900 B/s); off a
 * terminal the 10 s take 22 waits (20 beats and the two before the bytes flow). */
static void progress_beats_every_100_ms_on_a_terminal_500_off_it(void **state)
{
    struct cmd_t *c = *state;
    char local[600];
    struct bht_file_pair file;
    unsigned waits;
    int code = -1;

    fake_t_world(c->t, "resource https://cdn.example/slow size=10000 rate=1000\n");
    bht_fake_backend(c->t->w, &c->b.be);
    c->b.world = c->t->w;
    c->t->job = NULL;
    fake_t_path(c->t, local, sizeof local, "slow.bin");
    transfer_one_file(c, &file, "https://cdn.example/slow", local);
    out_init(&c->out, 0, 0);
    c->out.tty = 1;
    waits = bht_fake_calls(c->t->w, BHT_OP_WAIT);
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, NULL));
    assert_int_equal(code, 0);
    assert_non_null(strstr(c->se.text, "\r\033[K[##..................]  10%  1000 B / 9.8 KiB  "
                                       "1000 B/s  ETA 9s\r\033[K[##..................]  10%  "
                                       "1000 B / 9.8 KiB  909 B/s  ETA 10s\r"));
    assert_int_equal(bht_fake_calls(c->t->w, BHT_OP_WAIT) - waits, 102);

    out_init(&c->out, 0, 0);
    c->out.tty = 0;
    fake_t_path(c->t, local, sizeof local, "slow2.bin");
    waits = bht_fake_calls(c->t->w, BHT_OP_WAIT);
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, NULL));
    assert_int_equal(code, 0);
    assert_null(strstr(c->se.text, "\r"));
    assert_int_equal(bht_fake_calls(c->t->w, BHT_OP_WAIT) - waits, 22);
}

/* The stage lines name the helper and the flags of this run; the new-credentials warning
 * (C115) only when that logon type is used with a helper token. */
static void transfer_stage_lines_name_the_helper_and_the_logon(void **state)
{
    struct cmd_t *c = *state;
    static const char logon[] = "bitsht: logging on CORP\\alice\n";
    static const char new_credentials[] = "bitsht: logging on CORP\\alice with new-credentials";
    char local[600], password[16];
    struct bht_file_pair file;
    int code = -1;

    fake_t_path(c->t, local, sizeof local, "public.bin");
    transfer_one_file(c, &file, PUBLIC_URL, local);
    c->o.no_helper_token = 0;
    c->o.user_arg = "CORP\\alice";
    strcpy(c->o.domain, "CORP");
    strcpy(c->o.user, "alice");
    c->o.token_flags = BHT_TOKEN_LOCAL_FILE | BHT_TOKEN_NETWORK;
    c->o.logon_type = BHT_LOGON_INTERACTIVE;
    c->o.overwrite = 1;
    out_init(&c->out, 0, 0);
    strcpy(password, "S3cret!");
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, password));
    assert_int_equal(code, 0);
    assert_non_null(strstr(c->se.text, logon));
    assert_non_null(strstr(c->se.text, "bitsht: setting the helper token flags (local,network)\n"));
    assert_null(strstr(c->se.text, "new-credentials"));

    c->o.logon_type = BHT_LOGON_NEW_CREDENTIALS;
    strcpy(password, "S3cret!");
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, password));
    assert_non_null(strstr(c->se.text, new_credentials));
    assert_null(strstr(c->se.text, logon));

    /* no helper token: new-credentials means nothing, and nobody logs on */
    c->o.no_helper_token = 1;
    c->o.user_arg = NULL;
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, NULL));
    assert_int_equal(code, 0);
    assert_null(strstr(c->se.text, "new-credentials"));
    assert_null(strstr(c->se.text, "logging on"));
    (void)code;
}

/* Ctrl-C: once a stop was requested (what the stop-signal handlers do: stop_signals.c, tested
 * in cli_password.c), the transfer polls it and stops before creating a job. */
static void stop_signal_ends_the_transfer_before_any_job(void **state)
{
    struct cmd_t *c = *state;
    char local[600];
    struct bht_file_pair file;
    unsigned jobs;
    int code = -1;

    fake_t_path(c->t, local, sizeof local, "public.bin");
    transfer_one_file(c, &file, PUBLIC_URL, local);
    out_init(&c->out, 1, 0);
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, NULL));
    assert_int_equal(code, 0);
    assert_int_equal(fake_t_file_size(local), PUBLIC_SIZE);

    cli_stop_request();
    fake_t_path(c->t, local, sizeof local, "second.bin");
    jobs = bht_fake_job_count(c->t->w);
    CAPTURE(c->so, c->se, code = cmd_transfer(&c->o, &c->b, &c->out, NULL));
    assert_int_equal(code, 1);
    assert_non_null(strstr(c->so.text, "\"failed_step\":\"create_job\",\"hresult\":{\"hex\":"
                                       "\"0x800704C7\""));
    assert_non_null(strstr(c->so.text, "\"detail\":\"interrupted before the job was created; "
                                       "nothing was queued\""));
    assert_int_equal(bht_fake_job_count(c->t->w), jobs);
    assert_int_equal(fake_t_file_size(local), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exit_code_of_each_failing_hresult),
        cmocka_unit_test_setup_teardown(token_commands_on_an_unknown_job_exit_2, setup, teardown),
        cmocka_unit_test_setup_teardown(token_sid_without_and_with_a_helper, setup, teardown),
        cmocka_unit_test_setup_teardown(token_command_failures_name_the_call, setup, teardown),
        cmocka_unit_test_setup_teardown(token_flags_reads_and_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(clear_token_text_quiet_and_json, setup, teardown),
        cmocka_unit_test_setup_teardown(list_in_text_and_json, setup, teardown),
        cmocka_unit_test_setup_teardown(list_of_nothing_and_list_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(cleanup_cancels_live_jobs_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(cleanup_reports_jobs_it_cannot_cancel_and_exits_1, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(cleanup_older_than_spares_younger_jobs, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_failed_save_after_a_failed_transfer_is_appended_to_the_detail, setup, teardown),
        cmocka_unit_test_setup_teardown(doctor_text_lists_every_check_and_counts_them, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(doctor_json_lists_every_check_with_its_hresult, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(doctor_warns_about_a_probe_job_left_in_the_queue, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(progress_beats_every_100_ms_on_a_terminal_500_off_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(transfer_stage_lines_name_the_helper_and_the_logon, setup,
                                        teardown),
        /* Last: the stop request it raises stays for the rest of the process. */
        cmocka_unit_test_setup_teardown(stop_signal_ends_the_transfer_before_any_job, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("cli commands", tests, NULL, NULL);
}
