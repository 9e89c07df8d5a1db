/* bitsht: the CLI when an allocation fails: parsing (src/cli/args.c) and opening the
 * fake backend (src/cli/backend_select.c). Linked with -Wl,--wrap=calloc
 * (tests/unit/cli.cmake): __wrap_calloc fails the nth call from now. Each allocation is
 * refused with E_OUTOFMEMORY and a message (main prints err whatever failed: the parser's
 * was empty), and nothing is left allocated. Issue 14. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"
#include "backend_select.h"

void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);

static int calls_until_failure; /* 0: never fail; n: the nth call from now fails */

void *__wrap_calloc(size_t n, size_t size)
{
    if (calls_until_failure > 0 && --calls_until_failure == 0)
        return NULL;
    return __real_calloc(n, size);
}

static void expect_out_of_memory(int nth, int argc, char **argv)
{
    struct cli_options o;
    char err[256];

    calls_until_failure = nth;
    assert_int_equal(cli_parse(argc, argv, &o, err, sizeof err), E_OUTOFMEMORY);
    calls_until_failure = 0;
    assert_string_equal(err, "out of memory");
    assert_null(o.files);
    cli_options_free(&o);
}

static void every_allocation_failure_is_refused_with_a_message(void **state)
{
    char password[] = "S3cret!";

    (void)state;
    /* transfer: the positional list, then the file pairs */
    expect_out_of_memory(1, 6, (char *[]){"bitsht", "transfer", "--no-helper-token", "x", "y",
                                          "--json", NULL});
    expect_out_of_memory(2, 6, (char *[]){"bitsht", "transfer", "--no-helper-token", "x", "y",
                                          "--json", NULL});
    /* the sample form's one pair */
    expect_out_of_memory(1, 6, (char *[]){"bitsht", "https://h/a", "/tmp/a", "CORP", "alice",
                                          password, NULL});
}

static void a_backend_without_memory_is_refused_with_a_message(void **state)
{
    struct cli_options o;
    struct cli_backend b;
    char err[256];

    (void)state;
    memset(&o, 0, sizeof o);
    o.command = CLI_LIST;
    calls_until_failure = 1; /* the fake world itself */
    assert_int_equal(cli_backend_open(&o, &b, err, sizeof err), E_OUTOFMEMORY);
    calls_until_failure = 0;
    assert_string_equal(err, "out of memory");
    assert_null(b.world);
    assert_int_equal(cli_backend_close(&b, err, sizeof err), S_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_failure_is_refused_with_a_message),
        cmocka_unit_test(a_backend_without_memory_is_refused_with_a_message),
    };
    return cmocka_run_group_tests_name("cli_out_of_memory", tests, NULL, NULL);
}
