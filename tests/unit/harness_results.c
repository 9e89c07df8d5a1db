/* The harness's view from inside a test program: where cmocka's XML report goes, and that
 * this program (native, or an .exe under Wine given a Unix path) can write there. If either
 * breaks, ci/test.sh loses the per-case results of every test program. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define THIS_PROGRAM "unit_harness_results"

/* Splits CMOCKA_XML_FILE (set per test by bht_add_cmocka_test) into folder and file name. */
static const char *xml_file_setting(void)
{
    const char *path = getenv("CMOCKA_XML_FILE");

    if (path == NULL)
        fail_msg("%s", "CMOCKA_XML_FILE is not set: run this program through ctest "
                       "(bht_add_cmocka_test sets it per test)");
    return path;
}

static size_t folder_length(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *backslash = strrchr(path, '\\');

    if (backslash != NULL && (slash == NULL || backslash > slash))
        slash = backslash;
    assert_non_null(slash);
    return (size_t)(slash - path);
}

static void xml_file_is_named_after_this_program_and_its_group(void **state)
{
    const char *path = xml_file_setting();
    const char *name = path + folder_length(path) + 1;

    (void)state;
    /* %g is cmocka's group-name placeholder; the program name keeps files apart when
     * several programs use the same group name ("tests"). */
    assert_string_equal(name, THIS_PROGRAM ".%g.xml");
}

static void results_folder_takes_a_file_from_this_program(void **state)
{
    const char *path = xml_file_setting();
    size_t len = folder_length(path);
    char probe[1024];
    char back[32] = "poison";
    FILE *f;
    int n;

    (void)state;
    n = snprintf(probe, sizeof probe, "%.*s/" THIS_PROGRAM ".probe", (int)len, path);
    assert_true(n > 0 && (size_t)n < sizeof probe);

    f = fopen(probe, "wb");
    if (f == NULL)
        fail_msg("cannot create %s: the results folder is missing or not writable "
                 "(ci/test.sh creates it; so does configuring the build)", probe);
    assert_int_equal(fputs("written", f) >= 0, 1);
    assert_int_equal(fclose(f), 0);

    f = fopen(probe, "rb");
    assert_non_null(f);
    assert_non_null(fgets(back, sizeof back, f));
    assert_int_equal(fclose(f), 0);
    assert_string_equal(back, "written");
    assert_int_equal(remove(probe), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xml_file_is_named_after_this_program_and_its_group),
        cmocka_unit_test(results_folder_takes_a_file_from_this_program),
    };
    return cmocka_run_group_tests_name("harness_results", tests, NULL, NULL);
}
