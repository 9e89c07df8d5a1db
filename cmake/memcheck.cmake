# Valgrind for the native tests: `ctest --test-dir build/linux -T memcheck -L unit`.
# Set before include(CTest), which writes them into DartConfiguration.tcl. A leak or an
# invalid access makes the test program exit non-zero, so the test fails (not just a note
# in the memcheck log).
if(NOT WIN32)
  find_program(MEMORYCHECK_COMMAND valgrind)
  set(MEMORYCHECK_COMMAND_OPTIONS
      "--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes --trace-children=no"
      CACHE STRING "Valgrind options for ctest -T memcheck")
endif()
