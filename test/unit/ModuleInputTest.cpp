//===- ModuleInputTest.cpp - Reading IR from real producers ---------------===//

#include "lcs/LaunchSensitivity.h"
#include "lcs/compile/ModuleInput.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace llvm;
using namespace lcs;

namespace {

Expected<std::unique_ptr<Module>> parseText(LLVMContext &Ctx, StringRef Text,
                                            StringRef Name = "input.ll") {
  return parseInput(MemoryBufferRef(Text, Name), Ctx);
}

TEST(ModuleInput, UpgradesUntypedByval) {
  EXPECT_EQ(upgradeLegacyByval("define void @f(%S* byval align 8 %s)"),
            "define void @f(%S* byval(%S) align 8 %s)");
  EXPECT_EQ(upgradeLegacyByval("void (i32, {i32, float}* sret %r)"),
            "void (i32, {i32, float}* sret({i32, float}) %r)");
  EXPECT_EQ(upgradeLegacyByval("f([4 x i32]* byval %a, <{i8, i32}>* byval %b)"),
            "f([4 x i32]* byval([4 x i32]) %a, <{i8, i32}>* "
            "byval(<{i8, i32}>) %b)");
  // Already typed, and modern IR, are left alone.
  EXPECT_EQ(upgradeLegacyByval("%S* byval(%S) %s"), "%S* byval(%S) %s");
  EXPECT_EQ(upgradeLegacyByval("ptr byval(%S) %s"), "ptr byval(%S) %s");
}

TEST(ModuleInput, ParsesTypedPointerByvalKernel) {
  LLVMContext Ctx;
  auto M = parseText(Ctx, R"(
target triple = "nvptx64-nvidia-cuda"
%Args = type { i32, i32 }
declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
define void @k(%Args* byval align 4 %a, i32* %out) {
  %g = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
  store i32 %g, i32* %out
  ret void
}
!nvvm.annotations = !{!0}
!0 = !{void (%Args*, i32*)* @k, !"kernel", i32 1}
)");
  ASSERT_TRUE(bool(M)) << toString(M.takeError());
  Function *K = (*M)->getFunction("k");
  ASSERT_NE(K, nullptr);
  EXPECT_TRUE(isKernel(*K));
  EXPECT_TRUE(K->hasParamAttribute(0, Attribute::ByVal));
  EXPECT_FALSE(bool(checkProgram(**M, "input.ll")));
  EXPECT_EQ(computeLaunchSensitivity(**M).kernels()[0].Fields.str(), "grid.x");
}

TEST(ModuleInput, SplitsConcatenatedModulesAndLinksThem) {
  LLVMContext Ctx;
  auto M = parseText(Ctx, R"(; ModuleID = "kernel"
target triple = "nvptx64-nvidia-cuda"
declare i32 @helper()
define ptx_kernel void @k(ptr %out) {
  %v = call i32 @helper()
  store i32 %v, ptr %out
  ret void
}
; ModuleID = "helper"
target triple = "nvptx64-nvidia-cuda"
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
define i32 @helper() {
  %v = call i32 @llvm.nvvm.read.ptx.sreg.ntid.y()
  ret i32 %v
}
)");
  ASSERT_TRUE(bool(M)) << toString(M.takeError());
  EXPECT_FALSE((*M)->getFunction("helper")->isDeclaration());
  EXPECT_EQ(computeLaunchSensitivity(**M).kernels()[0].Fields.str(),
            "block.y");
}

TEST(ModuleInput, ErrorsNameTheInputAndPlace) {
  LLVMContext Ctx;
  auto Garbage = parseText(Ctx, "this is not IR\n", "garbage.ll");
  ASSERT_FALSE(bool(Garbage));
  std::string Msg = toString(Garbage.takeError());
  EXPECT_EQ(Msg.rfind("garbage.ll: line 1:", 0), 0u) << Msg;
  EXPECT_EQ(Msg.find('\n'), std::string::npos) << Msg;

  auto Empty = parseText(Ctx, "", "empty.ll");
  ASSERT_FALSE(bool(Empty));
  EXPECT_EQ(toString(Empty.takeError()), "empty.ll: empty input");

  // A truncated bitcode file: magic, then nothing useful.
  std::string Truncated = "BC\xC0\xDE\x35\x14\x00\x00";
  auto Bitcode = parseText(Ctx, Truncated, "short.bc");
  ASSERT_FALSE(bool(Bitcode));
  EXPECT_EQ(toString(Bitcode.takeError()).rfind("short.bc: invalid bitcode:", 0),
            0u);
}

TEST(ModuleInput, RejectsOtherTargetsAndInvalidModules) {
  LLVMContext Ctx;
  auto X86 = parseText(Ctx, "target triple = \"x86_64-pc-linux-gnu\"\n"
                            "define void @f() { ret void }\n");
  ASSERT_TRUE(bool(X86));
  Error E = checkProgram(**X86, "host.ll");
  ASSERT_TRUE(bool(E));
  EXPECT_EQ(toString(std::move(E)),
            "host.ll: not an NVPTX module (target triple "
            "'x86_64-pc-linux-gnu')");

  // Parses, but fails the verifier: a block without a terminator is caught
  // by the parser, so use a use that does not dominate its user.
  auto Bad = parseText(Ctx, R"(target triple = "nvptx64-nvidia-cuda"
define ptx_kernel void @k(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  %v = add i32 1, 2
  br label %b
b:
  %w = add i32 %v, 1
  ret void
}
)");
  ASSERT_TRUE(bool(Bad));
  Error V = checkProgram(**Bad, "bad.ll");
  ASSERT_TRUE(bool(V));
  EXPECT_EQ(toString(std::move(V)).rfind("bad.ll: invalid module:", 0), 0u);
}

} // namespace
