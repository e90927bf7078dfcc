// CUB's BlockScan for 1024 threads: compiled alone it wants more registers
// than a 1024-thread kernel may use (64).
#include <cub/block/block_scan.cuh>
extern "C" __device__ float block_scan_1024(float v) {
  using BlockScan = cub::BlockScan<float, 1024>;
  __shared__ typename BlockScan::TempStorage Temp;
  float Out;
  BlockScan(Temp).InclusiveSum(v, Out);
  return Out;
}
