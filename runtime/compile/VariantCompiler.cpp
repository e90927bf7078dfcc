//===- VariantCompiler.cpp - Compile one variant, cache in front ----------===//
//
// What goes into each key is decided here, and only here.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/VariantCompiler.h"

#include "lcs/Log.h"
#include "lcs/Version.h"
#include "lcs/cache/FileSystem.h"
#include "lcs/compile/Toolkit.h"
#include "lcs/config/Validate.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace lcs {

using cache::DiskCache;
using cache::Entry;
using cache::EntryKind;
using cache::KeyBuilder;

namespace {

Status compileError(std::string Msg) {
  return Status(LCS_ERROR_COMPILE, std::move(Msg));
}

/// What the key's version part says: the lcs version the passes report.
constexpr const char *Version = LCS_VERSION_STRING;

} // namespace

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

cache::Key VariantCompiler::sourceKey(const Sources &Inputs) {
  KeyBuilder B("lcs-source");
  B.add("lcs", Version).add("llvm", llvmVersion());
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

Status VariantCompiler::checkLinks(std::vector<LinkInput> &Links) {
  for (LinkInput &L : Links)
    if (std::string Problem = checkLinkInput(L); !Problem.empty())
      return Status(LCS_ERROR_INVALID_ARGUMENT, Problem);
  return Status::ok();
}

cache::Key VariantCompiler::identityKey(const std::string &Identity) {
  return KeyBuilder("lcs-source-identity")
      .add("lcs", Version)
      .add("llvm", llvmVersion())
      .add("identity", Identity)
      .key();
}

static cache::Key recordKey(const cache::Key &Source) {
  return KeyBuilder("lcs-record").addKey("source", Source).key();
}

Status VariantCompiler::inspect(CompileBackend &Backend, const Sources &Inputs,
                                std::string &Out) {
  std::string Dir = cache::defaultCacheDir();
  std::string Key =
      KeyBuilder("lcs-inspect").add("source", sourceKey(Inputs).hex()).key().hex();
  // The file repeats its key: a foreign or torn file is a miss.
  std::string Header = "lcs-inspect " + Key + "\n";
  std::string Path = Dir + "/inspect/" + Key;
  if (!Dir.empty()) {
    std::ifstream In(Path, std::ios::binary);
    std::string Text((std::istreambuf_iterator<char>(In)),
                     std::istreambuf_iterator<char>());
    if (In && Text.compare(0, Header.size(), Header) == 0) {
      Out = Text.substr(Header.size());
      return Status::ok();
    }
  }
  if (Status S = Backend.inspect(Inputs, Out))
    return S;
  // A failure to remember only costs a later worker.
  if (!Dir.empty() && makeMemoDirectory(Dir + "/inspect")) {
    cache::AtomicFile File(cache::FileSystem::posix(), Path,
                           cache::AtomicFile::Sync::NotDurable);
    if (File.write(Header + Out) == 0)
      (void)File.commit();
  }
  return Status::ok();
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

Status VariantCompiler::analyse(const Sources &Inputs,
                                std::vector<cache::KernelRecord> &Out) {
  return Backend.analyse(Inputs, Out);
}

Status
VariantCompiler::prepare(const Sources &Inputs,
                         std::vector<cache::KernelRecord> &Out,
                         std::shared_ptr<const worker::Prepared> &Program) {
  return Backend.prepare(Inputs, Out, Program);
}

Status VariantCompiler::sensitivity(
    const Sources &Inputs, std::vector<cache::KernelRecord> &Out,
    DiskCache::Outcome &Outcome,
    std::shared_ptr<const worker::Prepared> *Program) {
  if (Program)
    Program->reset();
  cache::Key K = recordKey(sourceKey(Inputs));
  // A compile right after a query of the same sources reuses the answer.
  if (LastRecordKey && *LastRecordKey == K) {
    Outcome = LastRecordOutcome;
    Out = LastRecords;
    if (Program)
      *Program = LastProgram;
    return Status::ok();
  }
  Status Failure;
  log::Timer Time;
  auto Compute = [&]() -> std::optional<Entry> {
    std::vector<cache::KernelRecord> Records;
    if ((Failure = Program ? Backend.prepare(Inputs, Records, *Program)
                           : analyse(Inputs, Records)))
      return std::nullopt;
    Entry E;
    E.Kind = EntryKind::Record;
    E.EntryKey = K;
    E.Descriptor = "record kernels=" + std::to_string(Records.size());
    E.Payload = cache::encodeRecord(Records);
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
    return Failure ? Failure : compileError("analysis failed");
  std::optional<std::vector<cache::KernelRecord>> Records =
      cache::decodeRecord(E->Payload);
  if (!Records)
    return compileError("malformed sensitivity record");
  LastRecordKey = K;
  LastRecordOutcome = Outcome;
  LastRecords = *Records;
  LastProgram = Program ? *Program : nullptr;
  Out = std::move(*Records);
  return Status::ok();
}

Status VariantCompiler::compile(const CompileRequest &R, CompileResult &Out) {
  Limits L;
  if (Status S = config::targetLimits(R.Arch, L))
    return S;
  if (Status S = config::validate(R.Config, L))
    return S;
  std::vector<LinkInput> Links = R.Links;
  if (Status S = checkLinks(Links))
    return S;

  cache::DiskCache::Outcome RecordOutcome;
  std::vector<cache::KernelRecord> Records;
  std::shared_ptr<const worker::Prepared> Program;
  // -O0 builds compile the sources as they came: nothing to prepare.
  if (Status S = sensitivity(R.Inputs, Records, RecordOutcome,
                             R.OptLevel > 0 ? &Program : nullptr))
    return S;

  const cache::KernelRecord *Record = nullptr;
  std::string Known;
  for (const cache::KernelRecord &K : Records) {
    Known += (Known.empty() ? "" : ", ") + K.Name;
    if (R.Kernel.empty() ? Records.size() == 1 : K.Name == R.Kernel)
      Record = &K;
  }
  if (!Record)
    return compileError(
        (R.Kernel.empty() ? "the program has " +
                                std::to_string(Records.size()) +
                                " kernels; name one with --kernel"
                          : "unknown kernel '" + R.Kernel + "'") +
        "; kernels: " + (Known.empty() ? "none" : Known));

  VariantRequest V;
  V.Source = sourceKey(R.Inputs, Links);
  V.Kernel = *Record;
  // The soundness rule (specializationGroups in lcs/Specialize.h): whole
  // groups the kernel depends on, of those the configuration gives.
  V.Groups = FieldMask(Record->Fields).wholeGroups() & R.Config.givenFields();
  V.Config = R.Config;
  V.Arch = R.Arch;
  V.OptLevel = R.OptLevel;
  V.Kind = R.Kind;
  V.Program = std::move(Program);
  V.LoadInputs = [&](Sources &Inputs, uint32_t &,
                     std::vector<LinkInput> &LinksOut,
                     std::map<std::string, std::string> &,
                     std::shared_ptr<const worker::Prepared> &) {
    Inputs = R.Inputs;
    LinksOut = Links;
    return Status::ok();
  };
  Status S = compileVariant(V, Out);
  if (!S)
    Out.RecordCache = RecordOutcome;
  return S;
}

Status VariantCompiler::compileVariant(const VariantRequest &R,
                                       CompileResult &Result) {
  Result = CompileResult();
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

  Status Failure;
  log::Timer Time;
  auto Compute = [&]() -> std::optional<Entry> {
    uint32_t ExtraSmem = 0;
    Sources Inputs;
    std::vector<LinkInput> Links;
    std::map<std::string, std::string> ExtraMeta;
    std::shared_ptr<const worker::Prepared> Program = R.Program;
    if ((Failure = R.LoadInputs(Inputs, ExtraSmem, Links, ExtraMeta, Program)))
      return std::nullopt;
    if ((Failure = checkLinks(Links)))
      return std::nullopt;
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
    // As buildsFromProgram(), with the program LoadInputs may have given.
    if (R.OptLevel > 0)
      J.Program = std::move(Program);
    if (!J.Program)
      J.Inputs = std::move(Inputs);
    J.Links = std::move(Links);
    cache::Variant V;
    if ((Failure = Backend.build(J, V)))
      return std::nullopt;
    for (auto &[Name, Value] : ExtraMeta)
      V.Meta[Name] = Value;
    Entry E;
    E.Kind = Kind;
    E.EntryKey = Result.VariantKey;
    E.Descriptor = "kernel=" + Record.Name + " arch=" + R.Arch + " " +
                   (Result.Variant.empty() ? "generic" : Result.Variant);
    E.Payload = cache::encodeVariant(V);
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
  if (!E)
    return Failure ? Failure : compileError("compilation failed");
  std::optional<cache::Variant> V = cache::decodeVariant(E->Payload);
  if (!V)
    return compileError("malformed variant entry " + Result.VariantKey.hex());
  Result.Code = std::move(V->Code);
  Result.Meta = std::move(V->Meta);
  return Status::ok();
}

} // namespace lcs
