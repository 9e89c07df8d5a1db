/* bitsht: HRESULT names, messages and classification (src/core/hresult.c), exact values:
 * the first and last entries of each table, HTTP statuses exactly at the range's ends
 * (100 and 599) and just outside, unknown success and failure codes, bht_hr_format at
 * every buffer size that matters, and "BITS is unavailable" (exit 5) for each listed code
 * and never for its neighbours. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "bitsht/hresult.h"

static void table_entries_have_names_and_messages(void **state)
{
    (void)state;
    assert_string_equal(bht_hr_name(S_OK), "S_OK"); /* the first entry */
    assert_string_equal(bht_hr_message(S_OK), "success");
    assert_string_equal(bht_hr_name(E_ACCESSDENIED), "E_ACCESSDENIED");
    assert_string_equal(bht_hr_message(E_ACCESSDENIED), "access denied");
    assert_string_equal(bht_hr_name(BHT_HR(0x80200056u)), "BG_E_TOKEN_REQUIRED"); /* the last */
    assert_string_equal(bht_hr_message(BHT_HR(0x80200056u)),
                        "the job needs a helper token but none is set");
}

static void http_statuses_by_table_and_by_range(void **state)
{
    (void)state;
    /* The first and the last entries of the HTTP table. */
    assert_string_equal(bht_hr_name(BHT_HR(0x80190190u)), "BG_E_HTTP_ERROR_400");
    assert_string_equal(bht_hr_message(BHT_HR(0x80190190u)), "HTTP 400: bad request");
    assert_string_equal(bht_hr_name(BHT_HR(0x801901F9u)), "BG_E_HTTP_ERROR_505");
    assert_string_equal(bht_hr_message(BHT_HR(0x801901F9u)),
                        "HTTP 505: HTTP version not supported");
    /* Statuses not in the table, exactly at each end of 100-599: no name, a generic text. */
    assert_null(bht_hr_name(BHT_HR(0x801901A2u))); /* 418 */
    assert_string_equal(bht_hr_message(BHT_HR(0x80190064u)),
                        "the server answered with an HTTP error status"); /* 100 */
    assert_string_equal(bht_hr_message(BHT_HR(0x80190257u)),
                        "the server answered with an HTTP error status"); /* 599 */
    assert_string_equal(bht_hr_message(BHT_HR(0x80190063u)), "unrecognised error"); /* 99 */
    assert_string_equal(bht_hr_message(BHT_HR(0x80190258u)), "unrecognised error"); /* 600 */
    /* 404 in another facility is not an HTTP status. */
    assert_null(bht_hr_name(BHT_HR(0x80180194u)));
    assert_string_equal(bht_hr_message(BHT_HR(0x80180194u)), "unrecognised error");
}

static void unknown_codes_say_success_or_unrecognised(void **state)
{
    (void)state;
    assert_null(bht_hr_name(BHT_HR(0x00000002u)));
    assert_string_equal(bht_hr_message(BHT_HR(0x00000002u)), "success");
    assert_null(bht_hr_name(BHT_HR(0x80991234u)));
    assert_string_equal(bht_hr_message(BHT_HR(0x80991234u)), "unrecognised error");
}

static void format_with_and_without_a_name_and_at_small_sizes(void **state)
{
    char buf[64];

    (void)state;
    assert_ptr_equal(bht_hr_format(E_ACCESSDENIED, buf, sizeof buf), buf);
    assert_string_equal(buf, "0x80070005 (E_ACCESSDENIED)");
    assert_ptr_equal(bht_hr_format(BHT_HR(0x80991234u), buf, sizeof buf), buf);
    assert_string_equal(buf, "0x80991234");
    assert_ptr_equal(bht_hr_format(E_ACCESSDENIED, buf, 5), buf); /* truncated */
    assert_string_equal(buf, "0x80");
    memset(buf, 'X', sizeof buf);
    assert_ptr_equal(bht_hr_format(E_ACCESSDENIED, buf, 1), buf); /* room for the NUL only */
    assert_int_equal(buf[0], '\0');
    memset(buf, 'X', sizeof buf);
    assert_ptr_equal(bht_hr_format(E_ACCESSDENIED, buf, 0), buf); /* nothing written */
    assert_int_equal(buf[0], 'X');
    assert_null(bht_hr_format(E_ACCESSDENIED, NULL, 64));
}

/* Exit 5: exactly these codes mean BITS cannot be reached; their neighbours do not. */
static void unavailable_codes_and_only_them(void **state)
{
    static const uint32_t codes[] = {
        0x80040154u, 0x80070422u, 0x80080005u, 0x800706BAu, 0x800706BEu, 0x800706BFu,
        0x80010007u, 0x80010012u, 0x80010108u, 0x800401FDu, 0x800401F0u,
    };

    (void)state;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        int neighbour_listed = 0;

        assert_int_equal(bht_hr_means_unavailable(BHT_HR(codes[i])), 1);
        for (size_t j = 0; j < sizeof codes / sizeof codes[0]; j++)
            neighbour_listed |= codes[j] == codes[i] + 1 || codes[j] == codes[i] - 1;
        if (!neighbour_listed) {
            assert_int_equal(bht_hr_means_unavailable(BHT_HR(codes[i] + 1)), 0);
            assert_int_equal(bht_hr_means_unavailable(BHT_HR(codes[i] - 1)), 0);
        }
    }
    assert_int_equal(bht_hr_means_unavailable(E_FAIL), 0);
    assert_int_equal(bht_hr_means_unavailable(S_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_entries_have_names_and_messages),
        cmocka_unit_test(http_statuses_by_table_and_by_range),
        cmocka_unit_test(unknown_codes_say_success_or_unrecognised),
        cmocka_unit_test(format_with_and_without_a_name_and_at_small_sizes),
        cmocka_unit_test(unavailable_codes_and_only_them),
    };
    return cmocka_run_group_tests_name("core hresult", tests, NULL, NULL);
}
