/* A C program over the lcs C API: load a module, ask what the kernel
 * depends on, launch it for two block sizes, check the results. Device
 * memory comes from the runtime too (lcs_mem_alloc ...): the program does
 * not link the CUDA driver, so it starts (and says so) where there is none.
 *
 * The runtime is bound to device 0's primary context. Every lcs call runs
 * in that context and leaves this thread's current context (here: none)
 * as it was, so nothing below depends on which context is current: the
 * launch goes to the context's default stream, and the synchronous copy
 * back from the same context waits for it. */
#include <lcs/lcs.h>

#include <stdio.h>
#include <stdlib.h>

static char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  char *data = malloc(*size);
  if (fread(data, 1, *size, f) != *size) {
    free(data);
    data = NULL;
  }
  fclose(f);
  return data;
}

#define CHECK(call)                                                            \
  do {                                                                         \
    if ((call) != LCS_SUCCESS) {                                               \
      printf("launch: %s: %s\n", #call, lcs_last_error());                     \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "examples/c-api/scale.ll";
  lcs_runtime_t rt;
  lcs_status_t s = lcs_runtime_create_on_device(0, NULL, &rt);
  if (s == LCS_ERROR_NO_DRIVER) {
    printf("launch: %s\n", lcs_last_error());
    return 0;
  }
  CHECK(s);
  size_t size;
  char *ir = read_file(path, &size);
  if (!ir) {
    printf("launch: cannot read %s\n", path);
    return 1;
  }
  lcs_module_t module = {path, ir, size};
  lcs_program_t program;
  lcs_kernel_t kernel;
  CHECK(lcs_program_create(rt, &module, 1, &program));
  CHECK(lcs_program_get_kernel(program, "scale", &kernel));
  lcs_sensitivity_t sens;
  CHECK(lcs_kernel_sensitivity(kernel, &sens));
  printf("scale depends on fields 0x%x (block.x = 0x%x), explicit %d\n",
         sens.fields, LCS_FIELD_BLOCK_X, sens.is_explicit);

  enum { N = 1 << 20 };
  float *x = malloc(N * sizeof(float)), *y = malloc(N * sizeof(float));
  for (int i = 0; i < N; ++i)
    x[i] = (float)(i % 100);
  lcs_deviceptr_t dx, dy;
  CHECK(lcs_mem_alloc(rt, N * sizeof(float), &dx));
  CHECK(lcs_mem_alloc(rt, N * sizeof(float), &dy));
  CHECK(lcs_memcpy_to_device(rt, dx, x, N * sizeof(float)));
  float a = 2.5f;
  int n = N;
  void *args[] = {&dx, &dy, &a, &n};
  int bad = 0;
  unsigned blocks[] = {256, 1024};
  for (int b = 0; b < 2; ++b) {
    lcs_launch_config_t c = {{N / blocks[b], 1, 1}, {blocks[b], 1, 1},
                             {0, 0, 0}, 0, NULL};
    CHECK(lcs_launch(kernel, &c, args));
    CHECK(lcs_memcpy_to_host(rt, y, dy, N * sizeof(float)));
    for (int i = 0; i < N; ++i)
      bad += y[i] != a * x[i];
    lcs_variant_info_t v;
    CHECK(lcs_kernel_variant_for(kernel, &c, &v));
    printf("block %u: variant %s (%s): %s\n", blocks[b], v.key, v.groups,
           bad ? "WRONG" : "results match the host");
  }
  CHECK(lcs_mem_free(rt, dx));
  CHECK(lcs_mem_free(rt, dy));
  lcs_program_destroy(program);
  lcs_runtime_destroy(rt);
  free(ir);
  free(x);
  free(y);
  return bad != 0;
}
