//===- GpuLinkTest.cpp - Link inputs launched through the runtime ---------===//
//
// cuda.coop's single-phase pattern without numba: CUB's BlockReduce built by
// NVRTC to LTO-IR at test time, linked by the runtime into a kernel lcs
// compiles, launched, block sums checked against the host. Once as a module
// program (C++ API) and once from a generator that adds the LTO-IR per
// configuration (C API).
//
//===----------------------------------------------------------------------===//

#include "../unit/NvrtcLTO.h"
#include "CudaDriver.h"
#include "TestSupport.h"

#include "lcs/Runtime.h"
#include "lcs/lcs.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace lcs;
using namespace lcs::test;

namespace {

constexpr unsigned Block = 128, Blocks = 64;

/// The CUB LTO-IR for \p Arch, the target the runtime compiles for (sm_90a
/// on an H100/H200), or "" with the skip reason.
std::string cubLTOIR(const std::string &Arch, std::string &Skip) {
  std::string Error;
  std::string LTO = nvrtcLTOIR(cubBlockSum128(), Arch, Error);
  if (LTO.empty())
    Skip = "no CUB LTO-IR: " + Error;
  return LTO;
}

/// Launches \p K over Blocks x Block floats and checks each block's sum.
void checkBlockSums(Kernel &K) {
  std::vector<float> In(Blocks * Block);
  for (size_t I = 0; I != In.size(); ++I)
    In[I] = float((I * 7) % 13) - 6.0f;
  DeviceBuffer DIn(In.size() * 4), DOut(Blocks * 4);
  ASSERT_EQ(CudaDriver::get().upload(DIn.ptr(), In.data(), DIn.bytes()), "");
  ASSERT_EQ(CudaDriver::get().zero(DOut.ptr(), DOut.bytes()), "");
  CUdeviceptr PIn = DIn.ptr(), POut = DOut.ptr();
  void *Args[] = {&PIn, &POut};
  Status S = K.launch(launchOf(Blocks, Block), Args);
  ASSERT_TRUE(S.isOk()) << S.message();
  ASSERT_EQ(CudaDriver::get().synchronize(), "");
  std::vector<float> Out(Blocks);
  ASSERT_EQ(CudaDriver::get().download(Out.data(), DOut.ptr(), DOut.bytes()),
            "");
  for (unsigned B = 0; B != Blocks; ++B) {
    float Want = 0;
    for (unsigned T = 0; T != Block; ++T)
      Want += In[B * Block + T];
    EXPECT_NEAR(Out[B], Want, 1e-3) << "block " << B;
  }
}

TEST(GpuLink, CubBlockReduceFromLTOIRInAModuleProgram) {
  if (!CudaDriver::get().available())
    GTEST_SKIP() << CudaDriver::get().unavailableReason();
  RuntimeOptions O;
  O.CacheDir = "";
  std::unique_ptr<Runtime> R;
  ASSERT_TRUE(Runtime::create(O, R).isOk());
  std::string Skip, LTO = cubLTOIR(R->arch(), Skip);
  if (LTO.empty())
    GTEST_SKIP() << Skip;
  std::unique_ptr<Program> P;
  Status S = R->createProgram({{"block_sums.ll", blockSumsIR()}},
                              {{"cub.ltoir", LinkKind::Detect, LTO}}, P);
  ASSERT_TRUE(S.isOk()) << S.message();
  Kernel *K = nullptr;
  ASSERT_TRUE(P->getKernel("block_sums", K).isOk());
  checkBlockSums(*K);
  EXPECT_EQ(R->counters().compiles, 1u);
}

/// The generator gives the kernel's IR and, through lcs_generator_add_link,
/// the primitive built for the configuration's block size.
struct GeneratorState {
  std::string LTO;
  unsigned Calls = 0;
};

int generate(void *User, const char *, lcs_generated_t *Out) {
  auto *G = static_cast<GeneratorState *>(User);
  ++G->Calls;
  lcs_launch_config_t C;
  if (lcs_current_launch_config(&C) != LCS_SUCCESS || C.block[0] != Block) {
    lcs_set_generator_error("the primitive exists for 128 threads only");
    return 1;
  }
  lcs_link_input_t L = {"cub.ltoir", LCS_LINK_LTOIR, G->LTO.data(),
                        G->LTO.size()};
  if (lcs_generator_add_link(&L) != LCS_SUCCESS)
    return 1;
  Out->ir = blockSumsIR();
  Out->ir_size = std::strlen(blockSumsIR());
  return 0;
}

TEST(GpuLink, GeneratorAddsTheLTOIRPerConfiguration) {
  if (!CudaDriver::get().available())
    GTEST_SKIP() << CudaDriver::get().unavailableReason();
  GeneratorState G;
  RuntimeOptions O;
  O.CacheDir = "";
  std::unique_ptr<Runtime> R;
  ASSERT_TRUE(Runtime::create(O, R).isOk());
  std::string Skip;
  G.LTO = cubLTOIR(R->arch(), Skip);
  if (G.LTO.empty())
    GTEST_SKIP() << Skip;
  lcs_link_input_t Probe = {"x", LCS_LINK_LTOIR, "x", 1};
  EXPECT_EQ(lcs_generator_add_link(&Probe), LCS_ERROR_NO_LAUNCH_CONFIG)
      << "outside a generator";
  lcs_runtime_t CRT = nullptr;
  ASSERT_EQ(lcs_runtime_create("", &CRT), LCS_SUCCESS) << lcs_last_error();
  lcs_program_t CP = nullptr;
  ASSERT_EQ(lcs_program_create_generated(CRT, "gpu-link-test v1", generate, &G,
                                         &CP),
            LCS_SUCCESS)
      << lcs_last_error();
  lcs_kernel_t CK = nullptr;
  ASSERT_EQ(lcs_program_get_kernel(CP, "block_sums", &CK), LCS_SUCCESS);

  std::vector<float> In(Blocks * Block, 1.0f);
  lcs_deviceptr_t DIn = 0, DOut = 0;
  ASSERT_EQ(lcs_mem_alloc(CRT, In.size() * 4, &DIn), LCS_SUCCESS);
  ASSERT_EQ(lcs_mem_alloc(CRT, Blocks * 4, &DOut), LCS_SUCCESS);
  ASSERT_EQ(lcs_memcpy_to_device(CRT, DIn, In.data(), In.size() * 4),
            LCS_SUCCESS);
  void *Args[] = {&DIn, &DOut};
  lcs_launch_config_t C = launchOf(Blocks, Block);
  ASSERT_EQ(lcs_launch(CK, &C, Args), LCS_SUCCESS) << lcs_last_error();
  std::vector<float> Out(Blocks);
  ASSERT_EQ(lcs_memcpy_to_host(CRT, Out.data(), DOut, Blocks * 4),
            LCS_SUCCESS);
  for (unsigned B = 0; B != Blocks; ++B)
    EXPECT_EQ(Out[B], float(Block)) << "block " << B;
  EXPECT_GE(G.Calls, 1u);
  lcs_mem_free(CRT, DIn);
  lcs_mem_free(CRT, DOut);
  lcs_program_destroy(CP);
  lcs_runtime_destroy(CRT);
}

} // namespace
