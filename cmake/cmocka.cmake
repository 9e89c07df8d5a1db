# bht_cmocka: the one place where native and MinGW builds differ in how they find CMocka.
# Native: Debian's libcmocka-dev. MinGW: a static CMocka that ci/build-cmocka-mingw.sh
# builds from Debian's source package into .cache/cmocka-mingw/<processor>/.
if(TARGET bht_cmocka)
  return()
endif()

add_library(bht_cmocka INTERFACE)
if(CMAKE_CROSSCOMPILING AND WIN32)
  set(BHT_CMOCKA_ROOT "${PROJECT_SOURCE_DIR}/.cache/cmocka-mingw/${CMAKE_SYSTEM_PROCESSOR}"
      CACHE PATH "Prefix of the MinGW CMocka build")
  find_path(BHT_CMOCKA_INCLUDE cmocka.h PATHS "${BHT_CMOCKA_ROOT}/include" NO_DEFAULT_PATH)
  find_library(BHT_CMOCKA_LIB NAMES cmocka-static cmocka PATHS "${BHT_CMOCKA_ROOT}/lib"
               NO_DEFAULT_PATH)
  if(NOT BHT_CMOCKA_INCLUDE OR NOT BHT_CMOCKA_LIB)
    message(FATAL_ERROR "CMocka for MinGW not found under ${BHT_CMOCKA_ROOT}: run ci/bootstrap.sh")
  endif()
  target_include_directories(bht_cmocka INTERFACE "${BHT_CMOCKA_INCLUDE}")
  target_link_libraries(bht_cmocka INTERFACE "${BHT_CMOCKA_LIB}")
  target_compile_definitions(bht_cmocka INTERFACE CMOCKA_STATIC)
else()
  find_path(BHT_CMOCKA_INCLUDE cmocka.h)
  find_library(BHT_CMOCKA_LIB cmocka)
  if(NOT BHT_CMOCKA_INCLUDE OR NOT BHT_CMOCKA_LIB)
    message(FATAL_ERROR "CMocka not found: run ci/bootstrap.sh (installs libcmocka-dev)")
  endif()
  target_include_directories(bht_cmocka INTERFACE "${BHT_CMOCKA_INCLUDE}")
  target_link_libraries(bht_cmocka INTERFACE "${BHT_CMOCKA_LIB}")
endif()

# bht_add_cmocka_test(NAME name SOURCES ... LIBS ... LABELS ...)
# Test name = target name; the executable lands in <build>/bin; under a cross build CTest
# runs it through CMAKE_CROSSCOMPILING_EMULATOR (ci/wine-run) by itself.
function(bht_add_cmocka_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} bht_cmocka)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
endfunction()
