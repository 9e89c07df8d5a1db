# The fake world's unit tests (labels unit;fake). One executable per subject; they share
# the fixture in fake_support.c.
add_library(bht_fake_test_support STATIC "${CMAKE_CURRENT_LIST_DIR}/fake_support.c")
target_link_libraries(bht_fake_test_support PUBLIC bitsht_fake bitsht_core bht_cmocka)
target_compile_definitions(bht_fake_test_support PUBLIC
  FAKE_T_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

foreach(subject manager transfer tokens identity wine8 world_file state_file faults properties
        files null_args boundaries job_ids index fs system engine ops paths
        world_basics)
  bht_add_cmocka_test(NAME unit_fake_${subject}
                      SOURCES "${CMAKE_CURRENT_LIST_DIR}/fake_${subject}.c"
                      LIBS bht_fake_test_support bitsht_fake bitsht_core LABELS unit fake)
endforeach()

# Every allocation failing in turn, leaks and overruns (alloc_fault.c wraps malloc/calloc/
# realloc/free with GNU ld's --wrap): native builds only. alloc_failures: world and state
# files; oom: the ops, a transfer step, the index, read_all. The world-file and state-file
# tests check with it that a refusal frees all it took.
if(NOT WIN32)
  foreach(subject alloc_failures oom)
    bht_add_cmocka_test(NAME unit_fake_${subject}
                        SOURCES "${CMAKE_CURRENT_LIST_DIR}/fake_${subject}.c"
                        LIBS bht_fake_test_support bitsht_fake bitsht_core LABELS unit fake)
  endforeach()
  foreach(t unit_fake_alloc_failures unit_fake_oom unit_fake_world_file unit_fake_state_file)
    target_sources(${t} PRIVATE "${CMAKE_CURRENT_LIST_DIR}/alloc_fault.c")
    target_compile_definitions(${t} PRIVATE BHT_ALLOC_FAULT=1)
    target_link_options(${t} PRIVATE "-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free")
  endforeach()
endif()
