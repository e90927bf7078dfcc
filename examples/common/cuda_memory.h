/* Device memory for the examples, through libcuda.so.1 loaded with dlopen
 * (lcs itself never links the driver; neither do its examples). C and C++.
 * cuda_memory_init returns 0, or -1 with a reason when there is no driver. */
#ifndef LCS_EXAMPLES_CUDA_MEMORY_H
#define LCS_EXAMPLES_CUDA_MEMORY_H

#include <dlfcn.h>
#include <stddef.h>

typedef unsigned long long cuda_ptr;
static int (*cuda_alloc)(cuda_ptr *, size_t);
static int (*cuda_free)(cuda_ptr);
static int (*cuda_to_device)(cuda_ptr, const void *, size_t);
static int (*cuda_to_host)(void *, cuda_ptr, size_t);
static int (*cuda_sync)(void);

static int cuda_memory_init(const char **why) {
  void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    *why = "no CUDA driver (libcuda.so.1)";
    return -1;
  }
  *(void **)&cuda_alloc = dlsym(lib, "cuMemAlloc_v2");
  *(void **)&cuda_free = dlsym(lib, "cuMemFree_v2");
  *(void **)&cuda_to_device = dlsym(lib, "cuMemcpyHtoD_v2");
  *(void **)&cuda_to_host = dlsym(lib, "cuMemcpyDtoH_v2");
  *(void **)&cuda_sync = dlsym(lib, "cuCtxSynchronize");
  return 0;
}

#endif
