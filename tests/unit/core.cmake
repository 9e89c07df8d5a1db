# Core unit tests: request validation (pure) and the flow against the fake world.
add_library(bht_test_support STATIC
  "${CMAKE_CURRENT_LIST_DIR}/test_support.c"
  "${CMAKE_CURRENT_LIST_DIR}/core_fixture.c")
target_include_directories(bht_test_support PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(bht_test_support PUBLIC bitsht_fake bitsht_core bht_cmocka)

bht_add_cmocka_test(NAME unit_core_request SOURCES core_request.c
                    LIBS bht_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_flow SOURCES core_flow.c
                    LIBS bht_test_support LABELS unit fake)
bht_add_cmocka_test(NAME unit_core_fault_matrix SOURCES core_fault_matrix.c
                    LIBS bht_test_support LABELS unit fake)
