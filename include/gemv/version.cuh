#pragma once
// The library's version, written here only: CMakeLists.txt reads these three
// lines for project(VERSION), the CMake package version file and gemv.pc.

#define GEMV_VERSION_MAJOR 0
#define GEMV_VERSION_MINOR 1
#define GEMV_VERSION_PATCH 0

// One number that compares in order: 0.1.0 is 100, 1.2.3 is 10203.
#define GEMV_VERSION (GEMV_VERSION_MAJOR * 10000 + GEMV_VERSION_MINOR * 100 + GEMV_VERSION_PATCH)
