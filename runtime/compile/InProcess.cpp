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

#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBufferRef.h"
#include "llvm/Support/raw_ostream.h"

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

/// Parses the inputs into one module.
Expected<std::unique_ptr<Module>> parseSources(const worker::Sources &Inputs,
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

} // namespace

Status InProcessBackend::analyse(const worker::Sources &Inputs,
                                 std::vector<cache::KernelRecord> &Out) {
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = parseSources(Inputs, Ctx);
  if (!M)
    return failure(M.takeError());
  LaunchSensitivity LS = computeLaunchSensitivity(**M);
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
  return Status::ok();
}

Status InProcessBackend::build(const worker::BuildJob &J, cache::Variant &V) {
  LaunchConfig C = fromWorkerConfig(J.Restricted);
  C.Kernel = J.Kernel.Name;
  C.Arch = J.Arch;
  if (C.Smem)
    *C.Smem += J.ExtraSmem;
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = parseSources(J.Inputs, Ctx);
  if (!M)
    return failure(M.takeError());
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
  LLVMContext Ctx;
  Expected<std::unique_ptr<Module>> M = parseSources(Inputs, Ctx);
  if (!M)
    return failure(M.takeError());
  // The parameter types let a binding convert scalars as the IR declares
  // them, bitcode included, without parsing IR itself.
  Text.clear();
  raw_string_ostream OS(Text);
  LaunchSensitivity LS = computeLaunchSensitivity(**M);
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

InProcessBackend &inProcessBackend() {
  static InProcessBackend *Backend = new InProcessBackend;
  return *Backend;
}

} // namespace lcs
