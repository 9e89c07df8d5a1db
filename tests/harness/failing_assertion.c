/* Harness fixture: one passing and one failing case. The self-test expects the program to
 * exit non-zero, ctest to report it failed and cmocka's XML to name the failing case. It is
 * built only by tests/e2e/test_harness.py, never as part of the suite. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

static void passing_case(void **state)
{
    (void)state;
    assert_int_equal(2 + 2, 4);
}

static void failing_case(void **state)
{
    (void)state;
    assert_int_equal(2 + 2, 5);     /* deliberately false */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passing_case),
        cmocka_unit_test(failing_case),
    };
    return cmocka_run_group_tests_name("harness_fixture", tests, NULL, NULL);
}
