# The part of the MinGW-w64 cross toolchains that does not depend on the word size.
# The including file sets CMAKE_SYSTEM_PROCESSOR and BHT_MINGW_TRIPLET first.
set(CMAKE_SYSTEM_NAME Windows)
find_program(CMAKE_C_COMPILER ${BHT_MINGW_TRIPLET}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER ${BHT_MINGW_TRIPLET}-windres REQUIRED)
# Appended, so a root given with -DCMAKE_FIND_ROOT_PATH (an installed bitsht for another
# project, as tests/consumer does) is searched as well as the MinGW sysroot.
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${BHT_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../ci/wine-run")
