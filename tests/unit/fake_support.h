/* bitsht fake tests: one fixture for every fake_*.c test file.
 *
 * A fresh world per test with a standard cast, a temporary folder of its own (and a
 * "restricted" sub-folder only CORP\alice may write), the two ops structs, and helpers to
 * read the files the fake writes. Runs natively and as .exe under Wine. */
#ifndef BITSHT_FAKE_SUPPORT_H
#define BITSHT_FAKE_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "bitsht/fake_world.h"

/* CORP\bob (not admin) is the process identity and owns the jobs; CORP\alice (not admin)
 * may read the restricted resources and write the restricted folder; CORP\root is an
 * admin; CORP\carol may only log on over the network. */
#define FAKE_T_STANDARD_WORLD                                                                  \
    "user CORP\\alice password=S3cret!\n"                                                      \
    "user CORP\\bob password=hunter2\n"                                                        \
    "user CORP\\root password=toor admin\n"                                                    \
    "user CORP\\carol password=pw logon=network\n"                                             \
    "resource https://files.corp.example/q3.pdf size=1048576 rate=65536 "                      \
    "readable-by=CORP\\alice auth=network\n"                                                   \
    "resource \\\\fs01\\finance\\ledger.xlsx size=4096 readable-by=CORP\\alice\n"              \
    "resource https://cdn.example/public.bin size=3000\n"                                      \
    "resource https://cdn.example/big.iso size=100000 transient=3\n"                           \
    "resource https://cdn.example/gone fail=0x80190194\n"                                      \
    "resource https://cdn.example/stuck size=100 stall\n"                                      \
    "resource https://cdn.example/flaky size=50000 rate=1000 drop-token-after=20000\n"

#define PUBLIC_URL "https://cdn.example/public.bin"
#define PUBLIC_SIZE 3000u

struct fake_t {
    char dir[512];
    char restricted[512];
    struct bht_fake_world *w;
    const struct bht_bits_ops *b;
    const struct bht_identity_ops *id;
    struct bht_job *job; /* created by fake_t_setup_job; released by the teardown */
};

/* cmocka fixtures: *state is a struct fake_t *. */
int fake_t_setup(void **state);     /* standard world, no job */
int fake_t_setup_job(void **state); /* standard world and one new job in t->job */
int fake_t_teardown(void **state);

/* Replaces the world: the standard cast (plus the restricted folder) and extra lines;
 * "option owner=CORP\bob" unless extra names another owner. */
void fake_t_world(struct fake_t *t, const char *extra);
/* dir/name into out (a path in the test's own folder). */
void fake_t_path(const struct fake_t *t, char *out, size_t size, const char *name);
void fake_t_restricted_path(const struct fake_t *t, char *out, size_t size, const char *name);
/* A new job "bitsht:test" (asserts S_OK). */
struct bht_job *fake_t_new_job(struct fake_t *t);
/* The job's state (asserts get_state succeeds; the output is poisoned first). */
enum bht_job_state fake_t_state(struct fake_t *t, struct bht_job *job);
/* add_file(remote, <test folder>/name) to t->job, asserting S_OK; the local path goes to
 * out_local (600 bytes). */
void fake_t_add(struct fake_t *t, const char *remote, const char *name, char *out_local);
/* wait() until the state is one to act on; fails the test after 1000 waits. */
enum bht_job_state fake_t_run(struct fake_t *t, struct bht_job *job);
/* Logs on as CORP\alice, impersonates, sets the helper token and flags, reverts, closes. */
void fake_t_set_alice_helper(struct fake_t *t, struct bht_job *job, uint32_t flags);
/* The same with another logon type. */
void fake_t_set_alice_helper_as(struct fake_t *t, struct bht_job *job, uint32_t flags,
                                enum bht_logon_type type);
/* t->job's error object has this context and code (asserts get_error succeeds). */
void fake_t_expect_error(struct fake_t *t, enum bht_error_context ctx, bht_hr code);
/* ... and names this remote file, with both descriptions (C66, C68; windows profile). */
void fake_t_expect_file_error(struct fake_t *t, enum bht_error_context ctx, bht_hr code,
                              const char *remote);

/* Files */
long long fake_t_file_size(const char *path); /* -1 when absent */
int fake_t_file_is_pattern(const char *path, uint64_t size); /* bytes i % 251 */
void fake_t_write_file(const char *path, const char *data, size_t n);
/* Descriptors this process has open (Linux); -1 where it cannot tell. */
int fake_t_open_fds(void);
/* The whole file, NUL-terminated (free it); its length in *out_n. */
char *fake_t_read_file(const char *path, size_t *out_n);
int fake_t_count_temporaries(const char *dir); /* entries named .BIT*.tmp */
void fake_t_mkdir(const char *path);
void fake_t_rmdir(const char *path); /* an empty folder */

/* The world's log must contain an entry starting with prefix. */
int fake_t_log_has(const struct fake_t *t, const char *prefix);

#define assert_hr(expected, actual) \
    fake_t_assert_hr((bht_hr)(expected), (bht_hr)(actual), #actual, __FILE__, __LINE__)
void fake_t_assert_hr(bht_hr expected, bht_hr actual, const char *expr, const char *file,
                      int line);
#define assert_state(expected, actual) \
    fake_t_assert_state((expected), (actual), __FILE__, __LINE__)
void fake_t_assert_state(enum bht_job_state expected, enum bht_job_state actual,
                         const char *file, int line);

#endif
