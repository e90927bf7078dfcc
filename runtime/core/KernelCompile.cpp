//===- KernelCompile.cpp - Discovery, single flight, compile, load --------===//
//
// The slow path of a launch, once per variant: a generated kernel's
// sensitivity is discovered by its first launch; each variant compiles
// once however many threads need it (single flight, no lock held while
// compiling), then is loaded and published to the variant table. A
// deterministic failure is remembered (Failures.h). Also the generators'
// view of the launch they run for. The caller (Kernel::launch) has made
// the runtime's context current.
//
//===----------------------------------------------------------------------===//

#include "Failures.h"
#include "RuntimeImpl.h"

#include "lcs/Log.h"


namespace lcs {

using cache::KernelRecord;
using core::Attempt;

namespace {

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

/// A generator's function attributes as variant metadata (Entry.h); only
/// those it sets, so that other entries keep their bytes.
void attributesToMeta(const FunctionAttributes &A,
                      std::map<std::string, std::string> &Meta) {
  if (A.SharedMemoryCarveout >= 0)
    Meta["carveout"] = std::to_string(A.SharedMemoryCarveout);
  if (A.NonPortableClusterSizeAllowed)
    Meta["nonportable_cluster"] = "1";
  if (A.ClusterSchedulingPolicy)
    Meta["cluster_scheduling"] = std::to_string(A.ClusterSchedulingPolicy);
  if (A.Cooperative)
    Meta["cooperative"] = "1";
}

/// Sets the attributes \p Meta names on \p Fn, once per load.
Status applyAttributes(const DriverTable &D, CUfunction Fn,
                       std::map<std::string, std::string> &Meta,
                       bool &NonPortableCluster, bool &Cooperative) {
  struct {
    const char *Key;
    CUfunction_attribute Attr;
    const char *What;
  } const Known[] = {
      {"carveout", CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT,
       "the shared memory carveout"},
      {"nonportable_cluster",
       CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED,
       "non-portable cluster sizes"},
      {"cluster_scheduling",
       CU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE,
       "the cluster scheduling policy"},
  };
  for (const auto &K : Known) {
    auto It = Meta.find(K.Key);
    if (It == Meta.end())
      continue;
    int Value = int(std::strtol(It->second.c_str(), nullptr, 10));
    CUresult R = D.FuncSetAttribute(Fn, K.Attr, Value);
    if (R != CUDA_SUCCESS)
      return Status(LCS_ERROR_DRIVER, std::string("setting ") + K.What +
                                          " to " + It->second + ": " +
                                          driverErrorName(&D, R));
  }
  NonPortableCluster = Meta.count("nonportable_cluster") != 0;
  Cooperative = Meta.count("cooperative") != 0;
  return Status::ok();
}

} // namespace

Status Kernel::Impl::ensureCompiled(core::Variant &V, const LaunchParams &P) {
  std::shared_ptr<Attempt> A;
  bool Mine = false;
  {
    std::lock_guard<std::mutex> L(V.M);
    if (V.Fn.load(std::memory_order_acquire))
      return Status::ok();
    if (V.Failure) {
      RT.Repeated.fetch_add(1, std::memory_order_relaxed);
      return *V.Failure;
    }
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
  bool Remember = false;
  // No lock held: other variants compile meanwhile.
  Status S = compile(V, P, Remember);
  if (S) {
    RT.Failed.fetch_add(1, std::memory_order_relaxed);
    if (Remember)
      RT.Remembered.fetch_add(1, std::memory_order_relaxed);
  }
  {
    std::lock_guard<std::mutex> L(V.M);
    V.InFlight.reset(); // a transient failure is retried by a later launch
    if (S && Remember)
      V.Failure = S;
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
    return Status(LCS_ERROR_COMPILE,
                  "kernel '" + Kernel +
                      "': the generator failed: " + S.message());
  if (Out.IR.empty())
    return Status(LCS_ERROR_COMPILE,
                  "kernel '" + Kernel + "': the generator returned no IR");
  const FunctionAttributes &A = Out.Attributes;
  if (A.SharedMemoryCarveout < -1 || A.SharedMemoryCarveout > 100)
    return Status(LCS_ERROR_COMPILE,
                  "kernel '" + Kernel + "': the generator's shared memory "
                  "carveout " + std::to_string(A.SharedMemoryCarveout) +
                      " is not a percentage (0 to 100, or -1 for the "
                      "driver's choice)");
  if (A.ClusterSchedulingPolicy < 0 || A.ClusterSchedulingPolicy > 2)
    return Status(LCS_ERROR_COMPILE,
                  "kernel '" + Kernel + "': the generator's cluster "
                  "scheduling policy " +
                      std::to_string(A.ClusterSchedulingPolicy) +
                      " is not one of 0 (default), 1 (spread), 2 (load "
                      "balancing)");
  return Status::ok();
}
} // namespace

Status Kernel::Impl::discover(const LaunchParams &P) {
  const core::VKey Whole = core::makeKey(P, FieldMask::all().groupBits());
  std::unique_lock<std::mutex> L(DiscoverMutex);
  while (!Known.load(std::memory_order_acquire)) {
    for (const auto &[Key, Failure] : DiscoveryFailures)
      if (Key == Whole) {
        RT.Repeated.fetch_add(1, std::memory_order_relaxed);
        return Failure;
      }
    if (Discovering) { // the first compile finds out; the others wait
      DiscoverCV.wait(L);
      continue;
    }
    Discovering = true;
    L.unlock();
    Generated Out;
    GeneratorScope Scope;
    Status S = runGenerator(RT, Prog.Generator, Name, P, Out, Scope);
    bool Remember = true; // the generator's failures are its own
    KernelRecord R;
    // Optimised builds start from the program as the analysis left it
    // (parsed once; the first build usually takes the very module).
    std::shared_ptr<const worker::Prepared> Program;
    if (!S) {
      std::vector<KernelRecord> Records;
      VariantCompiler VC = RT.compiler();
      Sources In = {{Prog.Identity, Out.IR}};
      if (Status A = RT.Options.OptLevel > 0
                         ? VC.prepare(In, Records, Program)
                         : VC.analyse(In, Records)) {
        Remember = core::rememberFailure(LCS_ERROR_COMPILE, A.message());
        S = Status(LCS_ERROR_COMPILE,
                   "kernel '" + Name + "': generated IR: " + A.message());
      } else {
        bool Found = false;
        for (const KernelRecord &K : Records)
          if (K.Name == Name) {
            R = K;
            Found = true;
          }
        if (!Found)
          S = Status(LCS_ERROR_COMPILE, "kernel '" + Name +
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
      VariantCompiler VC = RT.compiler();
      VC.storeRecord(Source, {R});
    }
    L.lock();
    Discovering = false;
    if (S) {
      RT.Failed.fetch_add(1, std::memory_order_relaxed);
      if (Remember) {
        RT.Remembered.fetch_add(1, std::memory_order_relaxed);
        if (DiscoveryFailures.size() == MaxDiscoveryFailures)
          DiscoveryFailures.erase(DiscoveryFailures.begin());
        DiscoveryFailures.emplace_back(Whole, S);
      }
    } else {
      setRecord(R);
      if (!R.Explicit) {
        GenericIR = std::move(Out.IR);
        GenericExtraSmem = Out.ExtraSharedMem;
        GenericLinks = std::move(Out.Links);
        GenericAttributes = Out.Attributes;
        GenericProgram = std::move(Program);
        HaveGenericIR = true;
      } else {
        Stash = Discovered{core::makeKey(P, groups()), std::move(Out),
                           std::move(Program)};
      }
      Known.store(true, std::memory_order_release);
    }
    DiscoverCV.notify_all();
    if (S)
      return S;
  }
  return Status::ok();
}

Status Kernel::Impl::compile(core::Variant &V, const LaunchParams &P,
                             bool &Remember) {
  Remember = false;
  VariantRequest R;
  R.Source = Source;
  R.Kernel = Record;
  R.Groups = FieldMask::ofGroupBits(V.Key.Groups);
  R.Config = LaunchConfig::fromC(P);
  // A cluster past 8 blocks reached here through checkDevice; the code is
  // built for it, and the launch checks the variant's attribute.
  R.Config.NonPortableCluster =
      uint64_t(P.cluster[0]) * P.cluster[1] * P.cluster[2] > 8;
  R.Arch = RT.Dev.Arch;
  R.OptLevel = RT.Options.OptLevel;
  // Link inputs imply a cubin (nvJitLink links them).
  R.Kind = Prog.Links.empty() ? RT.Kind : CodeKind::Cubin;
  if (!Prog.isGenerated())
    R.Program = Prog.Prepared;
  Status GenStatus;
  R.LoadInputs = [&](Sources &Inputs, uint32_t &ExtraSmem,
                     std::vector<LinkInput> &Links,
                     std::map<std::string, std::string> &Meta,
                     std::shared_ptr<const worker::Prepared> &Program)
      -> Status {
    if (!Prog.isGenerated()) {
      Links = Prog.Links;
      if (!R.buildsFromProgram())
        Inputs = Prog.Modules;
      return Status::ok();
    }
    // A miss: the build will need a worker, whose start-up can overlap the
    // generator (numba-cuda's compile, for lcs.numba).
    if (RT.Workers)
      RT.Workers->pool().prestart();
    Generated Out;
    {
      std::lock_guard<std::mutex> L(DiscoverMutex);
      if (!Record.Explicit && HaveGenericIR) {
        ExtraSmem = GenericExtraSmem;
        Links = GenericLinks;
        attributesToMeta(GenericAttributes, Meta);
        Program = GenericProgram;
        // An optimised build from the prepared program reads no sources.
        if (!Program || R.OptLevel == 0)
          Inputs = {{Prog.Identity, GenericIR}};
        return Status::ok();
      }
      if (Stash && Stash->Key == V.Key) {
        Out = std::move(Stash->Out);
        Program = std::move(Stash->Program);
        Stash.reset();
      }
    }
    if (Out.IR.empty()) {
      GeneratorScope Scope;
      GenStatus = runGenerator(RT, Prog.Generator, Name, P, Out, Scope);
      if (GenStatus)
        return GenStatus;
      if (!Record.Explicit) {
        std::lock_guard<std::mutex> L(DiscoverMutex);
        GenericIR = Out.IR;
        GenericExtraSmem = Out.ExtraSharedMem;
        GenericLinks = Out.Links;
        GenericAttributes = Out.Attributes;
        HaveGenericIR = true;
      }
    }
    ExtraSmem = Out.ExtraSharedMem;
    attributesToMeta(Out.Attributes, Meta);
    Links = std::move(Out.Links);
    Inputs = {{Prog.Identity, std::move(Out.IR)}};
    return Status::ok();
  };
  VariantCompiler VC = RT.compiler();
  CompileResult C;
  if (Status Failed = VC.compileVariant(R, C)) {
    std::string Msg = Failed.message();
    lcs_status_t Code = GenStatus ? GenStatus.code() : LCS_ERROR_COMPILE;
    Remember = GenStatus || core::rememberFailure(Code, Msg);
    if (Msg.rfind("kernel '", 0) != 0)
      Msg = "kernel '" + Name + "': " + Msg;
    return Status(Code, Msg);
  }
  // A variant another node compiled (the remote tier) is a disk hit here.
  if (C.Cache == cache::DiskCache::Outcome::Hit ||
      (C.Cache == cache::DiskCache::Outcome::Miss &&
       cache::DiskCache::lastServedRemotely()))
    RT.DiskHits.fetch_add(1, std::memory_order_relaxed);
  else
    RT.Compiles.fetch_add(1, std::memory_order_relaxed);

  // Driver failures from here on are retried by a later launch.
  ModuleHandle Module;
  CUfunction Fn = nullptr;
  CUresult Res;
  log::Timer LoadTime;
  {
    RelaxedCapture Relaxed(*RT.D);
    Res = ModuleHandle::load(*RT.D, RT.Dev.Ctx, C.Code.c_str(), Module);
  }
  if (log::enabled(log::Level::Info))
    LoadTime.report(log::Level::Info,
                    "load kernel=" + Name +
                        " key=" + C.VariantKey.hex().substr(0, 16) +
                        (Res == CUDA_SUCCESS ? "" : " failed"));
  if (Res != CUDA_SUCCESS)
    return Status(
        LCS_ERROR_DRIVER,
        "loading " + std::string(RT.Kind == CodeKind::Cubin ? "cubin" : "PTX") +
            " for kernel '" + Name + "', key " + C.VariantKey.hex() + ": " +
            driverErrorName(RT.D, Res));
  Res = RT.D->ModuleGetFunction(&Fn, Module.get(), Name.c_str());
  if (Res != CUDA_SUCCESS)
    return Status(LCS_ERROR_DRIVER,
                  "kernel '" + Name +
                      "' not in its module: " + driverErrorName(RT.D, Res));
  // A variant's required block (reqntid) is checked here, once, so that
  // launches need not: it must be the block the variant is keyed on, or
  // for a variant shared by block sizes, the kernel's own.
  Dim3 Block = {P.block[0], P.block[1], P.block[2]};
  if (std::optional<Dim3> Req = config::parseRecordDims(C.Meta["reqntid"]);
      Req &&
      *Req != (V.Key.Groups & LCS_GROUP_BLOCK ? Block : Bounds.ReqNTid)) {
    Remember = true; // the code would say the same on every load
    return core::kernelError(
        LCS_ERROR_INVALID_CONFIG, Name,
        "its code for " +
            (V.Groups.empty() ? std::string("every configuration") : V.Groups) +
            ": " + config::requiredBlockError(Block, *Req).message());
  }
  // The generator's function attributes, from the entry: a disk hit
  // launches as the compile did.
  if (Status S = applyAttributes(*RT.D, Fn, C.Meta, V.NonPortableCluster,
                                 V.Cooperative))
    return core::kernelError(S.code(), Name, S.message());
  V.Module = std::move(Module);
  V.CacheKey = C.VariantKey.hex();
  V.ExtraSmem =
      uint32_t(std::strtoul(C.Meta["smem_extra"].c_str(), nullptr, 10));
  V.Fn.store(Fn, std::memory_order_release);
  return Status::ok();
}

//===-- Launch-configuration capture --------------------------------------===//

Status currentLaunchConfig(LaunchParams &Out) {
  if (!CurrentScope.Active)
    return Status(LCS_ERROR_NO_LAUNCH_CONFIG,
                  "no launch configuration is active on this thread");
  CurrentScope.Read = true;
  Out = CurrentScope.Config;
  return Status::ok();
}

Status markLaunchConfigSensitive(uint32_t Fields) {
  if (!CurrentScope.Active)
    return Status(LCS_ERROR_NO_LAUNCH_CONFIG,
                  "no launch configuration is active on this thread");
  if (Fields & ~uint32_t(FieldMask::all().bits()))
    return Status(LCS_ERROR_INVALID_ARGUMENT,
                  "unknown launch field bits " + std::to_string(Fields));
  CurrentScope.Marked = true;
  CurrentScope.MarkedFields |= Fields;
  return Status::ok();
}

} // namespace lcs
