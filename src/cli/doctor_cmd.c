/* bitsht CLI: `bitsht doctor`. Runs the checks (src/core/doctor.c) and prints them: one
 * status line with the reason and one fix line per check on stdout, or with --json one
 * object listing every check. Exit 0 when nothing failed, 1 when a check failed (bad
 * input, 2, never reaches here). */
#include <stdio.h>
#include <string.h>

#include "bitsht/doctor.h"
#include "commands.h"

static void print_text(const struct bht_doctor_report *rep)
{
    unsigned counts[4] = {0, 0, 0, 0};

    for (size_t i = 0; i < rep->count; i++) {
        const struct bht_check *c = &rep->checks[i];

        counts[c->status]++;
        printf("%-8s %-21s %s\n", bht_check_status_name(c->status), bht_check_id_name(c->id),
               c->reason);
        printf("%-8s %-21s fix: %s\n", "", "", c->fix);
    }
    printf("%u pass, %u warn, %u fail, %u unknown\n", counts[BHT_CHECK_PASS],
           counts[BHT_CHECK_WARN], counts[BHT_CHECK_FAIL], counts[BHT_CHECK_UNKNOWN]);
}

static void print_json(const struct bht_doctor_report *rep, int code)
{
    fputs("{\"checks\":[", stdout);
    for (size_t i = 0; i < rep->count; i++) {
        const struct bht_check *c = &rep->checks[i];

        printf("%s{\"id\":\"%s\",\"status\":\"%s\",\"reason\":", i ? "," : "",
               bht_check_id_name(c->id), bht_check_status_name(c->status));
        out_json_string(stdout, c->reason);
        fputs(",\"fix\":", stdout);
        out_json_string(stdout, c->fix);
        fputs(",\"hresult\":", stdout);
        if (BHT_FAILED(c->hr))
            out_hr_json(stdout, c->hr);
        else
            fputs("null", stdout);
        fputc('}', stdout);
    }
    printf("],\"exit_code\":%d}\n", code);
    fflush(stdout);
}

int cmd_doctor(struct cli_options *o, struct cli_backend *b, struct cli_output *out,
               char *password, bht_hr bits_open_hr)
{
    struct bht_doctor_request req;
    struct bht_doctor_report rep;
    int code;

    memset(&req, 0, sizeof req);
    req.bits_open_hr = bits_open_hr;
    req.with_helper = o->user_arg != NULL;
    req.domain = o->domain;
    req.user = o->user;
    req.user_arg = o->user_arg;
    req.password = password;
    req.logon_type = o->logon_type;
    req.token_flags = o->token_flags;
    bht_run_doctor(&b->be, &req, &rep);
    code = bht_doctor_exit_code(&rep);
    if (out->json)
        print_json(&rep, code);
    else
        print_text(&rep);
    if (rep.probe_left_in_queue)
        out_warning("a throw-away doctor job could not be cancelled and is still in the BITS "
                    "queue: run 'bitsht cleanup'");
    return code;
}
