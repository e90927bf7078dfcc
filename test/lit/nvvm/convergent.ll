; UNSUPPORTED: sanitized
; Inline PTX that acts on the threads executing it together stays where the
; source put it: numba-cuda's cuda.activemask() on both sides of a divergent
; branch reads each side's threads (libNVVM keeps both). lcs-lower-nvvm makes
; such asm convergent, and the functions that reach it, up their callers;
; other asm is left as it is. Without that, -O3 hoists the two calls into one
; before the branch, which reads the whole warp.
; RUN: %lcs_opt -passes=lcs-lower-nvvm -S %s | FileCheck %s --check-prefix=MARK
; RUN: %lcs_opt -passes='lcs-lower-nvvm,default<O3>' -S %s | FileCheck %s --check-prefix=O3
; RUN: %lcs_opt -passes='default<O3>' -S %s | FileCheck %s --check-prefix=PLAIN
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --kernel=masks %s | FileCheck %s --check-prefix=PTX
; RUN: %lcs_compile --emit=ptx --arch=sm_90 --kernel=ballots %s | FileCheck %s --check-prefix=BALLOT

target triple = "nvptx64-nvidia-cuda"

; MARK: define ptx_kernel void @masks(ptr %out) #[[CONV:[0-9]+]]
; MARK: call i32 asm sideeffect "activemask.b32 $0;", "=r"() #[[CONV]]
; MARK: call i32 asm sideeffect "activemask.b32 $0;", "=r"() #[[CONV]]
; MARK: call i32 asm "mov.u32 $0, %laneid;", "=r"(){{$}}
; MARK: call i32 @vote_helper(i32 %t){{$}}
; MARK: define i32 @vote_helper(i32 %p) #[[CONV]]
; MARK: call i32 asm sideeffect "vote.sync.ballot.b32 $0, $1, 0xffffffff;", "=r,r"(i32 %p) #[[CONV]]
; MARK: define i32 @ballot_helper(i1 %p) #[[CONV]]
; MARK: attributes #[[CONV]] = { convergent }

; The dialect's own warp intrinsics are LLVM's convergent ones only once
; lowered: the functions calling them are marked after the lowering.
; BALLOT-COUNT-2: vote.sync.ballot.b32

; O3-LABEL: define ptx_kernel void @masks(
; O3-COUNT-2: activemask.b32
; PLAIN-LABEL: define ptx_kernel void @masks(
; PLAIN-COUNT-1: activemask.b32
; PLAIN-NOT: activemask.b32
; PTX-COUNT-2: activemask.b32

define void @masks(ptr %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %odd = and i32 %t, 1
  %p = getelementptr i32, ptr %out, i32 %t
  %c = icmp eq i32 %odd, 0
  br i1 %c, label %even, label %oddb
even:
  %m0 = call i32 asm sideeffect "activemask.b32 $0;", "=r"()
  store i32 %m0, ptr %p
  br label %done
oddb:
  %m1 = call i32 asm sideeffect "activemask.b32 $0;", "=r"()
  store i32 %m1, ptr %p
  br label %done
done:
  %lane = call i32 asm "mov.u32 $0, %laneid;", "=r"()
  %v = call i32 @vote_helper(i32 %t)
  %q = getelementptr i32, ptr %out, i32 %lane
  %s = add i32 %v, %lane
  store i32 %s, ptr %q
  ret void
}

define i32 @vote_helper(i32 %p) {
  %b = call i32 asm sideeffect "vote.sync.ballot.b32 $0, $1, 0xffffffff;", "=r,r"(i32 %p)
  ret i32 %b
}

define i32 @ballot_helper(i1 %p) {
  %r = call { i32, i1 } @llvm.nvvm.vote.sync(i32 -1, i32 3, i1 %p)
  %b = extractvalue { i32, i1 } %r, 0
  ret i32 %b
}

define void @ballots(ptr %out) {
entry:
  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()
  %odd = and i32 %t, 1
  %c = icmp eq i32 %odd, 0
  %p = getelementptr i32, ptr %out, i32 %t
  br i1 %c, label %even, label %oddb
even:
  %b0 = call i32 @ballot_helper(i1 true)
  store i32 %b0, ptr %p
  br label %done
oddb:
  %b1 = call i32 @ballot_helper(i1 true)
  store i32 %b1, ptr %p
  br label %done
done:
  ret void
}

declare { i32, i1 } @llvm.nvvm.vote.sync(i32, i32, i1)
declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()

!nvvm.annotations = !{!0, !1}
!0 = !{ptr @masks, !"kernel", i32 1}
!1 = !{ptr @ballots, !"kernel", i32 1}
