/* bitsht tests: a fake world with the standard cast, for the core's tests.
 *
 * owner CORP\bob (not admin) runs the jobs; CORP\alice (not admin) is the helper who may
 * read the restricted resources and write the restricted folder. */
#ifndef BITSHT_CORE_FIXTURE_H
#define BITSHT_CORE_FIXTURE_H

#include "bitsht/job.h"
#include "fake_world.h"

#define ALICE_PASSWORD "S3cret!"

struct core_fixture {
    char dir[512];        /* temp folder, free for everyone */
    char restricted[512]; /* temp folder writable only by CORP\alice */
    struct bht_fake_world *world;
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
/* Builds a new world in f (freeing the old one): the standard cast plus extra lines. */
void core_fixture_world(struct core_fixture *f, const char *extra);
/* A helper-token request for alice with flags, for n files (remote names given). */
void core_fixture_request(struct core_fixture *f, uint32_t flags, const char *const *remotes,
                          size_t n, int to_restricted);
/* The invariants every exit path keeps: reverted, token closed, password wiped, no job
 * of ours left in a non-final state (unless the report says so). */
void core_fixture_assert_clean(struct core_fixture *f);

#endif
