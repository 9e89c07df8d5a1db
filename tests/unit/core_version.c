/* bitsht: the linked library's version (src/core/version.c) is the headers' one, and its
 * number is the string's MAJOR.MINOR.PATCH packed as 0x00MMmmpp (bitsht/version.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>

#include <cmocka.h>

#include "bitsht/version.h"

static void the_library_reports_the_headers_version(void **state)
{
    unsigned major = 0, minor = 0, patch = 0;

    (void)state;
    assert_non_null(bht_version());
    assert_string_equal(bht_version(), BHT_VERSION_STRING);
    assert_int_equal(sscanf(bht_version(), "%u.%u.%u", &major, &minor, &patch), 3);
    assert_int_equal(bht_version_number(), (major << 16) | (minor << 8) | patch);
    assert_int_equal(bht_version_number(), BHT_VERSION_NUMBER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_library_reports_the_headers_version),
    };
    return cmocka_run_group_tests_name("core_version", tests, NULL, NULL);
}
