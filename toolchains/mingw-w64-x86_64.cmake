# MinGW-w64 cross toolchain, 64-bit. Describes the toolchain only; options live in presets.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(BHT_MINGW_TRIPLET x86_64-w64-mingw32)
include("${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake")
