/* bitsht CLI: output. People get one line per stage on stderr (and a live bar when
 * stderr is a terminal); --json gets one object on stdout. Nothing here ever receives
 * the password, so nothing here can print it. */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "terminal.h"
#include "utf8.h"

#define BAR_REDRAW_MS 100 /* at most ~10 redraws a second */

void out_init(struct cli_output *out, int json, int quiet)
{
    memset(out, 0, sizeof *out);
    out->json = json;
    out->quiet = quiet;
    out->tty = !quiet && cli_is_terminal(stderr);
}

static void clear_bar(struct cli_output *out)
{
    if (out->bar_drawn) {
        fputs("\r\033[K", stderr);
        out->bar_drawn = 0;
    }
}

static void human_bytes(uint64_t n, char *buf, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)n;
    int u = 0;

    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, size, "%llu B", (unsigned long long)n);
    else
        snprintf(buf, size, "%.1f %s", v, units[u]);
}

static void draw_bar(struct cli_output *out, const struct bht_event *ev)
{
    const struct bht_progress *p = &ev->progress;
    char done[32], total[32], rate[32];
    double secs = (double)ev->elapsed_ms / 1000.0;
    double bps = secs > 0 ? (double)p->bytes_transferred / secs : 0;
    int known = p->bytes_total != BHT_SIZE_UNKNOWN && p->bytes_total > 0;
    int pct = known ? (int)(p->bytes_transferred * 100 / p->bytes_total) : 0;
    char bar[21];

    if (out->bar_drawn && ev->elapsed_ms - out->last_draw_ms < BAR_REDRAW_MS)
        return;
    out->last_draw_ms = ev->elapsed_ms;
    for (int i = 0; i < 20; i++)
        bar[i] = known && i < pct / 5 ? '#' : '.';
    bar[20] = '\0';
    human_bytes(p->bytes_transferred, done, sizeof done);
    human_bytes(known ? p->bytes_total : 0, total, sizeof total);
    human_bytes((uint64_t)bps, rate, sizeof rate);
    fprintf(stderr, "\r\033[K[%s] %3d%%  %s / %s  %s/s", bar, pct, done, known ? total : "?",
            rate);
    if (known && bps > 0 && p->bytes_total > p->bytes_transferred)
        fprintf(stderr, "  ETA %.0fs", (double)(p->bytes_total - p->bytes_transferred) / bps);
    fflush(stderr);
    out->bar_drawn = 1;
}

static const char *stage_text(enum bht_step step)
{
    switch (step) {
    case BHT_STEP_VALIDATE: return "checking the request";
    case BHT_STEP_CREATE_JOB: return "creating the BITS job";
    case BHT_STEP_TOKEN_OPTIONS: return "asking the job for IBitsTokenOptions (as the job owner)";
    case BHT_STEP_LOGON: return "logging on the helper user";
    case BHT_STEP_IMPERSONATE: return "impersonating the helper user";
    case BHT_STEP_SET_HELPER_TOKEN: return "handing the helper token to BITS";
    case BHT_STEP_SET_TOKEN_FLAGS: return "setting the helper token flags";
    case BHT_STEP_REVERT: return "reverting to the job owner";
    case BHT_STEP_SET_CREDENTIALS: return "enabling implicit credentials for HTTP authentication";
    case BHT_STEP_SET_PRIORITY: return "setting the job priority";
    case BHT_STEP_SET_COST_FLAGS: return "letting the job transfer on metered networks";
    case BHT_STEP_ADD_FILE: return "adding the files";
    case BHT_STEP_RESUME: return "starting the transfer";
    case BHT_STEP_WAIT: return "waiting for BITS";
    case BHT_STEP_COMPLETE: return "completing the job (the files appear now)";
    case BHT_STEP_CANCEL: return "cancelling the job";
    default: return NULL;
    }
}

void out_event(void *user, const struct bht_event *ev)
{
    struct cli_output *out = user;
    const char *text;
    char hrtext[64];

    if (ev->kind == BHT_EVENT_COST_FLAGS_UNSUPPORTED) {
        clear_bar(out);
        out_warning("--allow-metered: this BITS cannot set job cost flags (no "
                    "IBackgroundCopyJob5); the job keeps BITS's cost policy and may wait on a "
                    "metered network");
        return;
    }
    if (out->quiet)
        return;
    switch (ev->kind) {
    case BHT_EVENT_STAGE:
        text = stage_text(ev->step);
        if (!text)
            return;
        clear_bar(out);
        if (ev->step == BHT_STEP_LOGON && out->user && out->new_credentials)
            /* C115: LogonUser clones our token; the credentials go to servers unchecked */
            fprintf(stderr,
                    "bitsht: logging on %s with new-credentials: the token is your own (the "
                    "helper SID BITS reports is yours), %s's credentials are used only toward "
                    "servers, and the password is not checked now: a wrong one shows later "
                    "as HTTP 401 or access denied\n",
                    out->user, out->user);
        else if (ev->step == BHT_STEP_LOGON && out->user)
            fprintf(stderr, "bitsht: logging on %s\n", out->user);
        else if (ev->step == BHT_STEP_SET_TOKEN_FLAGS && out->flags_text)
            fprintf(stderr, "bitsht: setting the helper token flags (%s)\n", out->flags_text);
        else if (ev->step == BHT_STEP_ADD_FILE && ev->job_id[0])
            fprintf(stderr, "bitsht: adding the files to job %s\n", ev->job_id);
        else
            fprintf(stderr, "bitsht: %s\n", text);
        break;
    case BHT_EVENT_STATE:
        clear_bar(out);
        fprintf(stderr, "bitsht: job state %s\n", bht_job_state_name(ev->state));
        break;
    case BHT_EVENT_TRANSIENT:
        clear_bar(out);
        if (ev->error)
            fprintf(stderr, "bitsht: transient error %s: %s; BITS will retry\n",
                    bht_hr_format(ev->error->code, hrtext, sizeof hrtext),
                    bht_hr_message(ev->error->code));
        else
            fprintf(stderr, "bitsht: transient error; BITS will retry\n");
        break;
    case BHT_EVENT_TOKEN_RECOVERY:
        clear_bar(out);
        fprintf(stderr, "bitsht: BITS dropped the helper token; setting it again\n");
        break;
    case BHT_EVENT_PROGRESS:
        if (out->tty)
            draw_bar(out, ev);
        break;
    default:
        break;
    }
}

/* Always valid JSON: quotes, backslashes and control characters escaped, and any byte
 * that is not part of valid UTF-8 (a raw path in a detail, a name from a state file)
 * replaced by U+FFFD. */
void out_json_string(FILE *f, const char *s)
{
    size_t left = s ? strlen(s) : 0;

    fputc('"', f);
    while (left) {
        unsigned char c = (unsigned char)*s;
        uint32_t cp;
        size_t len = 1;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20 || c == 0x7F)
            fprintf(f, "\\u%04x", c);
        else if (c < 0x80)
            fputc(c, f);
        else if ((len = bht_utf8_decode(s, left, &cp)) != 0)
            fwrite(s, 1, len, f);
        else {
            fputs("\\ufffd", f);
            len = 1;
        }
        s += len;
        left -= len;
    }
    fputc('"', f);
}

void out_plain(FILE *f, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    while (n && strchr("\r\n\t ", s[n - 1])) /* Windows messages end with CRLF */
        n--;
    for (size_t i = 0; i < n; i++)
        fputc(((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F ? '?' : s[i], f);
}

void out_hr_json(FILE *f, bht_hr hr)
{
    const char *name = bht_hr_name(hr);

    fprintf(f, "{\"hex\":\"0x%08X\",\"name\":", (unsigned)(uint32_t)hr);
    if (name)
        out_json_string(f, name);
    else
        fputs("null", f);
    fputs(",\"message\":", f);
    out_json_string(f, bht_hr_message(hr));
    fputc('}', f);
}

static void report_json(const struct bht_report *rep, int code)
{
    FILE *f = stdout;

    fprintf(f, "{\"outcome\":\"%s\",\"exit_code\":%d,\"failed_step\":",
            bht_outcome_name(rep->outcome), code);
    if (rep->failed_step == BHT_STEP_NONE)
        fputs("null", f);
    else
        out_json_string(f, bht_step_name(rep->failed_step));
    fputs(",\"hresult\":", f);
    out_hr_json(f, rep->hr);
    fputs(",\"detail\":", f);
    out_json_string(f, rep->detail);
    fputs(",\"bits_error\":", f);
    if (rep->has_bits_error) {
        fprintf(f, "{\"context\":\"%s\",\"context_code\":%d,\"code\":",
                bht_error_context_name(rep->bits_error.context), (int)rep->bits_error.context);
        out_hr_json(f, rep->bits_error.code);
        fputs(",\"description\":", f);
        out_json_string(f, rep->bits_error.description);
        fputs(",\"context_description\":", f);
        out_json_string(f, rep->bits_error.context_description);
        fputs(",\"file\":", f);
        out_json_string(f, rep->bits_error.remote_name);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    fputs(",\"job_id\":", f);
    if (rep->job_id[0])
        out_json_string(f, rep->job_id);
    else
        fputs("null", f);
    fprintf(f, ",\"final_state\":");
    if (rep->job_created)
        out_json_string(f, bht_job_state_name(rep->final_state));
    else
        fputs("null", f);
    fprintf(f, ",\"job_left_in_queue\":%s", rep->job_left_in_queue ? "true" : "false");
    fprintf(f, ",\"files\":{\"total\":%u,\"transferred\":%u}", rep->progress.files_total,
            rep->progress.files_transferred);
    fputs(",\"bytes\":{\"total\":", f);
    if (rep->progress.bytes_total == BHT_SIZE_UNKNOWN)
        fputs("null", f);
    else
        fprintf(f, "%llu", (unsigned long long)rep->progress.bytes_total);
    fprintf(f, ",\"transferred\":%llu}", (unsigned long long)rep->progress.bytes_transferred);
    fprintf(f, ",\"cost_flags\":%s", rep->cost_flags > 0   ? "\"transfer_always\""
                                     : rep->cost_flags < 0 ? "\"unsupported\""
                                                           : "null");
    fprintf(f, ",\"transient_errors\":%u,\"token_recoveries\":%d,\"elapsed_ms\":%llu}\n",
            rep->transient_errors, rep->token_recoveries, (unsigned long long)rep->elapsed_ms);
    fflush(f);
}

/* HTTP 401 or access denied while transferring: what a wrong new-credentials password
 * gives (C115). */
static int refused_by_a_server(const struct bht_report *rep)
{
    return rep->failed_step == BHT_STEP_TRANSFER &&
           (rep->hr == BHT_BG_E_HTTP_ERROR(401) || rep->hr == E_ACCESSDENIED);
}

static void report_text(struct cli_output *out, const struct bht_report *rep)
{
    char hrtext[64], bytes[32];

    clear_bar(out);
    if (rep->outcome == BHT_OUTCOME_SUCCESS) {
        human_bytes(rep->progress.bytes_transferred, bytes, sizeof bytes);
        if (!out->quiet)
            printf("transferred %u file%s, %s in %.1f s (job %s)\n",
                   rep->progress.files_transferred, rep->progress.files_transferred == 1 ? "" : "s",
                   bytes, (double)rep->elapsed_ms / 1000.0, rep->job_id);
        return;
    }
    fputs("bitsht: error: ", stderr);
    out_plain(stderr, rep->detail);
    fprintf(stderr, " (step %s)\n", bht_step_name(rep->failed_step));
    fprintf(stderr, "bitsht:   %s: %s\n", bht_hr_format(rep->hr, hrtext, sizeof hrtext),
            bht_hr_message(rep->hr));
    if (rep->has_bits_error) {
        fprintf(stderr, "bitsht:   BITS error context %s", bht_error_context_name(rep->bits_error.context));
        if (rep->bits_error.remote_name[0]) {
            fputs(", file ", stderr);
            out_plain(stderr, rep->bits_error.remote_name);
        }
        fputc('\n', stderr);
        if (rep->bits_error.description[0]) {
            fputs("bitsht:   BITS says: ", stderr);
            out_plain(stderr, rep->bits_error.description);
            fputc('\n', stderr);
        }
    }
    if (rep->job_created)
        fprintf(stderr, "bitsht:   job %s ended %s\n", rep->job_id[0] ? rep->job_id : "(unknown id)",
                bht_job_state_name(rep->final_state));
    if (out->new_credentials && refused_by_a_server(rep))
        fprintf(stderr, "bitsht:   with --logon-type new-credentials the password is checked "
                        "only by the server: a wrong password for %s looks exactly like this\n",
                out->user ? out->user : "the helper");
}

int out_report(struct cli_output *out, const struct bht_report *rep)
{
    int code = bht_outcome_exit_code(rep->outcome);

    if (out->json)
        report_json(rep, code);
    else
        report_text(out, rep);
    if (rep->outcome == BHT_OUTCOME_UNAVAILABLE && rep->job_created)
        /* the service went away mid-run: whether the job survived is unknowable now */
        out_warning("BITS became unavailable during the transfer: the job may still be in "
                    "the BITS queue; 'bitsht cleanup' removes it once BITS is back");
    else if (rep->job_left_in_queue)
        out_warning("the job could not be cancelled and is still in the BITS queue: "
                    "run 'bitsht cleanup'");
    return code;
}

int out_error(struct cli_output *out, int exit_code, bht_hr hr, const char *message)
{
    static const enum bht_outcome by_code[] = {
        BHT_OUTCOME_SUCCESS, BHT_OUTCOME_TRANSFER_FAILED, BHT_OUTCOME_BAD_INPUT,
        BHT_OUTCOME_TOKEN_FAILED, BHT_OUTCOME_TIMEOUT, BHT_OUTCOME_UNAVAILABLE,
    };

    clear_bar(out);
    if (out->json) {
        enum bht_outcome o = exit_code >= 0 && exit_code <= 5 ? by_code[exit_code]
                                                              : BHT_OUTCOME_TRANSFER_FAILED;
        printf("{\"outcome\":\"%s\",\"exit_code\":%d,\"failed_step\":\"%s\",\"hresult\":",
               bht_outcome_name(o), exit_code, exit_code == 2 ? "validate" : "backend");
        out_hr_json(stdout, hr);
        fputs(",\"detail\":", stdout);
        out_json_string(stdout, message);
        fputs(",\"bits_error\":null,\"job_id\":null}\n", stdout);
        fflush(stdout);
    }
    fputs("bitsht: error: ", stderr);
    out_plain(stderr, message);
    fputc('\n', stderr);
    return exit_code;
}

int out_check_stdout(int exit_code, int output_is_the_result)
{
    /* errno is known only if this flush fails; an earlier failed write left ferror */
    int lost = fflush(stdout) != 0 ? errno : ferror(stdout) ? -1 : 0;

    if (!lost)
        return exit_code;
    fprintf(stderr, "bitsht: error: cannot write to standard output: %s\n",
            lost > 0 ? strerror(lost) : "a write failed");
    return exit_code == 0 && output_is_the_result ? 1 : exit_code;
}

void out_warning(const char *message)
{
    fprintf(stderr, "bitsht: warning: %s\n", message);
}
