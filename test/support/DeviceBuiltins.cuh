// CUDA C++ without the CUDA headers, for kernels that clang-22 compiles to
// LLVM IR (the GPU tests' and lcs-bench's): the attribute spellings and the
// launch registers, read through clang's NVVM builtins. Readers a file does
// not use are static and vanish from its IR.

#ifndef LCS_TEST_DEVICEBUILTINS_CUH
#define LCS_TEST_DEVICEBUILTINS_CUH

#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __shared__ __attribute__((shared))

static __device__ unsigned tidX() { return __nvvm_read_ptx_sreg_tid_x(); }
static __device__ unsigned tidY() { return __nvvm_read_ptx_sreg_tid_y(); }
static __device__ unsigned tidZ() { return __nvvm_read_ptx_sreg_tid_z(); }
static __device__ unsigned ctaX() { return __nvvm_read_ptx_sreg_ctaid_x(); }
static __device__ unsigned ctaY() { return __nvvm_read_ptx_sreg_ctaid_y(); }
static __device__ unsigned ctaZ() { return __nvvm_read_ptx_sreg_ctaid_z(); }
static __device__ unsigned ntidX() { return __nvvm_read_ptx_sreg_ntid_x(); }
static __device__ unsigned ntidY() { return __nvvm_read_ptx_sreg_ntid_y(); }
static __device__ unsigned ntidZ() { return __nvvm_read_ptx_sreg_ntid_z(); }
static __device__ void syncThreads() { __syncthreads(); }

#endif // LCS_TEST_DEVICEBUILTINS_CUH
