//===- VariantCompiler.h - Compile one variant, cache in front --*- C++ -*-===//
///
/// \file
/// Turns sources (modules in memory) plus a kernel and a launch
/// configuration into PTX or a cubin, through the disk cache:
///
///   source key  = XXH3-128("lcs-source"; lcs, LLVM versions; each input's
///                 bytes in order)
///   record key  = ("lcs-record"; source key)
///                 -> which fields each kernel depends on (a record entry)
///   variant key = ("lcs-variant"; source key; kernel; arch; PTX version;
///                 opt level; kind; the groups the kernel is specialised on
///                 and their values; libdevice's bytes; for cubins, ptxas's
///                 identity)
///                 -> PTX or cubin and launch metadata (a variant entry)
///
/// A hit on both never parses, analyses or compiles. Two configurations that
/// differ only in groups the kernel does not depend on share the variant
/// key (the soundness rule). Without a cache, or when it is disabled,
/// everything is computed.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_VARIANTCOMPILER_H
#define LCS_COMPILE_VARIANTCOMPILER_H

#include "lcs/LaunchConfig.h"
#include "lcs/cache/DiskCache.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace lcs {

enum class CodeKind { PTX, Cubin };

struct CompileRequest {
  /// (name, bytes) of each input, linked in order.
  std::vector<std::pair<std::string, std::string>> Inputs;
  /// The kernel; empty: the program's only kernel.
  std::string Kernel;
  /// Given groups; groups the kernel does not depend on are ignored.
  LaunchConfig Config;
  std::string Arch = "sm_90";
  unsigned OptLevel = 3;
  CodeKind Kind = CodeKind::PTX;
};

struct CompileResult {
  std::string Code;
  std::string Kernel;
  cache::Key VariantKey;
  /// Of the variant lookup: Hit, Miss (compiled), or Off (no cache).
  cache::DiskCache::Outcome Cache = cache::DiskCache::Outcome::Off;
  cache::DiskCache::Outcome RecordCache = cache::DiskCache::Outcome::Off;
  /// The groups specialised on, e.g. "block=128x1x1;grid=64x1x1".
  std::string Variant;
  /// Launch metadata stored with the code (reqntid, cluster, ...).
  std::map<std::string, std::string> Meta;
};

class VariantCompiler {
public:
  /// \p Cache may be null (no caching).
  explicit VariantCompiler(cache::DiskCache *Cache) : Cache(Cache) {}

  llvm::Expected<CompileResult> compile(const CompileRequest &R);

  /// The sensitivity of every kernel of the sources (cached as a record).
  llvm::Expected<std::vector<cache::KernelRecord>>
  sensitivity(const std::vector<std::pair<std::string, std::string>> &Inputs,
              cache::DiskCache::Outcome &Outcome);

  /// The key of the sources alone.
  static cache::Key sourceKey(
      const std::vector<std::pair<std::string, std::string>> &Inputs);

private:
  cache::DiskCache *Cache;
  std::optional<cache::Key> LastRecordKey;
  cache::DiskCache::Outcome LastRecordOutcome = cache::DiskCache::Outcome::Off;
  std::vector<cache::KernelRecord> LastRecords;
};

} // namespace lcs

#endif // LCS_COMPILE_VARIANTCOMPILER_H
