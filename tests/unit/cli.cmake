# CLI unit tests: argument parsing, output, job commands.
bht_add_cmocka_test(NAME unit_cli_args SOURCES cli_args.c LIBS bitsht_cli LABELS unit fake)
# Allocations failing in the parser and the backend choice: calloc wrapped at link time
# (GNU ld --wrap), native only.
if(NOT WIN32)
  bht_add_cmocka_test(NAME unit_cli_out_of_memory SOURCES cli_out_of_memory.c
                      LIBS bitsht_cli LABELS unit fake)
  target_link_options(unit_cli_out_of_memory PRIVATE "-Wl,--wrap=calloc")
endif()
# The password sources and the stop signals (src/cli/password.c, stop_signals.c).
bht_add_cmocka_test(NAME unit_cli_password SOURCES cli_password.c LIBS bitsht_cli
                    LABELS unit fake)
# JSON strings: every escape, invalid UTF-8 replaced (src/cli/output.c).
bht_add_cmocka_test(NAME unit_cli_output SOURCES cli_output.c LIBS bitsht_cli LABELS unit fake)
# The report, the usage errors, the stage lines and the bar byte for byte, and the job
# commands' error paths (stdout/stderr captured with POSIX dup2, capture.c: native builds
# only; the e2e tests cover the .exe's output under Wine).
if(NOT WIN32)
  add_library(bht_capture STATIC "${CMAKE_CURRENT_LIST_DIR}/capture.c")
  target_link_libraries(bht_capture PUBLIC bht_cmocka)
  bht_add_cmocka_test(NAME unit_cli_report SOURCES cli_report.c
                      LIBS bitsht_cli bht_capture LABELS unit fake)
  bht_add_cmocka_test(NAME unit_cli_commands SOURCES cli_commands.c
                      LIBS bitsht_cli bht_capture bht_fake_test_support LABELS unit fake)
  # The backend choice and the fake's state file: lock, save once, wait (backend_select.c).
  bht_add_cmocka_test(NAME unit_cli_backend_select SOURCES cli_backend_select.c
                      LIBS bitsht_cli bht_capture bht_fake_test_support LABELS unit fake)
endif()
# Windows console events take the path of SIGINT/SIGTERM (src/cli/console_events.c):
# every event through a transfer on the fake, under Wine or on Windows.
if(WIN32)
  bht_add_cmocka_test(NAME unit_cli_console_events SOURCES cli_console_events_test.c
                      LIBS bitsht_cli bht_core_test_support LABELS unit fake)
endif()
# The password read when read(2) fails (EINTR with and without a stop, EIO), and a stop
# signal just before the wait: read and pselect are wrapped at link time (GNU ld --wrap),
# native builds only.
if(NOT WIN32)
  bht_add_cmocka_test(NAME unit_cli_password_read_faults SOURCES cli_password_read_faults.c
                      LIBS bitsht_cli LABELS unit fake)
  target_link_options(unit_cli_password_read_faults PRIVATE "-Wl,--wrap=read,--wrap=pselect")
endif()
