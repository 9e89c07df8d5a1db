# MinGW-w64 cross toolchain, 32-bit. Describes the toolchain only; options live in presets.
# The 32-bit build is compile-and-link only here: running it needs 32-bit Wine (wine32:i386),
# which this project does not require. The emulator is still set so that ctest would work on
# a machine that has it.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(BHT_MINGW_TRIPLET i686-w64-mingw32)
find_program(CMAKE_C_COMPILER ${BHT_MINGW_TRIPLET}-gcc REQUIRED)
find_program(CMAKE_RC_COMPILER ${BHT_MINGW_TRIPLET}-windres REQUIRED)
set(CMAKE_FIND_ROOT_PATH /usr/${BHT_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../ci/wine-run")
