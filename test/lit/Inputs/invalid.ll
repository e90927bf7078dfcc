target triple = "nvptx64-nvidia-cuda"
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
