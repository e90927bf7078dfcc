// Benchmark kernels for `lcs-bench specialize`, compiled by clang-22 three
// ways: generic (block size read from %ntid), and with -DBX=.. -DBY=.. -DBZ=..
// (the block size a compile-time constant: the limit lcs should reach).
// No CUDA headers: device builtins only.

#include "DeviceBuiltins.cuh"

#ifdef BX
#define BLOCK_X BX
#define BLOCK_Y BY
#define BLOCK_Z BZ
#define BOUNDS __attribute__((launch_bounds(BX * BY * BZ)))
#else
#define BLOCK_X __nvvm_read_ptx_sreg_ntid_x()
#define BLOCK_Y __nvvm_read_ptx_sreg_ntid_y()
#define BLOCK_Z __nvvm_read_ptx_sreg_ntid_z()
#define BOUNDS
#endif

// Per-block sums of ITEMS * blockDim.x consecutive elements: a block-stride
// loop, then a shared-memory tree.
extern "C" __global__ BOUNDS void reduce(const float *in, float *out,
                                         unsigned n) {
  __shared__ float partial[1024];
  const unsigned Items = 16;
  unsigned t = tidX();
  unsigned base = ctaX() * BLOCK_X * Items;
  float acc = 0.0f;
  for (unsigned k = t; k < BLOCK_X * Items; k += BLOCK_X)
    if (base + k < n)
      acc += in[base + k];
  partial[t] = acc;
  __syncthreads();
  for (unsigned s = BLOCK_X / 2; s > 0; s /= 2) {
    if (t < s)
      partial[t] += partial[t + s];
    __syncthreads();
  }
  if (t == 0)
    out[ctaX()] = partial[0];
}

// Tiled transpose; the block is 32 x blockDim.y and strides over the tile.
extern "C" __global__ BOUNDS void transpose(const float *in, float *out,
                                            unsigned rows, unsigned cols) {
  __shared__ float tile[32][33];
  unsigned x = ctaX() * 32 + tidX();
  unsigned y = ctaY() * 32 + tidY();
  for (unsigned j = 0; j < 32; j += BLOCK_Y)
    if (x < cols && y + j < rows)
      tile[tidY() + j][tidX()] = in[(y + j) * cols + x];
  __syncthreads();
  x = ctaY() * 32 + tidX();
  y = ctaX() * 32 + tidY();
  for (unsigned j = 0; j < 32; j += BLOCK_Y)
    if (x < rows && y + j < cols)
      out[(y + j) * rows + x] = tile[tidX()][tidY() + j];
}

// 7-point stencil.
extern "C" __global__ BOUNDS void stencil3d(const float *in, float *out,
                                            unsigned nx, unsigned ny,
                                            unsigned nz) {
  unsigned i = ctaX() * BLOCK_X + tidX();
  unsigned j = ctaY() * BLOCK_Y + tidY();
  unsigned k = ctaZ() * BLOCK_Z + tidZ();
  if (i < 1 || j < 1 || k < 1 || i >= nx - 1 || j >= ny - 1 || k >= nz - 1)
    return;
  unsigned sy = nx, sz = nx * ny;
  unsigned c = i + j * sy + k * sz;
  out[c] = 0.5f * in[c] + 0.25f * (in[c - 1] + in[c + 1]) +
           0.125f * (in[c - sy] + in[c + sy]) +
           0.0625f * (in[c - sz] + in[c + sz]);
}

// Inclusive scan within each block (Hillis-Steele in shared memory), over a
// block-stride loop of segments.
extern "C" __global__ BOUNDS void scan(const float *in, float *out,
                                       unsigned n) {
  __shared__ float buf[2][1024];
  unsigned t = tidX();
  for (unsigned seg = ctaX() * BLOCK_X; seg < n; seg += BLOCK_X * 
       __nvvm_read_ptx_sreg_nctaid_x()) {
    unsigned p = 0;
    buf[p][t] = seg + t < n ? in[seg + t] : 0.0f;
    __syncthreads();
    for (unsigned off = 1; off < BLOCK_X; off *= 2) {
      buf[1 - p][t] = buf[p][t] + (t >= off ? buf[p][t - off] : 0.0f);
      p = 1 - p;
      __syncthreads();
    }
    if (seg + t < n)
      out[seg + t] = buf[p][t];
    __syncthreads();
  }
}
