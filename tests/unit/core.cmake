# Core unit tests: request validation (pure) and the flow against the fake world. The
# core's fixture stands on the fake tests' one (fake.cmake, included first).
add_library(bht_core_test_support STATIC "${CMAKE_CURRENT_LIST_DIR}/core_fixture.c")
target_link_libraries(bht_core_test_support PUBLIC bht_fake_test_support)

bht_add_cmocka_test(NAME unit_core_request SOURCES core_request.c
                    LIBS bht_core_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_flow SOURCES core_flow.c
                    LIBS bht_core_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_fault_matrix SOURCES core_fault_matrix.c
                    LIBS bht_core_test_support LABELS unit fake)
target_include_directories(unit_core_request PRIVATE "${PROJECT_SOURCE_DIR}/src/core")
# issue 14: the URL syntax check on its own, each limit on both sides
bht_add_cmocka_test(NAME unit_core_url SOURCES core_url.c LIBS bitsht_core LABELS unit)
target_include_directories(unit_core_url PRIVATE "${PROJECT_SOURCE_DIR}/src/core")
if(NOT WIN32) # POSIX paths, links and realpath; Windows folds paths with _fullpath
  bht_add_cmocka_test(NAME unit_core_destination SOURCES core_destination.c LIBS bitsht_core
                      LABELS unit)
  target_include_directories(unit_core_destination PRIVATE "${PROJECT_SOURCE_DIR}/src/core")
  target_link_options(unit_core_destination PRIVATE "-Wl,--wrap=malloc") # failing mallocs
endif()
bht_add_cmocka_test(NAME unit_core_hresult SOURCES core_hresult.c LIBS bitsht_core LABELS unit)
# issue 14: strict UTF-8 decoding on its own, every boundary on both sides
bht_add_cmocka_test(NAME unit_core_utf8 SOURCES core_utf8.c LIBS bitsht_core LABELS unit)
target_include_directories(unit_core_utf8 PRIVATE "${PROJECT_SOURCE_DIR}/src/core")
bht_add_cmocka_test(NAME unit_core_version SOURCES core_version.c LIBS bitsht_core LABELS unit)
bht_add_cmocka_test(NAME unit_core_backend SOURCES core_backend.c LIBS bitsht_fake bitsht_core
                    LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_rare_outcomes SOURCES core_rare_outcomes.c
                    LIBS bht_core_test_support LABELS unit fake)
# bitsht doctor's checks, metered networks and C109 holds, --allow-metered (issue 17)
bht_add_cmocka_test(NAME unit_core_doctor SOURCES core_doctor.c
                    LIBS bht_core_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_doctor_verdicts SOURCES core_doctor_verdicts.c
                    LIBS bitsht_core LABELS unit)
bht_add_cmocka_test(NAME unit_core_metered SOURCES core_metered.c
                    LIBS bht_core_test_support LABELS unit fake)
# issue 12: proxy credentials, network logons, local accounts, on the fake and the core
bht_add_cmocka_test(NAME unit_windows_rules SOURCES windows_rules.c
                    LIBS bht_core_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_credentials SOURCES core_credentials.c
                    LIBS bht_core_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_events SOURCES core_events.c
                    LIBS bht_core_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_progress SOURCES core_progress.c
                    LIBS bht_core_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_entry SOURCES core_entry.c
                    LIBS bht_core_test_support LABELS unit fake)
