/* bitsht: job ids as GetJob reads them (C08): GUID strings compare without case, every hex
 * digit of the serial at the edges of its ranges ('0', '9', 'A'/'a', 'F'/'f'), a character
 * just outside each range is a well-formed GUID of no job here (BG_E_NOT_FOUND), and a
 * string that is not a GUID at all is E_INVALIDARG. */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "fake_support.h"

/* Opens id and checks it is the job with id want (or fails with hr). */
static void expect_open(struct fake_t *t, const char *id, bht_hr hr, const char *want)
{
    struct bht_job *h = NULL;
    char got[BHT_JOB_ID_SIZE];

    assert_hr(hr, t->b->open_job(t->w, id, &h));
    if (hr != S_OK) {
        assert_null(h);
        return;
    }
    assert_hr(S_OK, t->b->get_id(t->w, h, got));
    assert_string_equal(got, want);
    t->b->release(t->w, h);
}

/* The id is {serial-tag's top 16 bits-4B17-9B17-the next 16 and the low 32}, upper case. */
static void an_id_spells_the_serial_and_the_world_tag(void **state)
{
    struct fake_t *t = *state;
    struct bht_job *h;
    char id[BHT_JOB_ID_SIZE];

    bht_fake_world_set_id_tag(t->w, 0x123456789ABCDEF0ull);
    h = fake_t_new_job(t);
    assert_hr(S_OK, t->b->get_id(t->w, h, id));
    assert_string_equal(id, "{00000001-1234-4B17-9B17-56789ABCDEF0}");
    t->b->release(t->w, h);
    bht_fake_world_set_id_tag(t->w, 0xFFFFFFFFFFFFFFFFull);
    h = fake_t_new_job(t);
    assert_hr(S_OK, t->b->get_id(t->w, h, id));
    assert_string_equal(id, "{00000002-FFFF-4B17-9B17-FFFFFFFFFFFF}");
    t->b->release(t->w, h);
}

static void ids_at_the_edges_of_each_hex_range(void **state)
{
    struct fake_t *t = *state;
    char ids[16][BHT_JOB_ID_SIZE], id[BHT_JOB_ID_SIZE];
    static const char outside[] = {'/', ':', '@', 'G', '`', 'g'};

    /* Jobs 1..16: serials 0x9, 0xA and 0xF are jobs 9, 10 and 15. */
    for (int i = 0; i < 16; i++) {
        struct bht_job *h = fake_t_new_job(t);
        assert_hr(S_OK, t->b->get_id(t->w, h, ids[i]));
        t->b->release(t->w, h); /* the job stays queued; the handle is ours to free */
    }
    for (int i = 0; i < 16; i++) {
        expect_open(t, ids[i], S_OK, ids[i]);
        for (size_t k = 0; k < sizeof id; k++)
            id[k] = (char)tolower((unsigned char)ids[i][k]);
        expect_open(t, id, S_OK, ids[i]);
    }
    assert_int_equal(ids[8][8], '9');
    assert_int_equal(ids[9][8], 'A');
    assert_int_equal(ids[14][8], 'F');
    /* A digit just outside a range, in the serial: no such job. */
    for (size_t k = 0; k < sizeof outside; k++) {
        strcpy(id, ids[0]);
        id[8] = outside[k];
        expect_open(t, id, BG_E_NOT_FOUND, NULL);
    }
    /* The same in the other hex fields, and a broken separator or middle part. */
    strcpy(id, ids[0]);
    id[10] = 'G';
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    strcpy(id, ids[0]);
    id[25] = 'g';
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    strcpy(id, ids[0]);
    id[36] = ':';
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    strcpy(id, ids[0]);
    id[9] = '+';
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    strcpy(id, ids[0]);
    id[15] = '5'; /* the fixed middle "-4B17-9B17-" */
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    strcpy(id, ids[0]);
    id[37] = ')';
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    /* Serial 0 is no job; a serial past every job is none either. */
    strcpy(id, ids[0]);
    memcpy(id + 1, "00000000", 8);
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    memcpy(id + 1, "00000100", 8);
    expect_open(t, id, BG_E_NOT_FOUND, NULL);
    /* Not a GUID string: one character short, or no opening brace. */
    strcpy(id, ids[0]);
    id[37] = '\0';
    expect_open(t, id, E_INVALIDARG, NULL);
    strcpy(id, ids[0]);
    id[0] = '(';
    expect_open(t, id, E_INVALIDARG, NULL);
    expect_open(t, "", E_INVALIDARG, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(an_id_spells_the_serial_and_the_world_tag, fake_t_setup,
                                        fake_t_teardown),
        cmocka_unit_test_setup_teardown(ids_at_the_edges_of_each_hex_range, fake_t_setup,
                                        fake_t_teardown),
    };
    return cmocka_run_group_tests_name("fake job ids", tests, NULL, NULL);
}
