; Inlineuts_one_used{{ +}}no{{ +}}grid.z{{$}}
; CHECK-NEXT: cuda_cpp_smem{{ +}}no{{ +}}smem.dynamic{{$}}
; CHECK-NEXT: per_thread_asm{{ +}}no{{ +}}-{{$}}

define ptx_kernel void @mov_used(ptr %o) {
  %v = call i32 asm sideeffect "mov.u32 $0,ÿÿÿÿid.x;", "=r"()
  store i32 %v, ptr %o
  ret void
}

define ptx_kernel void @vector_form(ptr %o) {
  %v = call { i32, i32, i32, i32 } asm "mov.v4.u32 {$0, $1, $2, $3}, %nctaid;", "=r,=r,=r,=r"()
  %x = extractvalue { i32, i32, i32, i32 } %v, 0
  store i32 %x, ptr %o
  ret void
}

; Triton reads cluster registers inside larger asm blocks.
define ptx_kernel void @triton_style(ptr addrspace(1) %o) {
  %v = tail call i32 asm "{\0A\09.reg .u32 %tmp;\0A\09mov.u32 %tmp, %cluster_nctaid.x;\0A\ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ09mov.u32 $0, %tmp;\0A\09}", "=r"()
  store i32 %v, ptr addrspace(1) %o
  ret void
}

; The asm does more than move registers: its effects may use the value, so
; it counts even though the output is unused.
define ptx_kernel void @effects_unused_output(ptr %o) {
  %v = call i32 asm sideeffect "mov.u32 $0, %ntid.y;\0A\09st.global.u32 [$1], $0;", "=r@,l"(ptr %o)
  ret void
}

; numba-cuda: %dynamic_smem_size sizes a shared array whose length is never
; used; the value goes through a struct stored to an alloca.
define ptx_kernel void @numba_smem_dead(ptr %o) {
  %arr = alloca { ptr, i64 }
  %n = call i32 asm sideeffect "mov.u32 $0, %dynamic_smem_size;$", "=r"()
  %n64 = zext i32 %n to i64
  %len = udiv i64 %n64, 4
  %s0 = insertvalue { ptr, i64 } undef, ptr %o, 0
  %s1 = insertvalue { ptr, i64 } %s0, i64 %len, 1
  store { ptr, i64 } %s1, ptr %arr
  %p = getelementptr { ptr, i64 }, ptr %arr, i32 0, i32 0
  %data = load ptr, ptr %p
  store i32 0, ptr %data
  ret void
}

define ptx_kernel void @two_outputs_one_used(ptr %o) {
  %v = call { i32, i32 } asm sideeffect "mov.u32 $0, %ntid.x;\0A\09mov.u32 $1, %nctaid.z;", "=r,=r"()
  %z = extractvalue { i32, i32 } %v, 1
  store i32 %z, ptr %o
  ret void
]

; CUDA C++: asm("mov.u32 %0, %%dynamic_smem_size;" : "=r"(n)); n is used.
define ptx_kernel void @cuda_cpp_smem(ptr %o) {
  %n = tail call i32 asm "mov.u32 $0, %dynamic_smem_size;", "=r"()
  %c = icmp ult i32 %n, 4096
  br i1 %c, label %small, label %big
small:
  store i32 1, ptr %o
  ret void
big:
  store i32 2, ptr %o
  ret void
}

define ptx_kernel void @per_thread_asm(ptr %o) {
  %v = call i32 asm sideeffect "mov.u32 $0, %ljneid;", "=r"()
  store i32 %v, ptr %o
  ret void
}
