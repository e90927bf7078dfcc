//===- LinkInputTest.cpp - Link input kinds, checks and nvJitLink errors --===//

#include "NvrtcLTO.h"

#include "lcs/compile/CodeGen.h"
#include "lcs/compile/LinkInput.h"
#include "lcs/compile/ModuleInput.h"
#include "lcs/compile/Pipeline.h"
#include "lcs/compile/Worker.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace lcs;

namespace {

std::string le32(uint32_t V) {
  std::string S(4, '\0');
  for (int I = 0; I != 4; ++I)
    S[I] = char(V >> (8 * I));
  return S;
}

std::string le64(uint64_t V) { return le32(uint32_t(V)) + le32(V >> 32); }

/// A 64-bit ELF header for \p Machine, padded to 64 bytes.
std::string elf(uint16_t Machine, std::string Tail = "") {
  std::string S = "\x7f"
                  "ELF";
  S += std::string("\x02\x01\x01", 3);
  S.resize(16, '\0');
  S += std::string("\x01\x00", 2); // ET_REL
  S += char(Machine & 0xff);
  S += char(Machine >> 8);
  S.resize(64, '\0');
  return S + Tail;
}

/// A fatbin with one entry of \p EntryKind and \p Payload bytes.
std::string fatbin(uint16_t EntryKind, size_t Payload = 8) {
  std::string Entry;
  Entry += char(EntryKind & 0xff);
  Entry += char(EntryKind >> 8);
  Entry += std::string("\x01\x01", 2);
  Entry += le32(16) + le64(Payload) + std::string(Payload, 'x');
  std::string S = le32(0xBA55ED50);
  S += std::string("\x01\x00\x10\x00", 4); // version 1, header 16
  return S + le64(Entry.size()) + Entry;
}

std::string ltoir() { return le32(0x7F4E43ED) + std::string(28, '\x01'); }

const char *PTX = "//\n// Generated\n//\n\n.version 8.8\n.target sm_90\n"
                  ".address_size 64\n";

TEST(LinkInput, DetectsEachKindFromTheBytes) {
  EXPECT_EQ(detectLinkKind(ltoir()), LinkKind::LTOIR);
  EXPECT_EQ(detectLinkKind(PTX), LinkKind::PTX);
  EXPECT_EQ(detectLinkKind(elf(190)), LinkKind::Cubin);
  EXPECT_EQ(detectLinkKind(fatbin(2)), LinkKind::Fatbin);
  EXPECT_EQ(detectLinkKind(elf(62, fatbin(2))), LinkKind::Object);
  EXPECT_EQ(detectLinkKind("!<arch>\n" + elf(62, fatbin(2))),
            LinkKind::Library);
  EXPECT_EQ(detectLinkKind("int main() {}\n"), LinkKind::Detect);
  EXPECT_EQ(detectLinkKind(".version 8.8\n"), LinkKind::Detect);
  EXPECT_EQ(detectLinkKind(std::string("\x7f"
                                       "ELF",
                                       4)),
            LinkKind::Detect);
  EXPECT_EQ(detectLinkKind(""), LinkKind::Detect);
}

TEST(LinkInput, KindNamesRoundTrip) {
  for (LinkKind K : {LinkKind::Detect, LinkKind::LTOIR, LinkKind::PTX,
                     LinkKind::Cubin, LinkKind::Fatbin, LinkKind::Object,
                     LinkKind::Library}) {
    LinkKind Back;
    ASSERT_TRUE(parseLinkKind(linkKindName(K), Back));
    EXPECT_EQ(Back, K);
  }
  LinkKind Unused;
  EXPECT_FALSE(parseLinkKind("elf", Unused));
  EXPECT_EQ(nvJitLinkInputType(LinkKind::LTOIR), 3);
  EXPECT_EQ(nvJitLinkInputType(LinkKind::Library), 6);
}

TEST(LinkInput, ChecksResolveTheKind) {
  LinkInput L{"a.ptx", LinkKind::Detect, PTX};
  EXPECT_EQ(checkLinkInput(L), "");
  EXPECT_EQ(L.Kind, LinkKind::PTX);
}

TEST(LinkInput, BadInputsAreOneLineNamingWhatTheyAreNot) {
  LinkInput Empty{"e.bin", LinkKind::Detect, ""};
  EXPECT_EQ(checkLinkInput(Empty), "link input 'e.bin': empty, not a link "
                                   "input");
  LinkInput Garbage{"g.bin", LinkKind::Detect, "hello"};
  EXPECT_EQ(checkLinkInput(Garbage),
            "link input 'g.bin': not a link input: neither LTO-IR, PTX, a "
            "cubin, a fatbin, a host object nor a static archive");
  LinkInput Forced{"p.ptx", LinkKind::LTOIR, PTX};
  EXPECT_EQ(checkLinkInput(Forced),
            "link input 'p.ptx': not LTO-IR, the kind given for it: no NVVM "
            "IR container magic 0x7F4E43ED (it is PTX)");
  LinkInput Host{"h.o", LinkKind::Detect, elf(62)};
  EXPECT_EQ(checkLinkInput(Host),
            "link input 'h.o': not a host object with device code: no CUDA "
            "device code in it (no embedded fatbin)");
  // A fatbin whose size runs past the end.
  std::string Cut = fatbin(2, 64).substr(0, 40);
  LinkInput Truncated{"c.fatbin", LinkKind::Detect, Cut};
  EXPECT_EQ(checkLinkInput(Truncated),
            "link input 'c.fatbin': not a fatbin: no whole fatbin (magic "
            "0xBA55ED50 and its sizes)");
  LinkInput Unknown{"u", LinkKind(9), PTX};
  EXPECT_NE(checkLinkInput(Unknown).find("unknown kind 9"), std::string::npos);
}

TEST(LinkInput, FindsLTOIRInsideContainers) {
  auto Holds = [](LinkKind K, std::string Bytes) {
    LinkInput L{"x", K, std::move(Bytes)};
    return holdsLTOIR(L);
  };
  EXPECT_TRUE(Holds(LinkKind::LTOIR, ltoir()));
  EXPECT_TRUE(Holds(LinkKind::Fatbin, fatbin(8)));
  EXPECT_FALSE(Holds(LinkKind::Fatbin, fatbin(2)));
  EXPECT_TRUE(Holds(LinkKind::Object, elf(62, fatbin(8))));
  EXPECT_TRUE(Holds(LinkKind::Library, "!<arch>\n" + elf(62, fatbin(8))));
  EXPECT_FALSE(Holds(LinkKind::PTX, PTX));
}

TEST(LinkInput, DescribesNvJitLinkLogs) {
  // The logs are nvJitLink 13.0's, verbatim.
  EXPECT_EQ(describeLinkFailure("error   : Undefined reference to "
                                "'block_sum_128' in 'k'\nERROR 9: finish\n",
                                6, "", "k", "sm_90", "13.0"),
            "kernel 'k': unresolved symbol 'block_sum_128' (referenced from "
            "the kernel's code; defined by neither the kernel's module nor "
            "any link input)");
  EXPECT_EQ(describeLinkFailure("error   : Undefined reference to 'f' in "
                                "'ltoPtx'\n",
                                6, "", "k", "sm_90", "13.0"),
            "kernel 'k': unresolved symbol 'f' (referenced from the LTO-IR "
            "link inputs; defined by neither the kernel's module nor any "
            "link input)");
  EXPECT_EQ(describeLinkFailure("ERROR 100 in LTOIR arch newer than target "
                                "arch\n",
                                13, "p.ltoir", "k", "sm_90", "13.0"),
            "link input 'p.ltoir': LTO-IR built for sm_100, newer than the "
            "target sm_90; rebuild it for sm_90 or older");
  EXPECT_EQ(describeLinkFailure("ERROR 4 in nvvmAddNVVMContainerToProgram, "
                                "may need newer version of nvJitLink library\n",
                                14, "p.ltoir", "k", "sm_90", "13.0"),
            "link input 'p.ltoir': LTO-IR made by an NVRTC newer than the "
            "nvJitLink 13.0 in use; link with an nvJitLink at least as new "
            "as that NVRTC (CUDA_HOME), or rebuild it with NVRTC 13.0");
  EXPECT_EQ(describeLinkFailure("ptxas fatal : something\n", 5, "", "k",
                                "sm_90", "13.0"),
            "nvJitLink failed for sm_90 (kernel 'k'): ptxas fatal : "
            "something");
  EXPECT_EQ(describeLinkFailure("", 7, "", "", "sm_90", ""),
            "nvJitLink failed for sm_90: error 7, no log");
}

TEST(LinkInput, BuildJobsCarryTheirLinksToTheWorker) {
  worker::BuildJob J;
  J.Kernel.Name = "k";
  J.Arch = "sm_90";
  J.Cubin = true;
  J.Inputs = {{"k.ll", "define void @k() { ret void }"}};
  J.Links = {{"a.ltoir", LinkKind::LTOIR, ltoir()},
             {"b.ptx", LinkKind::PTX, PTX}};
  std::string Wire = worker::encodeBuild(J);
  uint8_t Op = 0;
  worker::Sources Unused;
  worker::BuildJob Back;
  ASSERT_TRUE(worker::decodeRequest(Wire, Op, Unused, Back));
  EXPECT_EQ(Op, 2);
  ASSERT_EQ(Back.Links.size(), 2u);
  EXPECT_EQ(Back.Links[0].Name, "a.ltoir");
  EXPECT_EQ(Back.Links[0].Kind, LinkKind::LTOIR);
  EXPECT_EQ(Back.Links[0].Bytes, ltoir());
  EXPECT_EQ(Back.Links[1].Kind, LinkKind::PTX);
  // A cut frame, and an unknown kind, are malformed.
  EXPECT_FALSE(worker::decodeRequest(Wire.substr(0, Wire.size() - 1), Op,
                                     Unused, Back));
  J.Links[1].Kind = LinkKind(7);
  EXPECT_FALSE(
      worker::decodeRequest(worker::encodeBuild(J), Op, Unused, Back));
}

/// cuda.coop's pattern on the CPU: CUB's BlockReduce as NVRTC LTO-IR, and
/// a kernel compiled by lcs that calls it, link into a cubin.
TEST(LinkInput, NvrtcCubBlockReduceLinksIntoACubin) {
  if (!canAssemble() || assemblerIdentity().rfind("nvJitLink", 0) != 0)
    GTEST_SKIP() << "no nvJitLink in " << cudaRoot();
  std::string Error;
  std::string LTO = test::nvrtcLTOIR(test::cubBlockSum128(), "sm_90", Error);
  if (LTO.empty() && Error.find("NVRTC:") != 0)
    GTEST_SKIP() << "no NVRTC: " << Error;
  ASSERT_FALSE(LTO.empty()) << Error;
  LinkInput L{"cub.ltoir", LinkKind::Detect, LTO};
  ASSERT_EQ(checkLinkInput(L), "");
  EXPECT_EQ(L.Kind, LinkKind::LTOIR);

  llvm::LLVMContext Ctx;
  llvm::Expected<std::unique_ptr<llvm::Module>> M = parseInput(
      llvm::MemoryBufferRef(test::blockSumsIR(), "block_sums.ll"), Ctx);
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  PipelineOptions O;
  O.Kernel = "block_sums";
  O.Emit = EmitKind::Cubin;
  O.Links = {L};
  llvm::Expected<PipelineOutput> Out = runPipeline(**M, O);
  ASSERT_TRUE(bool(Out)) << llvm::toString(Out.takeError());
  // An executable CUDA ELF; nvJitLink succeeding means block_sum_128 was
  // defined (an undefined reference fails the link).
  ASSERT_GE(Out->Code.size(), 64u);
  EXPECT_EQ(Out->Code.substr(0, 4), "\x7f"
                                    "ELF");
  EXPECT_EQ(uint8_t(Out->Code[18]) | uint8_t(Out->Code[19]) << 8, 190);
  EXPECT_EQ(uint8_t(Out->Code[16]), 2); // ET_EXEC
  EXPECT_NE(Out->Code.find(std::string("block_sums\0", 11)),
            std::string::npos);
  // Each stage that ran has its time (lcs-bench compile-phases).
  EXPECT_GT(Out->Times.Prepare, 0);
  EXPECT_GT(Out->Times.Emit, 0);
  EXPECT_GT(Out->Times.Assemble, 0);

  // Without the link input, the same kernel names what is missing.
  llvm::Expected<std::unique_ptr<llvm::Module>> M2 = parseInput(
      llvm::MemoryBufferRef(test::blockSumsIR(), "block_sums.ll"), Ctx);
  ASSERT_TRUE(bool(M2));
  O.Links.clear();
  llvm::Expected<PipelineOutput> Unlinked = runPipeline(**M2, O);
  ASSERT_FALSE(bool(Unlinked));
  EXPECT_EQ(llvm::toString(Unlinked.takeError()),
            "kernel 'block_sums': unresolved symbol 'block_sum_128' "
            "(referenced from the kernel's code; defined by neither the "
            "kernel's module nor any link input)");
}

} // namespace
