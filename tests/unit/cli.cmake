# CLI unit tests: argument parsing.
bht_add_cmocka_test(NAME unit_cli_args SOURCES cli_args.c LIBS bitsht_cli LABELS unit fake)
# The password sources and the stop signals (src/cli/password.c, stop_signals.c).
bht_add_cmocka_test(NAME unit_cli_password SOURCES cli_password.c LIBS bitsht_cli
                    LABELS unit fake)
# JSON strings: every escape, invalid UTF-8 replaced (src/cli/output.c).
bht_add_cmocka_test(NAME unit_cli_output SOURCES cli_output.c LIBS bitsht_cli LABELS unit fake)
