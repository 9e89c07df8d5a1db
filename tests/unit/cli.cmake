# CLI unit tests: argument parsing.
bht_add_cmocka_test(NAME unit_cli_args SOURCES cli_args.c LIBS bitsht_cli LABELS unit fake)
