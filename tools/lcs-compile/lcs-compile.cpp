//===- lcs-compile.cpp - lcs command-line compiler ------------------------===//
///
/// \file
/// Reads kernel IR (one or more inputs, linked), runs the lcs analysis and
/// prints what each kernel's behaviour depends on.
///
/// Exit status: 0 on success, 1 on any error (bad input, unknown kernel,
/// unwritable output). Errors are one line on stderr, prefixed with the tool
/// name and naming the input at fault.
///
//===----------------------------------------------------------------------===//

#include "lcs/LaunchSensitivity.h"
#include "lcs/ModuleInput.h"
#include "lcs/Plugin.h"
#include "lcs/Report.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;

namespace {
cl::OptionCategory Category("lcs-compile options");

cl::list<std::string> Inputs(cl::Positional, cl::OneOrMore,
                             cl::desc("<input .ll or .bc>..."),
                             cl::cat(Category));

enum class EmitKind { Report };
cl::opt<EmitKind> Emit(
    "emit", cl::desc("What to produce"), cl::init(EmitKind::Report),
    cl::values(clEnumValN(EmitKind::Report, "report",
                          "which launch fields each kernel depends on "
                          "(default)")),
    cl::cat(Category));

cl::opt<lcs::ReportFormat> Format(
    "report-format", cl::desc("Report format"),
    cl::init(lcs::ReportFormat::JSON),
    cl::values(clEnumValN(lcs::ReportFormat::JSON, "json",
                          "{\"kernels\": [{\"name\", \"depends_on\", "
                          "\"explicit\"}]} (default)"),
               clEnumValN(lcs::ReportFormat::Text, "text", "a table")),
    cl::cat(Category));

cl::opt<std::string> KernelName("kernel",
                                cl::desc("Report only the kernel NAME "
                                         "(its symbol name)"),
                                cl::value_desc("NAME"), cl::cat(Category));

cl::opt<std::string> OutputPath("o", cl::desc("Output file (default: stdout)"),
                                cl::value_desc("FILE"), cl::init("-"),
                                cl::cat(Category));

cl::opt<bool> KeepDeadReads(
    "keep-dead-reads",
    cl::desc("Count every launch-register read, even dead ones (skips the "
             "cleanup of reading functions: faster, sound, less exact)"),
    cl::cat(Category));

cl::opt<bool> PrintTiming(
    "print-timing",
    cl::desc("Print to stderr how long reading and the analysis took"),
    cl::cat(Category));

constexpr const char *Overview =
    "lcs-compile: launch-configuration analysis for NVPTX kernels\n\n"
    "Reads LLVM IR (text or bitcode, from clang, Triton or numba-cuda; "
    "several inputs are linked into one program, and a text input may hold "
    "several modules) and reports, for each kernel, which launch fields its "
    "behaviour depends on: block.x block.y block.z grid.x grid.y grid.z "
    "cluster.x cluster.y cluster.z smem.dynamic.\n\n"
    "Exit status: 0 success, 1 error.\n";
} // namespace

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "lcs-compile " << lcs::Version << " (LLVM " << LLVM_VERSION_STRING
       << ")\n";
  });
  cl::ParseCommandLineOptions(argc, argv, Overview);

  auto Fail = [](const Twine &Msg) {
    WithColor::error(errs(), "lcs-compile") << Msg << "\n";
    return 1;
  };

  using Clock = std::chrono::steady_clock;
  auto Ms = [](Clock::duration D) {
    return std::chrono::duration<double, std::milli>(D).count();
  };
  LLVMContext Ctx;
  Clock::time_point T0 = Clock::now();
  Expected<std::unique_ptr<Module>> Program = lcs::loadProgram(Inputs, Ctx);
  if (!Program)
    return Fail(toString(Program.takeError()));
  Module &M = **Program;

  lcs::SensitivityOptions Opts;
  Opts.DiscardDeadReads = !KeepDeadReads;
  Clock::time_point T1 = Clock::now();
  lcs::LaunchSensitivity LS = lcs::computeLaunchSensitivity(M, Opts);
  Clock::time_point T2 = Clock::now();
  if (PrintTiming) {
    size_t Instructions = 0;
    for (const Function &F : M)
      Instructions += F.getInstructionCount();
    const lcs::LaunchSensitivity::Counts &C = LS.counts();
    errs() << format("lcs-compile: %zu instructions, %u functions; read+link "
                     "%.3f ms; analysis %.3f ms (%u reads, %u in %u cleaned "
                     "functions proved dead)\n",
                     Instructions, C.Functions, Ms(T1 - T0), Ms(T2 - T1),
                     C.Reads, C.DeadReads, C.CleanedFunctions);
  }
  for (const std::string &P : LS.problems())
    WithColor::warning(errs(), "lcs-compile") << P << "\n";

  SmallVector<const lcs::KernelSensitivity *, 8> Selected;
  if (!KernelName.empty()) {
    const Function *F = M.getFunction(KernelName);
    const lcs::KernelSensitivity *K = F ? LS.lookup(*F) : nullptr;
    if (!K) {
      std::string Known;
      for (const lcs::KernelSensitivity &Each : LS.kernels())
        Known += (Known.empty() ? "" : ", ") + Each.Kernel->getName().str();
      return Fail("unknown kernel '" + KernelName + "'" +
                  (F ? " (a function, not a kernel)" : "") +
                  "; kernels: " + (Known.empty() ? "none" : Known));
    }
    Selected.push_back(K);
  } else {
    for (const lcs::KernelSensitivity &K : LS.kernels())
      Selected.push_back(&K);
  }

  std::error_code EC;
  ToolOutputFile Out(OutputPath, EC, sys::fs::OF_Text);
  if (EC)
    return Fail(OutputPath + ": cannot open for writing: " + EC.message());
  lcs::writeReport(Out.os(), Selected, Format);
  Out.os().flush();
  if (Out.os().has_error())
    return Fail(OutputPath + ": write failed: " + Out.os().error().message());
  Out.keep();
  return 0;
}
