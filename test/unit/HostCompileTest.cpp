//===- HostCompileTest.cpp - The host side of compiling -------------------===//
//
// The CompileBackend seam (lcs/compile/Backend.h): the worker's inspect op
// answers as this process does, and VariantCompiler::inspect remembers the
// answer on disk so that a fresh process starts no worker.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/InProcess.h"
#include "lcs/compile/VariantCompiler.h"
#include "lcs/compile/Worker.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <optional>
#include <string>

using namespace lcs;

namespace {

const char *IR = R"(target triple = "nvptx64-nvidia-cuda"
declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
define ptx_kernel void @k(ptr addrspace(1) %p, i32 %n, float %f) {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr addrspace(1) %p
  ret void
}
define ptx_kernel void @e() {
  ret void
}
)";

const char *Expected = "kernel=k fields=block.x explicit=0 "
                       "params=ptr addrspace(1),i32,float\n"
                       "kernel=e fields=- explicit=0 params=-\n";

/// Counts inspect calls and answers like this process.
class Counting : public CompileBackend {
public:
  Status analyse(const worker::Sources &, std::vector<cache::KernelRecord> &)
      override {
    return Status(LCS_ERROR_COMPILE, "not here");
  }
  Status build(const worker::BuildJob &, cache::Variant &) override {
    return Status(LCS_ERROR_COMPILE, "not here");
  }
  Status inspect(const worker::Sources &In, std::string &Out) override {
    ++Calls;
    return inProcessBackend().inspect(In, Out);
  }
  unsigned Calls = 0;
};

/// Sets an environment variable for the scope, restoring it after.
class ScopedEnv {
public:
  ScopedEnv(const char *Name, const std::string &Value) : Name(Name) {
    if (const char *Old = std::getenv(Name))
      Saved = Old;
    ::setenv(Name, Value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (Saved)
      ::setenv(Name, Saved->c_str(), 1);
    else
      ::unsetenv(Name);
  }

private:
  const char *Name;
  std::optional<std::string> Saved;
};

} // namespace

TEST(HostCompile, WorkerInspectAnswersAsThisProcess) {
  worker::Sources In = {{"k.ll", IR}};
  std::string Here, There;
  ASSERT_TRUE(inProcessBackend().inspect(In, Here).isOk());
  EXPECT_EQ(Here, Expected);
  WorkerBackend Workers(1);
  Status S = Workers.inspect(In, There);
  ASSERT_TRUE(S.isOk()) << S.message();
  EXPECT_EQ(There, Here);
  // Bad IR is a one-line compile error naming the input, from the worker.
  S = Workers.inspect({{"bad.ll", "define void @f( {"}}, There);
  EXPECT_EQ(S.code(), LCS_ERROR_COMPILE);
  EXPECT_NE(S.message().find("bad.ll"), std::string::npos) << S.message();
}

TEST(HostCompile, InspectIsRememberedOnDisk) {
  char Dir[] = "/tmp/lcs-host-XXXXXX";
  ASSERT_NE(::mkdtemp(Dir), nullptr);
  ScopedEnv CacheDir("LCS_CACHE_DIR", std::string(Dir) + "/cache");
  worker::Sources In = {{"k.ll", IR}};
  Counting B;
  std::string Out;
  ASSERT_TRUE(VariantCompiler::inspect(B, In, Out).isOk());
  EXPECT_EQ(Out, Expected);
  ASSERT_TRUE(VariantCompiler::inspect(B, In, Out).isOk());
  EXPECT_EQ(Out, Expected);
  EXPECT_EQ(B.Calls, 1u) << "the second answer comes from the disk";
  // Other bytes are another key.
  ASSERT_TRUE(VariantCompiler::inspect(B, {{"k.ll", std::string(IR) + "\n"}},
                                       Out)
                  .isOk());
  EXPECT_EQ(B.Calls, 2u);
  {
    ScopedEnv Off("LCS_CACHE_DISABLE", "1");
    ASSERT_TRUE(VariantCompiler::inspect(B, In, Out).isOk());
    EXPECT_EQ(B.Calls, 3u) << "a disabled cache remembers nothing";
  }
  std::system(("rm -rf " + std::string(Dir)).c_str());
}
