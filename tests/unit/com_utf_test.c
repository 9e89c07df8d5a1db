/* bitsht: the COM backend's UTF-8 <-> UTF-16 edge (src/com/utf.c). */
#include <windows.h>
#include <objbase.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/com/utf.h"

static void utf8_becomes_the_same_text_in_utf16(void **state)
{
    WCHAR *w = NULL;

    (void)state;
    assert_int_equal(bht_utf8_to_utf16("Z:\\caf\xC3\xA9\\\xF0\x9F\x93\xA6.bin", &w), S_OK);
    assert_non_null(w);
    /* é is one UTF-16 unit, U+1F4E6 a surrogate pair */
    assert_int_equal(wcslen(w), 14);
    assert_true(wcscmp(w, L"Z:\\caf\u00e9\\\U0001F4E6.bin") == 0);
    bht_utf16_free(w);
}

static void invalid_utf8_gives_e_invalidarg_and_no_copy(void **state)
{
    static const char *const bad[] = {
        "\xFF", "\xC3\x28", "\xE2\x82", "\xED\xA0\x80" /* UTF-8 encoded surrogate */,
        "\xC0\xAF" /* overlong '/' */,
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        WCHAR *w = (WCHAR *)0x1;

        assert_int_equal(bht_utf8_to_utf16(bad[i], &w), E_INVALIDARG);
        assert_null(w);
    }
}

static void null_string_gives_e_pointer(void **state)
{
    WCHAR *w = (WCHAR *)0x1;

    (void)state;
    assert_int_equal(bht_utf8_to_utf16(NULL, &w), E_POINTER);
    assert_null(w);
}

/* report fields are fixed-size: a long text is cut between characters, never inside one */
static void long_text_is_cut_at_a_character_boundary(void **state)
{
    char buf[6];

    (void)state;
    memset(buf, 'x', sizeof buf);
    bht_utf16_to_utf8_buf(L"\u00e9\u00e9\u00e9\u00e9", buf, sizeof buf); /* 8 bytes of UTF-8 */
    assert_string_equal(buf, "\xC3\xA9\xC3\xA9");
    bht_utf16_to_utf8_buf(L"ab", buf, sizeof buf);
    assert_string_equal(buf, "ab");
    bht_utf16_to_utf8_buf(NULL, buf, sizeof buf);
    assert_string_equal(buf, "");
}

static void cotask_copy_round_trips(void **state)
{
    char *u = (char *)0x1;

    (void)state;
    assert_int_equal(bht_utf16_to_utf8_cotask(L"S-1-5-21-\u00e9", &u), S_OK);
    assert_string_equal(u, "S-1-5-21-\xC3\xA9");
    CoTaskMemFree(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_becomes_the_same_text_in_utf16),
        cmocka_unit_test(invalid_utf8_gives_e_invalidarg_and_no_copy),
        cmocka_unit_test(null_string_gives_e_pointer),
        cmocka_unit_test(long_text_is_cut_at_a_character_boundary),
        cmocka_unit_test(cotask_copy_round_trips),
    };

    return cmocka_run_group_tests_name("unit_com_utf", tests, NULL, NULL);
}
