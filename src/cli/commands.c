/* bitsht CLI: subcommands over the abstraction layer. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "stop_signals.h"
#ifdef _WIN32
#include "console_events.h"
#endif

static int stop_requested_fn(void *user)
{
    (void)user;
    return cli_stop_requested();
}

int cmd_exit_code_for(bht_hr hr)
{
    switch ((uint32_t)hr) {
    case 0x80200001u: /* BG_E_NOT_FOUND: the user named a job that is not there */
    case 0x80070057u: /* E_INVALIDARG */
        return 2;
    case 0x80004002u: /* E_NOINTERFACE: no helper tokens on this BITS */
    case 0x80070005u: /* E_ACCESSDENIED */
    case 0x80010123u: /* CO_E_FAILEDTOIMPERSONATE */
        return 3;
    default:
        return bht_hr_means_unavailable(hr) ? 5 : 1;
    }
}

static int call_failed(struct cli_output *out, bht_hr hr, const char *what)
{
    char msg[512], hrtext[64];

    snprintf(msg, sizeof msg, "%s: %s: %s", what, bht_hr_format(hr, hrtext, sizeof hrtext),
             bht_hr_message(hr));
    return out_error(out, cmd_exit_code_for(hr), hr, msg);
}

/* The fake's queue is saved before the report is printed, so a failed save is told once,
 * in the report, and its exit code and JSON agree (issue 13 item 8). */
static void note_failed_save(struct cli_backend *b, struct bht_report *rep)
{
    char err[400], hrtext[64];
    bht_hr hr = cli_backend_save(b, err, sizeof err);
    size_t n;

    if (BHT_SUCCEEDED(hr))
        return;
    if (rep->outcome == BHT_OUTCOME_SUCCESS) {
        rep->outcome = BHT_OUTCOME_TRANSFER_FAILED;
        rep->failed_step = BHT_STEP_DONE;
        rep->hr = hr;
        snprintf(rep->detail, sizeof rep->detail,
                 "every file is in place, but the fake queue could not be saved: %s", err);
        return;
    }
    n = strlen(rep->detail);
    snprintf(rep->detail + n, sizeof rep->detail - n,
             "; and the fake queue could not be saved: %s (%s)", err,
             bht_hr_format(hr, hrtext, sizeof hrtext));
}

int cmd_transfer(struct cli_options *o, struct cli_backend *b, struct cli_output *out,
                 char *password)
{
    struct bht_request req;
    struct bht_report rep;

    memset(&req, 0, sizeof req);
    req.display_name = o->name;
    req.files = o->files;
    req.file_count = o->file_count;
    req.use_helper_token = !o->no_helper_token;
    req.domain = o->domain;
    req.user = o->user;
    req.password = password;
    req.token_flags = o->token_flags;
    req.logon_type = o->logon_type;
    req.priority = o->priority;
    req.timeout_s = o->timeout_s;
    req.max_transient = o->max_transient;
    req.overwrite = o->overwrite;
    req.allow_metered = o->allow_metered;
    /* The interval bounds how long Ctrl-C waits to be noticed; off a terminal there is no
     * bar to draw, so a slower beat costs nothing. */
    req.progress_interval_ms = out->tty ? 100 : 500;
    req.on_event = out_event;
    req.event_user = out;
    req.interrupted = stop_requested_fn; /* main installed the handlers */
    out->user = o->user_arg;
    out->flags_text = cli_token_flags_text(o->token_flags);
    out->new_credentials = !o->no_helper_token && o->logon_type == BHT_LOGON_NEW_CREDENTIALS;

    bht_run_transfer(&b->be, &req, &rep);
#ifdef _WIN32
    cli_console_events_flow_done(); /* a close/logoff handler may let Windows end us now */
#endif
    note_failed_save(b, &rep);
    return out_report(out, &rep);
}

/* token-sid / token-flags / clear-token JOB */
int cmd_token(struct cli_options *o, struct cli_backend *b, struct cli_output *out)
{
    const struct bht_bits_ops *bits = b->be.bits;
    void *ctx = b->be.bits_ctx;
    struct bht_job *job = NULL;
    char *sid = NULL;
    uint32_t flags = 0;
    bht_hr hr;
    int code = 0;

    hr = bits->open_job(ctx, o->job_id, &job);
    if (BHT_FAILED(hr))
        return call_failed(out, hr, "cannot open the job");
    hr = bits->get_token_options(ctx, job);
    if (BHT_FAILED(hr)) {
        code = call_failed(out, hr, "the job has no helper-token options");
        goto out;
    }
    switch (o->command) {
    case CLI_TOKEN_SID:
        hr = bits->get_helper_token_sid(ctx, job, &sid);
        if (BHT_FAILED(hr)) {
            code = call_failed(out, hr, "cannot read the helper token's SID");
            goto out;
        }
        if (o->json) {
            printf("{\"job_id\":");
            out_json_string(stdout, o->job_id);
            printf(",\"helper_sid\":");
            if (sid)
                out_json_string(stdout, sid);
            else
                fputs("null", stdout);
            fputs("}\n", stdout);
        } else {
            printf("%s\n", sid ? sid : "(no helper token)");
        }
        break;
    case CLI_TOKEN_FLAGS:
        if (o->token_flags_given) {
            hr = bits->set_helper_token_flags(ctx, job, o->token_flags);
            if (BHT_FAILED(hr)) {
                code = call_failed(out, hr, "cannot set the helper token flags");
                goto out;
            }
        }
        hr = bits->get_helper_token_flags(ctx, job, &flags);
        if (BHT_FAILED(hr)) {
            code = call_failed(out, hr, "cannot read the helper token flags");
            goto out;
        }
        if (o->json) {
            fputs("{\"job_id\":", stdout);
            out_json_string(stdout, o->job_id);
            printf(",\"token_flags\":\"%s\",\"value\":%u}\n", cli_token_flags_text(flags),
                   (unsigned)flags);
        } else
            printf("%s\n", cli_token_flags_text(flags));
        break;
    default:
        hr = bits->clear_helper_token(ctx, job);
        if (BHT_FAILED(hr)) {
            code = call_failed(out, hr, "cannot clear the helper token");
            goto out;
        }
        if (o->json) {
            fputs("{\"job_id\":", stdout);
            out_json_string(stdout, o->job_id);
            fputs(",\"cleared\":true}\n", stdout);
        } else if (!o->quiet)
            printf("helper token cleared (flags kept)\n");
        break;
    }
out:
    if (sid)
        bits->free_mem(ctx, sid);
    bits->release(ctx, job);
    return code;
}

static int is_final(enum bht_job_state st)
{
    return st == BHT_JOB_ACKNOWLEDGED || st == BHT_JOB_CANCELLED;
}

int cmd_list(struct cli_options *o, struct cli_backend *b, struct cli_output *out)
{
    struct bht_job_info *jobs = NULL;
    size_t n = 0;
    bht_hr hr = b->be.bits->enum_jobs(b->be.bits_ctx, BHT_NAME_PREFIX, &jobs, &n);

    if (BHT_FAILED(hr))
        return call_failed(out, hr, "cannot list the BITS jobs");
    if (o->json) {
        fputs("{\"jobs\":[", stdout);
        for (size_t i = 0; i < n; i++) {
            const struct bht_job_info *j = &jobs[i];
            printf("%s{\"id\":", i ? "," : "");
            out_json_string(stdout, j->id);
            fputs(",\"name\":", stdout);
            out_json_string(stdout, j->display_name);
            printf(",\"state\":\"%s\",\"files_total\":%u,\"files_transferred\":%u,"
                   "\"bytes_transferred\":%llu,\"age_s\":%llu}",
                   bht_job_state_name(j->state), j->progress.files_total,
                   j->progress.files_transferred,
                   (unsigned long long)j->progress.bytes_transferred,
                   (unsigned long long)j->age_s);
        }
        fputs("]}\n", stdout);
    } else {
        if (n == 0 && !o->quiet)
            fprintf(stderr, "bitsht: no jobs of ours in the BITS queue\n");
        for (size_t i = 0; i < n; i++) {
            const struct bht_job_info *j = &jobs[i];
            printf("%s  %-15s  %u/%u files  %llu bytes  ", j->id, bht_job_state_name(j->state),
                   j->progress.files_transferred, j->progress.files_total,
                   (unsigned long long)j->progress.bytes_transferred);
            out_plain(stdout, j->display_name); /* any program may have named the job */
            putchar('\n');
        }
    }
    b->be.bits->free_mem(b->be.bits_ctx, jobs);
    return 0;
}

int cmd_cleanup(struct cli_options *o, struct cli_backend *b, struct cli_output *out)
{
    const struct bht_bits_ops *bits = b->be.bits;
    void *ctx = b->be.bits_ctx;
    struct bht_job_info *jobs = NULL;
    size_t n = 0, cancelled = 0, failed = 0;
    bht_hr hr = bits->enum_jobs(ctx, BHT_NAME_PREFIX, &jobs, &n);

    if (BHT_FAILED(hr))
        return call_failed(out, hr, "cannot list the BITS jobs");
    for (size_t i = 0; i < n; i++) {
        struct bht_job *job;
        char hrtext[64];

        if (is_final(jobs[i].state) || (o->older_than_given && jobs[i].age_s < o->older_than_s))
            continue;
        hr = bits->open_job(ctx, jobs[i].id, &job);
        if (BHT_SUCCEEDED(hr)) {
            hr = bits->cancel(ctx, job);
            bits->release(ctx, job);
        }
        if (BHT_SUCCEEDED(hr)) {
            cancelled++;
            if (!o->quiet && !o->json)
                fprintf(stderr, "bitsht: cancelled %s (%s, %s)\n", jobs[i].id,
                        jobs[i].display_name, bht_job_state_name(jobs[i].state));
        } else {
            failed++;
            fprintf(stderr, "bitsht: error: cannot cancel %s: %s\n", jobs[i].id,
                    bht_hr_format(hr, hrtext, sizeof hrtext));
        }
    }
    bits->free_mem(ctx, jobs);
    if (o->json)
        printf("{\"cancelled\":%zu,\"failed\":%zu}\n", cancelled, failed);
    else if (!o->quiet)
        printf("cancelled %zu job%s\n", cancelled, cancelled == 1 ? "" : "s");
    return failed ? 1 : 0;
}
