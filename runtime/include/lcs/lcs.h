/*===- lcs.h - The lcs runtime C API ------------------------------------===*\
 *
 * C99. Opaque handles, status codes, and a per-thread message for the last
 * error. Every function returns LCS_SUCCESS or an error status; on error,
 * lcs_last_error() describes it (naming the kernel and field where there is
 * one) until the next call on the same thread. docs/c-api.md is the
 * reference; docs/runtime.md describes the model.
 *
\*===--------------------------------------------------------------------===*/

#ifndef LCS_LCS_H
#define LCS_LCS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lcs_status {
  LCS_SUCCESS = 0,
  LCS_ERROR_INVALID_ARGUMENT = 1, /* a null pointer, an unknown name, ... */
  LCS_ERROR_NO_DRIVER = 2,        /* libcuda.so.1 missing or no device */
  LCS_ERROR_DRIVER = 3,           /* the driver failed a call */
  LCS_ERROR_INVALID_CONFIG = 4,   /* a launch configuration is rejected */
  LCS_ERROR_COMPILE = 5,          /* bad IR, a generator failed, ... */
  LCS_ERROR_NO_LAUNCH_CONFIG = 6, /* no generator is running on this thread */
  LCS_ERROR_NOT_CURRENT = 7       /* LCS_LAUNCH_IN_CURRENT_CONTEXT: another
                                     context is current; nothing launched */
} lcs_status_t;

/* Launch fields, one bit each, canonical order. */
enum {
  LCS_FIELD_BLOCK_X = 1u << 0,
  LCS_FIELD_BLOCK_Y = 1u << 1,
  LCS_FIELD_BLOCK_Z = 1u << 2,
  LCS_FIELD_GRID_X = 1u << 3,
  LCS_FIELD_GRID_Y = 1u << 4,
  LCS_FIELD_GRID_Z = 1u << 5,
  LCS_FIELD_CLUSTER_X = 1u << 6,
  LCS_FIELD_CLUSTER_Y = 1u << 7,
  LCS_FIELD_CLUSTER_Z = 1u << 8,
  LCS_FIELD_SMEM_DYNAMIC = 1u << 9,
  LCS_FIELD_ALL = (1u << 10) - 1
};

/* Field groups, one bit each, for policies. */
enum {
  LCS_GROUP_BLOCK = 1u << 0,
  LCS_GROUP_GRID = 1u << 1,
  LCS_GROUP_CLUSTER = 1u << 2,
  LCS_GROUP_SMEM = 1u << 3
};

typedef struct lcs_runtime *lcs_runtime_t;
typedef struct lcs_program *lcs_program_t;
typedef struct lcs_kernel *lcs_kernel_t;

/* A launch configuration. cluster all zero: no cluster; cluster 1,1,1 is an
 * explicit cluster of one block (the kernel then sees
 * %is_explicit_cluster). stream is a CUstream (0: the default stream). */
typedef struct lcs_launch_config {
  uint32_t grid[3];
  uint32_t block[3];
  uint32_t cluster[3];
  uint32_t shared_mem_bytes;
  void *stream;
} lcs_launch_config_t;

/* One input module: LLVM IR text or bitcode. */
typedef struct lcs_module {
  const char *name; /* for messages */
  const void *data;
  size_t size;
} lcs_module_t;

/* Device code linked into a kernel's cubin by nvJitLink (see
 * docs/runtime.md, "Link inputs"). kind: LCS_LINK_DETECT reads it from the
 * bytes; any other value is checked against them. The runtime copies data
 * before the call returns. */
enum {
  LCS_LINK_DETECT = 0,
  LCS_LINK_LTOIR = 1, /* NVRTC -dlto output, numba-cuda output="ltoir" */
  LCS_LINK_PTX = 2,
  LCS_LINK_CUBIN = 3, /* relocatable (-rdc) or not */
  LCS_LINK_FATBIN = 4,
  LCS_LINK_OBJECT = 5, /* host object with device code (nvcc -rdc -c) */
  LCS_LINK_LIBRARY = 6 /* static archive of those (libcudadevrt.a) */
};
typedef struct lcs_link_input {
  const char *name; /* for messages */
  int kind;         /* LCS_LINK_* */
  const void *data;
  size_t size;
} lcs_link_input_t;

/* What a generator returns for one launch configuration. The runtime
 * copies ir before the generator returns. */
typedef struct lcs_generated {
  const void *ir;            /* LLVM IR text or bitcode */
  size_t ir_size;
  uint32_t extra_shared_mem; /* dynamic shared memory added at launch */
} lcs_generated_t;

/* A frontend's code generator: fills *out for the configuration that
 * lcs_current_launch_config() returns while it runs. Returns 0 on success;
 * anything else fails the compile (message: lcs_set_generator_error). */
typedef int (*lcs_generator_fn)(void *user_data, const char *kernel,
                                lcs_generated_t *out);

typedef struct lcs_policy {
  uint32_t groups;       /* LCS_GROUP_* specialised on (default block|cluster) */
  uint32_t max_variants; /* per kernel, beyond which launches use the
                            generic variant (default 8) */
} lcs_policy_t;

typedef struct lcs_sensitivity {
  uint32_t fields;   /* LCS_FIELD_* the kernel depends on */
  int is_explicit;   /* 1 if marked by a frontend or generator */
} lcs_sensitivity_t;

typedef struct lcs_variant_info {
  char key[33];        /* the cache key (hex) */
  char groups[96];     /* "block=128x1x1;grid=64x1x1", "" for generic */
  int compiled;        /* 1 if loaded and ready */
} lcs_variant_info_t;

typedef struct lcs_counters {
  uint64_t launches, compiles, memory_hits, disk_hits, generator_calls;
} lcs_counters_t;

/* The lcs version, e.g. "0.1.0". */
const char *lcs_version(void);

/* The message for the last error on this thread ("" if none). */
const char *lcs_last_error(void);

/* Creates a runtime bound to the current CUDA context, or to device 0's
 * primary context when none is current. cache_dir: NULL for the default
 * (LCS_CACHE_DIR, ~/.cache/lcs), "" for no disk cache. Every call on the
 * runtime, its programs and kernels runs in that context and leaves the
 * calling thread's current context as it found it (creation and
 * destruction included). */
lcs_status_t lcs_runtime_create(const char *cache_dir, lcs_runtime_t *out);
/* Creates a runtime bound to device's primary context (retained until the
 * runtime is destroyed), whatever context is current. An ordinal the
 * driver does not have is LCS_ERROR_INVALID_ARGUMENT. */
lcs_status_t lcs_runtime_create_on_device(int device, const char *cache_dir,
                                          lcs_runtime_t *out);
/* lcs_runtime_create with the shared cache tier under the disk cache
 * (docs/cache.md): remote_cache a redis:// URL, NULL for LCS_REMOTE_CACHE,
 * "" for none. A malformed URL or LCS_REMOTE_CACHE_* setting fails with
 * LCS_ERROR_INVALID_ARGUMENT naming it (never the password); an unreachable
 * server does not fail (the local cache serves alone). */
lcs_status_t lcs_runtime_create_remote(const char *cache_dir,
                                       const char *remote_cache,
                                       lcs_runtime_t *out);
lcs_status_t lcs_runtime_destroy(lcs_runtime_t rt);
lcs_status_t lcs_runtime_set_default_policy(lcs_runtime_t rt,
                                            const lcs_policy_t *policy);
lcs_status_t lcs_runtime_get_counters(lcs_runtime_t rt, lcs_counters_t *out);

/* A program from modules, linked in order (libdevice as needed). */
lcs_status_t lcs_program_create(lcs_runtime_t rt, const lcs_module_t *modules,
                                size_t count, lcs_program_t *out);
/* The same, with link inputs linked into every kernel's cubin: each input's
 * kind and bytes are in the cache key. A bad input (empty, garbage, not the
 * kind given) fails here with LCS_ERROR_INVALID_ARGUMENT naming it. */
lcs_status_t lcs_program_create_linked(lcs_runtime_t rt,
                                       const lcs_module_t *modules,
                                       size_t count,
                                       const lcs_link_input_t *links,
                                       size_t nlinks, lcs_program_t *out);
/* A program from a generator. source_identity must change whenever the
 * generator's output could (link inputs included). */
lcs_status_t lcs_program_create_generated(lcs_runtime_t rt,
                                          const char *source_identity,
                                          lcs_generator_fn generator,
                                          void *user_data, lcs_program_t *out);
lcs_status_t lcs_program_destroy(lcs_program_t program);

lcs_status_t lcs_program_get_kernel(lcs_program_t program, const char *name,
                                    lcs_kernel_t *out);
lcs_status_t lcs_kernel_set_policy(lcs_kernel_t kernel,
                                   const lcs_policy_t *policy);

/* Launches as cuLaunchKernel does; args is the kernel's parameter array. */
lcs_status_t lcs_launch(lcs_kernel_t kernel, const lcs_launch_config_t *config,
                        void **args);

/* How a launch runs beyond its configuration (lcs_launch_ex). */
enum {
  /* CU_LAUNCH_ATTRIBUTE_COOPERATIVE: the grid's blocks may synchronise
   * (grid sync). The grid must be co-resident: more blocks than the
   * variant's occupancy allows (per SM, for the block and dynamic shared
   * memory, times the SMs) is LCS_ERROR_INVALID_CONFIG naming both
   * numbers, before the driver is called. Not with a cluster. */
  LCS_LAUNCH_COOPERATIVE = 1u << 0,
  /* Launch only when the calling thread's current context is the
   * runtime's; else nothing is launched (or compiled) and the call returns
   * LCS_ERROR_NOT_CURRENT. For a frontend that follows another library's
   * current device (lcs.numba follows numba's): the runtime's own check of
   * the current context answers, with no second driver call. */
  LCS_LAUNCH_IN_CURRENT_CONTEXT = 1u << 1
};
typedef struct lcs_launch_options {
  uint32_t flags; /* LCS_LAUNCH_*; unknown bits are an error */
} lcs_launch_options_t;
/* lcs_launch with options; options NULL is lcs_launch. */
lcs_status_t lcs_launch_ex(lcs_kernel_t kernel,
                           const lcs_launch_config_t *config, void **args,
                           const lcs_launch_options_t *options);

/* Builds and loads the variants of count configurations without launching
 * (warm-up, autotuning), several at once (one per compile worker).
 * statuses (may be NULL) gets one status per configuration. Returns
 * LCS_SUCCESS when all succeed, else the first failure's status, with
 * lcs_last_error() naming its index ("configuration 3: ..."). */
lcs_status_t lcs_kernel_precompile(lcs_kernel_t kernel,
                                   const lcs_launch_config_t *configs,
                                   size_t count, lcs_status_t *statuses);

lcs_status_t lcs_kernel_sensitivity(lcs_kernel_t kernel,
                                    lcs_sensitivity_t *out);
/* Number of variants, and one of them. */
lcs_status_t lcs_kernel_variant_count(lcs_kernel_t kernel, size_t *out);
lcs_status_t lcs_kernel_variant_info(lcs_kernel_t kernel, size_t index,
                                     lcs_variant_info_t *out);
/* The variant a configuration maps to (compiled or not). */
lcs_status_t lcs_kernel_variant_for(lcs_kernel_t kernel,
                                    const lcs_launch_config_t *config,
                                    lcs_variant_info_t *out);

/* Device memory in the runtime's context, for programs that must not link
 * the driver themselves (a binary linked to libcuda does not start where
 * there is none). Each call makes the runtime's context current for its
 * duration and leaves the caller's context current as it found it. A
 * device pointer is a CUdeviceptr: pass its address in a launch's args.
 * The copies are synchronous. */
typedef unsigned long long lcs_deviceptr_t;
/* bytes must be non-zero. */
lcs_status_t lcs_mem_alloc(lcs_runtime_t rt, size_t bytes,
                           lcs_deviceptr_t *out);
/* ptr 0 is a no-op. */
lcs_status_t lcs_mem_free(lcs_runtime_t rt, lcs_deviceptr_t ptr);
lcs_status_t lcs_memcpy_to_device(lcs_runtime_t rt, lcs_deviceptr_t dst,
                                  const void *src, size_t bytes);
lcs_status_t lcs_memcpy_to_host(lcs_runtime_t rt, void *dst,
                                lcs_deviceptr_t src, size_t bytes);
/* Sets bytes bytes at dst to value. */
lcs_status_t lcs_memset(lcs_runtime_t rt, lcs_deviceptr_t dst,
                        unsigned char value, size_t bytes);
/* *out = 1 when the calling thread's current CUDA context is the
 * runtime's, else 0: a frontend that follows another library's current
 * device (lcs.numba follows numba's) checks it before each launch. */
lcs_status_t lcs_runtime_is_current(lcs_runtime_t rt, int *out);

/* Waits for all work in the runtime's context (cuCtxSynchronize). */
lcs_status_t lcs_runtime_synchronize(lcs_runtime_t rt);

/* The kernels of modules (linked in order, as lcs_program_create would),
 * without a runtime or a GPU: one line per kernel, in module order,
 *   "kernel=NAME fields=F1,F2|- explicit=0|1 params=T1,T2|-\n"
 * fields in canonical spelling, params as LLVM types ("ptr", "i32",
 * "float", "ptr addrspace(1)", ...), last on the line since a type may
 * contain a space. Writes at most size bytes (NUL included) to out and the
 * size it needs, NUL included, to *needed; out may be NULL to ask.
 * The IR is parsed in a compile worker (lcs-worker), never in this
 * process; the answer is remembered under the cache directory. */
lcs_status_t lcs_inspect_modules(const lcs_module_t *modules, size_t count,
                                 char *out, size_t size, size_t *needed);

/* The generic PTX of a kernel of modules (linked in order), for arch
 * ("sm_90"; NULL: sm_90) at -O3, without a runtime or a GPU: what lcs
 * compiles before any specialisation, as a frontend's inspection shows it.
 * kernel NULL or "": the program's only kernel. out, size and needed as
 * lcs_inspect_modules; compiled in a compile worker. */
lcs_status_t lcs_emit_ptx(const lcs_module_t *modules, size_t count,
                          const char *kernel, const char *arch, char *out,
                          size_t size, size_t *needed);

/* For generators, while they run: the configuration being compiled for,
 * and a mark narrowing what the generated code depends on. */
lcs_status_t lcs_current_launch_config(lcs_launch_config_t *out);
lcs_status_t lcs_mark_launch_config_sensitive(uint32_t fields);
void lcs_set_generator_error(const char *message);
/* For generators, while they run: adds a link input to the configuration
 * being generated (copied now). LCS_ERROR_NO_LAUNCH_CONFIG outside a
 * generator, LCS_ERROR_INVALID_ARGUMENT for NULL data with a size. */
lcs_status_t lcs_generator_add_link(const lcs_link_input_t *link);

/* Function attributes of a generated variant: set once when it loads, and
 * stored with it in the cache, so a disk hit launches the same way. */
typedef struct lcs_function_attributes {
  /* CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, percent of L1 as
   * shared memory, 0 to 100; -1: the driver's choice */
  int shared_memory_carveout;
  /* CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED: 1 allows clusters
   * of more than 8 blocks (up to cuOccupancyMaxPotentialClusterSize) */
  int non_portable_cluster_size_allowed;
  /* CU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE: a
   * CUclusterSchedulingPolicy, 0 (default) to 2 */
  int cluster_scheduling_policy;
  /* 1: the code synchronises the whole grid; every launch of the variant
   * is cooperative (LCS_LAUNCH_COOPERATIVE, checked the same way) */
  int cooperative;
} lcs_function_attributes_t;
/* For generators, while they run: the attributes of the variant being
 * generated (the last call wins). LCS_ERROR_NO_LAUNCH_CONFIG outside a
 * generator; values out of range fail the compile, naming them. */
lcs_status_t
lcs_generator_set_attributes(const lcs_function_attributes_t *attributes);

#ifdef __cplusplus
}
#endif

#endif /* LCS_LCS_H */
