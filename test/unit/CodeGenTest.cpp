//===- CodeGenTest.cpp - keepOnlyKernel -----------------------------------===//

#include "TestIR.h"

#include "lcs/compile/CodeGen.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/Verifier.h"

#include <algorithm>
#include <chrono>

using namespace llvm;
using namespace lcs;

namespace {

bool hasBody(const Module &M, StringRef Name) {
  const Function *F = M.getFunction(Name);
  return F && !F->isDeclaration();
}

TEST(KeepOnlyKernel, KeepsTheBodiesOfKernelsTheKeptOneCalls) {
  LLVMContext Ctx;
  auto M = test::parse(Ctx, R"(
define internal void @helper() { ret void }
define internal void @only_other() { ret void }
define ptx_kernel void @callee() {
  call void @helper()
  ret void
}
define ptx_kernel void @other() {
  call void @only_other()
  ret void
}
define ptx_kernel void @main() {
  call void @callee()
  ret void
}
)");
  ASSERT_TRUE(M);
  ASSERT_FALSE(errorToBool(keepOnlyKernel(*M, "main")));
  EXPECT_FALSE(verifyModule(*M, &errs()));
  EXPECT_TRUE(hasBody(*M, "main"));
  EXPECT_TRUE(hasBody(*M, "callee"));
  EXPECT_TRUE(hasBody(*M, "helper"));
  EXPECT_FALSE(M->getFunction("other"));
  EXPECT_FALSE(M->getFunction("only_other"));
}

TEST(KeepOnlyKernel, UnknownKernelIsAnError) {
  LLVMContext Ctx;
  auto M = test::parse(Ctx, "define void @f() { ret void }\n");
  ASSERT_TRUE(M);
  EXPECT_EQ(toString(keepOnlyKernel(*M, "f")), "unknown kernel 'f'");
}

/// A kernel reaching a chain of \p N internal functions, and another kernel
/// reaching a chain of \p N others defined callee first (the order that
/// made the old fixed-point loop erase one a pass).
std::string chains(unsigned N) {
  std::string IR;
  for (unsigned I = N; I-- > 0;) {
    std::string Next = I + 1 < N ? "  call void @dead" + std::to_string(I + 1) +
                                       "()\n"
                                 : "";
    IR += "define internal void @dead" + std::to_string(I) + "() {\n" + Next +
          "  ret void\n}\n";
  }
  for (unsigned I = 0; I != N; ++I) {
    std::string Next = I + 1 < N ? "  call void @live" + std::to_string(I + 1) +
                                       "()\n"
                                 : "";
    IR += "define internal void @live" + std::to_string(I) + "() {\n" + Next +
          "  ret void\n}\n";
  }
  IR += "define ptx_kernel void @k() {\n  call void @live0()\n  ret void\n}\n"
        "define ptx_kernel void @other() {\n  call void @dead0()\n"
        "  ret void\n}\n";
  return IR;
}

/// Seconds keepOnlyKernel takes on chains(N), the best of five.
double timeChains(unsigned N) {
  double Best = 1e9;
  for (int Run = 0; Run != 5; ++Run) {
    LLVMContext Ctx;
    auto M = test::parse(Ctx, chains(N));
    if (!M)
      return Best;
    auto Start = std::chrono::steady_clock::now();
    EXPECT_FALSE(errorToBool(keepOnlyKernel(*M, "k")));
    std::chrono::duration<double> D = std::chrono::steady_clock::now() - Start;
    Best = std::min(Best, D.count());
    EXPECT_EQ(M->size(), N + 1) << "the kernel and its chain stay";
    EXPECT_TRUE(hasBody(*M, "live" + std::to_string(N - 1)));
    EXPECT_FALSE(M->getFunction("dead0"));
    EXPECT_FALSE(M->getFunction("other"));
  }
  return Best;
}

TEST(KeepOnlyKernel, LinearInCallDepth) {
  double Small = timeChains(1000), Large = timeChains(10000);
  double Ratio = Large / Small;
  std::printf("keepOnlyKernel: 1k-deep %.3f ms, 10k-deep %.3f ms, ratio %.1f\n",
              Small * 1e3, Large * 1e3, Ratio);
  // Linear is 10, and 15 to 40 measured (10k functions outgrow the caches
  // 1k fit in); the old fixed point, one pass a link of the dead chain, is
  // quadratic: 100 and more.
  EXPECT_LT(Ratio, 60);
}

} // namespace
