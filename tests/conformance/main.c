/* bitsht conformance: the runner, linked once per backend. Every check of every table gets
 * the per-check fixture (fresh job, fresh folder); the group fixture opens the backend.
 * BHT_CONFORMANCE_FILTER (a cmocka name pattern) runs a subset; the JUnit XML comes from
 * cmocka itself (CMOCKA_MESSAGE_OUTPUT=xml, CMOCKA_XML_FILE), set by run_conformance.py. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"

static const struct conf_registered *const tables[] = {
    conf_checks_manager,    conf_checks_add_file,   conf_checks_states,
    conf_checks_complete_cancel, conf_checks_progress, conf_checks_errors,
    conf_checks_properties, conf_checks_tokens,     conf_checks_identity,
#ifdef CONF_WITH_REPLAY
    conf_checks_replay,
#endif
    conf_checks_last, /* last (checks_last.c says why) */
};

int main(void)
{
    struct CMUnitTest *tests;
    struct conf_check *checks;
    size_t n = 0, i, k;
    const char *filter = getenv("BHT_CONFORMANCE_FILTER");
    int rc;

    for (k = 0; k < sizeof(tables) / sizeof(tables[0]); k++)
        for (i = 0; tables[k][i].name; i++)
            n++;
    tests = calloc(n, sizeof(*tests));
    checks = calloc(n, sizeof(*checks));
    if (!tests || !checks) {
        fprintf(stderr, "conformance: out of memory\n");
        return 2;
    }
    n = 0;
    for (k = 0; k < sizeof(tables) / sizeof(tables[0]); k++)
        for (i = 0; tables[k][i].name; i++, n++) {
            checks[n].name = tables[k][i].name;
            tests[n].name = tables[k][i].name;
            tests[n].test_func = tables[k][i].fn;
            tests[n].setup_func = conf_check_setup;
            tests[n].teardown_func = conf_check_teardown;
            tests[n].initial_state = &checks[n];
        }
    if (filter && *filter)
        cmocka_set_test_filter(filter);
    rc = _cmocka_run_group_tests(conf_backend_group_name(), tests, n, conf_group_setup,
                                 conf_group_teardown);
    free(tests);
    free(checks);
    return rc;
}
