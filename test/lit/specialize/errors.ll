; UNSUPPORTED: sanitized
; Every validation error names the field and is reported, never a crash.
; RUN: not %lcs_opt -passes='lcs-specialize<block=0x1x1>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=ZERO
; ZERO: block.x must be at least 1
; RUN: not %lcs_opt -passes='lcs-specialize<block=2048>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=BX
; BX: error: lcs-specialize: block.x = 2048 exceeds the maximum of 1024 for sm_90
; RUN: not %lcs_opt -passes='lcs-specialize<block=1x1x65>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=BZ
; BZ: error: lcs-specialize: block.z = 65 exceeds the maximum of 64 for sm_90
; RUN: not %lcs_opt -passes='lcs-specialize<block=64x32>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=VOL
; VOL: error: lcs-specialize: block 64x32x1 has 2048 threads; at most 1024 for sm_90
; RUN: not %lcs_opt -passes='lcs-specialize<grid=2147483648>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=GX
; GX: error: lcs-specialize: grid.x = 2147483648 exceeds the maximum of 2147483647 for sm_90
; RUN: not %lcs_opt -passes='lcs-specialize<grid=1x65536>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=GY
; GY: error: lcs-specialize: grid.y = 65536 exceeds the maximum of 65535 for sm_90
; RUN: not %lcs_opt -passes='lcs-specialize<cluster=4x4>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=CL
; CL: error: lcs-specialize: cluster 4x4x1 has 16 blocks; at most 8 (portable; 16 with nonportable-cluster)
; RUN: %lcs_opt -passes='lcs-specialize<cluster=4x4;nonportable-cluster;kernel=max>' -disable-output %s
; RUN: not %lcs_opt -passes='lcs-specialize<cluster=2;arch=sm_80>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=NOCL
; NOCL: error: lcs-specialize: cluster 2x1x1: sm_80 cannot launch thread block clusters (sm_90 or newer can)
; RUN: not %lcs_opt -passes='lcs-specialize<grid=6;cluster=4>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=DIV
; DIV: error: lcs-specialize: grid.x = 6 is not a multiple of cluster.x = 4
; RUN: not %lcs_opt -passes='lcs-specialize<smem=232449>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=SMEM
; SMEM: error: lcs-specialize: smem.dynamic = 232449 bytes exceeds the opt-in maximum of 232448 bytes for sm_90
; RUN: %lcs_opt -passes='lcs-specialize<smem=232448>' -disable-output %s
; RUN: not %lcs_opt -passes='lcs-specialize<block=256;kernel=req>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=REQ
; REQ: error: lcs-specialize: kernel 'req': block 256x1x1 contradicts its required block 128x1x1 (reqntid)
; RUN: not %lcs_opt -passes='lcs-specialize<block=512;kernel=max>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=MAX
; MAX: error: lcs-specialize: kernel 'max': block 512x1x1 has 512 threads, more than its maximum of 256 (maxntid)
; RUN: not %lcs_opt -passes='lcs-specialize<cluster=none;kernel=clustered>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=CNONE
; CNONE: error: lcs-specialize: kernel 'clustered': cluster none contradicts its required cluster 2x1x1 (cluster_dim)
; RUN: not %lcs_opt -passes='lcs-specialize<kernel=nope;block=32>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=UNK
; UNK: error: lcs-specialize: unknown kernel 'nope'
; RUN: not %lcs_opt -passes='lcs-specialize<warp=32>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=PARAM
; PARAM: lcs-specialize: unknown parameter 'warp'
; RUN: not %lcs_opt -passes='lcs-specialize<arch=sm_70>' -disable-output %s 2>&1 | FileCheck %s --check-prefix=ARCH
; ARCH: target 'sm_70' is not supported: ptxas from CUDA 13 needs sm_75 or newer
; The same errors through lcs-compile.
; RUN: not %lcs_compile --block=2048 %s 2>&1 | FileCheck %s --check-prefix=TOOL
; TOOL: lcs-compile: error: block.x = 2048 exceeds the maximum of 1024 for sm_90

target triple = "nvptx64-nvidia-cuda"

define ptx_kernel void @req(ptr %o) "nvvm.reqntid"="128" {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr %o
  ret void
}

define ptx_kernel void @max(ptr %o) "nvvm.maxntid"="256" {
  %b = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
  store i32 %b, ptr %o
  ret void
}

define ptx_kernel void @clustered(ptr %o) "nvvm.cluster_dim"="2,1,1" {
  %r = call i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
  store i32 %r, ptr %o
  ret void
}

declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
declare i32 @llvm.nvvm.read.ptx.sreg.cluster.nctarank()
