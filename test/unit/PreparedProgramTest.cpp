//===- PreparedProgramTest.cpp - Parse once, reuse the analysis -----------===//
//
// A program is parsed and analysed once (CompileBackend::prepare); each
// variant's build loads its bitcode and reuses which reads of each function
// survive dead-read discarding. These tests hold the two promises: the
// reused analysis is exactly a fresh one, and a variant built from the
// prepared program is byte for byte the variant built from the sources.
//
//===----------------------------------------------------------------------===//

#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/CodeGen.h"
#include "lcs/compile/InProcess.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/compile/VariantCompiler.h"
#include "lcs/compile/Worker.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBufferRef.h"

#include "gtest/gtest.h"

#include <fstream>
#include <sstream>

using namespace lcs;
using namespace llvm;

namespace {

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// Programs with dead reads, reads the walk settles and reads only the
/// cleanup settles, calls, marks and inline PTX: the numba-cuda corpus and
/// the analysis lit cases.
std::vector<worker::Sources> programs() {
  std::string Corpus = LCS_CORPUS_DIR, Lit = LCS_LIT_DIR;
  std::vector<worker::Sources> Out;
  for (const char *F :
       {"numba_uses_blockdim.ll", "numba_grid_stride_saxpy.ll",
        "numba2_softplus_blockstride.ll", "numba_block_reduce.ll",
        "numba_dyn_smem_scan.ll", "numba2_histogram_atomic.ll",
        "triton_t_add.ll"})
    Out.push_back({{F, readFile(Corpus + "/" + F)}});
  Out.push_back(
      {{"part1", readFile(Corpus + "/numba_via_device_fn.part1.ll")},
       {"part2", readFile(Corpus + "/numba_via_device_fn.part2.ll")}});
  for (const char *F : {"calls.ll", "dead-reads.ll", "explicit-marks.ll",
                        "inline-ptx.ll", "intrinsics.ll"})
    Out.push_back({{F, readFile(Lit + "/analysis/" + F)}});
  return Out;
}

std::unique_ptr<Module> load(const worker::Sources &In, LLVMContext &Ctx) {
  std::vector<MemoryBufferRef> Refs;
  for (const auto &[Name, Bytes] : In)
    Refs.emplace_back(Bytes, Name);
  Expected<std::unique_ptr<Module>> M = loadProgram(Refs, Ctx);
  if (!M) {
    ADD_FAILURE() << toString(M.takeError());
    return nullptr;
  }
  return std::move(*M);
}

/// \p A and \p B, two analyses of \p M, agree on every function and kernel.
void expectSame(const Module &M, const LaunchSensitivity &A,
                const LaunchSensitivity &B, const std::string &What) {
  for (const Function &F : M)
    EXPECT_EQ(A.fieldsOf(F).bits(), B.fieldsOf(F).bits())
        << What << ": " << F.getName().str();
  ASSERT_EQ(A.kernels().size(), B.kernels().size()) << What;
  for (size_t I = 0; I != A.kernels().size(); ++I) {
    const KernelSensitivity &KA = A.kernels()[I], &KB = B.kernels()[I];
    EXPECT_EQ(KA.Kernel, KB.Kernel) << What;
    EXPECT_EQ(KA.Fields.bits(), KB.Fields.bits()) << What;
    EXPECT_EQ(KA.MarkedFields.bits(), KB.MarkedFields.bits()) << What;
    EXPECT_EQ(KA.Explicit, KB.Explicit) << What;
  }
  EXPECT_EQ(A.problems().size(), B.problems().size()) << What;
}

} // namespace

TEST(PreparedProgram, ReusedLiveReadsGiveExactlyAFreshAnalysis) {
  unsigned Reused = 0;
  for (const worker::Sources &In : programs()) {
    std::string What = In.front().first;
    LLVMContext Ctx;
    std::unique_ptr<Module> Whole = load(In, Ctx);
    ASSERT_TRUE(Whole) << What;
    LaunchSensitivity Program = computeLaunchSensitivity(*Whole);
    SensitivityOptions Reuse;
    StringMap<FieldMask> Known = Program.liveReads();
    Reuse.KnownLiveReads = &Known;
    // The whole program, and each kernel as a build sees it (its part of
    // the program, the rest erased, what is kept internal).
    LaunchSensitivity Again = computeLaunchSensitivity(*Whole, Reuse);
    expectSame(*Whole, Program, Again, What);
    EXPECT_EQ(Again.counts().SettledFunctions +
                  Again.counts().CleanedFunctions,
              0u)
        << What << ": every reading function is named";
    for (const KernelSensitivity &K : Program.kernels()) {
      std::string Name = K.Kernel->getName().str();
      LLVMContext KCtx;
      std::unique_ptr<Module> Part = load(In, KCtx);
      ASSERT_FALSE(errorToBool(
          keepOnlyKernel(*Part, Name, KeepFunctions::Reached)));
      LaunchSensitivity Fresh = computeLaunchSensitivity(*Part);
      LaunchSensitivity Reusing = computeLaunchSensitivity(*Part, Reuse);
      expectSame(*Part, Fresh, Reusing, What + " " + Name);
      EXPECT_EQ(Reusing.counts().SettledFunctions +
                    Reusing.counts().CleanedFunctions,
                0u);
      EXPECT_EQ(Reusing.counts().ReusedFunctions,
                Fresh.counts().SettledFunctions +
                    Fresh.counts().CleanedFunctions);
      Reused += Reusing.counts().ReusedFunctions;
    }
  }
  EXPECT_GT(Reused, 10u) << "the programs have reads to discard";
}

TEST(PreparedProgram, VariantsFromThePreparedProgramAreTheSame) {
  InProcessBackend &Here = inProcessBackend();
  unsigned Builds = 0;
  for (const worker::Sources &In : programs()) {
    std::string What = In.front().first;
    InProcessStats S0 = inProcessStats();
    std::vector<cache::KernelRecord> Records, Plain;
    std::shared_ptr<const worker::Prepared> Program;
    ASSERT_TRUE(Here.prepare(In, Records, Program).isOk()) << What;
    ASSERT_TRUE(Program);
    ASSERT_TRUE(Here.analyse(In, Plain).isOk());
    ASSERT_EQ(cache::encodeRecord(Records), cache::encodeRecord(Plain));
    InProcessStats S1 = inProcessStats();
    EXPECT_EQ(S1.TextParses - S0.TextParses, 2u) << "prepare, analyse";
    uint64_t PreparedLoads = 0, PreparedDiscards = 0, PreparedParses = 0;
    for (const cache::KernelRecord &K : Records)
      for (bool Specialised : {false, true}) {
        worker::BuildJob J;
        J.Kernel = K;
        J.Arch = "sm_90a";
        J.Groups = Specialised ? "block=96x2x1" : "";
        if (Specialised) {
          J.Restricted.HasBlock = true;
          J.Restricted.Block[0] = 96;
          J.Restricted.Block[1] = 2;
        }
        J.Inputs = In;
        cache::Variant FromSources, FromProgram;
        Status A = Here.build(J, FromSources);
        J.Inputs.clear();
        J.Program = Program;
        InProcessStats B0 = inProcessStats();
        Status B = Here.build(J, FromProgram);
        InProcessStats B1 = inProcessStats();
        PreparedLoads += B1.BitcodeLoads - B0.BitcodeLoads;
        PreparedDiscards += B1.DiscardRuns - B0.DiscardRuns;
        PreparedParses += B1.TextParses - B0.TextParses;
        ASSERT_EQ(A.isOk(), B.isOk()) << What << " " << K.Name;
        EXPECT_EQ(A.message(), B.message());
        EXPECT_EQ(FromSources.Code, FromProgram.Code)
            << What << " " << K.Name << (Specialised ? " specialised" : "");
        EXPECT_EQ(FromSources.Meta, FromProgram.Meta);
        ++Builds;
      }
    EXPECT_EQ(PreparedParses, 0u) << What << ": parsed once, when prepared";
    // Each loaded it: the analysis after prepare() ended the hold.
    EXPECT_EQ(PreparedLoads, 2 * Records.size()) << What;
    EXPECT_EQ(PreparedDiscards, 0u) << What << ": the analysis is reused";
  }
  EXPECT_GT(Builds, 20u);
}

TEST(PreparedProgram, TheHeldModuleBuildsWhatItsBitcodeBuilds) {
  // The first build after prepare() takes the module prepare() left on
  // the thread; a build of another program, or a second build, loads.
  InProcessBackend &Here = inProcessBackend();
  std::vector<worker::Sources> All = programs();
  unsigned Reused = 0;
  for (size_t I = 0; I != All.size(); ++I) {
    const worker::Sources &In = All[I];
    std::string What = In.front().first;
    for (bool Specialised : {false, true}) {
      std::vector<cache::KernelRecord> Records;
      std::shared_ptr<const worker::Prepared> Program;
      ASSERT_TRUE(Here.prepare(In, Records, Program).isOk()) << What;
      worker::BuildJob J;
      J.Kernel = Records.back();
      J.Arch = "sm_90a";
      J.Groups = Specialised ? "block=64x1x1" : "";
      J.Restricted.HasBlock = Specialised;
      J.Restricted.Block[0] = 64;
      // In a worker the request carries a copy of the program.
      J.Program = std::make_shared<worker::Prepared>(*Program);
      cache::Variant Held, Loaded;
      InProcessStats S0 = inProcessStats();
      Status A = Here.build(J, Held);
      InProcessStats S1 = inProcessStats();
      Status B = Here.build(J, Loaded);
      InProcessStats S2 = inProcessStats();
      EXPECT_EQ(S1.ModulesReused - S0.ModulesReused, 1u) << What;
      EXPECT_EQ(S1.BitcodeLoads - S0.BitcodeLoads, 0u) << What;
      EXPECT_EQ(S2.BitcodeLoads - S1.BitcodeLoads, 1u) << What;
      Reused += unsigned(S1.ModulesReused - S0.ModulesReused);
      ASSERT_EQ(A.isOk(), B.isOk()) << What;
      EXPECT_EQ(A.message(), B.message());
      EXPECT_EQ(Held.Code, Loaded.Code)
          << What << (Specialised ? " specialised" : "");
      EXPECT_EQ(Held.Meta, Loaded.Meta);
    }
    // A build from the sources, or an analysis, ends the hold.
    for (bool Analysis : {false, true}) {
      std::vector<cache::KernelRecord> Records;
      std::shared_ptr<const worker::Prepared> Program;
      ASSERT_TRUE(Here.prepare(In, Records, Program).isOk());
      worker::BuildJob J;
      J.Kernel = Records.back();
      J.Arch = "sm_90a";
      cache::Variant V;
      if (Analysis) {
        std::vector<cache::KernelRecord> Again;
        ASSERT_TRUE(Here.analyse(In, Again).isOk());
      } else {
        J.Inputs = In;
        ASSERT_TRUE(Here.build(J, V).isOk());
        J.Inputs.clear();
      }
      J.Program = Program;
      InProcessStats S0 = inProcessStats();
      ASSERT_TRUE(Here.build(J, V).isOk()) << What;
      InProcessStats S1 = inProcessStats();
      EXPECT_EQ(S1.ModulesReused - S0.ModulesReused, 0u) << What;
    }
    // Another program's build does not take it.
    std::vector<cache::KernelRecord> Records, Other;
    std::shared_ptr<const worker::Prepared> Program, OtherProgram;
    ASSERT_TRUE(Here.prepare(In, Records, Program).isOk());
    const worker::Sources &Next = All[(I + 1) % All.size()];
    ASSERT_TRUE(Here.prepare(Next, Other, OtherProgram).isOk());
    worker::BuildJob J;
    J.Kernel = Records.back();
    J.Arch = "sm_90a";
    J.Program = Program;
    cache::Variant V;
    InProcessStats S0 = inProcessStats();
    ASSERT_TRUE(Here.build(J, V).isOk()) << What;
    InProcessStats S1 = inProcessStats();
    EXPECT_EQ(S1.ModulesReused - S0.ModulesReused, 0u) << What;
    EXPECT_EQ(S1.BitcodeLoads - S0.BitcodeLoads, 1u) << What;
  }
  EXPECT_EQ(Reused, 2 * All.size());
}

TEST(PreparedProgram, VariantCompilerParsesEachProgramOnce) {
  worker::Sources In = {
      {"saxpy.ll",
       readFile(std::string(LCS_CORPUS_DIR) + "/numba_grid_stride_saxpy.ll")}};
  VariantCompiler VC(nullptr, inProcessBackend());
  InProcessStats S0 = inProcessStats();
  for (unsigned Block : {32u, 64u, 128u}) {
    CompileRequest R;
    R.Inputs = In;
    R.Config.Block = Dim3{Block, 1, 1};
    R.Arch = "sm_90a";
    CompileResult Out;
    ASSERT_TRUE(VC.compile(R, Out).isOk());
  }
  InProcessStats S1 = inProcessStats();
  EXPECT_EQ(S1.TextParses - S0.TextParses, 1u);
  EXPECT_EQ(S1.ModulesReused - S0.ModulesReused, 1u) << "the first variant";
  EXPECT_EQ(S1.BitcodeLoads - S0.BitcodeLoads, 2u);
  EXPECT_GT(S1.DiscardReused - S0.DiscardReused, 0u);
}

TEST(PreparedProgram, TheWorkerBuildsFromThePreparedProgram) {
  // Over the wire: prepare in one worker, build in another, the same code
  // as this process builds from the sources.
  worker::Sources In = {
      {"reduce.ll",
       readFile(std::string(LCS_CORPUS_DIR) + "/numba_block_reduce.ll")}};
  WorkerBackend Workers(2);
  std::vector<cache::KernelRecord> Records, Here;
  std::shared_ptr<const worker::Prepared> Program;
  ASSERT_TRUE(Workers.prepare(In, Records, Program).isOk());
  ASSERT_TRUE(Program);
  ASSERT_TRUE(inProcessBackend().analyse(In, Here).isOk());
  ASSERT_EQ(cache::encodeRecord(Records), cache::encodeRecord(Here));
  worker::BuildJob J;
  J.Kernel = Records.at(0);
  J.Arch = "sm_90a";
  J.Restricted.HasBlock = true;
  J.Restricted.Block[0] = 256;
  J.Groups = "block=256x1x1";
  J.Program = Program;
  cache::Variant There, FromSources;
  ASSERT_TRUE(Workers.build(J, There).isOk());
  J.Program = nullptr;
  J.Inputs = In;
  ASSERT_TRUE(inProcessBackend().build(J, FromSources).isOk());
  EXPECT_EQ(There.Code, FromSources.Code);
  EXPECT_EQ(There.Meta, FromSources.Meta);
}

TEST(PreparedProgram, AnO0VariantIsBuiltFromTheSourcesAsTheyCame) {
  // The prepared program's reading functions are cleaned up (the dead
  // inline-PTX read of %dynamic_smem_size is gone from -O3 code); -O0
  // compiles the sources, where it stays.
  worker::Sources In = {
      {"scan.ll",
       readFile(std::string(LCS_CORPUS_DIR) + "/numba_dyn_smem_scan.ll")}};
  VariantCompiler VC(nullptr, inProcessBackend());
  auto Compile = [&](unsigned OptLevel, std::string &PTX) {
    CompileRequest R;
    R.Inputs = In;
    R.Arch = "sm_90a";
    R.OptLevel = OptLevel;
    CompileResult Out;
    Status S = VC.compile(R, Out);
    PTX = Out.Code;
    return S;
  };
  std::string Optimised, Unoptimised;
  ASSERT_TRUE(Compile(3, Optimised).isOk());
  InProcessStats S0 = inProcessStats();
  ASSERT_TRUE(Compile(0, Unoptimised).isOk());
  InProcessStats S1 = inProcessStats();
  EXPECT_EQ(S1.TextParses - S0.TextParses, 1u) << "the sources, again";
  EXPECT_EQ(S1.BitcodeLoads - S0.BitcodeLoads, 0u);
  EXPECT_EQ(Optimised.find("%dynamic_smem_size"), std::string::npos)
      << Optimised;
  EXPECT_NE(Unoptimised.find("mov.u32 %r1, %dynamic_smem_size;"),
            std::string::npos)
      << Unoptimised;
}
