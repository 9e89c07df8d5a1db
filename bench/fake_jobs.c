/* bitsht bench: complete helper-token transfers per second through the core on the fake
 * backend (issue 8, figure fake_jobs_per_s).
 *
 * Each round builds one fake world and runs `count` whole flows through bht_run_transfer
 * in it: create_job, token options, logon, impersonate, set_helper_token, flags, revert,
 * add_file, resume, wait, complete, close (docs/design.md "The core flow"). The destination
 * folder is writable only by the helper, so every job needs its LOCAL_FILE helper token
 * (C101) to succeed: a broken token path shows up as a failed run, not a fast one. Files
 * are real, so they are small; each delivered file is checked and removed between jobs,
 * outside the timed section. Only the bht_run_transfer calls are timed.
 *
 * Prints one line per figure, "name value unit", medians over the rounds. Not a test:
 * nothing here asserts a time; it exits non-zero only when a transfer does not succeed. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bitsht/job.h"
#include "bitsht/fake_world.h"

#define HELPER_PASSWORD "bench-pw"
#define RESOURCE_URL "https://bench.example/small.bin"
#define RESOURCE_SIZE 512u

struct bench_dirs {
    char root[512];
    char dest[600]; /* writable only by the helper (fake folder rule) */
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static struct bht_fake_world *make_world(const struct bench_dirs *d)
{
    struct bht_fake_world *w = bht_fake_world_new();
    char text[2048], err[512];

    if (!w)
        return NULL;
    /* The owner may not write dest; only CORP\helper may (C101: LOCAL_FILE makes the helper
     * the destination writer). The machine-wide job limit is lifted: with the default of
     * 300 (C06) the queue limit, not the flow, would decide the 10,000-job round. */
    snprintf(text, sizeof text,
             "user CORP\\owner password=owner-pw\n"
             "user CORP\\helper password=" HELPER_PASSWORD "\n"
             "option owner=CORP\\owner\n"
             "option max-jobs-per-machine=1000000\n"
             "option max-jobs-per-user=1000000\n"
             "resource " RESOURCE_URL " size=%u\n"
             "folder %s writable-by=CORP\\helper\n",
             RESOURCE_SIZE, d->dest);
    if (BHT_FAILED(bht_fake_world_parse(w, text, "bench-world", err, sizeof err))) {
        fprintf(stderr, "fake_jobs: world: %s\n", err);
        bht_fake_world_free(w);
        return NULL;
    }
    /* The call log is for tests; a ring of the last lines costs the same per op either
     * way, but the benchmark measures the flow, not log formatting. */
    bht_fake_set_log_limit(w, 0);
    return w;
}

/* Runs count transfers in one world; returns the seconds spent inside bht_run_transfer,
 * or a negative value when a transfer did not succeed. *out_growth is the time of the last
 * tenth of the jobs over the time of the first tenth: about 1 when a job costs the same
 * however many jobs the world has seen (0 when count < 10). */
static double run_round(const struct bench_dirs *d, unsigned count, double *out_growth)
{
    struct bht_fake_world *w = make_world(d);
    struct bht_backend be;
    struct bht_file_pair file;
    struct bht_request req;
    struct bht_report rep;
    char local[700], password[32];
    double spent = 0.0, first_tenth = 0.0, last_tenth = 0.0;
    unsigned tenth = count / 10;
    struct stat sb;

    if (!w)
        return -1.0;
    bht_fake_backend(w, &be);
    snprintf(local, sizeof local, "%s/out.bin", d->dest);
    file.remote = RESOURCE_URL;
    file.local = local;
    for (unsigned i = 0; i < count; i++) {
        double t0, t1;

        memset(&req, 0, sizeof req);
        strcpy(password, HELPER_PASSWORD); /* the flow wipes it after logon */
        req.display_name = "bench";
        req.files = &file;
        req.file_count = 1;
        req.use_helper_token = 1;
        req.domain = "CORP";
        req.user = "helper";
        req.password = password;
        req.token_flags = BHT_TOKEN_LOCAL_FILE;
        req.logon_type = BHT_LOGON_INTERACTIVE;
        req.priority = -1;
        req.timeout_s = 900;
        req.max_transient = -1;

        t0 = now_s();
        bht_run_transfer(&be, &req, &rep);
        t1 = now_s();
        spent += t1 - t0;
        if (i < tenth)
            first_tenth += t1 - t0;
        else if (i >= count - tenth)
            last_tenth += t1 - t0;
        if (rep.outcome != BHT_OUTCOME_SUCCESS || stat(local, &sb) != 0 ||
            (unsigned long long)sb.st_size != RESOURCE_SIZE) {
            char hr[64];
            fprintf(stderr, "fake_jobs: job %u of %u: outcome %s at step %s, hr %s: %s\n",
                    i + 1, count, bht_outcome_name(rep.outcome), bht_step_name(rep.failed_step),
                    bht_hr_format(rep.hr, hr, sizeof hr), rep.detail);
            bht_fake_world_free(w);
            return -1.0;
        }
        remove(local);
    }
    if (bht_fake_open_tokens(w) != 0 || bht_fake_impersonation_depth(w) != 0) {
        fprintf(stderr, "fake_jobs: the flow left %u tokens open, depth %u\n",
                bht_fake_open_tokens(w), bht_fake_impersonation_depth(w));
        spent = -1.0;
    }
    bht_fake_world_free(w);
    *out_growth = tenth && first_tenth > 0.0 ? last_tenth / first_tenth : 0.0;
    return spent;
}

static int make_dirs(struct bench_dirs *d)
{
    const char *base = getenv("TMPDIR");

    snprintf(d->root, sizeof d->root, "%s/bht-bench-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(d->root)) {
        fprintf(stderr, "fake_jobs: mkdtemp %s: %s\n", d->root, strerror(errno));
        return -1;
    }
    snprintf(d->dest, sizeof d->dest, "%s/dest", d->root);
    if (mkdir(d->dest, 0700) != 0) {
        fprintf(stderr, "fake_jobs: mkdir %s: %s\n", d->dest, strerror(errno));
        rmdir(d->root);
        return -1;
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_fake_jobs [COUNT:ROUNDS ...]   (default 1:201 100:21 10000:5)\n");
}

int main(int argc, char **argv)
{
    static const char *const defaults[] = { "1:201", "100:21", "10000:5" };
    const char *const *specs = defaults;
    int n_specs = 3, rc = 0;
    struct bench_dirs d;

    if (argc > 1) {
        if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
            usage();
            return 0;
        }
        specs = (const char *const *)(argv + 1);
        n_specs = argc - 1;
    }
    if (make_dirs(&d) != 0)
        return 1;
    for (int s = 0; s < n_specs && rc == 0; s++) {
        unsigned count, rounds;
        double *rates, *spent, *growth;
        char tail;

        if (sscanf(specs[s], "%u:%u%c", &count, &rounds, &tail) != 2 || !count || !rounds) {
            usage();
            rc = 2;
            break;
        }
        rates = calloc(rounds, sizeof *rates);
        spent = calloc(rounds, sizeof *spent);
        growth = calloc(rounds, sizeof *growth);
        if (!rates || !spent || !growth) {
            free(rates);
            free(spent);
            free(growth);
            rc = 1;
            break;
        }
        for (unsigned r = 0; r < rounds; r++) {
            double t = run_round(&d, count, &growth[r]);
            if (t <= 0.0) {
                rc = 1;
                break;
            }
            spent[r] = t;
            rates[r] = count / t;
        }
        if (rc == 0) {
            /* per-job cost in microseconds beside the rate: linear cost means this stays
             * flat from 1 to 10,000 jobs in one world */
            printf("fake_jobs_per_s_%u %.0f jobs/s\n", count, median(rates, rounds));
            for (unsigned r = 0; r < rounds; r++)
                spent[r] = spent[r] * 1e6 / count;
            printf("fake_job_us_%u %.2f us\n", count, median(spent, rounds));
            if (count >= 100)
                printf("fake_job_cost_last_vs_first_tenth_%u %.2f ratio\n", count,
                       median(growth, rounds));
            fflush(stdout);
        }
        free(rates);
        free(spent);
        free(growth);
    }
    rmdir(d.dest);
    rmdir(d.root);
    return rc;
}
