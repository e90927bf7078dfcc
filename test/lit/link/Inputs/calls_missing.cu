// A link input that itself needs a symbol nothing defines.
extern "C" __device__ float missing_fn(float);
extern "C" __device__ float block_sum_128(float v) { return missing_fn(v); }
