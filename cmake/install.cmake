# cmake --install: what a user or another project gets (README "Install").
#   bin/         bitsht[.exe]; on Windows targets also bitsht_fakebits.dll (the COM fake)
#   lib/         libbitsht_core.a, libbitsht_fake.a, on Windows libbitsht_com.a
#   include/bitsht/   the public headers only
#   lib/cmake/bitsht/ bitshtConfig.cmake, -ConfigVersion, bitshtTargets*.cmake:
#                     bitsht::core, bitsht::fake, bitsht::com (Windows)
#   lib/pkgconfig/    bitsht.pc, bitsht-fake.pc (relocatable: prefix from ${pcfiledir})
#   share/man/man1/bitsht.1, share/bash-completion/completions/bitsht, share/doc/bitsht/
# Nothing installed names the build or source tree: the exported targets use
# INSTALL_INTERFACE paths and the .pc files find their prefix from where they lie.
include(CMakePackageConfigHelpers)

set(BHT_CMAKE_PACKAGE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/bitsht")
set(BHT_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/bitsht")

install(TARGETS bitsht RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")

set(bht_libraries bitsht_core bitsht_fake)
if(TARGET bitsht_com)
  list(APPEND bht_libraries bitsht_com)
endif()
install(TARGETS ${bht_libraries} EXPORT bitshtTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")

# The COM-faithful fake BITS (fakes/com, Windows targets), an in-process COM server other
# projects load through COM (not an exported CMake target: it is found by CLSID or path);
# its header declares the DLL's extra exports for tests, its import library links them.
if(TARGET bitsht_fakebits)
  install(TARGETS bitsht_fakebits
          RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
          LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
  install(FILES "${PROJECT_SOURCE_DIR}/fakes/com/bitsht_fakebits.h"
          DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/bitsht")
endif()

# Public headers: the API of the libraries above, nothing internal.
set(bht_public_headers
  "${PROJECT_SOURCE_DIR}/src/include/bitsht/backend.h"
  "${PROJECT_SOURCE_DIR}/src/include/bitsht/hresult.h"
  "${PROJECT_SOURCE_DIR}/src/include/bitsht/job.h"
  "${PROJECT_SOURCE_DIR}/src/include/bitsht/system.h"
  "${PROJECT_SOURCE_DIR}/src/include/bitsht/doctor.h"
  "${PROJECT_BINARY_DIR}/include/bitsht/version.h"
  "${PROJECT_SOURCE_DIR}/fakes/include/bitsht/fake_world.h")
if(TARGET bitsht_com)
  list(APPEND bht_public_headers "${PROJECT_SOURCE_DIR}/src/include/bitsht/com_backend.h")
endif()
install(FILES ${bht_public_headers} DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/bitsht")

# CMake package.
install(EXPORT bitshtTargets NAMESPACE bitsht:: DESTINATION "${BHT_CMAKE_PACKAGE_DIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/bitshtConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/package/bitshtConfig.cmake"
  INSTALL_DESTINATION "${BHT_CMAKE_PACKAGE_DIR}")
# 0.x: a new minor version may change the API, so only the same minor version matches.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/package/bitshtConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/package/bitshtConfig.cmake"
              "${PROJECT_BINARY_DIR}/package/bitshtConfigVersion.cmake"
        DESTINATION "${BHT_CMAKE_PACKAGE_DIR}")

# pkg-config. Static libraries only, so the system libraries go in Libs.
file(RELATIVE_PATH BHT_PC_UP "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
string(REGEX REPLACE "/$" "" BHT_PC_UP "${BHT_PC_UP}") # "../..", however deep libdir is
if(TARGET bitsht_com)
  set(BHT_PC_LIBS "-lbitsht_com -lbitsht_core -lole32 -loleaut32 -luuid -ladvapi32 -luser32")
  set(BHT_PC_COM_NOTE " and the COM backend (bitsht/com_backend.h)")
else()
  set(BHT_PC_LIBS "-lbitsht_core")
  set(BHT_PC_COM_NOTE "")
endif()
foreach(pc bitsht bitsht-fake)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in" "${PROJECT_BINARY_DIR}/package/${pc}.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/package/${pc}.pc"
          DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endforeach()

# Man page, completion, documents.
install(FILES "${PROJECT_SOURCE_DIR}/docs/bitsht.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${PROJECT_SOURCE_DIR}/completions/bitsht.bash"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME bitsht)
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/LICENSE"
              "${PROJECT_SOURCE_DIR}/docs/contract.md" "${PROJECT_SOURCE_DIR}/docs/design.md"
        DESTINATION "${BHT_DOC_DIR}")
install(FILES "${PROJECT_SOURCE_DIR}/fakes/README.md" DESTINATION "${BHT_DOC_DIR}"
        RENAME fake-world.md)
install(FILES "${PROJECT_SOURCE_DIR}/fakes/worlds/demo.world" DESTINATION "${BHT_DOC_DIR}/examples")
