//===- CodeGenTest.cpp - keepOnlyKernel, machines, the assembler identity -===//

#include "TestIR.h"

#include "lcs/compile/CodeGen.h"
#include "lcs/compile/InProcess.h"
#include "lcs/compile/TargetCheck.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Transforms/IPO/Internalize.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

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

TEST(KeepOnlyKernel, ExportedFunctionsStayOnlyForLinkInputs) {
  const char *IR = R"(
@dev = addrspace(1) externally_initialized global i32 0
define float @reached(float %x) { ret float %x }
define float @exported(float %x) { ret float %x }
define ptx_kernel void @k(ptr %o) {
  %v = call float @reached(float 1.0)
  store float %v, ptr %o
  ret void
}
)";
  LLVMContext Ctx;
  auto Alone = test::parse(Ctx, IR);
  ASSERT_TRUE(Alone);
  ASSERT_FALSE(errorToBool(keepOnlyKernel(*Alone, "k", KeepFunctions::Reached)));
  EXPECT_FALSE(verifyModule(*Alone, &errs()));
  EXPECT_FALSE(Alone->getFunction("exported"));
  ASSERT_TRUE(hasBody(*Alone, "reached"));
  EXPECT_TRUE(Alone->getFunction("reached")->hasInternalLinkage());
  EXPECT_TRUE(Alone->getNamedGlobal("dev"));

  auto Linked = test::parse(Ctx, IR);
  ASSERT_TRUE(Linked);
  ASSERT_FALSE(
      errorToBool(keepOnlyKernel(*Linked, "k", KeepFunctions::Exported)));
  EXPECT_TRUE(hasBody(*Linked, "exported"));
  EXPECT_TRUE(Linked->getFunction("reached")->hasExternalLinkage());
  EXPECT_TRUE(Linked->getNamedGlobal("dev"));
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

TEST(KeepOnlyKernel, DeepChains) {
  // The result is checked at both depths; the times are reported, not
  // asserted (a loaded CI machine is no stopwatch). Linear is a ratio of
  // 10, 15 to 40 measured (10k functions outgrow the caches 1k fit in); the
  // old fixed point, one pass a link of the dead chain, gave 100 and more.
  double Small = timeChains(1000), Large = timeChains(10000);
  std::printf("keepOnlyKernel: 1k-deep %.3f ms, 10k-deep %.3f ms, ratio %.1f\n",
              Small * 1e3, Large * 1e3, Large / Small);
}

/// A fresh temporary directory, removed with what it holds.
struct TempDir {
  SmallString<128> Path;
  TempDir() { EXPECT_FALSE(sys::fs::createUniqueDirectory("lcs-cg", Path)); }
  ~TempDir() { sys::fs::remove_directories(Path); }
  std::string file(StringRef Name) const {
    SmallString<128> P(Path);
    sys::path::append(P, Name);
    return std::string(P);
  }
};

void writeFile(const std::string &Path, const std::string &Bytes) {
  std::ofstream(Path, std::ios::binary) << Bytes;
}

/// Sets the modification time to \p Seconds after the epoch.
void setMTime(const std::string &Path, int64_t Seconds) {
  int FD;
  ASSERT_FALSE(sys::fs::openFileForWrite(Path, FD, sys::fs::CD_OpenExisting,
                                         sys::fs::OF_Append));
  sys::TimePoint<> T{std::chrono::seconds(Seconds)};
  EXPECT_FALSE(sys::fs::setLastAccessAndModificationTime(FD, T));
  sys::fs::closeFile(FD);
}

/// The backend's machine and pipeline made ahead, on a thread of their own,
/// for the target's lowest PTX version, emit what ones made at need emit.
TEST(TargetMachines, AnEmitterMadeAheadEmitsWhatOneMadeAtNeedEmits) {
  const char *IR = R"(
define ptx_kernel void @k(ptr %p) {
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %q = getelementptr i32, ptr %p, i32 %t
  store i32 %t, ptr %q
  ret void
}
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
)";
  std::future<std::unique_ptr<PTXEmitter>> Ahead =
      PTXEmitter::makeAhead("sm_90a", 3);
  std::unique_ptr<PTXEmitter> A = Ahead.get();
  ASSERT_TRUE(A);
  Expected<unsigned> Lowest = minPTXVersion("sm_90a");
  ASSERT_TRUE(bool(Lowest));
  EXPECT_TRUE(A->fits("sm_90a", 3, *Lowest));
  EXPECT_FALSE(A->fits("sm_90a", 3, *Lowest + 1));
  EXPECT_FALSE(A->fits("sm_80", 3, *Lowest));
  Expected<std::unique_ptr<PTXEmitter>> B =
      PTXEmitter::make("sm_90a", 3, *Lowest);
  ASSERT_TRUE(bool(B)) << toString(B.takeError());
  LLVMContext C1, C2;
  std::unique_ptr<Module> M1 = test::parse(C1, IR), M2 = test::parse(C2, IR);
  ASSERT_TRUE(M1 && M2);
  std::string P1 = A->emit(*M1), P2 = (*B)->emit(*M2);
  EXPECT_NE(P1.find(".entry k"), std::string::npos) << P1;
  EXPECT_EQ(P1, P2);
}

/// The optimiser's target machine is made once per thread and reused
/// (threadTargetMachine): programs (with calls, whose sites the backend
/// numbers) built one after another on one thread give the bytes each
/// gives on a thread of its own, on a new machine.
TEST(TargetMachines, AReusedMachineBuildsWhatANewOneBuilds) {
  std::vector<std::string> Files = {
      "numba_uses_blockdim.ll", "numba_grid_stride_saxpy.ll",
      "numba2_softplus_blockstride.ll", "numba_block_reduce.ll",
      "numba_dyn_smem_scan.ll", "triton_t_add.ll",
      "../../analysis/calls.ll"};
  auto Build = [](const std::string &File, bool Specialised,
                  std::string &Out) {
    std::ifstream In(std::string(LCS_CORPUS_DIR) + "/" + File,
                     std::ios::binary);
    std::string Bytes((std::istreambuf_iterator<char>(In)),
                      std::istreambuf_iterator<char>());
    std::vector<cache::KernelRecord> Records;
    InProcessBackend &Here = inProcessBackend();
    if (Status S = Here.analyse({{File, Bytes}}, Records))
      return S;
    worker::BuildJob J;
    J.Kernel = Records.front();
    J.Arch = "sm_90a";
    J.Inputs = {{File, Bytes}};
    J.Groups = Specialised ? "block=256x1x1" : "";
    J.Restricted.HasBlock = Specialised;
    J.Restricted.Block[0] = 256;
    cache::Variant V;
    Status S = Here.build(J, V);
    Out = V.Code;
    return S;
  };
  std::vector<std::string> Alone, InTurn;
  for (const std::string &F : Files)
    for (bool Specialised : {false, true}) {
      std::string Code;
      Status S;
      std::thread([&] { S = Build(F, Specialised, Code); }).join();
      ASSERT_TRUE(S.isOk()) << F << ": " << S.message();
      Alone.push_back(Code);
    }
  for (const std::string &F : Files)
    for (bool Specialised : {false, true}) {
      std::string Code;
      Status S = Build(F, Specialised, Code);
      ASSERT_TRUE(S.isOk()) << F << ": " << S.message();
      InTurn.push_back(Code);
    }
  for (size_t I = 0; I != Alone.size(); ++I) {
    EXPECT_FALSE(Alone[I].empty());
    EXPECT_EQ(Alone[I], InTurn[I])
        << Files[I / 2] << (I % 2 ? " specialised" : "");
  }
}

/// libdevice is read once per process for each set of functions called:
/// later builds calling the same set (in contexts of their own) link the
/// same definitions, internal, and nothing else of the library, as linking
/// from the library itself does; a name libdevice lacks stays a
/// declaration.
TEST(Libdevice, TheSameFunctionsLinkedFromOneReading) {
  if (!sys::fs::exists(libdevicePath()))
    GTEST_SKIP() << "no libdevice at " << libdevicePath();
  const char *IR = R"(
target triple = "nvptx64-nvidia-cuda"
declare float @__nv_expf(float)
declare float @__nv_log1pf(float)
define ptx_kernel void @k(ptr %p) {
  %x = load float, ptr %p
  %e = call float @__nv_expf(float %x)
  %l = call float @__nv_log1pf(float %e)
  store float %l, ptr %p
  ret void
}
)";
  // What linking read before the extracts: the whole library, lazily, in
  // the module's context, only what is needed linked and internalised.
  std::string Direct;
  {
    LLVMContext Ctx;
    auto M = test::parse(Ctx, IR);
    ASSERT_TRUE(M);
    auto Buf = MemoryBuffer::getFile(libdevicePath());
    ASSERT_TRUE(bool(Buf));
    Expected<std::unique_ptr<Module>> Lib =
        getOwningLazyBitcodeModule(std::move(*Buf), Ctx);
    ASSERT_TRUE(bool(Lib)) << toString(Lib.takeError());
    (*Lib)->setTargetTriple(M->getTargetTriple());
    (*Lib)->setDataLayout(M->getDataLayout());
    ASSERT_FALSE(Linker::linkModules(
        *M, std::move(*Lib), Linker::LinkOnlyNeeded,
        [](Module &Linked, const StringSet<> &Names) {
          internalizeModule(Linked, [&](const GlobalValue &GV) {
            return !Names.contains(GV.getName());
          });
        }));
    raw_string_ostream(Direct) << *M;
  }
  std::string Texts[2];
  for (std::string &Text : Texts) {
    LLVMContext Ctx;
    auto M = test::parse(Ctx, IR);
    ASSERT_TRUE(M);
    ASSERT_FALSE(errorToBool(linkLibdevice(*M)));
    for (const char *Name : {"__nv_expf", "__nv_log1pf"}) {
      ASSERT_TRUE(hasBody(*M, Name)) << Name;
      EXPECT_TRUE(M->getFunction(Name)->hasInternalLinkage()) << Name;
    }
    EXPECT_FALSE(M->getFunction("__nv_sinf"));
    EXPECT_FALSE(verifyModule(*M, &errs()));
    raw_string_ostream(Text) << *M;
  }
  EXPECT_EQ(Texts[0], Texts[1]);
  EXPECT_EQ(Texts[0], Direct) << "the extract links what the library did";

  LLVMContext Ctx;
  auto M = test::parse(Ctx, R"(
declare float @__nv_not_in_libdevice(float)
declare float @__nv_expf(float)
define float @f(float %x) {
  %a = call float @__nv_not_in_libdevice(float %x)
  %b = call float @__nv_expf(float %a)
  ret float %b
}
)");
  ASSERT_TRUE(M);
  ASSERT_FALSE(errorToBool(linkLibdevice(*M)));
  EXPECT_TRUE(hasBody(*M, "__nv_expf"));
  EXPECT_TRUE(M->getFunction("__nv_not_in_libdevice")->isDeclaration());
}

TEST(AssemblerIdentity, SameBytesElsewhereAndLaterGiveTheSameIdentity) {
  TempDir Dir;
  std::string Bytes(1 << 20, 'a');
  std::string A = Dir.file("a-ptxas"), B = Dir.file("b-ptxas"),
              C = Dir.file("c-ptxas");
  writeFile(A, Bytes);
  writeFile(B, Bytes);
  writeFile(C, Bytes.substr(1) + "b");
  setMTime(A, 1700000000);
  setMTime(B, 1600000000);
  auto Version = [] { return std::string("V1.2"); };
  std::string IdA = identifyAssembler("ptxas", A, Version, "");
  std::string IdB = identifyAssembler("ptxas", B, Version, "");
  std::string IdC = identifyAssembler("ptxas", C, Version, "");
  EXPECT_FALSE(IdA.empty());
  EXPECT_EQ(IdA, IdB);
  EXPECT_NE(IdA, IdC);
  EXPECT_EQ(StringRef(IdA).find(Dir.Path), StringRef::npos)
      << "the path must not be part of the identity: " << IdA;
  EXPECT_TRUE(StringRef(IdA).starts_with("ptxas V1.2 xxh3 ")) << IdA;
  EXPECT_EQ(identifyAssembler("ptxas", Dir.file("missing"), Version, ""), "");
}

TEST(AssemblerIdentity, MemoisedInMemoryAndOnDisk) {
  TempDir Dir, Memo;
  std::string MemoDir(Memo.Path), A = Dir.file("libfake.so");
  writeFile(A, "first bytes");
  setMTime(A, 1700000000);
  unsigned Asked = 0;
  auto Version = [&] {
    ++Asked;
    return std::string("13.0");
  };
  std::string First = identifyAssembler("nvJitLink", A, Version, MemoDir);
  EXPECT_EQ(Asked, 1u);
  EXPECT_EQ(identifyAssembler("nvJitLink", A, Version, MemoDir), First);
  EXPECT_EQ(Asked, 1u) << "memoised in memory";
  // A fresh process: the memo on disk answers, without reading the file
  // (other bytes of the same size, mtime put back, are not seen).
  forgetAssemblerIdentities();
  writeFile(A, "other bytes");
  setMTime(A, 1700000000);
  EXPECT_EQ(identifyAssembler("nvJitLink", A, Version, MemoDir), First);
  EXPECT_EQ(Asked, 1u) << "memoised on disk";
  // A changed mtime is another file: digested again.
  forgetAssemblerIdentities();
  setMTime(A, 1700000060);
  std::string Second = identifyAssembler("nvJitLink", A, Version, MemoDir);
  EXPECT_EQ(Asked, 2u);
  EXPECT_NE(Second, First);
  // A torn or foreign memo file is a miss, not an answer.
  forgetAssemblerIdentities();
  std::error_code EC;
  for (sys::fs::recursive_directory_iterator I(Memo.Path, EC), E; I != E && !EC;
       I.increment(EC))
    if (I->type() == sys::fs::file_type::regular_file)
      writeFile(I->path(), "garbage");
  EXPECT_EQ(identifyAssembler("nvJitLink", A, Version, MemoDir), Second);
  EXPECT_EQ(Asked, 3u);
}

/// The installed toolkit's identity, cold (digest) and memoised on disk
/// (what a fresh process pays), printed for the record.
TEST(AssemblerIdentity, InstalledToolkitColdAndMemoised) {
  std::string Path = cudaRoot() + "/lib64/libnvJitLink.so.13";
  if (!sys::fs::exists(Path))
    GTEST_SKIP() << "no nvJitLink under " << cudaRoot();
  TempDir Memo;
  std::string MemoDir(Memo.Path);
  auto Time = [&] {
    auto Start = std::chrono::steady_clock::now();
    std::string Id = identifyAssembler(
        "nvJitLink", Path, [] { return std::string("v"); }, MemoDir);
    EXPECT_FALSE(Id.empty());
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - Start)
        .count();
  };
  forgetAssemblerIdentities();
  double Cold = Time();
  forgetAssemblerIdentities();
  double Disk = Time();
  double Memory = Time();
  std::printf("identity of %s: cold %.2f ms, disk memo %.3f ms, "
              "memory memo %.4f ms\n",
              Path.c_str(), Cold, Disk, Memory);
  // The process's own identity, cold: with nvJitLink's version, which
  // loads the library.
  forgetAssemblerIdentities();
  setAssemblerMemoDir(MemoDir + "/real");
  auto Start = std::chrono::steady_clock::now();
  std::string Real = assemblerIdentity();
  std::printf("assemblerIdentity() cold: %.2f ms: %s\n",
              std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - Start)
                  .count(),
              Real.c_str());
  EXPECT_TRUE(StringRef(Real).starts_with("nvJitLink ")) << Real;
  EXPECT_EQ(StringRef(Real).find('/'), StringRef::npos) << Real;
  forgetAssemblerIdentities();
}

} // namespace
