/* bitsht fake: the hash index behind user, resource and job lookups (fakes/fake_index.c).
 *
 * Open addressing with linear probing, at most half full, and backward-shift removal. The
 * tests choose the hashes, so every record's home slot (hash & (cap - 1)) is known and the
 * slots are checked one by one: collisions, runs that wrap past the last slot, removal
 * from the middle and the wrapped end of a run, growth and the rehash it does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../fakes/fake_internal.h"

static int records[16];
#define REC(k) ((void *)&records[(k)])

/* The records stored under hash, in the order fake_index_next gives them, into out. */
static size_t all_under(const struct fake_index *ix, uint64_t hash, void **out, size_t max)
{
    size_t cursor = 0, n = 0;
    void *v;

    while ((v = fake_index_next(ix, hash, &cursor)) != NULL) {
        assert_true(n < max);
        out[n++] = v;
    }
    return n;
}

static void expect_only(const struct fake_index *ix, uint64_t hash, void *want)
{
    void *got[4];

    assert_int_equal(all_under(ix, hash, got, 4), want ? 1 : 0);
    if (want)
        assert_ptr_equal(got[0], want);
}

static void hash_is_fnv1a_and_folds_ascii_letters_only(void **state)
{
    (void)state;
    /* FNV-1a 64: the offset basis for "", and the published value of "a". */
    assert_true(fake_hash_text(0, "", 0) == 0xCBF29CE484222325ull);
    assert_true(fake_hash_text(0, "a", 0) == 0xAF63DC4C8601EC8Cull);
    /* A non-zero start continues a hash: "ab" then "c" is "abc". */
    assert_true(fake_hash_text(fake_hash_text(0, "ab", 0), "c", 0) ==
                fake_hash_text(0, "abc", 0));
    assert_true(fake_hash_text(0x1234, "", 1) == 0x1234);
    /* fold_case: 'A' and 'Z' (the ends of the range) fold, '@' and '[' (just outside) do
     * not, and without fold_case nothing does. */
    assert_true(fake_hash_text(0, "AZ", 1) == fake_hash_text(0, "az", 0));
    assert_true(fake_hash_text(0, "AZ", 0) != fake_hash_text(0, "az", 0));
    assert_true(fake_hash_text(0, "@[", 1) == fake_hash_text(0, "@[", 0));
    assert_true(fake_hash_text(0, "@", 1) != fake_hash_text(0, "`", 0));
    assert_true(fake_hash_text(0, "[", 1) != fake_hash_text(0, "{", 0));
}

static void capacity_starts_at_64_and_stays_at_most_half_full(void **state)
{
    struct fake_index ix = {0};

    (void)state;
    assert_true(fake_index_reserve(&ix, 32));
    assert_int_equal(ix.cap, 64);
    assert_true(fake_index_reserve(&ix, 32)); /* room already there */
    assert_int_equal(ix.cap, 64);
    assert_true(fake_index_reserve(&ix, 33));
    assert_int_equal(ix.cap, 128);
    fake_index_free(&ix);
    assert_null(ix.slots);
    assert_int_equal(ix.cap, 0);
    assert_int_equal(ix.n, 0);

    /* 32 records fill a 64-slot table half; the 33rd doubles it. */
    for (int k = 0; k < 32; k++)
        assert_int_equal(fake_index_put(&ix, (uint64_t)k, REC(k % 16)), 1);
    assert_int_equal(ix.n, 32);
    assert_int_equal(ix.cap, 64);
    assert_int_equal(fake_index_put(&ix, 32, REC(0)), 1);
    assert_int_equal(ix.n, 33);
    assert_int_equal(ix.cap, 128);
    for (int k = 0; k <= 32; k++) /* every record moved, slot 0's too */
        expect_only(&ix, (uint64_t)k, REC(k % 16));
    fake_index_free(&ix);
}

static void colliding_records_probe_linearly_and_all_come_back(void **state)
{
    struct fake_index ix = {0};
    void *got[4];

    (void)state;
    /* Home slot 5 for hashes 5 and 69 (69 & 63 == 5); hash 6 lives at 6 unless taken. */
    assert_int_equal(fake_index_put(&ix, 5, REC(0)), 1);
    assert_int_equal(fake_index_put(&ix, 69, REC(1)), 1);
    assert_int_equal(fake_index_put(&ix, 5, REC(2)), 1);
    assert_int_equal(fake_index_put(&ix, 6, REC(3)), 1);
    assert_int_equal(ix.n, 4);
    assert_ptr_equal(ix.slots[5].value, REC(0));
    assert_ptr_equal(ix.slots[6].value, REC(1));
    assert_true(ix.slots[6].hash == 69);
    assert_ptr_equal(ix.slots[7].value, REC(2));
    assert_ptr_equal(ix.slots[8].value, REC(3));
    assert_null(ix.slots[4].value);
    assert_null(ix.slots[9].value);
    /* Every record under a hash, in slot order; other hashes in the run are skipped. */
    assert_int_equal(all_under(&ix, 5, got, 4), 2);
    assert_ptr_equal(got[0], REC(0));
    assert_ptr_equal(got[1], REC(2));
    expect_only(&ix, 69, REC(1));
    expect_only(&ix, 6, REC(3));
    expect_only(&ix, 7, NULL); /* its home slot holds another hash's record */
    expect_only(&ix, 9, NULL); /* an empty home slot */
    expect_only(&ix, 133, NULL); /* home 5: the whole run, no match */
    fake_index_free(&ix);
}

static void a_run_wraps_past_the_last_slot(void **state)
{
    struct fake_index ix = {0};
    void *got[4];

    (void)state;
    assert_int_equal(fake_index_put(&ix, 63, REC(0)), 1);
    assert_int_equal(fake_index_put(&ix, 127, REC(1)), 1); /* home 63, taken: slot 0 */
    assert_int_equal(fake_index_put(&ix, 63, REC(2)), 1);  /* slot 1 */
    assert_ptr_equal(ix.slots[63].value, REC(0));
    assert_ptr_equal(ix.slots[0].value, REC(1));
    assert_ptr_equal(ix.slots[1].value, REC(2));
    assert_int_equal(all_under(&ix, 63, got, 4), 2);
    assert_ptr_equal(got[0], REC(0));
    assert_ptr_equal(got[1], REC(2));
    expect_only(&ix, 127, REC(1));
    fake_index_free(&ix);
}

static void growth_rehashes_every_record_to_its_new_home(void **state)
{
    struct fake_index ix = {0};

    (void)state;
    /* 5 and 69 share slot 5 in 64 slots; in 128 they are apart (5 and 69). */
    assert_int_equal(fake_index_put(&ix, 5, REC(0)), 1);
    assert_int_equal(fake_index_put(&ix, 69, REC(1)), 1);
    assert_int_equal(fake_index_put(&ix, 133, REC(2)), 1); /* home 5 in both */
    assert_ptr_equal(ix.slots[7].value, REC(2));
    /* 10 and 138 share slot 10 in both sizes: the second probes on from an even slot. */
    assert_int_equal(fake_index_put(&ix, 10, REC(3)), 1);
    assert_int_equal(fake_index_put(&ix, 138, REC(4)), 1);
    assert_true(fake_index_reserve(&ix, 40)); /* 43 wanted: 128 slots */
    assert_int_equal(ix.cap, 128);
    assert_int_equal(ix.n, 5);
    assert_ptr_equal(ix.slots[10].value, REC(3));
    assert_ptr_equal(ix.slots[11].value, REC(4));
    assert_ptr_equal(ix.slots[5].value, REC(0));
    assert_ptr_equal(ix.slots[6].value, REC(2)); /* 133 & 127 == 5: next free after 5 */
    assert_ptr_equal(ix.slots[69].value, REC(1));
    assert_null(ix.slots[7].value);
    expect_only(&ix, 5, REC(0));
    expect_only(&ix, 69, REC(1));
    expect_only(&ix, 133, REC(2));
    fake_index_free(&ix);
}

static void removal_pulls_back_only_records_whose_home_allows_it(void **state)
{
    struct fake_index ix = {0};

    (void)state;
    /* Run 10..13: A(home 10) B(home 10) C(home 12) D(home 11). */
    fake_index_put(&ix, 10, REC(0));
    fake_index_put(&ix, 74, REC(1));
    fake_index_put(&ix, 12, REC(2));
    fake_index_put(&ix, 11, REC(3));
    assert_ptr_equal(ix.slots[13].value, REC(3));
    /* Removing A: B's home is the hole (10) so it moves there; C sits at its home (12) and
     * stays; D (home 11) moves into B's old slot. */
    fake_index_remove(&ix, 10, REC(0));
    assert_int_equal(ix.n, 3);
    assert_ptr_equal(ix.slots[10].value, REC(1));
    assert_ptr_equal(ix.slots[11].value, REC(3));
    assert_ptr_equal(ix.slots[12].value, REC(2));
    assert_null(ix.slots[13].value);
    expect_only(&ix, 10, NULL);
    expect_only(&ix, 74, REC(1));
    expect_only(&ix, 12, REC(2));
    expect_only(&ix, 11, REC(3));
    /* A record not in the run of its hash's home, or an empty home: nothing changes. */
    fake_index_remove(&ix, 74, REC(5));
    fake_index_remove(&ix, 40, REC(2));
    assert_int_equal(ix.n, 3);
    assert_ptr_equal(ix.slots[12].value, REC(2));
    /* The last of a run leaves a plain hole. */
    fake_index_remove(&ix, 12, REC(2));
    assert_int_equal(ix.n, 2);
    assert_null(ix.slots[12].value);
    assert_ptr_equal(ix.slots[11].value, REC(3));
    fake_index_free(&ix);

    /* A record found one slot past its home (home 10, at 11) is found and removed. */
    fake_index_put(&ix, 10, REC(0));
    fake_index_put(&ix, 74, REC(1));
    fake_index_remove(&ix, 74, REC(1));
    assert_int_equal(ix.n, 1);
    assert_null(ix.slots[11].value);
    expect_only(&ix, 74, NULL);
    expect_only(&ix, 10, REC(0));
    fake_index_free(&ix);
}

static void removal_in_a_run_that_wraps(void **state)
{
    struct fake_index ix = {0};

    (void)state;
    /* Run 62, 63, 0, 1, 2: A(home 62) B(home 63) C(home 62) D(home 0) E(home 63). */
    fake_index_put(&ix, 62, REC(0));
    fake_index_put(&ix, 63, REC(1));
    fake_index_put(&ix, 126, REC(2));
    fake_index_put(&ix, 64, REC(3));
    fake_index_put(&ix, 127, REC(4));
    assert_ptr_equal(ix.slots[0].value, REC(2));
    assert_ptr_equal(ix.slots[1].value, REC(3));
    assert_ptr_equal(ix.slots[2].value, REC(4));
    /* Removing B (hole 63): C (home 62, at 0) moves back; then D (home 0, at 1) into 0;
     * then E (home 63, at 2) into 1. */
    fake_index_remove(&ix, 63, REC(1));
    assert_int_equal(ix.n, 4);
    assert_ptr_equal(ix.slots[62].value, REC(0));
    assert_ptr_equal(ix.slots[63].value, REC(2));
    assert_ptr_equal(ix.slots[0].value, REC(3));
    assert_ptr_equal(ix.slots[1].value, REC(4));
    assert_null(ix.slots[2].value);
    expect_only(&ix, 126, REC(2));
    expect_only(&ix, 64, REC(3));
    expect_only(&ix, 127, REC(4));
    expect_only(&ix, 63, NULL);
    fake_index_free(&ix);

    /* A hole at the end with a record at its own home just past the wrap stays there:
     * F(home 63) G(home 0) H(home 63); removing F pulls H (at 1) back into 63 and leaves
     * G at 0. */
    fake_index_put(&ix, 63, REC(5));
    fake_index_put(&ix, 0, REC(6));
    fake_index_put(&ix, 127, REC(7));
    assert_ptr_equal(ix.slots[1].value, REC(7));
    fake_index_remove(&ix, 63, REC(5));
    assert_ptr_equal(ix.slots[63].value, REC(7));
    assert_ptr_equal(ix.slots[0].value, REC(6));
    assert_null(ix.slots[1].value);
    expect_only(&ix, 0, REC(6));
    expect_only(&ix, 127, REC(7));
    fake_index_free(&ix);
}

static void empty_and_full_tables_end_every_probe(void **state)
{
    struct fake_index ix = {0};
    struct fake_index_slot one = {5, REC(0)};
    size_t cursor = 0;

    (void)state;
    /* No table at all: nothing found, nothing removed. */
    assert_null(fake_index_next(&ix, 5, &cursor));
    fake_index_remove(&ix, 5, REC(0));
    assert_int_equal(ix.n, 0);
    /* A full table (put never makes one: it stays half empty) still ends a probe after one
     * lap: the one record under hash 5 comes back once. */
    ix.slots = &one;
    ix.cap = 1;
    ix.n = 1;
    assert_ptr_equal(fake_index_next(&ix, 5, &cursor), REC(0));
    assert_int_equal(cursor, 1);
    assert_null(fake_index_next(&ix, 5, &cursor));
    cursor = 0;
    assert_null(fake_index_next(&ix, 6, &cursor));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hash_is_fnv1a_and_folds_ascii_letters_only),
        cmocka_unit_test(capacity_starts_at_64_and_stays_at_most_half_full),
        cmocka_unit_test(colliding_records_probe_linearly_and_all_come_back),
        cmocka_unit_test(a_run_wraps_past_the_last_slot),
        cmocka_unit_test(growth_rehashes_every_record_to_its_new_home),
        cmocka_unit_test(removal_pulls_back_only_records_whose_home_allows_it),
        cmocka_unit_test(removal_in_a_run_that_wraps),
        cmocka_unit_test(empty_and_full_tables_end_every_probe),
    };
    return cmocka_run_group_tests_name("fake index", tests, NULL, NULL);
}
