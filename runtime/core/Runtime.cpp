//===- Runtime.cpp - The lcs runtime, C++ facade --------------------------===//
//
// Runtime, Program and Kernel as the API shows them: creation, policies,
// kernels by name, what a kernel depends on and which variants it has;
// what the runtimes of one process share (the disk cache object of a
// directory, the analysis records). The launch itself is Launch.cpp;
// RuntimeImpl.h lists the other parts.
//
//===----------------------------------------------------------------------===//

#include "RuntimeImpl.h"

#include "lcs/Log.h"
#include "lcs/compile/Toolkit.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

namespace lcs {

using cache::KernelRecord;

Status core::kernelError(lcs_status_t Code, const std::string &Kernel,
                         const std::string &Msg) {
  return Status(Code, "kernel '" + Kernel + "': " + Msg);
}

Status core::kernelError(const Status &S, const std::string &Kernel) {
  return kernelError(S.code(), Kernel, S.message());
}

namespace {
constexpr uint32_t AllGroups = FieldMask::all().groupBits();

// Shared by the runtimes of the process (one per device, say). Allocated
// once and never destroyed: a runtime may be destroyed after static
// destructors have run.

/// The disk cache object for a directory: one per directory while any
/// runtime uses it.
std::shared_ptr<cache::DiskCache> sharedCache(const cache::CacheOptions &CO) {
  static auto *M = new std::mutex;
  static auto *Open =
      new std::map<std::string, std::weak_ptr<cache::DiskCache>>;
  std::string Id = CO.Dir + '\n' + std::to_string(CO.MaxSize);
  std::lock_guard<std::mutex> L(*M);
  std::weak_ptr<cache::DiskCache> &W = (*Open)[Id];
  std::shared_ptr<cache::DiskCache> C = W.lock();
  if (!C) {
    C = std::make_shared<cache::DiskCache>(CO);
    W = C;
  }
  return C;
}

/// Analysis records by source key, for runtimes without a disk cache (with
/// one, they share its records): a module given to several runtimes is
/// analysed once. Bounded: past the limit it starts again.
class SharedRecords {
public:
  std::optional<std::vector<KernelRecord>> find(const std::string &Key) {
    std::lock_guard<std::mutex> L(M);
    auto It = Map.find(Key);
    if (It == Map.end())
      return std::nullopt;
    return It->second;
  }
  void add(const std::string &Key, const std::vector<KernelRecord> &R) {
    std::lock_guard<std::mutex> L(M);
    if (Map.size() >= Limit)
      Map.clear();
    Map.emplace(Key, R);
  }

private:
  static constexpr size_t Limit = 4096;
  std::mutex M;
  std::unordered_map<std::string, std::vector<KernelRecord>> Map;
};

SharedRecords &sharedRecords() {
  static auto *R = new SharedRecords;
  return *R;
}
} // namespace

//===-- Runtime -----------------------------------------------------------===//

Runtime::Runtime(std::unique_ptr<Impl> I) : I(std::move(I)) {}

// The Impl's members release the workers, the cache and last the context
// (after the Programs, and with them the modules, are gone).
Runtime::~Runtime() = default;

Status Runtime::create(const RuntimeOptions &Options,
                       std::unique_ptr<Runtime> &Out) {
  auto I = std::make_unique<Impl>();
  I->Options = Options;
  I->DefaultGroups = Options.DefaultPolicy.groups & AllGroups;
  I->DefaultMaxVariants = Options.DefaultPolicy.max_variants;
  std::string Why;
  I->D = Options.Driver ? Options.Driver : loadDriver(Why);
  if (!I->D)
    return Status(LCS_ERROR_NO_DRIVER, Why);
  if (!Options.Compiler) {
    I->Workers = std::make_unique<WorkerBackend>(Options.CompileWorkers);
    // Its start-up overlaps the device's initialisation.
    const char *Env = std::getenv("LCS_PRESTART_WORKER");
    if (Options.PrestartWorker && !(Env && std::string(Env) == "0"))
      I->Workers->pool().prestart();
  }
  if (Status S = I->Dev.open(*I->D, Options.Device))
    return S;
  // Cubins when nvJitLink or ptxas is there; else PTX, which the driver
  // compiles when loading.
  if (Options.PreferCubin && canAssemble())
    I->Kind = CodeKind::Cubin;
  // An explicit "" turns the cache off; LCS_CACHE_DISABLE always does.
  std::string Dir =
      Options.CacheDir && Options.CacheDir->empty()
          ? std::string()
          : cache::defaultCacheDir(Options.CacheDir ? *Options.CacheDir
                                                    : std::string());
  if (!Dir.empty()) {
    bool Valid;
    cache::CacheOptions CO;
    CO.Dir = Dir;
    CO.MaxSize = cache::cacheMaxSizeFromEnv(Valid);
    CO.Remote = Options.RemoteCache;
    if (!Valid && log::enabled(log::Level::Warning))
      log::write(log::Level::Warning,
                 "LCS_CACHE_MAX_SIZE is not a size (e.g. 500M, 2G); using 1G");
    I->Cache = sharedCache(CO);
  }
  I->Backend = Options.Compiler ? Options.Compiler : I->Workers.get();
  Out.reset(new Runtime(std::move(I)));
  return Status::ok();
}

void Runtime::setDefaultPolicy(const Policy &P) {
  I->DefaultGroups = P.groups & AllGroups;
  I->DefaultMaxVariants = P.max_variants;
}

lcs_counters_t Runtime::counters() const {
  uint64_t L = I->Launches.load(), Slow = I->SlowLaunches.load(),
           Rej = I->Rejected.load();
  return {L, I->Compiles.load(), L - std::min(L, Slow + Rej),
          I->DiskHits.load(), I->GeneratorCalls.load()};
}

FailureCounters Runtime::failureCounters() const {
  return {I->Failed.load(), I->Remembered.load(), I->Repeated.load()};
}

const std::string &Runtime::arch() const { return I->Dev.Arch; }
const DriverTable &Runtime::driver() const { return *I->D; }
CUcontext Runtime::context() const { return I->Dev.Ctx; }

//===-- Program -----------------------------------------------------------===//

Program::Program(std::unique_ptr<Impl> I) : I(std::move(I)) {}
Program::~Program() = default;

Status
Runtime::createProgram(std::vector<std::pair<std::string, std::string>> Modules,
                       std::unique_ptr<Program> &Out) {
  return createProgram(std::move(Modules), {}, Out);
}

Status
Runtime::createProgram(std::vector<std::pair<std::string, std::string>> Modules,
                       std::vector<LinkInput> Links,
                       std::unique_ptr<Program> &Out) {
  if (Modules.empty())
    return Status(LCS_ERROR_INVALID_ARGUMENT, "a program needs modules");
  if (Status S = VariantCompiler::checkLinks(Links))
    return S;
  auto P = std::make_unique<Program::Impl>(*I);
  P->Modules = std::move(Modules);
  P->Links = std::move(Links);
  P->Source = VariantCompiler::sourceKey(P->Modules, P->Links);
  // The sensitivity record: from the disk cache (which the process's
  // runtimes share with every other process), else from another runtime of
  // the process, else analysed now (which also rejects bad IR here rather
  // than at the first launch).
  std::string Key = P->Source.hex();
  std::optional<std::vector<KernelRecord>> Shared;
  if (!I->Cache)
    Shared = sharedRecords().find(Key);
  if (Shared) {
    P->Records = std::move(*Shared);
  } else {
    VariantCompiler VC = I->compiler();
    cache::DiskCache::Outcome O;
    // -O0 builds compile the sources as they came: nothing to prepare.
    if (Status S = VC.sensitivity(P->Modules, P->Records, O,
                                  I->Options.OptLevel > 0 ? &P->Prepared
                                                          : nullptr))
      return S;
    sharedRecords().add(Key, P->Records);
  }
  Out.reset(new Program(std::move(P)));
  return Status::ok();
}

Status Runtime::createProgram(const std::string &SourceIdentity,
                              GeneratorFn Generator,
                              std::unique_ptr<Program> &Out) {
  if (SourceIdentity.empty() || !Generator)
    return Status(LCS_ERROR_INVALID_ARGUMENT,
                  "a generated program needs a source identity and a "
                  "generator");
  auto P = std::make_unique<Program::Impl>(*I);
  P->Identity = SourceIdentity;
  P->Generator = std::move(Generator);
  Out.reset(new Program(std::move(P)));
  return Status::ok();
}

//===-- Kernel ------------------------------------------------------------===//

void Kernel::setPolicy(const Policy &P) {
  I->PolicyGroups = P.groups & AllGroups;
  I->MaxVariants = P.max_variants;
}

Status Kernel::sensitivity(lcs_sensitivity_t &Out) {
  if (!I->Known.load(std::memory_order_acquire))
    return Status(LCS_ERROR_INVALID_ARGUMENT,
                  "kernel '" + I->Name +
                      "': a generated kernel's sensitivity is known after "
                      "its first launch");
  Out.fields = I->Record.Fields;
  Out.is_explicit = I->Record.Explicit;
  return Status::ok();
}

std::vector<VariantInfo> Kernel::variants() {
  std::vector<VariantInfo> Out;
  I->Table.forEach([&](const core::Variant &V) {
    bool Ready = V.Fn.load(std::memory_order_acquire) != nullptr;
    Out.push_back({Ready ? V.CacheKey : std::string(), V.Groups, Ready});
  });
  return Out;
}

Status Kernel::variantFor(const LaunchParams &P, VariantInfo &Out) {
  if (!I->Known.load(std::memory_order_acquire))
    return Status(LCS_ERROR_INVALID_ARGUMENT,
                  "kernel '" + I->Name + "': not launched yet");
  uint32_t Groups = I->groups();
  Out = VariantInfo();
  Out.Groups = LaunchConfig::fromC(P).str(FieldMask::ofGroupBits(Groups));
  if (core::Variant *V = I->Table.find(core::makeKey(P, Groups))) {
    Out.Compiled = V->Fn.load(std::memory_order_acquire) != nullptr;
    if (Out.Compiled)
      Out.Key = V->CacheKey;
  }
  return Status::ok();
}

Status Program::getKernel(const std::string &Name, Kernel *&Out) {
  Impl &P = *I;
  std::lock_guard<std::mutex> L(P.KernelsMutex);
  auto It = P.Kernels.find(Name);
  if (It != P.Kernels.end()) {
    Out = It->second.get();
    return Status::ok();
  }
  auto K = std::make_unique<Kernel::Impl>(P.RT, P, Name);
  if (!P.isGenerated()) {
    const KernelRecord *R = nullptr;
    std::string Known;
    for (const KernelRecord &Rec : P.Records) {
      Known += (Known.empty() ? "" : ", ") + Rec.Name;
      if (Rec.Name == Name)
        R = &Rec;
    }
    if (!R)
      return Status(LCS_ERROR_INVALID_ARGUMENT,
                    "unknown kernel '" + Name +
                        "'; kernels: " + (Known.empty() ? "none" : Known));
    K->Source = P.Source;
    K->setRecord(*R);
    K->Known = true;
  } else {
    // A generator's kernel: its record may be on disk from an earlier
    // process, in which case the generator may never be called.
    K->Source = VariantCompiler::identityKey(P.Identity + "\n" + Name);
    VariantCompiler VC = P.RT.compiler();
    if (std::optional<std::vector<KernelRecord>> R = VC.findRecord(K->Source))
      for (const KernelRecord &Rec : *R)
        if (Rec.Name == Name) {
          K->setRecord(Rec);
          K->Known = true;
        }
  }
  Out = new Kernel(std::move(K));
  P.Kernels[Name].reset(Out);
  return Status::ok();
}

std::vector<std::string> Program::kernels() {
  std::vector<std::string> Out;
  if (!I->isGenerated()) {
    for (const KernelRecord &R : I->Records)
      Out.push_back(R.Name);
    return Out;
  }
  std::lock_guard<std::mutex> L(I->KernelsMutex);
  for (const auto &KV : I->Kernels)
    Out.push_back(KV.first);
  return Out;
}

} // namespace lcs
