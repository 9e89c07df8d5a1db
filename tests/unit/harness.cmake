# The harness's own unit test: the same source runs natively and, in the mingw64 build, as
# an .exe under Wine (ci/wine-run). It checks what ci/test.sh relies on from inside a test
# program. The deliberately failing programs that prove failures are reported live in
# tests/harness/, outside this suite (tests/e2e/test_harness.py builds and runs them).
bht_add_cmocka_test(NAME unit_harness_results
                    SOURCES "${CMAKE_CURRENT_LIST_DIR}/harness_results.c"
                    LABELS unit harness)
# The folder must exist before cmocka opens its XML file there (ci/test.sh recreates it
# after clearing results/).
file(MAKE_DIRECTORY "${BHT_CMOCKA_XML_DIR}")
