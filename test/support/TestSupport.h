//===- TestSupport.h - Helpers the C++ tests build inputs with -*- C++ -*-===//
///
/// \file
/// Header-only helpers the gtest binaries share: a fresh temporary directory
/// per test, whole-file reads and writes, cache entries with a name of
/// their own, and launch parameters.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_TEST_TESTSUPPORT_H
#define LCS_TEST_TESTSUPPORT_H

#include "lcs/cache/Entry.h"
#include "lcs/cache/Key.h"
#include "lcs/lcs.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace lcs::test {

/// A fresh directory per test, removed afterwards with what it holds (even
/// when a test took its permissions away).
class TempDir {
public:
  TempDir() {
    char Template[] = "/tmp/lcs-test-XXXXXX";
    Path = ::mkdtemp(Template);
  }
  ~TempDir() {
    std::system(
        ("chmod -R u+rwx " + Path + " 2>/dev/null; rm -rf " + Path).c_str());
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  std::string Path;
};

inline std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// A cache entry named \p Name: its key, descriptor and payload differ
/// from every other name's.
inline cache::Entry makeEntry(const std::string &Name,
                              cache::EntryKind Kind = cache::EntryKind::PTX,
                              size_t PayloadSize = 100) {
  cache::Entry E;
  E.Kind = Kind;
  E.EntryKey = cache::KeyBuilder("test").add("name", Name).key();
  E.Descriptor = "kernel=" + Name;
  E.Payload = std::string(PayloadSize, 'p') + Name;
  return E;
}

/// A 1-D launch: \p Grid blocks of \p Block threads, \p Smem bytes of
/// dynamic shared memory.
inline lcs_launch_config_t launchOf(unsigned Grid, unsigned Block,
                                    unsigned Smem = 0) {
  lcs_launch_config_t P = {};
  P.grid[0] = Grid;
  P.grid[1] = P.grid[2] = 1;
  P.block[0] = Block;
  P.block[1] = P.block[2] = 1;
  P.shared_mem_bytes = Smem;
  return P;
}

/// A generic kernel that stores blockDim.x: its variants differ by block.
inline constexpr const char *BlockDimKernel = R"(
target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(ptr addrspace(1) %o) {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr addrspace(1) %o
  ret void
}
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
)";

} // namespace lcs::test

#endif // LCS_TEST_TESTSUPPORT_H
