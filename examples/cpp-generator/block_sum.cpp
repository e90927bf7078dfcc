// A C++ JIT frontend that generates code per launch configuration, the way
// cuda.coop instantiates CUB block primitives (BlockReduce<T, BLOCK_DIM_X>)
// with the block size as a compile-time constant.
//
// The generator asks lcs for the launch configuration, marks the kernel as
// depending on the block size only, and emits IR with that size baked in:
// a fully unrolled tree reduction over a shared array of exactly BLOCK
// floats, which it asks lcs to add as dynamic shared memory. lcs compiles it
// once per block size; other grid sizes reuse it; a later process loads it
// from the disk cache without calling the generator. Its buffers come from
// the runtime (Runtime::allocate ...): it does not link the CUDA driver.
#include "lcs/Runtime.h"

#include <cstdio>
#include <string>
#include <vector>

namespace {

/// out[blockIdx.x] = sum of in[blockIdx.x * BLOCK .. + BLOCK).
std::string instantiate(const std::string &Name, unsigned Block) {
  std::string IR = R"(target triple = "nvptx64-nvidia-cuda"
@buf = external addrspace(3) global [0 x float], align 4
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
declare void @llvm.nvvm.barrier0()
define ptx_kernel void @)" + Name + R"((ptr addrspace(1) %in, ptr addrspace(1) %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
  %base = mul i32 %b, )" + std::to_string(Block) + R"(
  %i = add i32 %base, %t
  %pi = getelementptr float, ptr addrspace(1) %in, i32 %i
  %v = load float, ptr addrspace(1) %pi
  %ps = getelementptr float, ptr addrspace(3) @buf, i32 %t
  store float %v, ptr addrspace(3) %ps
  call void @llvm.nvvm.barrier0()
)";
  // The tree, unrolled for this block size: what a template instantiation
  // gives.
  unsigned Step = 0;
  for (unsigned S = Block / 2; S > 0; S /= 2, ++Step) {
    std::string N = std::to_string(Step), Sv = std::to_string(S);
    IR += "  %c" + N + " = icmp ult i32 %t, " + Sv + "\n" +
          "  br i1 %c" + N + ", label %add" + N + ", label %sync" + N + "\n" +
          "add" + N + ":\n" +
          "  %o" + N + " = add i32 %t, " + Sv + "\n" +
          "  %pa" + N + " = getelementptr float, ptr addrspace(3) @buf, i32 %o" + N + "\n" +
          "  %a" + N + " = load float, ptr addrspace(3) %pa" + N + "\n" +
          "  %m" + N + " = load float, ptr addrspace(3) %ps\n" +
          "  %s" + N + " = fadd float %m" + N + ", %a" + N + "\n" +
          "  store float %s" + N + ", ptr addrspace(3) %ps\n" +
          "  br label %sync" + N + "\n" +
          "sync" + N + ":\n" +
          "  call void @llvm.nvvm.barrier0()\n";
  }
  IR += R"(  %first = icmp eq i32 %t, 0
  br i1 %first, label %write, label %done
write:
  %r = load float, ptr addrspace(3) @buf
  %po = getelementptr float, ptr addrspace(1) %out, i32 %b
  store float %r, ptr addrspace(1) %po
  br label %done
done:
  ret void
}
)";
  return IR;
}

} // namespace

int main() {
  std::unique_ptr<lcs::Runtime> RT;
  if (lcs::Status S = lcs::Runtime::create({}, RT)) {
    std::printf("block_sum: %s\n", S.message().c_str());
    return S.code() == LCS_ERROR_NO_DRIVER ? 0 : 1;
  }
  int Generated = 0;
  std::unique_ptr<lcs::Program> P;
  lcs::Status S = RT->createProgram(
      "lcs-example-block-sum-v1", // changes whenever instantiate() could
      [&](const std::string &Kernel, lcs::Generated &Out) {
        lcs::LaunchParams C;
        if (lcs::Status E = lcs::currentLaunchConfig(C))
          return E;
        lcs::markLaunchConfigSensitive(LCS_FIELD_BLOCK_X | LCS_FIELD_BLOCK_Y |
                                       LCS_FIELD_BLOCK_Z);
        ++Generated;
        Out.IR = instantiate(Kernel, C.block[0]);
        Out.ExtraSharedMem = 4 * C.block[0];
        return lcs::Status::ok();
      },
      P);
  lcs::Kernel *K = nullptr;
  if (S || (S = P->getKernel("block_sum", K))) {
    std::printf("block_sum: %s\n", S.message().c_str());
    return 1;
  }
  const unsigned N = 1 << 20;
  std::vector<float> In(N);
  for (unsigned I = 0; I != N; ++I)
    In[I] = float(I % 10);
  auto Failed = [](const lcs::Status &E) {
    std::printf("block_sum: %s\n", E.message().c_str());
    return 1;
  };
  CUdeviceptr DIn = 0, DOut = 0;
  if (lcs::Status E = RT->allocate(N * 4, DIn))
    return Failed(E);
  if (lcs::Status E = RT->allocate(N * 4, DOut))
    return Failed(E);
  if (lcs::Status E = RT->copyToDevice(DIn, In.data(), N * 4))
    return Failed(E);
  int Bad = 0;
  for (unsigned Block : {128u, 256u, 512u, 128u}) {
    unsigned Grid = N / Block;
    lcs::LaunchParams L = {{Grid, 1, 1}, {Block, 1, 1}, {0, 0, 0}, 0, nullptr};
    void *Args[] = {&DIn, &DOut};
    if (lcs::Status E = K->launch(L, Args))
      return Failed(E);
    std::vector<float> Out(Grid);
    if (lcs::Status E = RT->copyToHost(Out.data(), DOut, Grid * 4))
      return Failed(E);
    for (unsigned B = 0; B != Grid; ++B) {
      float Ref = 0;
      for (unsigned J = 0; J != Block; ++J)
        Ref += In[B * Block + J];
      Bad += Out[B] != Ref;
    }
    std::printf("block %4u x grid %5u: %s\n", Block, Grid,
                Bad ? "WRONG" : "sums match the host");
  }
  lcs_counters_t C = RT->counters();
  std::printf("generator calls %d, compiles %llu, disk hits %llu, launches "
              "%llu\n",
              Generated, (unsigned long long)C.compiles,
              (unsigned long long)C.disk_hits,
              (unsigned long long)C.launches);
  if (lcs::Status E = RT->deallocate(DIn))
    return Failed(E);
  if (lcs::Status E = RT->deallocate(DOut))
    return Failed(E);
  return Bad ? 1 : 0;
}
