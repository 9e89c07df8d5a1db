# MinGW-w64 cross toolchain, 32-bit. Describes the toolchain only; options live in presets.
# The 32-bit build is compile-and-link only here: running it needs 32-bit Wine (wine32:i386),
# which this project does not require. The emulator is still set so that ctest would work on
# a machine that has it.
set(CMAKE_SYSTEM_PROCESSOR i686)
set(BHT_MINGW_TRIPLET i686-w64-mingw32)
include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake")
