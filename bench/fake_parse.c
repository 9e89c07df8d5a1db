/* bitsht bench: how the fake's parsers scale (issue 13 item 17, figures parse_*).
 *
 * Three inputs at 1k, 10k and 100k lines: a world of N resources (each readable by one
 * of the users), a world of N users, and a state file of N jobs of one file each (over a
 * world with 100 users). Each is parsed from memory (worlds) or loaded from a temporary
 * file (state) in a fresh world; only the parse or load call is timed, in CPU time (a
 * shared machine makes wall time noise). Prints, per input,
 * "parse_<what>_<N>_ms" for each size (median of the repetitions) and
 * "parse_<what>_ratio" = time(100k) / time(1k): about 100 for a linear parser, about
 * 10,000 for a quadratic one. Not a test: nothing here asserts a time; it exits non-zero
 * only when a parse fails. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bitsht/fake_world.h"

#define USERS_FOR_STATE 100u

struct text {
    char *s;
    size_t n, cap;
};

static void put(struct text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int k;

    for (;;) {
        va_start(ap, fmt);
        k = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
        va_end(ap);
        if (k >= 0 && (size_t)k < t->cap - t->n) {
            t->n += (size_t)k;
            return;
        }
        t->cap = t->cap ? 2 * t->cap : 1 << 20;
        t->s = realloc(t->s, t->cap);
        if (!t->s) {
            fprintf(stderr, "bench_fake_parse: out of memory\n");
            exit(1);
        }
    }
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void users(struct text *t, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        put(t, "user CORP\\user%u password=pw%u\n", i, i);
}

static void world_of_resources(struct text *t, unsigned n)
{
    users(t, USERS_FOR_STATE);
    for (unsigned i = 0; i < n; i++)
        put(t, "resource https://bench.example/r%u size=%u readable-by=CORP\\user%u\n", i,
            i % 4096, i % USERS_FOR_STATE);
}

static void state_of_jobs(struct text *t, unsigned n)
{
    put(t, "bitsht-fake-state 1\nclock 1000\nnext-serial %u\n", n + 1);
    for (unsigned i = 1; i <= n; i++) {
        put(t, "job {%08X-FA4E-4B17-9B17-0000B175B175} 3 =CORP\\user%u 2 3 0 0 - - 0 - - 0 1 "
               "0 0 0x00000000 -1 1 =bitsht:job%u\n",
            i, i % USERS_FOR_STATE, i);
        put(t, "file 0 0 0 - 0 =https://bench.example/r%u =/tmp/bench/f%u -\n", i, i);
    }
    put(t, "end %u\n", n);
}

/* One timed parse; exits on a parse error. */
static double time_one(const char *what, const struct text *t, const char *state_path)
{
    struct bht_fake_world *w = bht_fake_world_new();
    struct text world = {0};
    char err[512];
    double start, ms;
    bht_hr hr;

    if (!w)
        exit(1);
    if (state_path) {
        users(&world, USERS_FOR_STATE);
        if (bht_fake_world_parse(w, world.s, "users", err, sizeof err) != S_OK) {
            fprintf(stderr, "bench_fake_parse: %s\n", err);
            exit(1);
        }
        free(world.s);
        start = now_ms();
        hr = bht_fake_state_load(w, state_path, err, sizeof err);
    } else {
        start = now_ms();
        hr = bht_fake_world_parse(w, t->s, what, err, sizeof err);
    }
    ms = now_ms() - start;
    bht_fake_world_free(w);
    if (hr != S_OK) {
        fprintf(stderr, "bench_fake_parse: %s: %s\n", what, err);
        exit(1);
    }
    return ms;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    static const unsigned sizes[] = {1000, 10000, 100000};
    static const char *const kinds[] = {"world_resources", "world_users", "state_jobs"};
    int reps = argc > 1 ? atoi(argv[1]) : 3;
    char dir[] = "/tmp/bht-bench-parse-XXXXXX", path[64];

    if (reps < 1 || reps > 99 || !mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/q.state", dir);
    for (size_t k = 0; k < 3; k++) {
        double median[3];
        for (size_t s = 0; s < 3; s++) {
            struct text t = {0};
            double runs[99];
            if (k == 0)
                world_of_resources(&t, sizes[s]);
            else if (k == 1)
                users(&t, sizes[s]);
            else
                state_of_jobs(&t, sizes[s]);
            if (k == 2) {
                FILE *fp = fopen(path, "wb");
                if (!fp || fwrite(t.s, 1, t.n, fp) != t.n || fclose(fp) != 0)
                    return 1;
            }
            for (int r = 0; r < reps; r++)
                runs[r] = time_one(kinds[k], &t, k == 2 ? path : NULL);
            qsort(runs, (size_t)reps, sizeof runs[0], cmp_double);
            median[s] = runs[reps / 2];
            printf("parse_%s_%u_ms %.2f ms\n", kinds[k], sizes[s], median[s]);
            fflush(stdout);
            free(t.s);
        }
        printf("parse_%s_ratio %.1f x\n", kinds[k], median[2] / (median[0] > 0 ? median[0] : 1e-3));
    }
    remove(path);
    rmdir(dir);
    return 0;
}
