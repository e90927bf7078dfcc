//===- LaunchSensitivityTest.cpp - The analysis through its C++ API -------===//

#include "TestIR.h"

#include "lcs/Annotate.h"
#include "lcs/LaunchSensitivity.h"
#include "lcs/Metadata.h"
#include "lcs/ModuleWalk.h"
#include "lcs/Plugin.h"

#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"

#include <optional>
#include <string>
#include <vector>

using namespace llvm;
using namespace lcs;
using lcs::test::parse;

namespace {

const char *TwoKernels = R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.z()

define internal i32 @shared_helper() {
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
  ret i32 %g
}

define ptx_kernel void @a(ptr %out) {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %h = call i32 @shared_helper()
  %s = add i32 %b, %h
  store i32 %s, ptr %out
  ret void
}

define ptx_kernel void @b(ptr %out) {
  %h = call i32 @shared_helper()
  store i32 %h, ptr %out
  ret void
}

define ptx_kernel void @c(ptr %out) {
  store i32 0, ptr %out
  ret void
}

define void @unreachable_reader(ptr %out) {
  %z = call i32 @llvm.nvvm.read.ptx.sreg.ntid.z()
  store i32 %z, ptr %out
  ret void
}
)";

class LaunchSensitivityTest : public ::testing::Test {
protected:
  LLVMContext Ctx;
};

TEST_F(LaunchSensitivityTest, KernelsInModuleOrder) {
  std::unique_ptr<Module> M = parse(Ctx, TwoKernels);
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  ASSERT_EQ(LS.kernels().size(), 3u);
  EXPECT_EQ(LS.kernels()[0].Kernel->getName(), "a");
  EXPECT_EQ(LS.kernels()[0].Fields.str(), "block.x,grid.y");
  EXPECT_EQ(LS.kernels()[1].Fields.str(), "grid.y");
  EXPECT_TRUE(LS.kernels()[2].Fields.empty());
  for (const KernelSensitivity &K : LS.kernels())
    EXPECT_FALSE(K.Explicit);
  EXPECT_EQ(LS.lookup(*M->getFunction("shared_helper")), nullptr);
  EXPECT_EQ(LS.fieldsOf(*M->getFunction("shared_helper")).str(), "grid.y");
  // Not reachable from a kernel: no kernel depends on block.z.
  EXPECT_EQ(LS.fieldsOf(*M->getFunction("unreachable_reader")).str(),
            "block.z");
  for (const KernelSensitivity &K : LS.kernels())
    EXPECT_FALSE(K.Fields.contains(Field::BlockZ));
}

TEST_F(LaunchSensitivityTest, MarksAreExplicitAndKeptApart) {
  std::unique_ptr<Module> M = parse(Ctx, R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare void @frontend_primitive() "lcs.launch-config-sensitive"="smem.dynamic, block.y"

define ptx_kernel void @k(ptr %out) {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr %out
  call void @frontend_primitive()
  ret void
}
)");
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  const KernelSensitivity *K = LS.lookup(*M->getFunction("k"));
  ASSERT_NE(K, nullptr);
  EXPECT_TRUE(K->Explicit);
  EXPECT_EQ(K->Fields.str(), "block.x,block.y,smem.dynamic");
  EXPECT_EQ(K->MarkedFields.str(), "block.y,smem.dynamic");
  EXPECT_TRUE(LS.problems().empty());
}

TEST_F(LaunchSensitivityTest, MalformedMarkCountsAsAllAndIsReported) {
  std::unique_ptr<Module> M = parse(Ctx, R"(
define ptx_kernel void @k() "lcs.launch-config-sensitive"="block.w" {
  ret void
}
)");
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  ASSERT_EQ(LS.kernels().size(), 1u);
  EXPECT_EQ(LS.kernels()[0].Fields, FieldMask::all());
  ASSERT_EQ(LS.problems().size(), 1u);
  EXPECT_NE(LS.problems()[0].find("function 'k'"), std::string::npos);
  EXPECT_NE(LS.problems()[0].find("'block.w'"), std::string::npos);
}

/// A module whose kernels read ntid.x and ntid.y, some of the reads dead,
/// and what the analysis finds with dead reads discarded.
struct DeadReadCase {
  const char *Name;
  const char *Kernels; ///< After the ntid.x and ntid.y declarations.
  std::vector<std::string> Fields; ///< Per kernel, in module order.
  unsigned DeadReads, SettledFunctions, CleanedFunctions;
  std::optional<unsigned> Reads;
  /// The first kernel's fields with DiscardDeadReads off, where checked.
  std::optional<std::string> SoundFields;
};

const DeadReadCase DeadReadCases[] = {
    // A store into an alloca nothing reads: the liveness walk settles it.
    {"DeadReadsNeedTheCleanup", R"(
define ptx_kernel void @k(ptr %out) {
  %slot = alloca i32
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %y = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  store i32 %y, ptr %slot
  store i32 %x, ptr %out
  ret void
}
)",
     {"block.x"}, 1, 1, 0, 2u, "block.x,block.y"},
    // ntid.x >= 1 makes the comparison constant: only InstCombine sees it.
    // ntid.y goes through memory and stays live.
    {"ReadsTheWalkCannotSettleGetTheCleanup", R"(
define ptx_kernel void @k(ptr %out) {
  %slot = alloca i32
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %c = icmp ugt i32 %x, 0
  %r = zext i1 %c to i32
  store i32 %r, ptr %out
  %y = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  store i32 %y, ptr %slot
  %l = load i32, ptr %slot
  store i32 %l, ptr %out
  ret void
}
)",
     {"block.y"}, 1, 0, 1, std::nullopt, std::nullopt},
    // In @x, ntid.x sits at both indices and index 1 is used: not dead (the
    // cleanup decides). In @y, ntid.y is overwritten before its element is
    // extracted: the walk proves it dead.
    {"TheWalkFollowsAggregateElements", R"(
define ptx_kernel void @x(ptr %out) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %a = insertvalue { i32, i32 } undef, i32 %x, 0
  %b = insertvalue { i32, i32 } %a, i32 %x, 1
  %e = extractvalue { i32, i32 } %b, 1
  store i32 %e, ptr %out
  ret void
}

define ptx_kernel void @y(ptr %out) {
  %y = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  %c = insertvalue { i32, i32 } undef, i32 %y, 0
  %d = insertvalue { i32, i32 } %c, i32 7, 0
  %f = extractvalue { i32, i32 } %d, 0
  store i32 %f, ptr %out
  ret void
}
)",
     {"block.x", ""}, 1, 1, 1, std::nullopt, std::nullopt},
    // Reads of intrinsics and of inline PTX are found apart (the PTX ones
    // last) and settle together. In @settled the dead reads of either kind
    // are proved dead and ntid.x live; in @cleaned a live read of inline PTX
    // is left to the cleanup, which finds ntid.x dead.
    {"InlinePTXAndIntrinsicReadsTogether", R"(
define ptx_kernel void @settled(ptr %out) {
  %slot = alloca i32
  %z = call i32 asm sideeffect "mov.u32 $0, %ntid.z;", "=r"()
  store i32 %z, ptr %slot
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %y = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  %s = add i32 %x, 1
  store i32 %s, ptr %out
  store i32 %y, ptr %slot
  ret void
}

define ptx_kernel void @cleaned(ptr %out) {
  %z = call i32 asm sideeffect "mov.u32 $0, %ntid.z;", "=r"()
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  %next = getelementptr i32, ptr %out, i64 1
  store i32 %z, ptr %next
  ret void
}
)",
     {"block.x", "block.z"}, 3, 1, 1, 5u, "block.x,block.y,block.z"},
};

void PrintTo(const DeadReadCase &C, std::ostream *OS) { *OS << C.Name; }

class DeadReadTest : public ::testing::TestWithParam<DeadReadCase> {
protected:
  LLVMContext Ctx;
};

TEST_P(DeadReadTest, FieldsAndCounts) {
  const DeadReadCase &C = GetParam();
  std::unique_ptr<Module> M =
      parse(Ctx, std::string("declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n"
                             "declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()\n") +
                     C.Kernels);
  ASSERT_TRUE(M);
  LaunchSensitivity Exact = computeLaunchSensitivity(*M);
  ASSERT_EQ(Exact.kernels().size(), C.Fields.size());
  for (size_t I = 0; I != C.Fields.size(); ++I)
    EXPECT_EQ(Exact.kernels()[I].Fields.str(), C.Fields[I]) << "kernel " << I;
  if (C.Reads) {
    EXPECT_EQ(Exact.counts().Reads, *C.Reads);
  }
  EXPECT_EQ(Exact.counts().DeadReads, C.DeadReads);
  EXPECT_EQ(Exact.counts().SettledFunctions, C.SettledFunctions);
  EXPECT_EQ(Exact.counts().CleanedFunctions, C.CleanedFunctions);

  // Cleaned up in place: the same answer, from a module that still
  // verifies and that a second analysis reads the same.
  std::unique_ptr<Module> Own =
      parse(Ctx, std::string("declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n"
                             "declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()\n") +
                     C.Kernels);
  ASSERT_TRUE(Own);
  SensitivityOptions InPlace;
  InPlace.CleanUpInPlace = Own.get();
  LaunchSensitivity Cleaned = computeLaunchSensitivity(*Own, InPlace);
  EXPECT_FALSE(verifyModule(*Own, &errs()));
  LaunchSensitivity Again = computeLaunchSensitivity(*Own);
  ASSERT_EQ(Cleaned.kernels().size(), C.Fields.size());
  ASSERT_EQ(Again.kernels().size(), C.Fields.size());
  for (size_t I = 0; I != C.Fields.size(); ++I) {
    EXPECT_EQ(Cleaned.kernels()[I].Fields.str(), C.Fields[I]) << "kernel " << I;
    EXPECT_EQ(Again.kernels()[I].Fields.str(), C.Fields[I]) << "kernel " << I;
  }
  EXPECT_EQ(Cleaned.counts().CleanedFunctions, C.CleanedFunctions);

  if (!C.SoundFields)
    return;
  SensitivityOptions Fast;
  Fast.DiscardDeadReads = false;
  LaunchSensitivity Sound = computeLaunchSensitivity(*M, Fast);
  EXPECT_EQ(Sound.kernels()[0].Fields.str(), *C.SoundFields);
  EXPECT_EQ(Sound.counts().CleanedFunctions, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    LaunchSensitivity, DeadReadTest, ::testing::ValuesIn(DeadReadCases),
    [](const ::testing::TestParamInfo<DeadReadCase> &I) {
      return std::string(I.param.Name);
    });

/// A reading function the walk cannot settle (the read goes through
/// memory), cleaned up in place: what the clone would have become. Its
/// allocas are gone, the dead read and the inline PTX that only moved a
/// register are gone, the live read stays.
TEST_F(LaunchSensitivityTest, CleanUpInPlaceLeavesTheReadingFunctionCleaned) {
  std::unique_ptr<Module> M = parse(Ctx, R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()

define ptx_kernel void @k(ptr %out) {
  %slot = alloca i32
  %dead = alloca i32
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr %slot
  %y = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  store i32 %y, ptr %dead
  %smem = call i32 asm sideeffect "mov.u32 $0, %dynamic_smem_size;", "=r"()
  %v = load i32, ptr %slot
  store i32 %v, ptr %out
  ret void
}
)");
  ASSERT_TRUE(M);
  LaunchSensitivity Cloned = computeLaunchSensitivity(*M);
  EXPECT_EQ(Cloned.kernels()[0].Fields.str(), "block.x");
  EXPECT_EQ(Cloned.counts().CleanedFunctions, 1u);
  SensitivityOptions InPlace;
  InPlace.CleanUpInPlace = M.get();
  LaunchSensitivity Cleaned = computeLaunchSensitivity(*M, InPlace);
  EXPECT_EQ(Cleaned.kernels()[0].Fields.str(), "block.x");
  EXPECT_EQ(Cleaned.counts().CleanedFunctions, 1u);
  EXPECT_FALSE(verifyModule(*M, &errs()));
  unsigned Allocas = 0, Asm = 0, Reads = 0;
  for (Instruction &I : instructions(*M->getFunction("k"))) {
    Allocas += isa<AllocaInst>(I);
    if (auto *CI = dyn_cast<CallInst>(&I)) {
      Asm += CI->isInlineAsm();
      Reads += !CI->isInlineAsm();
    }
  }
  EXPECT_EQ(Allocas, 0u);
  EXPECT_EQ(Asm, 0u);
  EXPECT_EQ(Reads, 1u) << "the ntid.x read";
  // Nothing left to clean: the walk settles it now.
  LaunchSensitivity Again = computeLaunchSensitivity(*M);
  EXPECT_EQ(Again.kernels()[0].Fields.str(), "block.x");
  EXPECT_EQ(Again.counts().CleanedFunctions, 0u);
}

/// A module of \p N device functions and N / 30 kernels with every kind
/// of fact the walks find: live and dead reads (some only the cleanup
/// settles), reads in inline PTX, call chains, calls through pointers and
/// an address-taken reader.
std::string manyFunctions(unsigned N) {
  std::string IR = R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
@table = global ptr @f1
)";
  for (unsigned I = 0; I != N; ++I) {
    std::string F = "@f" + std::to_string(I);
    // Marks, one of them malformed (a problem, counted as "all").
    std::string Attrs = I % 97 == 5 ? " #0" : I % 89 == 3 ? " #1" : "";
    IR += "define i32 " + F + "(ptr %o, i32 %a)" + Attrs + " {\n";
    IR += "  %slot = alloca i32\n  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()\n";
    std::string V = "%t";
    if (I % 7 == 0) { // live
      IR += "  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n"
            "  %v1 = add i32 %t, %b\n";
      V = "%v1";
    }
    if (I % 5 == 0) // dead: the walk settles it
      IR += "  %d = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()\n";
    if (I % 9 == 0) { // through memory: the cleanup settles it
      IR += "  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()\n"
            "  store i32 %g, ptr %slot\n  %gl = load i32, ptr %slot\n"
            "  %gc = icmp eq i32 %gl, 7\n  %gs = select i1 %gc, i32 0, i32 0\n"
            "  %v2 = add i32 " + V + ", %gs\n";
      V = "%v2";
    }
    if (I % 11 == 0) { // inline PTX
      IR += "  %p = call i32 asm \"mov.u32 $0, %nctaid.y;\", \"=r\"()\n"
            "  %v3 = add i32 " + V + ", %p\n";
      V = "%v3";
    }
    if (I % 3 == 0 && I + 1 < N) {
      IR += "  %c = call i32 @f" + std::to_string(I + 1) + "(ptr %o, i32 %a)\n"
            "  %v4 = add i32 " + V + ", %c\n";
      V = "%v4";
    }
    if (I % 13 == 0) {
      IR += "  %fp = load ptr, ptr @table\n"
            "  %ic = call i32 %fp(ptr %o, i32 %a)\n"
            "  %v5 = add i32 " + V + ", %ic\n";
      V = "%v5";
    }
    IR += "  store i32 " + V + ", ptr %o\n  ret i32 " + V + "\n}\n";
  }
  for (unsigned K = 0; K * 30 < N; ++K)
    IR += "define ptx_kernel void @k" + std::to_string(K) +
          "(ptr %o) {\n  %r = call i32 @f" + std::to_string(K * 30) +
          "(ptr %o, i32 1)\n  ret void\n}\n";
  IR += "attributes #0 = { \"lcs.launch-config-sensitive\"=\"bogus\" }\n"
        "attributes #1 = { \"lcs.launch-config-sensitive\"=\"grid.y\" }\n";
  return IR;
}

/// A large module's functions are walked as segments that start at
/// functions of the symbol table; joined, they are the module's order,
/// unnamed functions and declarations included.
TEST(ModuleWalk, FunctionsInOrderOfALargeModule) {
  // Functions, and globals beside them: past 2048 symbols the walk goes in
  // segments, also where most symbols are globals.
  for (auto [N, Globals] : {std::pair{10u, 0u}, {3000u, 0u}, {40u, 3000u}}) {
    std::string IR = "@g0 = global i32 0\n";
    for (unsigned G = 0; G != Globals; ++G)
      IR += "@x" + std::to_string(G) + " = global i32 0\n";
    for (unsigned I = 0; I != N; ++I) {
      if (I % 50 == 0) // numbered: not in the symbol table (the first too)
        IR += "define void @" + std::to_string(I / 50) + "() {\n  ret void\n}\n";
      else if (I % 10 == 3)
        IR += "declare void @d" + std::to_string(I) + "()\n";
      else
        IR += "define void @f" + std::to_string(I) + "() {\n  ret void\n}\n";
      if (I % 100 == 0)
        IR += "@g" + std::to_string(I + 1) + " = global i32 1\n";
    }
    LLVMContext Ctx;
    std::unique_ptr<Module> M = parse(Ctx, IR);
    ASSERT_TRUE(M);
    std::vector<const Function *> InOrder;
    for (const Function &F : *M)
      InOrder.push_back(&F);
    ASSERT_EQ(InOrder.size(), N);
    for (unsigned Threads : {1u, 3u, 0u})
      EXPECT_TRUE(functionsInOrder(*M, Threads) == InOrder)
          << N << " functions, " << Globals << " globals, " << Threads
          << " threads";
  }
}

/// The walks that only read the IR run in chunks on several threads
/// (SensitivityOptions::Threads); the answer is the same for any number.
TEST_F(LaunchSensitivityTest, ThreadsDoNotChangeTheAnswer) {
  std::unique_ptr<Module> M = parse(Ctx, manyFunctions(600));
  ASSERT_TRUE(M);
  SensitivityOptions One;
  One.Threads = 1;
  LaunchSensitivity Base = computeLaunchSensitivity(*M, One);
  ASSERT_EQ(Base.kernels().size(), 20u);
  EXPECT_EQ(Base.problems().size(), 7u) << "the malformed marks";
  EXPECT_GT(Base.counts().SettledFunctions, 0u);
  EXPECT_GT(Base.counts().CleanedFunctions, 0u);
  EXPECT_GT(Base.counts().DeadReads, 0u);
  for (unsigned Threads : {2u, 3u, 8u, 0u}) {
    for (bool Discard : {true, false}) {
      SensitivityOptions O;
      O.Threads = Threads;
      O.DiscardDeadReads = Discard;
      SensitivityOptions Serial = One;
      Serial.DiscardDeadReads = Discard;
      LaunchSensitivity A = computeLaunchSensitivity(*M, Serial);
      LaunchSensitivity B = computeLaunchSensitivity(*M, O);
      ASSERT_EQ(A.kernels().size(), B.kernels().size());
      for (size_t I = 0; I != A.kernels().size(); ++I)
        EXPECT_EQ(A.kernels()[I].Fields.str(), B.kernels()[I].Fields.str())
            << Threads << " threads, kernel " << I;
      for (const Function &F : *M)
        EXPECT_EQ(A.fieldsOf(F).str(), B.fieldsOf(F).str())
            << Threads << " threads, " << F.getName().str();
      StringMap<FieldMask> LiveA = A.liveReads(), LiveB = B.liveReads();
      EXPECT_EQ(LiveA.size(), LiveB.size());
      for (const auto &E : LiveA)
        EXPECT_EQ(E.getValue().str(), LiveB.lookup(E.getKey()).str())
            << Threads << " threads, " << E.getKey().str();
      EXPECT_EQ(A.problems(), B.problems()) << Threads << " threads";
      EXPECT_EQ(A.counts().Reads, B.counts().Reads);
      EXPECT_EQ(A.counts().DeadReads, B.counts().DeadReads);
      EXPECT_EQ(A.counts().SettledFunctions, B.counts().SettledFunctions);
      EXPECT_EQ(A.counts().CleanedFunctions, B.counts().CleanedFunctions);
    }
  }
}

/// A reading function the cleanup settles (its read goes through memory)
/// that calls a reader through a pointer it stored: in place, SROA turns
/// the call into a direct one and the callee's address is no longer taken,
/// but the caller's facts are the original's (a call through a pointer):
/// the callee's fields still reach the kernel.
TEST_F(LaunchSensitivityTest, CleanUpInPlaceKeepsWhatIndirectCallsReach) {
  const char *IR = R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()

define i32 @reader() {
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
  ret i32 %g
}

define ptx_kernel void @k(ptr %out) {
  %slot = alloca i32
  %fp = alloca ptr
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr %slot
  store ptr @reader, ptr %fp
  %f = load ptr, ptr %fp
  %r = call i32 %f()
  %v = load i32, ptr %slot
  %s = add i32 %v, %r
  store i32 %s, ptr %out
  ret void
}
)";
  for (bool InPlace : {false, true}) {
    std::unique_ptr<Module> M = parse(Ctx, IR);
    ASSERT_TRUE(M);
    SensitivityOptions O;
    if (InPlace)
      O.CleanUpInPlace = M.get();
    LaunchSensitivity LS = computeLaunchSensitivity(*M, O);
    ASSERT_EQ(LS.kernels().size(), 1u);
    EXPECT_EQ(LS.kernels()[0].Fields.str(), "block.x,grid.y")
        << (InPlace ? "in place" : "on a clone");
    EXPECT_EQ(LS.counts().CleanedFunctions, 1u);
  }
}

TEST_F(LaunchSensitivityTest, AnalysisDoesNotModifyTheModule) {
  std::unique_ptr<Module> M = parse(Ctx, TwoKernels);
  ASSERT_TRUE(M);
  std::string Before, After;
  raw_string_ostream(Before) << *M;
  (void)computeLaunchSensitivity(*M);
  raw_string_ostream(After) << *M;
  EXPECT_EQ(Before, After);
}

/// A pass standing for a later lcs stage that queries the analysis.
struct QueryPass : PassInfoMixin<QueryPass> {
  explicit QueryPass(std::string &Seen) : Seen(&Seen) {}
  std::string *Seen;
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    const LaunchSensitivity &LS = MAM.getResult<LaunchSensitivityAnalysis>(M);
    for (const KernelSensitivity &K : LS.kernels())
      *Seen += K.Kernel->getName().str() + "=" + K.Fields.str() + ";";
    return PreservedAnalyses::all();
  }
};

TEST_F(LaunchSensitivityTest, QueryableThroughThePassManager) {
  std::unique_ptr<Module> M = parse(Ctx, TwoKernels);
  ASSERT_TRUE(M);
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB;
  registerLCSPasses(PB);
  PB.registerModuleAnalyses(MAM);
  PB.registerCGSCCAnalyses(CGAM);
  PB.registerFunctionAnalyses(FAM);
  PB.registerLoopAnalyses(LAM);
  PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);

  ModulePassManager MPM;
  ASSERT_FALSE(bool(PB.parsePassPipeline(MPM, "lcs-annotate")));
  std::string Seen;
  MPM.addPass(QueryPass(Seen));
  MPM.run(*M, MAM);
  EXPECT_EQ(Seen, "a=block.x,grid.y;b=grid.y;c=;");

  Expected<std::vector<KernelRecord>> Records = readKernelMetadata(*M);
  ASSERT_TRUE(bool(Records)) << toString(Records.takeError());
  ASSERT_EQ(Records->size(), 3u);
  EXPECT_EQ((*Records)[0].Kernel, M->getFunction("a"));
  EXPECT_EQ((*Records)[0].Fields.str(), "block.x,grid.y");
  EXPECT_FALSE((*Records)[0].Explicit);
}

TEST_F(LaunchSensitivityTest, MetadataRewriteIsIdempotentAndReplacesStale) {
  std::unique_ptr<Module> M = parse(Ctx, std::string(TwoKernels) + R"(
!lcs.kernels = !{!0}
!0 = !{ptr @c, !"smem.dynamic", !"explicit"}
)");
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  EXPECT_TRUE(writeKernelMetadata(*M, LS));
  EXPECT_FALSE(writeKernelMetadata(*M, LS));
  Expected<std::vector<KernelRecord>> Records = readKernelMetadata(*M);
  ASSERT_TRUE(bool(Records));
  ASSERT_EQ(Records->size(), 3u);
  EXPECT_TRUE((*Records)[2].Fields.empty());
  EXPECT_FALSE((*Records)[2].Explicit);
}

TEST_F(LaunchSensitivityTest, MalformedMetadataIsAnErrorNotACrash) {
  const char *Cases[] = {
      "!lcs.kernels = !{!0}\n!0 = !{}\n",
      "!lcs.kernels = !{!0}\n!0 = !{!\"block.x\"}\n",
      "!lcs.kernels = !{!0}\n!0 = !{ptr @c, !\"warp.x\"}\n",
      "!lcs.kernels = !{!0}\n!0 = !{ptr @c, !\"grid.x\", !\"block.x\"}\n",
      "!lcs.kernels = !{!0}\n!0 = !{ptr @c, !\"explicit\", !\"block.x\"}\n",
      "!lcs.kernels = !{!0}\n!0 = !{ptr @c, i32 1}\n",
  };
  for (const char *Case : Cases) {
    std::unique_ptr<Module> M = parse(Ctx, std::string(TwoKernels) + Case);
    ASSERT_TRUE(M) << Case;
    Expected<std::vector<KernelRecord>> Records = readKernelMetadata(*M);
    ASSERT_FALSE(bool(Records)) << Case;
    EXPECT_NE(toString(Records.takeError()).find("!lcs.kernels entry 0"),
              std::string::npos);
  }
}

TEST_F(LaunchSensitivityTest, DeepCallChainsDoNotRecurse) {
  // 20000 functions calling each other in a chain; the last reads ntid.x.
  std::string IR = "declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n";
  const int N = 20000;
  IR += "define i32 @f" + std::to_string(N) +
        "() {\n  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n  ret i32 "
        "%v\n}\n";
  for (int I = N - 1; I >= 1; --I)
    IR += "define i32 @f" + std::to_string(I) + "() {\n  %v = call i32 @f" +
          std::to_string(I + 1) + "()\n  ret i32 %v\n}\n";
  IR += "define ptx_kernel void @k(ptr %o) {\n  %v = call i32 @f1()\n  store "
        "i32 %v, ptr %o\n  ret void\n}\n";
  std::unique_ptr<Module> M = parse(Ctx, IR);
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  ASSERT_EQ(LS.kernels().size(), 1u);
  EXPECT_EQ(LS.kernels()[0].Fields.str(), "block.x");
}

/// Fields of the function named \p Name, as a string.
std::string fieldsOf(const LaunchSensitivity &LS, const Module &M,
                     StringRef Name) {
  return LS.fieldsOf(*M.getFunction(Name)).str();
}

// @r reads block.x and @q grid.z; both have their address taken, so an
// indirect call reaches both, a call of @r through casts only @r.
const char *AddressTaken = R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()

define i32 @r() {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  ret i32 %v
}

define i32 @q() {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.z()
  ret i32 %v
}

@table = constant [1 x ptr] [ptr @q]
)";

TEST_F(LaunchSensitivityTest, CallsThroughPointerCastsAreDirect) {
  // What stripPointerCasts looks through: a cast constant expression, a
  // cast instruction, a zero GEP, a call that returns its argument.
  std::unique_ptr<Module> M = parse(Ctx, std::string(AddressTaken) + R"(
declare ptr @same(ptr returned)

define i32 @constant_cast() {
  %v = call addrspace(1) i32 addrspacecast (ptr @r to ptr addrspace(1))()
  ret i32 %v
}

define i32 @instruction_cast() {
  %p = addrspacecast ptr @r to ptr addrspace(1)
  %g = getelementptr i8, ptr addrspace(1) %p, i64 0
  %v = call addrspace(1) i32 %g()
  ret i32 %v
}

define i32 @returned_argument() {
  %p = call ptr @same(ptr @r)
  %v = call i32 %p()
  ret i32 %v
}

define i64 @other_type() {
  %v = call i64 @r()
  ret i64 %v
}

define i32 @offset_is_indirect() {
  %v = call i32 getelementptr (i8, ptr @r, i64 8)()
  ret i32 %v
}
)");
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  EXPECT_EQ(fieldsOf(LS, *M, "constant_cast"), "block.x");
  EXPECT_EQ(fieldsOf(LS, *M, "instruction_cast"), "block.x");
  EXPECT_EQ(fieldsOf(LS, *M, "returned_argument"), "block.x");
  EXPECT_EQ(fieldsOf(LS, *M, "other_type"), "block.x");
  // Not a cast: a call through a pointer, reaching @r and @q.
  EXPECT_EQ(fieldsOf(LS, *M, "offset_is_indirect"), "block.x,grid.z");
}

TEST_F(LaunchSensitivityTest, CallsThroughAnAliasAreIndirect) {
  std::unique_ptr<Module> M = parse(Ctx, std::string(AddressTaken) + R"(
@a = alias i32 (), ptr @r

define i32 @through_alias() {
  %v = call i32 @a()
  ret i32 %v
}
)");
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  EXPECT_EQ(fieldsOf(LS, *M, "through_alias"), "block.x,grid.z");
}

const char *IndirectCaller = R"(
define ptx_kernel void @k(ptr %o, ptr %fn) {
  %v = call i32 %fn()
  store i32 %v, ptr %o
  ret void
}
)";

TEST_F(LaunchSensitivityTest, IndirectCallsReachAddressTakenFunctions) {
  std::unique_ptr<Module> M =
      parse(Ctx, std::string(AddressTaken) + IndirectCaller);
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  // @r is not address-taken: only @q.
  EXPECT_EQ(fieldsOf(LS, *M, "k"), "grid.z");
}

TEST_F(LaunchSensitivityTest, IndirectCallsWithoutReadingTargets) {
  // The only address-taken function reads nothing; one that reads is only
  // called directly, by another kernel.
  std::unique_ptr<Module> M = parse(Ctx, std::string(R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()

define i32 @r() {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  ret i32 %v
}

define i32 @quiet() {
  ret i32 7
}

@table = constant [1 x ptr] [ptr @quiet]

define ptx_kernel void @direct(ptr %o) {
  %v = call i32 @r()
  store i32 %v, ptr %o
  ret void
}
)") + IndirectCaller);
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  EXPECT_EQ(fieldsOf(LS, *M, "k"), "");
  EXPECT_EQ(fieldsOf(LS, *M, "direct"), "block.x");
  // An address-taken function that calls indirectly: the cycle through
  // the indirect node stays empty.
  std::unique_ptr<Module> Cycle = parse(Ctx, std::string(R"(
define i32 @calls_back(ptr %fn) {
  %v = call i32 %fn()
  ret i32 %v
}

@table = constant [1 x ptr] [ptr @calls_back]
)") + IndirectCaller);
  ASSERT_TRUE(Cycle);
  LaunchSensitivity CycleLS = computeLaunchSensitivity(*Cycle);
  EXPECT_EQ(fieldsOf(CycleLS, *Cycle, "k"), "");
}

TEST_F(LaunchSensitivityTest, MarkedAddressTakenFunctionsAreExplicit) {
  // A mark reached only through the indirect node counts.
  std::unique_ptr<Module> M = parse(Ctx, std::string(R"(
define i32 @marked() "lcs.launch-config-sensitive"="smem.dynamic" {
  ret i32 7
}

@table = constant [1 x ptr] [ptr @marked]
)") + IndirectCaller);
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  ASSERT_EQ(LS.kernels().size(), 1u);
  EXPECT_TRUE(LS.kernels()[0].Explicit);
  EXPECT_EQ(LS.kernels()[0].Fields.str(), "smem.dynamic");
  EXPECT_EQ(LS.kernels()[0].MarkedFields.str(), "smem.dynamic");
}

TEST_F(LaunchSensitivityTest, InlinePTXInAHelperIsARead) {
  std::unique_ptr<Module> M = parse(Ctx, R"(
define i32 @helper() {
  %v = call i32 asm sideeffect "mov.u32 $0, %ntid.x;", "=r"()
  ret i32 %v
}

define ptx_kernel void @k(ptr %o) {
  %v = call i32 @helper()
  store i32 %v, ptr %o
  ret void
}

define ptx_kernel void @per_thread(ptr %o) {
  %v = call i32 asm "mov.u32 $0, %tid.x;", "=r"()
  store i32 %v, ptr %o
  ret void
}
)");
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  EXPECT_EQ(fieldsOf(LS, *M, "k"), "block.x");
  EXPECT_EQ(fieldsOf(LS, *M, "per_thread"), "");
  EXPECT_EQ(LS.counts().Reads, 1u);
  EXPECT_EQ(LS.liveReads().lookup("helper").str(), "block.x");
}

TEST_F(LaunchSensitivityTest, FunctionsCalledDirectlyAndThroughPointers) {
  std::unique_ptr<Module> M = parse(Ctx, std::string(AddressTaken) + R"(
@table2 = constant [1 x ptr] [ptr @r]

define ptx_kernel void @direct(ptr %o) {
  %v = call i32 @r()
  store i32 %v, ptr %o
  ret void
}
)" + IndirectCaller);
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  EXPECT_EQ(fieldsOf(LS, *M, "direct"), "block.x");
  EXPECT_EQ(fieldsOf(LS, *M, "k"), "block.x,grid.z");
}

TEST_F(LaunchSensitivityTest, ReadIntrinsicAsAnOperandIsNoRead) {
  // Not valid IR (the verifier rejects both), but the analysis must not
  // count them as reads: only calls of the intrinsic's own type read. The
  // declaration is address-taken and has no body: the indirect call
  // reaches nothing through it.
  std::unique_ptr<Module> M = parse(Ctx, R"(
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare void @use(ptr)

define ptx_kernel void @passes(ptr %o) {
  call void @use(ptr @llvm.nvvm.read.ptx.sreg.ntid.x)
  ret void
}

define ptx_kernel void @other_type(ptr %o) {
  %v = call i64 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i64 %v, ptr %o
  ret void
}
)" + std::string(IndirectCaller));
  ASSERT_TRUE(M);
  LaunchSensitivity LS = computeLaunchSensitivity(*M);
  EXPECT_EQ(fieldsOf(LS, *M, "passes"), "");
  EXPECT_EQ(fieldsOf(LS, *M, "other_type"), "");
  EXPECT_EQ(fieldsOf(LS, *M, "k"), "");
  EXPECT_EQ(LS.counts().Reads, 0u);
}

TEST_F(LaunchSensitivityTest, ResultsDoNotDependOnOrder) {
  // The same call graph (a cycle, shared callees, repeated calls) with the
  // functions and the calls in each body in opposite orders.
  const char *Funcs[] = {
      R"(define i32 @a(i32 %n) {
  %x = call i32 @b(i32 %n)
  %y = call i32 @c(i32 %n)
  %z = call i32 @b(i32 %y)
  %s = add i32 %x, %z
  ret i32 %s
}
)",
      R"(define i32 @b(i32 %n) {
  %x = call i32 @c(i32 %n)
  %y = call i32 @a(i32 %x)
  ret i32 %y
}
)",
      R"(define i32 @c(i32 %n) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  ret i32 %x
}
)",
      R"(define i32 @d(i32 %n) {
  %x = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()
  %y = call i32 @a(i32 %x)
  ret i32 %y
}
)",
      R"(define ptx_kernel void @k(ptr %o) {
  %x = call i32 @b(i32 1)
  %y = call i32 @d(i32 %x)
  store i32 %y, ptr %o
  ret void
}
)"};
  std::string Forward = "declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n"
                        "declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()\n";
  std::string Backward = "declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()\n";
  for (const char *F : Funcs)
    Forward += F;
  for (auto It = std::rbegin(Funcs); It != std::rend(Funcs); ++It)
    Backward += *It;
  Backward += "declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()\n";
  std::unique_ptr<Module> A = parse(Ctx, Forward);
  std::unique_ptr<Module> B = parse(Ctx, Backward);
  ASSERT_TRUE(A && B);
  LaunchSensitivity LA = computeLaunchSensitivity(*A);
  LaunchSensitivity LB = computeLaunchSensitivity(*B);
  for (const char *Name : {"a", "b", "c"}) {
    EXPECT_EQ(fieldsOf(LA, *A, Name), "block.x") << Name;
    EXPECT_EQ(fieldsOf(LB, *B, Name), "block.x") << Name;
  }
  for (const char *Name : {"d", "k"}) {
    EXPECT_EQ(fieldsOf(LA, *A, Name), "block.x,grid.y") << Name;
    EXPECT_EQ(fieldsOf(LB, *B, Name), "block.x,grid.y") << Name;
  }
}

} // namespace
