/* bitsht tests: the core's fixture, built on the fake tests' one (fake_support.h: a fresh
 * world with the standard cast, its own temporary folder and a folder only CORP\alice may
 * write) plus a helper-token request for CORP\alice and the report it produces. */
#ifndef BITSHT_CORE_FIXTURE_H
#define BITSHT_CORE_FIXTURE_H

#include "bitsht/job.h"
#include "fake_support.h"

#define ALICE_PASSWORD "S3cret!"

struct core_fixture {
    struct fake_t *t;
    struct bht_backend be;
    char password[64];
    struct bht_file_pair files[4];
    char local[4][600];
    struct bht_request req;
    struct bht_report rep;
};

/* cmocka setup/teardown: state is a struct core_fixture *. */
int core_fixture_setup(void **state);
int core_fixture_teardown(void **state);
/* Replaces the world: the standard cast plus extra lines. */
void core_fixture_world(struct core_fixture *f, const char *extra);
/* A helper-token request for alice with flags (0: no helper token), for n files (remote
 * names given), into the test's folder or the restricted one. */
void core_fixture_request(struct core_fixture *f, uint32_t flags, const char *const *remotes,
                          size_t n, int to_restricted);
/* The invariants every exit path keeps: reverted, token closed, password wiped, no job
 * of ours left in a non-final state (unless the report says so). */
void core_fixture_assert_clean(struct core_fixture *f);

#endif
