/* bitsht: strict UTF-8 decoding (src/core/utf8.c), which the request's length limits stand
 * on (BITS counts UTF-16 units: C02, C17, §2.4). Every boundary on both sides: the last
 * and first code point of each sequence length, the overlong form just below each minimum,
 * the surrogates' edges, U+10FFFF and one past it, lead and continuation bytes whose low
 * bit matters; then the UTF-16 count and the control-character test at their edges. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static void every_boundary_decodes_exactly(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;   /* expected length; 0: not UTF-8 */
        uint32_t cp;  /* expected code point */
    } cases[] = {
        {"\x7F", 1, 0x7F},                 /* the last ASCII byte */
        {"\x80", 0, 0},                    /* a continuation byte alone */
        {"\xC1\xBF", 0, 0},                /* U+007F in two bytes: overlong */
        {"\xC2\x80", 2, 0x80},             /* the first two-byte character */
        {"\xC2\x81", 2, 0x81},             /* a continuation's low bit */
        {"\xDF\xBF", 2, 0x7FF},            /* the last two-byte character */
        {"\xE0\x9F\xBF", 0, 0},            /* U+07FF in three bytes: overlong */
        {"\xE0\xA0\x80", 3, 0x800},        /* the first three-byte character */
        {"\xE1\x80\x80", 3, 0x1000},       /* a lead byte's low bit */
        {"\xED\x9F\xBF", 3, 0xD7FF},       /* just below the surrogates */
        {"\xED\xA0\x80", 0, 0},            /* the first surrogate */
        {"\xED\xBF\xBF", 0, 0},            /* the last surrogate */
        {"\xEE\x80\x80", 3, 0xE000},       /* just above them */
        {"\xEF\xBF\xBF", 3, 0xFFFF},       /* the last three-byte character */
        {"\xF0\x8F\xBF\xBF", 0, 0},        /* U+FFFF in four bytes: overlong */
        {"\xF0\x90\x80\x80", 4, 0x10000},  /* the first four-byte character */
        {"\xF1\x80\x80\x80", 4, 0x40000},  /* a four-byte lead's low bit */
        {"\xF3\xBF\xBF\xBF", 4, 0xFFFFF},
        {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF}, /* the last code point */
        {"\xF4\x90\x80\x80", 0, 0},        /* one past it */
        {"\xF8\x88\x80\x80\x80", 0, 0},    /* a five-byte lead */
        {"\xC2\x41", 0, 0},                /* a lead without its continuation */
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 0xDEADBEEF;
        size_t n = bht_utf8_decode(cases[i].bytes, strlen(cases[i].bytes), &cp);
        if (n != cases[i].len || (n && cp != cases[i].cp))
            fail_msg("case %zu: length %zu, U+%04X; want %zu, U+%04X", i, n, (unsigned)cp,
                     cases[i].len, (unsigned)cases[i].cp);
    }
}

/* A sequence cut short by the bytes available is no character. */
static void a_truncated_sequence_is_refused(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(bht_utf8_decode("\xE2\x82\xAC", 2, &cp), 0);
    assert_int_equal(bht_utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
    assert_int_equal(cp, 0x20AC);
}

static void utf16_units_count_astral_characters_twice(void **state)
{
    (void)state;
    assert_int_equal(bht_utf16_units("", (size_t)-1), 0);
    assert_int_equal(bht_utf16_units("\xEF\xBF\xBF", (size_t)-1), 1);     /* U+FFFF */
    assert_int_equal(bht_utf16_units("\xF0\x90\x80\x80", (size_t)-1), 2); /* U+10000 */
    assert_int_equal(bht_utf16_units("a\xF0\x90\x80\x80" "b", 6), 4);
    assert_int_equal(bht_utf16_units("ab", 1), 1);
    assert_true(bht_utf16_units("\xED\xA0\x80", (size_t)-1) == BHT_NOT_UTF8);
    assert_true(bht_utf16_units("a\0b", 3) == BHT_NOT_UTF8); /* a NUL inside */
}

static void control_characters_are_c0_and_del(void **state)
{
    (void)state;
    assert_int_equal(bht_has_control_char("a\x1F"), 1);
    assert_int_equal(bht_has_control_char("a b"), 0);
    assert_int_equal(bht_has_control_char("\x7F"), 1);
    assert_int_equal(bht_has_control_char("~"), 0);
    assert_int_equal(bht_has_control_char("\xC2\x80"), 0); /* C1 is UTF-8 here, not C0 */
    assert_int_equal(bht_has_control_char(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_boundary_decodes_exactly),
        cmocka_unit_test(a_truncated_sequence_is_refused),
        cmocka_unit_test(utf16_units_count_astral_characters_twice),
        cmocka_unit_test(control_characters_are_c0_and_del),
    };
    return cmocka_run_group_tests_name("core utf8", tests, NULL, NULL);
}
