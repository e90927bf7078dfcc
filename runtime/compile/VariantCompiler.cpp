//===- VariantCompiler.cpp - Compile one variant, cache in front ----------===//
//
// What goes into each key is decided here, and only here.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/VariantCompiler.h"

#include "lcs/compile/CodeGen.h"
#include "lcs/compile/Pipeline.h"
#include "lcs/compile/TargetCheck.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/Log.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/Plugin.h"
#include "lcs/Specialize.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Target/TargetMachine.h"

#include <mutex>

using namespace llvm;

namespace lcs {

using cache::DiskCache;
using cache::Entry;
using cache::EntryKind;
using cache::KeyBuilder;

namespace {

Error compileError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

/// libdevice's bytes, digested once per process ("" if absent).
const std::string &libdeviceDigest() {
  static std::once_flag Once;
  static std::string Digest;
  std::call_once(Once, [] {
    if (ErrorOr<std::unique_ptr<MemoryBuffer>> B =
            MemoryBuffer::getFile(libdevicePath()))
      Digest = cache::hashBytes((*B)->getBuffer()).hex();
  });
  return Digest;
}

/// Parses the inputs into one module.
Expected<std::unique_ptr<Module>>
parseSources(const std::vector<std::pair<std::string, std::string>> &Inputs,
             LLVMContext &Ctx) {
  std::vector<MemoryBufferRef> Refs;
  for (const auto &[Name, Bytes] : Inputs)
    Refs.emplace_back(Bytes, Name);
  return loadProgram(Refs, Ctx);
}

std::string dims(const Function &F, StringRef Attr) {
  Attribute A = F.getFnAttribute(Attr);
  return A.isStringAttribute() ? A.getValueAsString().str() : "";
}

std::vector<cache::KernelRecord> toRecords(const LaunchSensitivity &LS) {
  std::vector<cache::KernelRecord> Out;
  for (const KernelSensitivity &K : LS.kernels())
    Out.push_back({K.Kernel->getName().str(), K.Fields.bits(), K.Explicit,
                   dims(*K.Kernel, "nvvm.reqntid"),
                   dims(*K.Kernel, "nvvm.maxntid"),
                   dims(*K.Kernel, "nvvm.cluster_dim")});
  return Out;
}

worker::Config toWorkerConfig(const LaunchConfig &C) {
  worker::Config W;
  auto Put = [](const std::optional<Dim3> &D, bool &Has, uint32_t *Out) {
    Has = bool(D);
    if (D)
      std::copy(D->begin(), D->end(), Out);
  };
  Put(C.Block, W.HasBlock, W.Block);
  Put(C.Grid, W.HasGrid, W.Grid);
  bool HasCluster;
  Put(C.Cluster, HasCluster, W.Cluster);
  W.ClusterState = HasCluster ? 2 : C.ClusterNone ? 1 : 0;
  W.NonPortableCluster = C.NonPortableCluster;
  W.HasSmem = bool(C.Smem);
  W.Smem = C.Smem.value_or(0);
  return W;
}

LaunchConfig fromWorkerConfig(const worker::Config &W) {
  LaunchConfig C;
  if (W.HasBlock)
    C.Block = Dim3{W.Block[0], W.Block[1], W.Block[2]};
  if (W.HasGrid)
    C.Grid = Dim3{W.Grid[0], W.Grid[1], W.Grid[2]};
  if (W.ClusterState == 2)
    C.Cluster = Dim3{W.Cluster[0], W.Cluster[1], W.Cluster[2]};
  C.ClusterNone = W.ClusterState == 1;
  C.NonPortableCluster = W.NonPortableCluster;
  if (W.HasSmem)
    C.Smem = W.Smem;
  return C;
}

} // namespace

cache::Key VariantCompiler::sourceKey(
    const std::vector<std::pair<std::string, std::string>> &Inputs) {
  KeyBuilder B("lcs-source");
  B.add("lcs", Version).add("llvm", LLVM_VERSION_STRING);
  B.add("inputs", uint64_t(Inputs.size()));
  for (const auto &Input : Inputs)
    B.addDigest("input", Input.second);
  return B.key();
}

cache::Key VariantCompiler::sourceKey(const Sources &Inputs,
                                      const std::vector<LinkInput> &Links) {
  if (Links.empty())
    return sourceKey(Inputs);
  // Names are left out: they only label messages.
  KeyBuilder B("lcs-source-linked");
  B.addKey("modules", sourceKey(Inputs));
  B.add("links", uint64_t(Links.size()));
  for (const LinkInput &L : Links)
    B.add("link-kind", linkKindName(L.Kind)).addDigest("link", L.Bytes);
  return B.key();
}

Error VariantCompiler::checkLinks(std::vector<LinkInput> &Links) {
  for (LinkInput &L : Links)
    if (std::string Problem = checkLinkInput(L); !Problem.empty())
      return compileError(Problem);
  return Error::success();
}

cache::Key VariantCompiler::identityKey(const std::string &Identity) {
  return KeyBuilder("lcs-source-identity")
      .add("lcs", Version)
      .add("llvm", LLVM_VERSION_STRING)
      .add("identity", Identity)
      .key();
}

static cache::Key recordKey(const cache::Key &Source) {
  return KeyBuilder("lcs-record").addKey("source", Source).key();
}

std::optional<std::vector<cache::KernelRecord>>
VariantCompiler::findRecord(const cache::Key &Source) {
  if (!Cache)
    return std::nullopt;
  std::optional<Entry> E = Cache->lookup(recordKey(Source), EntryKind::Record);
  if (!E)
    return std::nullopt;
  return cache::decodeRecord(E->Payload);
}

void VariantCompiler::storeRecord(
    const cache::Key &Source, const std::vector<cache::KernelRecord> &Records) {
  if (!Cache)
    return;
  Entry E;
  E.Kind = EntryKind::Record;
  E.EntryKey = recordKey(Source);
  E.Descriptor = "record kernels=" + std::to_string(Records.size());
  E.Payload = cache::encodeRecord(Records);
  Cache->store(E);
}

Expected<std::vector<cache::KernelRecord>>
VariantCompiler::analyse(const Sources &Inputs) {
  if (!Workers)
    return analyseHere(Inputs);
  worker::Reply R = Workers->call(worker::encodeAnalyse(Inputs));
  if (!R.Ok)
    return compileError(R.Message);
  std::optional<std::vector<cache::KernelRecord>> Records =
      cache::decodeRecord(R.Payload);
  if (!Records)
    return compileError("the compile worker sent a malformed record");
  return std::move(*Records);
}

Expected<std::vector<cache::KernelRecord>>
VariantCompiler::analyseHere(const Sources &Inputs) {
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = parseSources(Inputs, Ctx);
  if (!M)
    return M.takeError();
  LaunchSensitivity LS = computeLaunchSensitivity(**M);
  // Reported when the record is made; a cached record does not repeat them.
  if (log::enabled(log::Level::Warning))
    for (const std::string &P : LS.problems())
      log::write(log::Level::Warning, P);
  return toRecords(LS);
}

Expected<std::vector<cache::KernelRecord>> VariantCompiler::sensitivity(
    const std::vector<std::pair<std::string, std::string>> &Inputs,
    DiskCache::Outcome &Outcome) {
  cache::Key K = recordKey(sourceKey(Inputs));
  // A compile right after a query of the same sources reuses the answer.
  if (LastRecordKey && *LastRecordKey == K) {
    Outcome = LastRecordOutcome;
    return LastRecords;
  }
  std::string Failure;
  log::Timer Time;
  auto Compute = [&]() -> std::optional<Entry> {
    Expected<std::vector<cache::KernelRecord>> Records = analyse(Inputs);
    if (!Records) {
      Failure = toString(Records.takeError());
      return std::nullopt;
    }
    Entry E;
    E.Kind = EntryKind::Record;
    E.EntryKey = K;
    E.Descriptor = "record kernels=" + std::to_string(Records->size());
    E.Payload = cache::encodeRecord(*Records);
    return E;
  };
  std::optional<Entry> E;
  if (Cache) {
    E = Cache->getOrCompute(K, EntryKind::Record, Compute, Outcome);
  } else {
    Outcome = DiskCache::Outcome::Off;
    E = Compute();
  }
  if (log::enabled(log::Level::Info))
    Time.report(log::Level::Info,
                "analysis source=" + K.hex().substr(0, 16) + " cache=" +
                    DiskCache::outcomeName(Outcome) + (E ? "" : " failed"));
  if (!E)
    return compileError(Failure);
  std::optional<std::vector<cache::KernelRecord>> Records =
      cache::decodeRecord(E->Payload);
  if (!Records)
    return compileError("malformed sensitivity record");
  LastRecordKey = K;
  LastRecordOutcome = Outcome;
  LastRecords = *Records;
  return *Records;
}

Expected<CompileResult> VariantCompiler::compile(const CompileRequest &R) {
  Expected<TargetLimits> Limits = targetLimits(R.Arch);
  if (!Limits)
    return Limits.takeError();
  if (Error E = validateLaunchConfig(R.Config, *Limits))
    return E;
  std::vector<LinkInput> Links = R.Links;
  if (Error E = checkLinks(Links))
    return E;

  cache::DiskCache::Outcome RecordOutcome;
  Expected<std::vector<cache::KernelRecord>> Records =
      sensitivity(R.Inputs, RecordOutcome);
  if (!Records)
    return Records.takeError();

  const cache::KernelRecord *Record = nullptr;
  std::string Known;
  for (const cache::KernelRecord &K : *Records) {
    Known += (Known.empty() ? "" : ", ") + K.Name;
    if (R.Kernel.empty() ? Records->size() == 1 : K.Name == R.Kernel)
      Record = &K;
  }
  if (!Record)
    return compileError(
        (R.Kernel.empty() ? Twine("the program has ") + Twine(Records->size()) +
                                " kernels; name one with --kernel"
                          : "unknown kernel '" + R.Kernel + "'") +
        "; kernels: " + (Known.empty() ? "none" : Known));

  VariantRequest V;
  V.Source = sourceKey(R.Inputs, Links);
  V.Kernel = *Record;
  V.Groups = specializationGroups(FieldMask(Record->Fields), R.Config);
  V.Config = R.Config;
  V.Arch = R.Arch;
  V.OptLevel = R.OptLevel;
  V.Kind = R.Kind;
  V.LoadInputs = [&](uint32_t &, std::vector<LinkInput> &Out,
                     std::map<std::string, std::string> &) -> Expected<Sources> {
    Out = Links;
    return R.Inputs;
  };
  Expected<CompileResult> Result = compileVariant(V);
  if (Result)
    Result->RecordCache = RecordOutcome;
  return Result;
}

Expected<CompileResult>
VariantCompiler::compileVariant(const VariantRequest &R) {
  CompileResult Result;
  const cache::KernelRecord &Record = R.Kernel;
  Result.Kernel = Record.Name;
  Result.Variant = R.Config.str(R.Groups);

  KeyBuilder B("lcs-variant");
  B.addKey("source", R.Source)
      .add("kernel", Record.Name)
      .add("arch", R.Arch)
      .add("ptx-version", ptxVersionPolicy())
      .add("opt", uint64_t(R.OptLevel))
      .add("kind", R.Kind == CodeKind::PTX ? "ptx" : "cubin")
      .add("groups", Result.Variant)
      .add(
          "nonportable-cluster",
          uint64_t(R.Config.NonPortableCluster &&
                   !(R.Groups & FieldMask::group(FieldGroup::Cluster)).empty()))
      .add("libdevice", libdeviceDigest());
  if (R.Kind == CodeKind::Cubin)
    B.add("assembler", assemblerIdentity());
  Result.VariantKey = B.key();
  EntryKind Kind = R.Kind == CodeKind::PTX ? EntryKind::PTX : EntryKind::Cubin;

  Error Failure = Error::success();
  log::Timer Time;
  auto Compute = [&]() -> std::optional<Entry> {
    uint32_t ExtraSmem = 0;
    std::vector<LinkInput> Links;
    std::map<std::string, std::string> ExtraMeta;
    Expected<Sources> Inputs = R.LoadInputs(ExtraSmem, Links, ExtraMeta);
    if (!Inputs) {
      Failure = Inputs.takeError();
      return std::nullopt;
    }
    if (Error E = checkLinks(Links)) {
      Failure = std::move(E);
      return std::nullopt;
    }
    if (!Links.empty() && R.Kind != CodeKind::Cubin) {
      Failure = compileError(
          "kernel '" + Record.Name +
          "': link inputs are linked by nvJitLink into a cubin; PTX cannot "
          "hold them (compile to cubins: RuntimeOptions::PreferCubin, "
          "--emit=cubin)");
      return std::nullopt;
    }
    // The configuration restricted to the groups used: nothing else may
    // reach the code (the soundness rule).
    worker::BuildJob J;
    J.Kernel = Record;
    J.Restricted = toWorkerConfig(R.Config.restrictedTo(R.Groups));
    J.Arch = R.Arch;
    J.OptLevel = R.OptLevel;
    J.Cubin = R.Kind == CodeKind::Cubin;
    J.ExtraSmem = ExtraSmem;
    J.Groups = Result.Variant;
    J.Inputs = std::move(*Inputs);
    J.Links = std::move(Links);
    Expected<cache::Variant> V = build(J);
    if (!V) {
      Failure = V.takeError();
      return std::nullopt;
    }
    for (auto &[Name, Value] : ExtraMeta)
      V->Meta[Name] = Value;
    Entry E;
    E.Kind = Kind;
    E.EntryKey = Result.VariantKey;
    E.Descriptor = "kernel=" + Record.Name + " arch=" + R.Arch + " " +
                   (Result.Variant.empty() ? "generic" : Result.Variant);
    E.Payload = cache::encodeVariant(*V);
    return E;
  };

  std::optional<Entry> E;
  if (Cache) {
    E = Cache->getOrCompute(Result.VariantKey, Kind, Compute, Result.Cache);
  } else {
    Result.Cache = DiskCache::Outcome::Off;
    E = Compute();
  }
  if (log::enabled(log::Level::Info))
    Time.report(
        log::Level::Info,
        "variant kernel=" + Record.Name + " arch=" + R.Arch +
            " groups=" + (Result.Variant.empty() ? "generic" : Result.Variant) +
            " kind=" + (R.Kind == CodeKind::PTX ? "ptx" : "cubin") + " cache=" +
            DiskCache::outcomeName(Result.Cache) + (E ? "" : " failed"));
  if (!E) {
    if (!Failure)
      return compileError("compilation failed");
    return Failure;
  }
  consumeError(std::move(Failure));
  std::optional<cache::Variant> V = cache::decodeVariant(E->Payload);
  if (!V)
    return compileError("malformed variant entry " + Result.VariantKey.hex());
  Result.Code = std::move(V->Code);
  Result.Meta = std::move(V->Meta);
  return Result;
}

Expected<cache::Variant> VariantCompiler::build(const worker::BuildJob &J) {
  if (!Workers)
    return buildHere(J);
  worker::Reply R = Workers->call(worker::encodeBuild(J));
  if (!R.Ok)
    return compileError(R.Message);
  std::optional<cache::Variant> V = cache::decodeVariant(R.Payload);
  if (!V)
    return compileError("the compile worker sent a malformed variant");
  return std::move(*V);
}

Expected<cache::Variant> VariantCompiler::buildHere(const worker::BuildJob &J) {
  LaunchConfig C = fromWorkerConfig(J.Restricted);
  C.Kernel = J.Kernel.Name;
  C.Arch = J.Arch;
  if (C.Smem)
    *C.Smem += J.ExtraSmem;
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = parseSources(J.Inputs, Ctx);
  if (!M)
    return M.takeError();
  // One kernel an entry: the pipeline drops the others first.
  PipelineOptions O;
  O.Kernel = J.Kernel.Name;
  O.Config = std::move(C);
  O.Arch = J.Arch;
  O.OptLevel = J.OptLevel;
  O.Emit = J.Cubin ? EmitKind::Cubin : EmitKind::PTX;
  O.Links = J.Links;
  Expected<PipelineOutput> Out = runPipeline(**M, O);
  if (!Out)
    return Out.takeError();
  cache::Variant V;
  V.Meta = std::move(Out->Bounds);
  V.Meta["kernel"] = J.Kernel.Name;
  V.Meta["groups"] = J.Groups.empty() ? "-" : J.Groups;
  V.Meta["smem_extra"] = std::to_string(J.ExtraSmem);
  V.Code = std::move(Out->Code);
  return std::move(V);
}

} // namespace lcs
