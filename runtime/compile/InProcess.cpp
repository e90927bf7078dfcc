//===- InProcess.cpp - Compiling in this process --------------------------===//
//
// See InProcess.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/InProcess.h"

#include "lcs/LaunchSensitivity.h"
#include "lcs/Log.h"
#include "lcs/Version.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/compile/Pipeline.h"
#include "lcs/compile/VariantCompiler.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>

using namespace llvm;

namespace lcs {

namespace {

constexpr bool sameText(const char *A, const char *B) {
  return *A == *B && (!*A || sameText(A + 1, B + 1));
}
// Keys name the LLVM from the configure-time constant (Toolkit.h); it
// must be the one the compiler is built with.
static_assert(sameText(LCS_LLVM_VERSION_STRING, LLVM_VERSION_STRING),
              "lcs/Version.h names another LLVM than llvm-config.h");

Status failure(Error E) {
  return Status(LCS_ERROR_COMPILE, toString(std::move(E)));
}

std::atomic<uint64_t> TextParses{0}, BitcodeLoads{0}, ModulesReused{0},
    DiscardRuns{0}, DiscardReused{0};

/// The module a prepare() on this thread left, kept for the build that
/// usually comes next: a program's first variant is built right after the
/// program is prepared (VariantCompiler::compile, a runtime's program and
/// its first launch, a generated kernel's discovery and its first variant;
/// the pool hands the next request to the worker that served the last).
/// That build takes the module instead of loading the bitcode it is the
/// module of; any other request on the thread (another prepare, a build
/// of another program or from sources, an analysis) ends the hold. Small
/// programs only, so that an idle thread or worker holds little.
struct HeldModule {
  std::shared_ptr<const worker::Prepared> Program;
  std::unique_ptr<LLVMContext> Ctx;
  std::unique_ptr<Module> M; // destroyed first, before its context
};
constexpr size_t MaxHeldBitcode = size_t(4) << 20;
thread_local std::unique_ptr<HeldModule> Held;

/// The held module, if it is \p P's (the same program: in a worker the
/// request carries a copy of the bytes); the hold ends either way.
std::unique_ptr<HeldModule> takeHeld(const worker::Prepared &P) {
  std::unique_ptr<HeldModule> H = std::move(Held);
  if (H && H->Program.get() != &P &&
      (H->Program->Bitcode != P.Bitcode || H->Program->Analysis != P.Analysis))
    H.reset();
  return H;
}

void count(const LaunchSensitivity &LS) {
  const LaunchSensitivity::Counts &C = LS.counts();
  DiscardRuns += C.SettledFunctions + C.CleanedFunctions;
  DiscardReused += C.ReusedFunctions;
}

/// The analysis of \p M, a module parsed for this call alone: the cleanup
/// needs no clone (SensitivityOptions::CleanUpInPlace), and a prepared
/// program keeps its result for the builds; records and inspection see
/// the same fields.
LaunchSensitivity analyseOwn(Module &M) {
  SensitivityOptions Opts;
  Opts.CleanUpInPlace = &M;
  LaunchSensitivity LS = computeLaunchSensitivity(M, Opts);
  count(LS);
  return LS;
}

/// Parses the inputs into one module, in \p Ctx of its own. From then on
/// \p Ctx names no new value other than globals: names reach no output
/// (PTX numbers its registers and blocks), and without them the cleanup and
/// the optimiser skip their bookkeeping (a fifth of the cleanup's time on
/// the numba-cuda corpus). Only after parsing: the text parser needs them
/// to resolve references.
Expected<std::unique_ptr<Module>> parseSources(const worker::Sources &Inputs,
                                               LLVMContext &Ctx) {
  ++TextParses;
  std::vector<MemoryBufferRef> Refs;
  for (const auto &[Name, Bytes] : Inputs)
    Refs.emplace_back(Bytes, Name);
  Expected<std::unique_ptr<Module>> M = loadProgram(Refs, Ctx);
  Ctx.setDiscardValueNames(true);
  return M;
}

// Prepared::Analysis: the module's identifier, then (name, fields) of each
// reading function, each string as a 64-bit length and its bytes, fields
// as 16 bits; integers little-endian.
void putU64(std::string &S, uint64_t V) {
  for (int I = 0; I != 8; ++I)
    S.push_back(char(V >> (8 * I)));
}
void putStr(std::string &S, StringRef V) {
  putU64(S, V.size());
  S.append(V.data(), V.size());
}
bool getU64(StringRef &S, uint64_t &V) {
  if (S.size() < 8)
    return false;
  V = 0;
  for (int I = 0; I != 8; ++I)
    V |= uint64_t(uint8_t(S[I])) << (8 * I);
  S = S.drop_front(8);
  return true;
}
bool getStr(StringRef &S, StringRef &V) {
  uint64_t N;
  if (!getU64(S, N) || N > S.size())
    return false;
  V = S.take_front(N);
  S = S.drop_front(N);
  return true;
}

std::string encodeAnalysis(const Module &M, const LaunchSensitivity &LS) {
  std::string S;
  putStr(S, M.getModuleIdentifier());
  for (const auto &E : LS.liveReads()) {
    putStr(S, E.getKey());
    putU64(S, E.getValue().bits());
  }
  return S;
}

/// The prepared module, in \p Ctx, and its reading functions' live reads.
/// The held module when it is \p P's (\p Ctx then becomes its context).
Expected<std::unique_ptr<Module>>
loadPrepared(const worker::Prepared &P, std::unique_ptr<LLVMContext> &Ctx,
             StringMap<FieldMask> &Live) {
  StringRef S = P.Analysis, Id;
  if (!getStr(S, Id))
    return createStringError(inconvertibleErrorCode(),
                             "malformed prepared program");
  while (!S.empty()) {
    StringRef Name;
    uint64_t Bits;
    if (!getStr(S, Name) || !getU64(S, Bits) || Bits > 0xffff)
      return createStringError(inconvertibleErrorCode(),
                               "malformed prepared program");
    Live[Name] = FieldMask(uint16_t(Bits));
  }
  if (std::unique_ptr<HeldModule> H = takeHeld(P)) {
    ++ModulesReused;
    Ctx = std::move(H->Ctx);
    return std::move(H->M);
  }
  ++BitcodeLoads;
  // Our own bitcode of a verified module: read, not checked again.
  Expected<std::unique_ptr<Module>> M =
      parseInput(MemoryBufferRef(P.Bitcode, Id), *Ctx);
  if (M)
    (*M)->setModuleIdentifier(Id);
  return M;
}

std::string dims(const Function &F, StringRef Attr) {
  Attribute A = F.getFnAttribute(Attr);
  return A.isStringAttribute() ? A.getValueAsString().str() : "";
}

/// The records of \p Inputs, and with \p Program the prepared program.
Status analyseSources(const worker::Sources &Inputs,
                      std::vector<cache::KernelRecord> &Out,
                      std::shared_ptr<const worker::Prepared> *Program) {
  Held.reset();
  auto Ctx = std::make_unique<LLVMContext>();
  Expected<std::unique_ptr<Module>> M = parseSources(Inputs, *Ctx);
  if (!M)
    return failure(M.takeError());
  LaunchSensitivity LS = analyseOwn(**M);
  // Reported when the record is made; a cached record does not repeat them.
  if (log::enabled(log::Level::Warning))
    for (const std::string &P : LS.problems())
      log::write(log::Level::Warning, P);
  Out.clear();
  for (const KernelSensitivity &K : LS.kernels())
    Out.push_back({K.Kernel->getName().str(), K.Fields.bits(), K.Explicit,
                   dims(*K.Kernel, "nvvm.reqntid"),
                   dims(*K.Kernel, "nvvm.maxntid"),
                   dims(*K.Kernel, "nvvm.cluster_dim")});
  if (Program) {
    auto P = std::make_shared<worker::Prepared>();
    raw_string_ostream OS(P->Bitcode);
    WriteBitcodeToFile(**M, OS, /*ShouldPreserveUseListOrder=*/true);
    OS.flush();
    P->Analysis = encodeAnalysis(**M, LS);
    *Program = P;
    if (P->Bitcode.size() <= MaxHeldBitcode) {
      Held.reset(new HeldModule{std::move(P), std::move(Ctx), std::move(*M)});
    }
  }
  return Status::ok();
}

} // namespace

Status InProcessBackend::analyse(const worker::Sources &Inputs,
                                 std::vector<cache::KernelRecord> &Out) {
  return analyseSources(Inputs, Out, nullptr);
}

Status
InProcessBackend::prepare(const worker::Sources &Inputs,
                          std::vector<cache::KernelRecord> &Out,
                          std::shared_ptr<const worker::Prepared> &Program) {
  Program.reset();
  return analyseSources(Inputs, Out, &Program);
}

Status InProcessBackend::build(const worker::BuildJob &J, cache::Variant &V) {
  LaunchConfig C = fromWorkerConfig(J.Restricted);
  C.Kernel = J.Kernel.Name;
  C.Arch = J.Arch;
  if (C.Smem)
    *C.Smem += J.ExtraSmem;
  auto Ctx = std::make_unique<LLVMContext>();
  // As parseSources() does after parsing (bitcode needs no names to
  // resolve references).
  Ctx->setDiscardValueNames(J.Program != nullptr);
  StringMap<FieldMask> Live;
  if (!J.Program)
    Held.reset();
  Expected<std::unique_ptr<Module>> M =
      J.Program ? loadPrepared(*J.Program, Ctx, Live)
                : parseSources(J.Inputs, *Ctx);
  if (!M)
    return failure(M.takeError());
  // One kernel an entry: the pipeline drops the others first.
  PipelineOptions O;
  if (J.Program)
    O.Analysis.KnownLiveReads = &Live;
  O.Kernel = J.Kernel.Name;
  O.Config = std::move(C);
  O.Arch = J.Arch;
  O.OptLevel = J.OptLevel;
  O.Emit = J.Cubin ? EmitKind::Cubin : EmitKind::PTX;
  O.Links = J.Links;
  Expected<LaunchSensitivity> LS = specializeProgram(**M, O);
  if (!LS)
    return failure(LS.takeError());
  count(*LS);
  Expected<PipelineOutput> Out = generateCode(**M, O);
  if (!Out)
    return failure(Out.takeError());
  V = cache::Variant();
  V.Meta = std::move(Out->Bounds);
  V.Meta["kernel"] = J.Kernel.Name;
  V.Meta["groups"] = J.Groups.empty() ? "-" : J.Groups;
  V.Meta["smem_extra"] = std::to_string(J.ExtraSmem);
  V.Code = std::move(Out->Code);
  return Status::ok();
}

Status InProcessBackend::inspect(const worker::Sources &Inputs,
                                 std::string &Text) {
  Held.reset();
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = parseSources(Inputs, Ctx);
  if (!M)
    return failure(M.takeError());
  // The parameter types let a binding convert scalars as the IR declares
  // them, bitcode included, without parsing IR itself.
  Text.clear();
  raw_string_ostream OS(Text);
  LaunchSensitivity LS = analyseOwn(**M);
  for (const KernelSensitivity &K : LS.kernels()) {
    OS << "kernel=" << K.Kernel->getName() << " fields="
       << (K.Fields.empty() ? std::string("-") : K.Fields.str())
       << " explicit=" << (K.Explicit ? 1 : 0) << " params=";
    if (K.Kernel->arg_empty())
      OS << "-";
    for (const Argument &A : K.Kernel->args()) {
      if (A.getArgNo())
        OS << ",";
      A.getType()->print(OS);
    }
    OS << "\n";
  }
  OS.flush();
  return Status::ok();
}

InProcessStats inProcessStats() {
  InProcessStats S;
  S.TextParses = TextParses.load();
  S.BitcodeLoads = BitcodeLoads.load();
  S.ModulesReused = ModulesReused.load();
  S.DiscardRuns = DiscardRuns.load();
  S.DiscardReused = DiscardReused.load();
  return S;
}

InProcessBackend &inProcessBackend() {
  static InProcessBackend *Backend = new InProcessBackend;
  return *Backend;
}

} // namespace lcs
