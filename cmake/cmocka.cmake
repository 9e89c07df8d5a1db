# bht_cmocka: the one place where native and MinGW builds differ in how they find CMocka.
# Native: Debian's libcmocka-dev (or MSYS2's cmocka on a Windows runner). MinGW cross: a
# static CMocka that ci/build-cmocka-mingw.sh builds from Debian's source package into
# .cache/cmocka-mingw/<processor>/ (static, so the .exe files need no DLL under Wine).
if(TARGET bht_cmocka)
  return()
endif()

add_library(bht_cmocka INTERFACE)
if(CMAKE_CROSSCOMPILING AND WIN32)
  set(BHT_CMOCKA_ROOT "${PROJECT_SOURCE_DIR}/.cache/cmocka-mingw/${CMAKE_SYSTEM_PROCESSOR}"
      CACHE PATH "Prefix of the MinGW CMocka build")
  # NO_CMAKE_FIND_ROOT_PATH: the toolchain confines searches to the MinGW sysroot; this
  # prefix lives in the source tree, outside it.
  find_path(BHT_CMOCKA_INCLUDE cmocka.h PATHS "${BHT_CMOCKA_ROOT}/include"
            NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  find_library(BHT_CMOCKA_LIB NAMES cmocka-static cmocka PATHS "${BHT_CMOCKA_ROOT}/lib"
               NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  if(NOT BHT_CMOCKA_INCLUDE OR NOT BHT_CMOCKA_LIB)
    message(FATAL_ERROR "CMocka for MinGW not found under ${BHT_CMOCKA_ROOT}: run ci/bootstrap.sh")
  endif()
  target_include_directories(bht_cmocka INTERFACE "${BHT_CMOCKA_INCLUDE}")
  target_link_libraries(bht_cmocka INTERFACE "${BHT_CMOCKA_LIB}")
  # MinGW's C99 printf, as CMocka was built (ci/build-cmocka-mingw.sh): "%zu" works at
  # run time, and the format checks of cmocka.h and the tests agree with it.
  target_compile_definitions(bht_cmocka INTERFACE CMOCKA_STATIC __USE_MINGW_ANSI_STDIO=1)
else()
  find_path(BHT_CMOCKA_INCLUDE cmocka.h)
  find_library(BHT_CMOCKA_LIB cmocka)
  if(NOT BHT_CMOCKA_INCLUDE OR NOT BHT_CMOCKA_LIB)
    message(FATAL_ERROR "CMocka not found: run ci/bootstrap.sh (installs libcmocka-dev)")
  endif()
  target_include_directories(bht_cmocka INTERFACE "${BHT_CMOCKA_INCLUDE}")
  target_link_libraries(bht_cmocka INTERFACE "${BHT_CMOCKA_LIB}")
endif()

# Where a test's cmocka JUnit XML goes when CMOCKA_MESSAGE_OUTPUT=xml is set in the
# environment (ci/test.sh sets it; a plain ctest run keeps cmocka's readable text output).
# One file per test program: cmocka names files only by group (%g), and most programs call
# their group "tests", so the test name goes in front of it.
get_filename_component(_bht_build_name "${CMAKE_BINARY_DIR}" NAME)
set(BHT_CMOCKA_XML_DIR "${PROJECT_SOURCE_DIR}/results/${_bht_build_name}/cmocka"
    CACHE PATH "Folder for the cmocka XML of each test (used when CMOCKA_MESSAGE_OUTPUT=xml)")

# bht_add_cmocka_test(NAME name SOURCES ... LIBS ... LABELS ... [TIMEOUT seconds])
# Test name = target name; the executable lands in <build>/bin; under a cross build CTest
# runs it through CMAKE_CROSSCOMPILING_EMULATOR (ci/wine-run) by itself.
function(bht_add_cmocka_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_NAME OR NOT T_SOURCES)
    message(FATAL_ERROR "bht_add_cmocka_test: NAME and SOURCES are required")
  endif()
  if(NOT T_LABELS)
    message(FATAL_ERROR "bht_add_cmocka_test(${T_NAME}): give LABELS (unit, conformance, "
                        "e2e, plus the backend: fake or com)")
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} bht_cmocka)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "CMOCKA_XML_FILE=${BHT_CMOCKA_XML_DIR}/${T_NAME}.%g.xml")
endfunction()
