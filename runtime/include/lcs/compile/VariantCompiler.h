//===- VariantCompiler.h - Compile one variant, cache in front --*- C++ -*-===//
///
/// \file
/// Turns sources (modules in memory) plus a kernel and a launch
/// configuration into PTX or a cubin, through the disk cache:
///
///   source key  = XXH3-128("lcs-source"; lcs, LLVM versions; each input's
///                 bytes in order)
///                 with link inputs: ("lcs-source-linked"; that key; each
///                 link input's kind and bytes in order)
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
/// No LLVM (LCS::host): parsing, analysis and code generation are the
/// CompileBackend's (Backend.h), a worker process or, for programs that
/// link LCS::compile, this one. Errors are lcs::Status, LCS_ERROR_COMPILE
/// unless said otherwise.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_VARIANTCOMPILER_H
#define LCS_COMPILE_VARIANTCOMPILER_H

#include "lcs/Status.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/compile/Backend.h"
#include "lcs/compile/LinkInput.h"
#include "lcs/config/LaunchConfig.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
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
  /// Device code linked into the kernel's cubin (needs Kind == Cubin);
  /// kinds are detected here when not given.
  std::vector<LinkInput> Links;
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

using Sources = std::vector<std::pair<std::string, std::string>>;

/// One variant, with everything decided by the caller: the lower level
/// under compile(), used by the runtime.
struct VariantRequest {
  /// The source key: sourceKey(bytes), or identityKey() for a generator.
  cache::Key Source;
  cache::KernelRecord Kernel;
  /// The groups to specialise on (the caller applies its policy) and
  /// their values in Config.
  FieldMask Groups;
  LaunchConfig Config;
  std::string Arch = "sm_90";
  unsigned OptLevel = 3;
  CodeKind Kind = CodeKind::PTX;
  /// Produces the inputs, the dynamic shared memory a generator adds
  /// (stored with the variant), the link inputs (a module program's, or
  /// what the generator gave; their bytes must be in Source), launch
  /// metadata stored with the variant as given (a generator's function
  /// attributes) and, where the caller has it, the inputs' prepared
  /// program (as Program, which it starts as); called only on a miss.
  std::function<Status(Sources &Inputs, uint32_t &ExtraSmem,
                       std::vector<LinkInput> &Links,
                       std::map<std::string, std::string> &Meta,
                       std::shared_ptr<const worker::Prepared> &Program)>
      LoadInputs;
  /// The program as the backend prepared it when it analysed these inputs
  /// (CompileBackend::prepare); when set, an optimised build starts from
  /// it instead of the inputs LoadInputs gives (which must be the same
  /// program; buildsFromProgram()).
  std::shared_ptr<const worker::Prepared> Program;

  /// Whether a miss builds from Program rather than LoadInputs's inputs,
  /// which LoadInputs may then leave out: optimised builds only, since the
  /// prepared program's reading functions are cleaned up already
  /// (SensitivityOptions::CleanUpInPlace) and -O0 compiles the code as it
  /// came.
  bool buildsFromProgram() const { return Program && OptLevel > 0; }
};

class VariantCompiler {
public:
  /// \p Cache may be null (no caching). Every LLVM call on the inputs is
  /// \p Backend's.
  VariantCompiler(cache::DiskCache *Cache, CompileBackend &Backend)
      : Cache(Cache), Backend(Backend) {}

  /// Checks \p R (target, configuration, link inputs), finds its kernel
  /// and compiles its variant.
  Status compile(const CompileRequest &R, CompileResult &Out);

  /// The variant of \p R, from the cache or compiled. Errors from
  /// R.LoadInputs keep their code.
  Status compileVariant(const VariantRequest &R, CompileResult &Out);

  /// The key of a generator's output, from the identity its frontend gives.
  static cache::Key identityKey(const std::string &Identity);

  /// The record stored for \p Source, if any.
  std::optional<std::vector<cache::KernelRecord>>
  findRecord(const cache::Key &Source);
  /// Stores \p Records for \p Source.
  void storeRecord(const cache::Key &Source,
                   const std::vector<cache::KernelRecord> &Records);
  /// The records of \p Inputs, analysed now by the backend.
  Status analyse(const Sources &Inputs,
                 std::vector<cache::KernelRecord> &Out);
  /// analyse(), and the program prepared for the builds of its variants
  /// (CompileBackend::prepare).
  Status prepare(const Sources &Inputs, std::vector<cache::KernelRecord> &Out,
                 std::shared_ptr<const worker::Prepared> &Program);

  /// The sensitivity of every kernel of the sources (cached as a record).
  /// With \p Program, a record computed now (not found in the cache) also
  /// gives the program prepared for its builds (null otherwise).
  Status sensitivity(const Sources &Inputs,
                     std::vector<cache::KernelRecord> &Out,
                     cache::DiskCache::Outcome &Outcome,
                     std::shared_ptr<const worker::Prepared> *Program =
                         nullptr);

  /// The key of the sources alone.
  static cache::Key sourceKey(const Sources &Inputs);
  /// The key of the sources and their link inputs (kinds resolved):
  /// sourceKey(Inputs) when there are none.
  static cache::Key sourceKey(const Sources &Inputs,
                              const std::vector<LinkInput> &Links);

  /// lcs_inspect_modules' text for \p Inputs (Backend.h) from \p Backend,
  /// remembered under `<cache dir>/inspect/` (cache::defaultCacheDir(),
  /// nothing when the cache is disabled) keyed like a record: a fresh
  /// process that binds a kernel it has on disk starts no worker.
  static Status inspect(CompileBackend &Backend, const Sources &Inputs,
                        std::string &Out);

  /// Checks each of \p Links (LinkInput.h), detecting kinds not given;
  /// LCS_ERROR_INVALID_ARGUMENT naming the first bad one.
  static Status checkLinks(std::vector<LinkInput> &Links);

private:
  cache::DiskCache *Cache;
  CompileBackend &Backend;
  std::optional<cache::Key> LastRecordKey;
  cache::DiskCache::Outcome LastRecordOutcome = cache::DiskCache::Outcome::Off;
  std::vector<cache::KernelRecord> LastRecords;
  std::shared_ptr<const worker::Prepared> LastProgram;
};

/// Converts between a launch configuration and the backend's numbers.
worker::Config toWorkerConfig(const LaunchConfig &C);
LaunchConfig fromWorkerConfig(const worker::Config &W);

} // namespace lcs

#endif // LCS_COMPILE_VARIANTCOMPILER_H
