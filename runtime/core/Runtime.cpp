//===- Runtime.cpp - The lcs runtime --------------------------------------===//
//
// Launch path (hit): validate against device and kernel limits, build the
// variant key from the groups in use, probe the kernel's lock-free table,
// launch. Everything else (discovery, compiling, loading) is the slow path,
// taken once per variant, with per-variant single flight.
//
//===----------------------------------------------------------------------===//

#include "lcs/Runtime.h"

#include "lcs/compile/CodeGen.h"
#include "lcs/Fields.h"
#include "lcs/Log.h"
#include "lcs/compile/VariantCompiler.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

namespace lcs {

using cache::KernelRecord;

namespace {

constexpr uint32_t AllGroups =
    LCS_GROUP_BLOCK | LCS_GROUP_GRID | LCS_GROUP_CLUSTER | LCS_GROUP_SMEM;

/// The group bits (LCS_GROUP_*) of a field mask, whole groups.
uint32_t groupsOf(uint16_t Fields) {
  uint32_t G = 0;
  if (Fields & 0x7)
    G |= LCS_GROUP_BLOCK;
  if (Fields & 0x38)
    G |= LCS_GROUP_GRID;
  if (Fields & 0x1c0)
    G |= LCS_GROUP_CLUSTER;
  if (Fields & 0x200)
    G |= LCS_GROUP_SMEM;
  return G;
}

FieldMask fieldsOfGroups(uint32_t G) {
  FieldMask M;
  if (G & LCS_GROUP_BLOCK)
    M |= FieldMask::group(FieldGroup::Block);
  if (G & LCS_GROUP_GRID)
    M |= FieldMask::group(FieldGroup::Grid);
  if (G & LCS_GROUP_CLUSTER)
    M |= FieldMask::group(FieldGroup::Cluster);
  if (G & LCS_GROUP_SMEM)
    M |= FieldMask::group(FieldGroup::Smem);
  return M;
}

bool hasCluster(const LaunchParams &P) {
  return P.cluster[0] | P.cluster[1] | P.cluster[2];
}

/// A variant's identity within its kernel: the values of the groups used,
/// zero elsewhere.
struct VKey {
  uint32_t V[11] = {0};
  uint32_t Groups = 0;
  bool operator==(const VKey &O) const {
    return Groups == O.Groups && std::memcmp(V, O.V, sizeof V) == 0;
  }
};

VKey makeKey(const LaunchParams &P, uint32_t Groups) {
  VKey K;
  K.Groups = Groups;
  if (Groups & LCS_GROUP_BLOCK)
    std::memcpy(K.V, P.block, 12);
  if (Groups & LCS_GROUP_GRID)
    std::memcpy(K.V + 3, P.grid, 12);
  if (Groups & LCS_GROUP_CLUSTER) {
    std::memcpy(K.V + 6, P.cluster, 12);
    K.V[10] = hasCluster(P) ? 1 : 2; // explicit cluster vs none
  }
  if (Groups & LCS_GROUP_SMEM)
    K.V[9] = P.shared_mem_bytes;
  return K;
}

uint64_t hashKey(const VKey &K) {
  uint64_t H = 0x9e3779b97f4a7c15ull ^ K.Groups;
  for (uint32_t V : K.V) {
    H ^= V;
    H *= 0xff51afd7ed558ccdull;
    H ^= H >> 33;
  }
  return H;
}

/// "x,y,z" with missing dims 1; {0,0,0} if empty or malformed.
std::array<uint32_t, 3> parseDims(const std::string &S) {
  std::array<uint32_t, 3> D = {0, 0, 0};
  if (S.empty())
    return D;
  D = {1, 1, 1};
  size_t Pos = 0;
  for (unsigned I = 0; I != 3 && Pos <= S.size(); ++I) {
    size_t Comma = S.find(',', Pos);
    D[I] = uint32_t(std::strtoul(S.c_str() + Pos, nullptr, 10));
    if (Comma == std::string::npos)
      break;
    Pos = Comma + 1;
  }
  return D;
}

std::string dims(const uint32_t D[3]) {
  return std::to_string(D[0]) + "x" + std::to_string(D[1]) + "x" +
         std::to_string(D[2]);
}

LaunchConfig toConfig(const LaunchParams &P) {
  LaunchConfig C;
  C.Block = Dim3{P.block[0], P.block[1], P.block[2]};
  C.Grid = Dim3{P.grid[0], P.grid[1], P.grid[2]};
  if (hasCluster(P))
    C.Cluster = Dim3{P.cluster[0], P.cluster[1], P.cluster[2]};
  else
    C.ClusterNone = true;
  C.Smem = P.shared_mem_bytes;
  return C;
}

/// Module loading and generators run in relaxed capture mode, so a launch
/// inside stream capture may compile and load first.
class RelaxedCapture {
public:
  explicit RelaxedCapture(const DriverTable &D) : D(D) {
    Mode = CU_STREAM_CAPTURE_MODE_RELAXED;
    Ok = D.ThreadExchangeStreamCaptureMode(&Mode) == CUDA_SUCCESS;
  }
  ~RelaxedCapture() {
    if (Ok)
      D.ThreadExchangeStreamCaptureMode(&Mode);
  }

private:
  const DriverTable &D;
  CUstreamCaptureMode Mode;
  bool Ok;
};

/// The configuration of the launch a generator runs for, per thread.
struct GeneratorScope {
  bool Active = false;
  LaunchParams Config{};
  bool Read = false;
  bool Marked = false;
  uint32_t MarkedFields = 0;
};
thread_local GeneratorScope CurrentScope;

Status error(lcs_status_t Code, const std::string &Msg) {
  return Status(Code, Msg);
}

} // namespace

//===-- Runtime -----------------------------------------------------------===//

struct Runtime::Impl {
  const DriverTable *D = nullptr;
  CUcontext Ctx = nullptr;
  CUdevice Device = 0;
  bool OwnsPrimary = false;
  std::string Arch;
  // Device limits checked before the driver sees a launch.
  uint32_t MaxThreads = 1024, MaxBlock[3] = {1024, 1024, 64},
           MaxGrid[3] = {0x7fffffff, 65535, 65535};
  uint32_t MaxSmemOptIn = 49152;
  bool Clusters = false;
  RuntimeOptions Options;
  std::unique_ptr<cache::DiskCache> Cache;
  /// Null when compiling in this process.
  std::unique_ptr<worker::Pool> Workers;
  CodeKind Kind = CodeKind::PTX;
  std::atomic<uint32_t> DefaultGroups{LCS_GROUP_BLOCK | LCS_GROUP_CLUSTER};
  std::atomic<uint32_t> DefaultMaxVariants{8};
  // Launches served by a loaded variant are Launches - SlowLaunches -
  // Rejected, so the hit path counts once.
  std::atomic<uint64_t> Launches{0}, SlowLaunches{0}, Rejected{0}, Compiles{0},
      DiskHits{0}, GeneratorCalls{0};

  Status checkDevice(const LaunchParams &P, const std::string &Kernel) const;
  Status makeCurrent() const {
    if (D->CtxSetCurrent(Ctx) != CUDA_SUCCESS)
      return error(LCS_ERROR_DRIVER, "cuCtxSetCurrent failed");
    return Status::ok();
  }
};

Status Runtime::Impl::checkDevice(const LaunchParams &P,
                                  const std::string &Kernel) const {
  static const char *Axis[] = {"x", "y", "z"};
  auto Bad = [&](const std::string &Msg) {
    return error(LCS_ERROR_INVALID_CONFIG, "kernel '" + Kernel + "': " + Msg);
  };
  uint64_t Threads = 1;
  for (unsigned I = 0; I != 3; ++I) {
    if (P.block[I] == 0)
      return Bad(std::string("block.") + Axis[I] + " must be at least 1");
    if (P.grid[I] == 0)
      return Bad(std::string("grid.") + Axis[I] + " must be at least 1");
    if (P.block[I] > MaxBlock[I])
      return Bad(std::string("block.") + Axis[I] + " = " +
                 std::to_string(P.block[I]) + " exceeds the device maximum " +
                 std::to_string(MaxBlock[I]));
    if (P.grid[I] > MaxGrid[I])
      return Bad(std::string("grid.") + Axis[I] + " = " +
                 std::to_string(P.grid[I]) + " exceeds the device maximum " +
                 std::to_string(MaxGrid[I]));
    Threads *= P.block[I];
  }
  if (Threads > MaxThreads)
    return Bad("block " + dims(P.block) + " has " + std::to_string(Threads) +
               " threads; the device allows " + std::to_string(MaxThreads));
  if (hasCluster(P)) {
    if (!Clusters)
      return Bad("cluster " + dims(P.cluster) + ": the device (" + Arch +
                 ") cannot launch thread block clusters");
    uint64_t Blocks = 1;
    for (unsigned I = 0; I != 3; ++I) {
      if (P.cluster[I] == 0)
        return Bad(std::string("cluster.") + Axis[I] +
                   " must be at least 1 when a cluster is given");
      if (P.grid[I] % P.cluster[I])
        return Bad(std::string("grid.") + Axis[I] + " = " +
                   std::to_string(P.grid[I]) +
                   " is not a multiple of cluster." + Axis[I] + " = " +
                   std::to_string(P.cluster[I]));
      Blocks *= P.cluster[I];
    }
    if (Blocks > 8)
      return Bad("cluster " + dims(P.cluster) + " has " +
                 std::to_string(Blocks) + " blocks; at most 8 (portable)");
  }
  if (P.shared_mem_bytes > MaxSmemOptIn)
    return Bad("smem.dynamic = " + std::to_string(P.shared_mem_bytes) +
               " bytes exceeds the device's opt-in maximum of " +
               std::to_string(MaxSmemOptIn));
  return Status::ok();
}

Runtime::Runtime(std::unique_ptr<Impl> I) : I(std::move(I)) {}

Runtime::~Runtime() {
  if (I->OwnsPrimary)
    I->D->DevicePrimaryCtxRelease(I->Device);
}

Status Runtime::create(const RuntimeOptions &Options,
                       std::unique_ptr<Runtime> &Out) {
  auto I = std::make_unique<Impl>();
  I->Options = Options;
  I->DefaultGroups = Options.DefaultPolicy.groups & AllGroups;
  I->DefaultMaxVariants = Options.DefaultPolicy.max_variants;
  std::string Why;
  I->D = Options.Driver ? Options.Driver : loadDriver(Why);
  if (!I->D)
    return error(LCS_ERROR_NO_DRIVER, Why);
  const DriverTable &D = *I->D;
  auto Check = [&](CUresult R, const char *Call) {
    return R == CUDA_SUCCESS
               ? Status::ok()
               : error(R == CUDA_ERROR_NO_DEVICE ? LCS_ERROR_NO_DRIVER
                                                 : LCS_ERROR_DRIVER,
                       std::string(Call) + ": " + driverErrorName(&D, R));
  };
  if (Status S = Check(D.Init(0), "cuInit"))
    return S;
  if (Status S = Check(D.CtxGetCurrent(&I->Ctx), "cuCtxGetCurrent"))
    return S;
  if (I->Ctx) {
    if (Status S = Check(D.CtxGetDevice(&I->Device), "cuCtxGetDevice"))
      return S;
  } else {
    int Count = 0;
    if (D.DeviceGetCount(&Count) != CUDA_SUCCESS || Count == 0)
      return error(LCS_ERROR_NO_DRIVER, "no CUDA device");
    if (Status S = Check(D.DeviceGet(&I->Device, 0), "cuDeviceGet"))
      return S;
    if (Status S = Check(D.DevicePrimaryCtxRetain(&I->Ctx, I->Device),
                         "cuDevicePrimaryCtxRetain"))
      return S;
    I->OwnsPrimary = true;
    if (Status S = Check(D.CtxSetCurrent(I->Ctx), "cuCtxSetCurrent")) {
      D.DevicePrimaryCtxRelease(I->Device);
      return S;
    }
  }
  auto Attr = [&](CUdevice_attribute A, uint32_t &Out) {
    int V = 0;
    if (D.DeviceGetAttribute(&V, A, I->Device) == CUDA_SUCCESS && V > 0)
      Out = uint32_t(V);
  };
  uint32_t Major = 9, Minor = 0, ClusterLaunch = 0;
  Attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, Major);
  Attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, Minor);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, I->MaxThreads);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, I->MaxBlock[0]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, I->MaxBlock[1]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, I->MaxBlock[2]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, I->MaxGrid[0]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, I->MaxGrid[1]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, I->MaxGrid[2]);
  Attr(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, I->MaxSmemOptIn);
  Attr(CU_DEVICE_ATTRIBUTE_CLUSTER_LAUNCH, ClusterLaunch);
  I->Clusters = ClusterLaunch != 0;
  I->Arch = "sm_" + std::to_string(Major * 10 + Minor);

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
    if (!Valid && log::enabled(log::Level::Warning))
      log::write(log::Level::Warning,
                 "LCS_CACHE_MAX_SIZE is not a size (e.g. 500M, 2G); using 1G");
    I->Cache = std::make_unique<cache::DiskCache>(CO);
  }
  if (!Options.CompileInProcess)
    I->Workers = std::make_unique<worker::Pool>(Options.CompileWorkers);
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

const std::string &Runtime::arch() const { return I->Arch; }
const DriverTable &Runtime::driver() const { return *I->D; }
CUcontext Runtime::context() const { return I->Ctx; }

//===-- Program -----------------------------------------------------------===//

struct Program::Impl {
  Runtime::Impl &RT;
  // Modules, or a generator.
  Sources Modules;
  std::vector<LinkInput> Links;
  cache::Key Source;
  std::vector<KernelRecord> Records;
  std::string Identity;
  GeneratorFn Generator;
  std::mutex KernelsMutex;
  std::map<std::string, std::unique_ptr<Kernel>> Kernels;

  explicit Impl(Runtime::Impl &RT) : RT(RT) {}
  bool isGenerated() const { return bool(Generator); }
};

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
    return error(LCS_ERROR_INVALID_ARGUMENT, "a program needs modules");
  if (llvm::Error E = VariantCompiler::checkLinks(Links))
    return error(LCS_ERROR_INVALID_ARGUMENT, llvm::toString(std::move(E)));
  auto P = std::make_unique<Program::Impl>(*I);
  P->Modules = std::move(Modules);
  P->Links = std::move(Links);
  P->Source = VariantCompiler::sourceKey(P->Modules, P->Links);
  // The sensitivity record: from the disk cache, else analysed now (which
  // also rejects bad IR here rather than at the first launch).
  VariantCompiler VC(I->Cache.get(), I->Workers.get());
  cache::DiskCache::Outcome O;
  llvm::Expected<std::vector<KernelRecord>> R = VC.sensitivity(P->Modules, O);
  if (!R)
    return error(LCS_ERROR_COMPILE, llvm::toString(R.takeError()));
  P->Records = std::move(*R);
  Out.reset(new Program(std::move(P)));
  return Status::ok();
}

Status Runtime::createProgram(const std::string &SourceIdentity,
                              GeneratorFn Generator,
                              std::unique_ptr<Program> &Out) {
  if (SourceIdentity.empty() || !Generator)
    return error(LCS_ERROR_INVALID_ARGUMENT,
                 "a generated program needs a source identity and a "
                 "generator");
  auto P = std::make_unique<Program::Impl>(*I);
  P->Identity = SourceIdentity;
  P->Generator = std::move(Generator);
  Out.reset(new Program(std::move(P)));
  return Status::ok();
}

//===-- Kernel ------------------------------------------------------------===//

namespace {
/// One compile attempt that waiters share.
struct Attempt {
  std::mutex M;
  std::condition_variable CV;
  bool Done = false;
  Status Result;
};

struct Variant {
  VKey Key;
  std::atomic<CUfunction> Fn{nullptr}; ///< non-null once ready
  CUmodule Module = nullptr;
  uint32_t ExtraSmem = 0;
  std::atomic<uint32_t> SmemOptIn{0};
  std::string Groups;   ///< set at insertion, under the table's lock
  std::string CacheKey; ///< set before Fn is published; read after it
  std::mutex M;
  std::shared_ptr<Attempt> InFlight;
};
} // namespace

struct Kernel::Impl {
  Runtime::Impl &RT;
  Program::Impl &Prog;
  std::string Name;

  // What the kernel depends on; Known is set once (release) and read on
  // every launch (acquire).
  std::atomic<bool> Known{false};
  std::mutex DiscoverMutex;
  std::condition_variable DiscoverCV;
  bool Discovering = false;
  KernelRecord Record;
  cache::Key Source;
  uint32_t DependGroups = 0; ///< groups of Record.Fields
  std::array<uint32_t, 3> ReqNTid = {0, 0, 0}, ClusterReq = {0, 0, 0};
  uint64_t MaxNTid = 0;
  // A generator's output that does not depend on the configuration.
  std::string GenericIR;
  uint32_t GenericExtraSmem = 0;
  std::vector<LinkInput> GenericLinks;
  bool HaveGenericIR = false;
  // Output of the discovery run, for its own configuration's variant.
  std::optional<std::pair<VKey, Generated>> Stash;

  std::atomic<uint32_t> PolicyGroups, MaxVariants;

  // Variant table: open addressing, published with release stores, probed
  // with acquire loads; insertions under TableMutex.
  static constexpr size_t Capacity = 512;
  std::unique_ptr<std::atomic<Variant *>[]> Slots;
  std::mutex TableMutex;
  std::vector<std::unique_ptr<Variant>> Owned;
  std::atomic<unsigned> Specialised{0};
  bool WarnedBound = false;
  /// The variant the last launch used: most launches repeat it, and
  /// comparing keys is cheaper than hashing one.
  std::atomic<Variant *> Last{nullptr};

  Impl(Runtime::Impl &RT, Program::Impl &Prog, std::string Name)
      : RT(RT), Prog(Prog), Name(std::move(Name)),
        PolicyGroups(RT.DefaultGroups.load()),
        MaxVariants(RT.DefaultMaxVariants.load()),
        Slots(new std::atomic<Variant *>[Capacity]) {
    for (size_t I = 0; I != Capacity; ++I)
      Slots[I].store(nullptr, std::memory_order_relaxed);
  }

  ~Impl() {
    // Modules before the context (which the Runtime releases later).
    if (RT.D->CtxSetCurrent(RT.Ctx) == CUDA_SUCCESS)
      for (auto &V : Owned)
        if (V->Module)
          RT.D->ModuleUnload(V->Module);
  }

  void setRecord(const KernelRecord &R) {
    Record = R;
    DependGroups = groupsOf(R.Fields);
    ReqNTid = parseDims(R.ReqNTid);
    ClusterReq = parseDims(R.ClusterDim);
    std::array<uint32_t, 3> Max = parseDims(R.MaxNTid);
    MaxNTid = uint64_t(Max[0]) * Max[1] * Max[2];
  }

  /// The groups a launch specialises on.
  uint32_t groups() const {
    if (Record.Explicit)
      return DependGroups; // the IR is only valid for its configuration
    return DependGroups & PolicyGroups.load(std::memory_order_relaxed);
  }

  Variant *find(const VKey &K) const {
    size_t Mask = Capacity - 1;
    for (size_t I = hashKey(K) & Mask, N = 0; N != Capacity;
         I = (I + 1) & Mask, ++N) {
      Variant *V = Slots[I].load(std::memory_order_acquire);
      if (!V)
        return nullptr;
      if (V->Key == K)
        return V;
    }
    return nullptr;
  }

  Status checkKernel(const LaunchParams &P) const;
  Status discover(const LaunchParams &P);
  Status launchSlow(const LaunchParams &P, void **Args);
  Status ensureCompiled(Variant &V, const LaunchParams &P);
  Status compile(Variant &V, const LaunchParams &P);
  Status launchOn(Variant &V, CUfunction Fn, const LaunchParams &P,
                  void **Args);
  Variant *findOrInsert(const VKey &K, const LaunchParams &P, Status &S);
};

Kernel::Kernel(std::unique_ptr<Impl> I) : I(std::move(I)) {}
Kernel::~Kernel() = default;

Status Kernel::Impl::checkKernel(const LaunchParams &P) const {
  auto Bad = [&](const std::string &Msg) {
    return error(LCS_ERROR_INVALID_CONFIG, "kernel '" + Name + "': " + Msg);
  };
  if (ReqNTid[0] && (P.block[0] != ReqNTid[0] || P.block[1] != ReqNTid[1] ||
                     P.block[2] != ReqNTid[2]))
    return Bad("block " + dims(P.block) + " contradicts its required block " +
               dims(ReqNTid.data()) + " (reqntid)");
  if (MaxNTid && uint64_t(P.block[0]) * P.block[1] * P.block[2] > MaxNTid)
    return Bad("block " + dims(P.block) + " exceeds its maximum of " +
               std::to_string(MaxNTid) + " threads (maxntid)");
  if (ClusterReq[0] &&
      (P.cluster[0] != ClusterReq[0] || P.cluster[1] != ClusterReq[1] ||
       P.cluster[2] != ClusterReq[2]))
    return Bad("cluster " + dims(P.cluster) +
               " contradicts its required cluster " + dims(ClusterReq.data()));
  return Status::ok();
}

Status Kernel::launch(const LaunchParams &P, void **Args) {
  Impl &K = *I;
  K.RT.Launches.fetch_add(1, std::memory_order_relaxed);
  if (Status S = K.RT.checkDevice(P, K.Name)) {
    K.RT.Rejected.fetch_add(1, std::memory_order_relaxed);
    return S;
  }
  if (!K.Known.load(std::memory_order_acquire))
    if (Status S = K.discover(P)) {
      K.RT.Rejected.fetch_add(1, std::memory_order_relaxed);
      return S;
    }
  if (Status S = K.checkKernel(P)) {
    K.RT.Rejected.fetch_add(1, std::memory_order_relaxed);
    return S;
  }
  VKey Key = makeKey(P, K.groups());
  Variant *V = K.Last.load(std::memory_order_acquire);
  if (!V || !(V->Key == Key)) {
    V = K.find(Key);
    // Past the bound, unseen configurations use the generic variant.
    if (!V && Key.Groups && !K.Record.Explicit &&
        K.Specialised.load(std::memory_order_relaxed) >=
            K.MaxVariants.load(std::memory_order_relaxed))
      V = K.find(makeKey(P, 0));
    if (V)
      K.Last.store(V, std::memory_order_release);
  }
  if (V)
    if (CUfunction Fn = V->Fn.load(std::memory_order_acquire))
      return K.launchOn(*V, Fn, P, Args);
  K.RT.SlowLaunches.fetch_add(1, std::memory_order_relaxed);
  return K.launchSlow(P, Args);
}

Status Kernel::Impl::launchOn(Variant &V, CUfunction Fn, const LaunchParams &P,
                              void **Args) {
  const DriverTable &D = *RT.D;
  uint64_t Smem = uint64_t(P.shared_mem_bytes) + V.ExtraSmem;
  if (V.ExtraSmem && Smem > RT.MaxSmemOptIn)
    return error(LCS_ERROR_INVALID_CONFIG,
                 "kernel '" + Name +
                     "': smem.dynamic = " + std::to_string(P.shared_mem_bytes) +
                     " + " + std::to_string(V.ExtraSmem) +
                     " bytes the generator added exceeds the device's opt-in "
                     "maximum of " +
                     std::to_string(RT.MaxSmemOptIn));
  // Above 48 KiB the function must opt in; once per size increase. The
  // limit only grows: concurrent launches must not lower it under another.
  if (Smem > 49152 && Smem > V.SmemOptIn.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> L(V.M);
    if (Smem > V.SmemOptIn.load(std::memory_order_relaxed)) {
      CUresult R = D.FuncSetAttribute(
          Fn, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, int(Smem));
      if (R != CUDA_SUCCESS)
        return error(LCS_ERROR_DRIVER, "kernel '" + Name +
                                           "': setting the dynamic shared "
                                           "memory opt-in: " +
                                           driverErrorName(&D, R));
      V.SmemOptIn.store(uint32_t(Smem), std::memory_order_release);
    }
  }
  CUresult R;
  if (hasCluster(P)) {
    CUlaunchAttribute Attr;
    Attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
    Attr.value.clusterDim.x = P.cluster[0];
    Attr.value.clusterDim.y = P.cluster[1];
    Attr.value.clusterDim.z = P.cluster[2];
    CUlaunchConfig C = {};
    C.gridDimX = P.grid[0];
    C.gridDimY = P.grid[1];
    C.gridDimZ = P.grid[2];
    C.blockDimX = P.block[0];
    C.blockDimY = P.block[1];
    C.blockDimZ = P.block[2];
    C.sharedMemBytes = uint32_t(Smem);
    C.hStream = static_cast<CUstream>(P.stream);
    C.attrs = &Attr;
    C.numAttrs = 1;
    R = D.LaunchKernelEx(&C, Fn, Args, nullptr);
  } else {
    R = D.LaunchKernel(Fn, P.grid[0], P.grid[1], P.grid[2], P.block[0],
                       P.block[1], P.block[2], uint32_t(Smem),
                       static_cast<CUstream>(P.stream), Args, nullptr);
  }
  if (R != CUDA_SUCCESS)
    return error(LCS_ERROR_DRIVER,
                 "kernel '" + Name + "' (" + V.Groups +
                     "): launch failed: " + driverErrorName(&D, R));
  return Status::ok();
}

Variant *Kernel::Impl::findOrInsert(const VKey &K, const LaunchParams &P,
                                    Status &S) {
  std::lock_guard<std::mutex> L(TableMutex);
  if (Variant *V = find(K))
    return V;
  if (Owned.size() >= Capacity / 2) {
    S = error(LCS_ERROR_INVALID_CONFIG,
              "kernel '" + Name + "': more than " +
                  std::to_string(Capacity / 2) +
                  " variants; lower the policy's groups");
    return nullptr;
  }
  auto V = std::make_unique<Variant>();
  V->Key = K;
  V->Groups = toConfig(P).str(fieldsOfGroups(K.Groups));
  Variant *Raw = V.get();
  Owned.push_back(std::move(V));
  if (K.Groups)
    Specialised.fetch_add(1, std::memory_order_relaxed);
  size_t Mask = Capacity - 1;
  size_t I = hashKey(K) & Mask;
  while (Slots[I].load(std::memory_order_relaxed))
    I = (I + 1) & Mask;
  Slots[I].store(Raw, std::memory_order_release);
  return Raw;
}

Status Kernel::Impl::launchSlow(const LaunchParams &P, void **Args) {
  uint32_t Groups = groups();
  VKey Key = makeKey(P, Groups);
  if (Groups && !find(Key) &&
      Specialised.load(std::memory_order_relaxed) >=
          MaxVariants.load(std::memory_order_relaxed)) {
    if (!Record.Explicit) {
      Key = makeKey(P, 0); // past the bound: the generic variant
    } else {
      std::lock_guard<std::mutex> L(TableMutex);
      if (!WarnedBound) {
        WarnedBound = true;
        if (log::enabled(log::Level::Warning))
          log::write(log::Level::Warning,
                     "kernel '" + Name +
                         "' is explicitly sensitive and has more than " +
                         std::to_string(MaxVariants.load()) +
                         " variants; compiling more");
      }
    }
  }
  Status S;
  Variant *V = findOrInsert(Key, P, S);
  if (!V)
    return S;
  if (Status C = ensureCompiled(*V, P))
    return C;
  return launchOn(*V, V->Fn.load(std::memory_order_acquire), P, Args);
}

Status Kernel::Impl::ensureCompiled(Variant &V, const LaunchParams &P) {
  std::shared_ptr<Attempt> A;
  bool Mine = false;
  {
    std::lock_guard<std::mutex> L(V.M);
    if (V.Fn.load(std::memory_order_acquire))
      return Status::ok();
    if (V.InFlight) {
      A = V.InFlight;
    } else {
      A = std::make_shared<Attempt>();
      V.InFlight = A;
      Mine = true;
    }
  }
  if (!Mine) {
    std::unique_lock<std::mutex> L(A->M);
    A->CV.wait(L, [&] { return A->Done; });
    return A->Result;
  }
  Status S = compile(V, P); // no lock held: other variants compile meanwhile
  {
    std::lock_guard<std::mutex> L(V.M);
    V.InFlight.reset(); // a failure is retried by a later launch
  }
  {
    std::lock_guard<std::mutex> L(A->M);
    A->Done = true;
    A->Result = S;
  }
  A->CV.notify_all();
  return S;
}

namespace {
/// Runs \p Gen for \p Kernel with \p P as the thread's configuration.
Status runGenerator(Runtime::Impl &RT, const GeneratorFn &Gen,
                    const std::string &Kernel, const LaunchParams &P,
                    Generated &Out, GeneratorScope &Scope) {
  RT.GeneratorCalls.fetch_add(1, std::memory_order_relaxed);
  GeneratorScope Saved = CurrentScope;
  CurrentScope = GeneratorScope();
  CurrentScope.Active = true;
  CurrentScope.Config = P;
  Status S;
  {
    RelaxedCapture Relaxed(*RT.D);
    S = Gen(Kernel, Out);
  }
  Scope = CurrentScope;
  CurrentScope = Saved;
  if (S)
    return error(LCS_ERROR_COMPILE,
                 "kernel '" + Kernel +
                     "': the generator failed: " + S.message());
  if (Out.IR.empty())
    return error(LCS_ERROR_COMPILE,
                 "kernel '" + Kernel + "': the generator returned no IR");
  return Status::ok();
}
} // namespace

Status Kernel::Impl::discover(const LaunchParams &P) {
  std::unique_lock<std::mutex> L(DiscoverMutex);
  while (!Known.load(std::memory_order_acquire)) {
    if (Discovering) { // the first compile finds out; the others wait
      DiscoverCV.wait(L);
      continue;
    }
    Discovering = true;
    L.unlock();
    Generated Out;
    GeneratorScope Scope;
    Status S = runGenerator(RT, Prog.Generator, Name, P, Out, Scope);
    KernelRecord R;
    if (!S) {
      llvm::Expected<std::vector<KernelRecord>> Records =
          VariantCompiler(RT.Cache.get(), RT.Workers.get())
              .analyse({{Prog.Identity, Out.IR}});
      if (!Records) {
        S = error(LCS_ERROR_COMPILE, "kernel '" + Name + "': generated IR: " +
                                         llvm::toString(Records.takeError()));
      } else {
        bool Found = false;
        for (const KernelRecord &K : *Records)
          if (K.Name == Name) {
            R = K;
            Found = true;
          }
        if (!Found)
          S = error(LCS_ERROR_COMPILE, "kernel '" + Name +
                                           "': the generated IR has no kernel "
                                           "of that name");
      }
    }
    if (!S) {
      // Reading the configuration without narrowing it means "all".
      if (Scope.Marked) {
        R.Fields |= uint16_t(Scope.MarkedFields);
        R.Explicit = true;
      } else if (Scope.Read) {
        R.Fields = LCS_FIELD_ALL;
        R.Explicit = true;
      }
      VariantCompiler VC(RT.Cache.get(), RT.Workers.get());
      VC.storeRecord(Source, {R});
    }
    L.lock();
    Discovering = false;
    if (!S) {
      setRecord(R);
      if (!R.Explicit) {
        GenericIR = std::move(Out.IR);
        GenericExtraSmem = Out.ExtraSharedMem;
        GenericLinks = std::move(Out.Links);
        HaveGenericIR = true;
      } else {
        Stash.emplace(makeKey(P, groups()), std::move(Out));
      }
      Known.store(true, std::memory_order_release);
    }
    DiscoverCV.notify_all();
    if (S)
      return S;
  }
  return Status::ok();
}

Status Kernel::Impl::compile(Variant &V, const LaunchParams &P) {
  VariantRequest R;
  R.Source = Source;
  R.Kernel = Record;
  R.Groups = fieldsOfGroups(V.Key.Groups);
  R.Config = toConfig(P);
  R.Arch = RT.Arch;
  R.OptLevel = RT.Options.OptLevel;
  // Link inputs imply a cubin (nvJitLink links them).
  R.Kind = Prog.Links.empty() ? RT.Kind : CodeKind::Cubin;
  Status GenStatus;
  R.LoadInputs = [&](uint32_t &ExtraSmem,
                     std::vector<LinkInput> &Links) -> llvm::Expected<Sources> {
    if (!Prog.isGenerated()) {
      Links = Prog.Links;
      return Prog.Modules;
    }
    Generated Out;
    {
      std::lock_guard<std::mutex> L(DiscoverMutex);
      if (!Record.Explicit && HaveGenericIR) {
        ExtraSmem = GenericExtraSmem;
        Links = GenericLinks;
        return Sources{{Prog.Identity, GenericIR}};
      }
      if (Stash && Stash->first == V.Key) {
        Out = std::move(Stash->second);
        Stash.reset();
      }
    }
    if (Out.IR.empty()) {
      GeneratorScope Scope;
      GenStatus = runGenerator(RT, Prog.Generator, Name, P, Out, Scope);
      if (GenStatus)
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       GenStatus.message());
      if (!Record.Explicit) {
        std::lock_guard<std::mutex> L(DiscoverMutex);
        GenericIR = Out.IR;
        GenericExtraSmem = Out.ExtraSharedMem;
        GenericLinks = Out.Links;
        HaveGenericIR = true;
      }
    }
    ExtraSmem = Out.ExtraSharedMem;
    Links = std::move(Out.Links);
    return Sources{{Prog.Identity, std::move(Out.IR)}};
  };
  VariantCompiler VC(RT.Cache.get(), RT.Workers.get());
  llvm::Expected<CompileResult> C = VC.compileVariant(R);
  if (!C) {
    std::string Msg = llvm::toString(C.takeError());
    if (Msg.rfind("kernel '", 0) != 0)
      Msg = "kernel '" + Name + "': " + Msg;
    return error(GenStatus ? GenStatus.code() : LCS_ERROR_COMPILE, Msg);
  }
  if (C->Cache == cache::DiskCache::Outcome::Hit)
    RT.DiskHits.fetch_add(1, std::memory_order_relaxed);
  else
    RT.Compiles.fetch_add(1, std::memory_order_relaxed);

  if (Status S = RT.makeCurrent())
    return S;
  CUmodule Module = nullptr;
  CUfunction Fn = nullptr;
  CUresult Res;
  log::Timer LoadTime;
  {
    RelaxedCapture Relaxed(*RT.D);
    Res = RT.D->ModuleLoadData(&Module, C->Code.c_str());
  }
  if (log::enabled(log::Level::Info))
    LoadTime.report(log::Level::Info,
                    "load kernel=" + Name +
                        " key=" + C->VariantKey.hex().substr(0, 16) +
                        (Res == CUDA_SUCCESS ? "" : " failed"));
  if (Res != CUDA_SUCCESS)
    return error(LCS_ERROR_DRIVER,
                 "loading " +
                     std::string(RT.Kind == CodeKind::Cubin ? "cubin" : "PTX") +
                     " for kernel '" + Name + "', key " + C->VariantKey.hex() +
                     ": " + driverErrorName(RT.D, Res));
  Res = RT.D->ModuleGetFunction(&Fn, Module, Name.c_str());
  if (Res != CUDA_SUCCESS) {
    RT.D->ModuleUnload(Module);
    return error(LCS_ERROR_DRIVER, "kernel '" + Name + "' not in its module: " +
                                       driverErrorName(RT.D, Res));
  }
  // A variant's required block (reqntid) is checked here, once, so that
  // launches need not: it must be the block the variant is keyed on, or
  // for a variant shared by block sizes, the kernel's own.
  std::array<uint32_t, 3> Req = parseDims(C->Meta["reqntid"]);
  bool BlockKeyed = V.Key.Groups & LCS_GROUP_BLOCK;
  if (Req[0] && !(BlockKeyed ? Req[0] == P.block[0] && Req[1] == P.block[1] &&
                                   Req[2] == P.block[2]
                             : Req == ReqNTid)) {
    RT.D->ModuleUnload(Module);
    return error(LCS_ERROR_INVALID_CONFIG,
                 "kernel '" + Name + "': its code for " +
                     (V.Groups.empty() ? std::string("every configuration")
                                       : V.Groups) +
                     " requires block " + dims(Req.data()) +
                     " (reqntid), which contradicts block " + dims(P.block));
  }
  V.Module = Module;
  V.CacheKey = C->VariantKey.hex();
  V.ExtraSmem =
      uint32_t(std::strtoul(C->Meta["smem_extra"].c_str(), nullptr, 10));
  V.Fn.store(Fn, std::memory_order_release);
  return Status::ok();
}

void Kernel::setPolicy(const Policy &P) {
  I->PolicyGroups = P.groups & AllGroups;
  I->MaxVariants = P.max_variants;
}

Status Kernel::sensitivity(lcs_sensitivity_t &Out) {
  if (!I->Known.load(std::memory_order_acquire))
    return error(LCS_ERROR_INVALID_ARGUMENT,
                 "kernel '" + I->Name +
                     "': a generated kernel's sensitivity is known after "
                     "its first launch");
  Out.fields = I->Record.Fields;
  Out.is_explicit = I->Record.Explicit;
  return Status::ok();
}

std::vector<VariantInfo> Kernel::variants() {
  std::lock_guard<std::mutex> L(I->TableMutex);
  std::vector<VariantInfo> Out;
  for (const auto &V : I->Owned) {
    bool Ready = V->Fn.load(std::memory_order_acquire) != nullptr;
    Out.push_back({Ready ? V->CacheKey : std::string(), V->Groups, Ready});
  }
  return Out;
}

Status Kernel::variantFor(const LaunchParams &P, VariantInfo &Out) {
  if (!I->Known.load(std::memory_order_acquire))
    return error(LCS_ERROR_INVALID_ARGUMENT,
                 "kernel '" + I->Name + "': not launched yet");
  uint32_t Groups = I->groups();
  Out = VariantInfo();
  Out.Groups = toConfig(P).str(fieldsOfGroups(Groups));
  if (Variant *V = I->find(makeKey(P, Groups))) {
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
      return error(LCS_ERROR_INVALID_ARGUMENT,
                   "unknown kernel '" + Name +
                       "'; kernels: " + (Known.empty() ? "none" : Known));
    K->Source = P.Source;
    K->setRecord(*R);
    K->Known = true;
  } else {
    // A generator's kernel: its record may be on disk from an earlier
    // process, in which case the generator may never be called.
    K->Source = VariantCompiler::identityKey(P.Identity + "\n" + Name);
    VariantCompiler VC(P.RT.Cache.get(), P.RT.Workers.get());
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

//===-- Launch-configuration capture
//---------------------------------------===//

Status currentLaunchConfig(LaunchParams &Out) {
  if (!CurrentScope.Active)
    return error(LCS_ERROR_NO_LAUNCH_CONFIG,
                 "no launch configuration is active on this thread");
  CurrentScope.Read = true;
  Out = CurrentScope.Config;
  return Status::ok();
}

Status markLaunchConfigSensitive(uint32_t Fields) {
  if (!CurrentScope.Active)
    return error(LCS_ERROR_NO_LAUNCH_CONFIG,
                 "no launch configuration is active on this thread");
  if (Fields & ~uint32_t(LCS_FIELD_ALL))
    return error(LCS_ERROR_INVALID_ARGUMENT,
                 "unknown launch field bits " + std::to_string(Fields));
  CurrentScope.Marked = true;
  CurrentScope.MarkedFields |= Fields;
  return Status::ok();
}

} // namespace lcs
