// CUDA C++ kernels for the GPU tests, compiled by clang-22 to LLVM IR
// without the CUDA headers (only the device builtins are needed). Each reads
// blockDim, so lcs specialises it; results must not change.

#include "DeviceBuiltins.cuh"

// Block reduction: each block sums blockDim.x * ITEMS consecutive elements
// (a block-stride loop, then a shared-memory tree) into out[blockIdx.x].
// blockDim.x must be a power of two, at most 1024.
extern "C" __global__ void block_sum(const float *in, float *out, int n) {
  __shared__ float partial[1024];
  const int Items = 4;
  unsigned t = tidX();
  unsigned base = ctaX() * ntidX() * Items;
  float acc = 0.0f;
  for (unsigned k = t; k < ntidX() * Items; k += ntidX())
    if (base + k < (unsigned)n)
      acc += in[base + k];
  partial[t] = acc;
  syncThreads();
  for (unsigned s = ntidX() / 2; s > 0; s /= 2) {
    if (t < s)
      partial[t] += partial[t + s];
    syncThreads();
  }
  if (t == 0)
    out[ctaX()] = partial[0];
}

// Tiled transpose of a rows x cols matrix through a 32x32 tile; the block is
// 32 x blockDim.y and walks the tile with a block-stride loop over y.
extern "C" __global__ void transpose(const float *in, float *out, int rows,
                                     int cols) {
  __shared__ float tile[32][33];
  unsigned x = ctaX() * 32 + tidX();
  unsigned y = ctaY() * 32 + tidY();
  for (unsigned j = 0; j < 32; j += ntidY())
    if (x < (unsigned)cols && y + j < (unsigned)rows)
      tile[tidY() + j][tidX()] = in[(y + j) * cols + x];
  syncThreads();
  x = ctaY() * 32 + tidX();
  y = ctaX() * 32 + tidY();
  for (unsigned j = 0; j < 32; j += ntidY())
    if (x < (unsigned)rows && y + j < (unsigned)cols)
      out[(y + j) * rows + x] = tile[tidX()][tidY() + j];
}

// 7-point stencil on an nx x ny x nz grid; interior points only.
extern "C" __global__ void stencil3d(const float *in, float *out, int nx,
                                     int ny, int nz) {
  unsigned i = ctaX() * ntidX() + tidX();
  unsigned j = ctaY() * ntidY() + tidY();
  unsigned k = ctaZ() * ntidZ() + tidZ();
  if (i < 1 || j < 1 || k < 1 || i >= (unsigned)nx - 1 ||
      j >= (unsigned)ny - 1 || k >= (unsigned)nz - 1)
    return;
  unsigned sx = 1, sy = nx, sz = nx * ny;
  unsigned c = i + j * sy + k * sz;
  out[c] = 0.5f * in[c] + 0.25f * (in[c - sx] + in[c + sx]) +
           0.125f * (in[c - sy] + in[c + sy]) +
           0.0625f * (in[c - sz] + in[c + sz]);
}
