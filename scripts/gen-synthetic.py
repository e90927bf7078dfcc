#!/usr/bin/env python3
"""Writes a synthetic NVPTX module of about N instructions for measuring the
analysis: kernels calling chains of device functions, a fraction of which
read launch registers (some reads dead, as numba-cuda emits them).

Usage: gen-synthetic.py N [--reading-fraction F] > out.ll
"""
import argparse

BODY = 40  # instructions per function, roughly


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instructions", type=int)
    ap.add_argument("--reading-fraction", type=float, default=0.1,
                    help="fraction of functions that read a launch register")
    a = ap.parse_args()
    nfuncs = max(2, a.instructions // BODY)
    every = max(1, round(1 / a.reading_fraction)) if a.reading_fraction > 0 else 0
    out = ['target triple = "nvptx64-nvidia-cuda"',
           "declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()",
           "declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()",
           "declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()"]
    for i in range(nfuncs):
        kernel = i % 16 == 0
        name = f"@k{i}" if kernel else f"@f{i}"
        cc = "ptx_kernel " if kernel else ""
        ret = "void" if kernel else "i32"
        out.append(f"define {cc}{ret} {name}(ptr %o, i32 %a) {{")
        out.append("entry:")
        out.append("  %t = call i32 @llvm.nvvm.read.ptx.sreg.tid.x()")
        v = "%t"
        reads = every and i % every == 0
        if reads:
            out.append("  %live = call i32 @llvm.nvvm.read.ptx.sreg.ntid.x()")
            out.append("  %dead = call i32 @llvm.nvvm.read.ptx.sreg.nctaid.y()")
            out.append("  %slot = alloca i32")
            out.append("  store i32 %dead, ptr %slot")
            out.append(f"  %m = mul i32 {v}, %live")
            v = "%m"
        for j in range((BODY - 8) // 2):
            out.append(f"  %x{j} = add i32 {v}, %a")
            out.append(f"  %y{j} = xor i32 %x{j}, {j + 1}")
            v = f"%y{j}"
        if not kernel and i + 1 < nfuncs and (i + 1) % 16 != 0:
            out.append(f"  %c = call i32 @f{i + 1}(ptr %o, i32 {v})")
            v = "%c"
        elif kernel and i + 1 < nfuncs:
            out.append(f"  %c = call i32 @f{i + 1}(ptr %o, i32 {v})")
            v = "%c"
        out.append(f"  store i32 {v}, ptr %o")
        out.append("  ret void" if kernel else f"  ret i32 {v}")
        out.append("}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
