/* bitsht: the fake's AddFile limits exactly at each maximum and one past it, counted in
 * UTF-16 units as Windows counts them: a remote name of 2200 characters is accepted and
 * 2201 refused with E_INVALIDARG (C17); a local path of MAX_PATH (260) is accepted and 261
 * refused (docs/contract.md §2.4); a character outside the BMP counts twice. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "fake_support.h"

#define LOCAL_MAX 260
#define U_PLUS_1F600 "\xf0\x9f\x98\x80" /* two UTF-16 units */
#define U_PLUS_FFFD "\xef\xbf\xbd" /* one: the last lead byte of a BMP character */

/* https://h/ followed by 'a's up to units UTF-16 units, the last character given. */
static void url_of(char *out, size_t units, const char *last, size_t last_units)
{
    size_t n = strlen("https://h/");

    memcpy(out, "https://h/", n);
    memset(out + n, 'a', units - last_units - n);
    strcpy(out + units - last_units, last);
}

static void remote_name_exactly_at_2200_units(void **state)
{
    struct fake_t *t = *state;
    static char url[BHT_REMOTE_NAME_MAX + 16];
    char local[600];

    fake_t_path(t, local, sizeof local, "r.bin");
    url_of(url, BHT_REMOTE_NAME_MAX, "z", 1);
    assert_int_equal(strlen(url), 2200);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, url, local));
    url_of(url, BHT_REMOTE_NAME_MAX + 1, "z", 1);
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, url, local));
    /* 2198 units + one character outside the BMP = 2200 units; 2199 + it = 2201. */
    url_of(url, BHT_REMOTE_NAME_MAX, U_PLUS_1F600, 2);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, url, local));
    url_of(url, BHT_REMOTE_NAME_MAX + 1, U_PLUS_1F600, 2);
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, url, local));
    /* 2199 units + U+FFFD (three bytes, one unit) = 2200; 2200 + it = 2201. */
    url_of(url, BHT_REMOTE_NAME_MAX, U_PLUS_FFFD, 1);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, url, local));
    url_of(url, BHT_REMOTE_NAME_MAX + 1, U_PLUS_FFFD, 1);
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, url, local));
}

#ifndef _WIN32 /* a 260-unit path in the test's temporary folder: checked natively only */
/* dir/ followed by 'a's up to units UTF-16 units. */
static void local_of(const struct fake_t *t, char *out, size_t units, const char *last,
                     size_t last_units)
{
    size_t n = strlen(t->dir) + 1;

    assert_true(n + 8 < units);
    memcpy(out, t->dir, n - 1);
    out[n - 1] = '/';
    memset(out + n, 'a', units - last_units - n);
    strcpy(out + units - last_units, last);
}

static void local_path_exactly_at_max_path(void **state)
{
    struct fake_t *t = *state;
    char local[LOCAL_MAX + 16];

    local_of(t, local, LOCAL_MAX, "z", 1);
    assert_int_equal(strlen(local), LOCAL_MAX);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    local_of(t, local, LOCAL_MAX + 1, "z", 1);
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    local_of(t, local, LOCAL_MAX, U_PLUS_1F600, 2);
    assert_hr(S_OK, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
    local_of(t, local, LOCAL_MAX + 1, U_PLUS_1F600, 2);
    assert_hr(E_INVALIDARG, t->b->add_file(t->w, t->job, PUBLIC_URL, local));
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(remote_name_exactly_at_2200_units, fake_t_setup_job,
                                        fake_t_teardown),
#ifndef _WIN32
        cmocka_unit_test_setup_teardown(local_path_exactly_at_max_path, fake_t_setup_job,
                                        fake_t_teardown),
#endif
    };
    return cmocka_run_group_tests_name("fake limits at their maximum", tests, NULL, NULL);
}
