//===- SharedLibrary.cpp - liblcs.so --------------------------------------===//
//
// liblcs.so is the runtime archive linked whole (runtime/CMakeLists.txt);
// this file only gives the library target a source of its own.
//
//===----------------------------------------------------------------------===//
