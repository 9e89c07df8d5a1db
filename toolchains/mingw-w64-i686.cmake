# MinGW-w64 cross toolchain, 32-bit. Describes the toolchain only; options live in presets.
# Its tests run under 32-bit Wine (Debian's wine32:i386, which ci/bootstrap.sh installs) in
# the same kind of prefix as the 64-bit ones: ci/wine-run, the emulator, runs both.
set(CMAKE_SYSTEM_PROCESSOR i686)
set(BHT_MINGW_TRIPLET i686-w64-mingw32)
include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake")
