//===- CApi.cpp - The lcs runtime C API -----------------------------------===//
//
// A thin layer over the C++ API: handles wrap the C++ objects, statuses map
// one to one, and each thread keeps the message of its last error.
//
//===----------------------------------------------------------------------===//

#include "lcs/Runtime.h"
#include "lcs/cache/RemoteCache.h"
#include "lcs/compile/VariantCompiler.h"
#include "lcs/compile/Worker.h"
#include "lcs/lcs.h"

#include <algorithm>
#include <cstring>
#include <new>

using namespace lcs;

struct lcs_runtime {
  std::unique_ptr<Runtime> R;
};
struct lcs_program {
  std::unique_ptr<Program> P;
};

Status lcs::createCRuntime(const RuntimeOptions &Options, lcs_runtime_t &Out) {
  Out = nullptr;
  std::unique_ptr<Runtime> R;
  if (Status S = Runtime::create(Options, R))
    return S;
  Out = new (std::nothrow) lcs_runtime{std::move(R)};
  return Out ? Status::ok()
             : Status(LCS_ERROR_INVALID_ARGUMENT, "out of memory");
}

namespace {
thread_local std::string LastError;
thread_local std::string GeneratorError;
/// The running generator's link inputs (lcs_generator_add_link); null
/// outside a generator.
thread_local std::vector<LinkInput> *GeneratorLinks = nullptr;
/// The same for lcs_generator_set_attributes.
thread_local FunctionAttributes *GeneratorAttributes = nullptr;

/// \p Links from C; false (with LastError set) on a NULL where data is
/// needed.
bool toLinks(const char *Function, const lcs_link_input_t *Links, size_t N,
             std::vector<LinkInput> &Out) {
  for (size_t I = 0; I != N; ++I) {
    const lcs_link_input_t &L = Links[I];
    if (!L.data && L.size) {
      LastError = std::string(Function) + ": a link input's data is NULL";
      return false;
    }
    LinkInput In;
    In.Name = L.name ? L.name : "link input " + std::to_string(I);
    if (L.kind < LCS_LINK_DETECT || L.kind > LCS_LINK_LIBRARY) {
      LastError = std::string(Function) + ": link input '" + In.Name +
                  "': unknown kind " + std::to_string(L.kind) +
                  " (LCS_LINK_DETECT or LCS_LINK_LTOIR to LCS_LINK_LIBRARY)";
      return false;
    }
    // The bytes are checked against the kind by the runtime.
    In.Kind = LinkKind(L.kind);
    if (L.size)
      In.Bytes.assign(static_cast<const char *>(L.data), L.size);
    Out.push_back(std::move(In));
  }
  return true;
}

lcs_status_t report(const Status &S) {
  LastError = S.message();
  return S.code();
}

lcs_status_t invalid(const char *What) {
  LastError = What;
  return LCS_ERROR_INVALID_ARGUMENT;
}

/// The checks of a call only a running generator may make (\p Slot is what
/// the generator on this thread collects, null outside one): \p Arg, named
/// \p ArgName, must not be null.
lcs_status_t checkGeneratorCall(const char *Function, const char *ArgName,
                                const void *Arg, const void *Slot) {
  if (!Arg) {
    LastError = std::string(Function) + ": " + ArgName + " is NULL";
    return LCS_ERROR_INVALID_ARGUMENT;
  }
  if (!Slot) {
    LastError =
        std::string(Function) + ": no generator is running on this thread";
    return LCS_ERROR_NO_LAUNCH_CONFIG;
  }
  return LCS_SUCCESS;
}

Kernel *unwrap(lcs_kernel_t K) { return reinterpret_cast<Kernel *>(K); }

void fill(lcs_variant_info_t *Out, const VariantInfo &V) {
  std::memset(Out, 0, sizeof *Out);
  std::strncpy(Out->key, V.Key.c_str(), sizeof Out->key - 1);
  std::strncpy(Out->groups, V.Groups.c_str(), sizeof Out->groups - 1);
  Out->compiled = V.Compiled;
}
} // namespace

extern "C" {

const char *lcs_last_error(void) { return LastError.c_str(); }

lcs_status_t lcs_runtime_create(const char *cache_dir, lcs_runtime_t *out) {
  return lcs_runtime_create_remote(cache_dir, nullptr, out);
}

lcs_status_t lcs_runtime_create_remote(const char *cache_dir,
                                       const char *remote_cache,
                                       lcs_runtime_t *out) {
  if (!out)
    return invalid("lcs_runtime_create: out is NULL");
  *out = nullptr;
  RuntimeOptions O;
  if (cache_dir)
    O.CacheDir = std::string(cache_dir);
  if (remote_cache) {
    // Asked for by name: a bad URL is the caller's error, not a warning.
    cache::RemoteConfig Config;
    std::string Error;
    if (*remote_cache &&
        !cache::remoteConfigFromEnv(remote_cache, Config, Error)) {
      LastError = "lcs_runtime_create: " + Error;
      return LCS_ERROR_INVALID_ARGUMENT;
    }
    O.RemoteCache = std::string(remote_cache);
  }
  if (Status S = createCRuntime(O, *out))
    return report(S);
  return LCS_SUCCESS;
}

lcs_status_t lcs_runtime_create_on_device(int device, const char *cache_dir,
                                          lcs_runtime_t *out) {
  if (!out)
    return invalid("lcs_runtime_create_on_device: out is NULL");
  *out = nullptr;
  RuntimeOptions O;
  O.Device = device;
  if (cache_dir)
    O.CacheDir = std::string(cache_dir);
  if (Status S = createCRuntime(O, *out))
    return report(S);
  return LCS_SUCCESS;
}

lcs_status_t lcs_runtime_destroy(lcs_runtime_t rt) {
  delete rt;
  return LCS_SUCCESS;
}

lcs_status_t lcs_runtime_set_default_policy(lcs_runtime_t rt,
                                            const lcs_policy_t *policy) {
  if (!rt || !policy)
    return invalid("lcs_runtime_set_default_policy: NULL argument");
  rt->R->setDefaultPolicy(*policy);
  return LCS_SUCCESS;
}

lcs_status_t lcs_runtime_get_counters(lcs_runtime_t rt, lcs_counters_t *out) {
  if (!rt || !out)
    return invalid("lcs_runtime_get_counters: NULL argument");
  *out = rt->R->counters();
  return LCS_SUCCESS;
}

lcs_status_t lcs_program_create(lcs_runtime_t rt, const lcs_module_t *modules,
                                size_t count, lcs_program_t *out) {
  return lcs_program_create_linked(rt, modules, count, nullptr, 0, out);
}

lcs_status_t lcs_program_create_linked(lcs_runtime_t rt,
                                       const lcs_module_t *modules,
                                       size_t count,
                                       const lcs_link_input_t *links,
                                       size_t nlinks, lcs_program_t *out) {
  const char *Fn = nlinks ? "lcs_program_create_linked" : "lcs_program_create";
  if (!rt || !out || (!modules && count) || (!links && nlinks))
    return invalid(nlinks ? "lcs_program_create_linked: NULL argument"
                          : "lcs_program_create: NULL argument");
  *out = nullptr;
  std::vector<LinkInput> Links;
  if (!toLinks(Fn, links, nlinks, Links))
    return LCS_ERROR_INVALID_ARGUMENT;
  std::vector<std::pair<std::string, std::string>> Mods;
  for (size_t I = 0; I != count; ++I) {
    if (!modules[I].data && modules[I].size) {
      LastError = std::string(Fn) + ": a module's data is NULL";
      return LCS_ERROR_INVALID_ARGUMENT;
    }
    Mods.emplace_back(modules[I].name ? modules[I].name
                                      : "module " + std::to_string(I),
                      std::string(static_cast<const char *>(modules[I].data),
                                  modules[I].size));
  }
  std::unique_ptr<Program> P;
  if (Status S = rt->R->createProgram(std::move(Mods), std::move(Links), P))
    return report(S);
  *out = new lcs_program{std::move(P)};
  return LCS_SUCCESS;
}

lcs_status_t lcs_program_create_generated(lcs_runtime_t rt,
                                          const char *source_identity,
                                          lcs_generator_fn generator,
                                          void *user_data, lcs_program_t *out) {
  if (!rt || !out || !source_identity || !generator)
    return invalid("lcs_program_create_generated: NULL argument");
  *out = nullptr;
  GeneratorFn Gen = [generator, user_data](const std::string &Kernel,
                                           Generated &Out) {
    GeneratorError.clear();
    lcs_generated_t G = {nullptr, 0, 0};
    std::vector<LinkInput> Links;
    FunctionAttributes Attributes;
    std::vector<LinkInput> *Outer = GeneratorLinks;
    FunctionAttributes *OuterAttributes = GeneratorAttributes;
    GeneratorLinks = &Links;
    GeneratorAttributes = &Attributes;
    int RC = generator(user_data, Kernel.c_str(), &G);
    GeneratorLinks = Outer;
    GeneratorAttributes = OuterAttributes;
    if (RC != 0)
      return Status(LCS_ERROR_COMPILE,
                    GeneratorError.empty()
                        ? "returned " + std::to_string(RC)
                        : GeneratorError);
    if (!G.ir || !G.ir_size)
      return Status(LCS_ERROR_COMPILE, "returned no IR");
    Out.IR.assign(static_cast<const char *>(G.ir), G.ir_size);
    Out.ExtraSharedMem = G.extra_shared_mem;
    Out.Links = std::move(Links);
    Out.Attributes = Attributes;
    return Status::ok();
  };
  std::unique_ptr<Program> P;
  if (Status S = rt->R->createProgram(source_identity, std::move(Gen), P))
    return report(S);
  *out = new lcs_program{std::move(P)};
  return LCS_SUCCESS;
}

lcs_status_t lcs_program_destroy(lcs_program_t program) {
  delete program;
  return LCS_SUCCESS;
}

lcs_status_t lcs_program_get_kernel(lcs_program_t program, const char *name,
                                    lcs_kernel_t *out) {
  if (!program || !name || !out)
    return invalid("lcs_program_get_kernel: NULL argument");
  Kernel *K = nullptr;
  if (Status S = program->P->getKernel(name, K))
    return report(S);
  *out = reinterpret_cast<lcs_kernel_t>(K);
  return LCS_SUCCESS;
}

lcs_status_t lcs_kernel_set_policy(lcs_kernel_t kernel,
                                   const lcs_policy_t *policy) {
  if (!kernel || !policy)
    return invalid("lcs_kernel_set_policy: NULL argument");
  unwrap(kernel)->setPolicy(*policy);
  return LCS_SUCCESS;
}

lcs_status_t lcs_launch(lcs_kernel_t kernel, const lcs_launch_config_t *config,
                        void **args) {
  if (!kernel || !config)
    return invalid("lcs_launch: NULL kernel or configuration");
  if (Status S = unwrap(kernel)->launch(*config, args))
    return report(S);
  return LCS_SUCCESS;
}

lcs_status_t lcs_launch_ex(lcs_kernel_t kernel,
                           const lcs_launch_config_t *config, void **args,
                           const lcs_launch_options_t *options) {
  if (!kernel || !config)
    return invalid("lcs_launch_ex: NULL kernel or configuration");
  LaunchOptions O;
  if (options) {
    const uint32_t Known =
        LCS_LAUNCH_COOPERATIVE | LCS_LAUNCH_IN_CURRENT_CONTEXT;
    if (options->flags & ~Known)
      return invalid(("lcs_launch_ex: unknown launch flags " +
                      std::to_string(options->flags & ~Known))
                         .c_str());
    O.Cooperative = options->flags & LCS_LAUNCH_COOPERATIVE;
    O.InCurrentContext = options->flags & LCS_LAUNCH_IN_CURRENT_CONTEXT;
  }
  if (Status S = unwrap(kernel)->launch(*config, args, O))
    return report(S);
  return LCS_SUCCESS;
}

lcs_status_t lcs_kernel_precompile(lcs_kernel_t kernel,
                                   const lcs_launch_config_t *configs,
                                   size_t count, lcs_status_t *statuses) {
  if (!kernel || (!configs && count))
    return invalid("lcs_kernel_precompile: NULL kernel or configurations");
  std::vector<LaunchParams> Configs(configs, configs + count);
  std::vector<Status> Out;
  Status S = unwrap(kernel)->precompile(Configs, Out);
  if (statuses)
    for (size_t I = 0; I != count; ++I)
      statuses[I] = Out[I].code();
  if (S)
    return report(S);
  return LCS_SUCCESS;
}

lcs_status_t lcs_kernel_sensitivity(lcs_kernel_t kernel,
                                    lcs_sensitivity_t *out) {
  if (!kernel || !out)
    return invalid("lcs_kernel_sensitivity: NULL argument");
  if (Status S = unwrap(kernel)->sensitivity(*out))
    return report(S);
  return LCS_SUCCESS;
}

lcs_status_t lcs_kernel_variant_count(lcs_kernel_t kernel, size_t *out) {
  if (!kernel || !out)
    return invalid("lcs_kernel_variant_count: NULL argument");
  *out = unwrap(kernel)->variants().size();
  return LCS_SUCCESS;
}

lcs_status_t lcs_kernel_variant_info(lcs_kernel_t kernel, size_t index,
                                     lcs_variant_info_t *out) {
  if (!kernel || !out)
    return invalid("lcs_kernel_variant_info: NULL argument");
  std::vector<VariantInfo> Vs = unwrap(kernel)->variants();
  if (index >= Vs.size())
    return invalid("lcs_kernel_variant_info: index out of range");
  fill(out, Vs[index]);
  return LCS_SUCCESS;
}

lcs_status_t lcs_kernel_variant_for(lcs_kernel_t kernel,
                                    const lcs_launch_config_t *config,
                                    lcs_variant_info_t *out) {
  if (!kernel || !config || !out)
    return invalid("lcs_kernel_variant_for: NULL argument");
  VariantInfo V;
  if (Status S = unwrap(kernel)->variantFor(*config, V))
    return report(S);
  fill(out, V);
  return LCS_SUCCESS;
}

lcs_status_t lcs_current_launch_config(lcs_launch_config_t *out) {
  if (!out)
    return invalid("lcs_current_launch_config: out is NULL");
  if (Status S = currentLaunchConfig(*out))
    return report(S);
  return LCS_SUCCESS;
}

lcs_status_t lcs_mark_launch_config_sensitive(uint32_t fields) {
  if (Status S = markLaunchConfigSensitive(fields))
    return report(S);
  return LCS_SUCCESS;
}

void lcs_set_generator_error(const char *message) {
  GeneratorError = message ? message : "";
}

lcs_status_t lcs_generator_add_link(const lcs_link_input_t *link) {
  if (lcs_status_t S = checkGeneratorCall("lcs_generator_add_link", "link",
                                          link, GeneratorLinks);
      S != LCS_SUCCESS)
    return S;
  std::vector<LinkInput> One;
  if (!toLinks("lcs_generator_add_link", link, 1, One))
    return LCS_ERROR_INVALID_ARGUMENT;
  GeneratorLinks->push_back(std::move(One.front()));
  return LCS_SUCCESS;
}

lcs_status_t
lcs_generator_set_attributes(const lcs_function_attributes_t *attributes) {
  if (lcs_status_t S =
          checkGeneratorCall("lcs_generator_set_attributes", "attributes",
                             attributes, GeneratorAttributes);
      S != LCS_SUCCESS)
    return S;
  GeneratorAttributes->SharedMemoryCarveout =
      attributes->shared_memory_carveout;
  GeneratorAttributes->NonPortableClusterSizeAllowed =
      attributes->non_portable_cluster_size_allowed != 0;
  GeneratorAttributes->ClusterSchedulingPolicy =
      attributes->cluster_scheduling_policy;
  GeneratorAttributes->Cooperative = attributes->cooperative != 0;
  return LCS_SUCCESS;
}

// Device memory (lcs.h): the C++ calls, with the function's name in front
// of any message.
static lcs_status_t reportFrom(const char *Function, const Status &S) {
  return S.isOk() ? LCS_SUCCESS
                  : report(Status(S.code(), std::string(Function) + ": " +
                                                S.message()));
}

lcs_status_t lcs_mem_alloc(lcs_runtime_t rt, size_t bytes,
                           lcs_deviceptr_t *out) {
  if (!rt || !out)
    return invalid("lcs_mem_alloc: NULL argument");
  CUdeviceptr P = 0;
  Status S = rt->R->allocate(bytes, P);
  *out = P;
  return reportFrom("lcs_mem_alloc", S);
}

lcs_status_t lcs_mem_free(lcs_runtime_t rt, lcs_deviceptr_t ptr) {
  if (!rt)
    return invalid("lcs_mem_free: rt is NULL");
  return reportFrom("lcs_mem_free", rt->R->deallocate(ptr));
}

lcs_status_t lcs_memcpy_to_device(lcs_runtime_t rt, lcs_deviceptr_t dst,
                                  const void *src, size_t bytes) {
  if (!rt || (!src && bytes))
    return invalid("lcs_memcpy_to_device: NULL argument");
  return reportFrom("lcs_memcpy_to_device",
                    rt->R->copyToDevice(dst, src, bytes));
}

lcs_status_t lcs_memcpy_to_host(lcs_runtime_t rt, void *dst,
                                lcs_deviceptr_t src, size_t bytes) {
  if (!rt || (!dst && bytes))
    return invalid("lcs_memcpy_to_host: NULL argument");
  return reportFrom("lcs_memcpy_to_host", rt->R->copyToHost(dst, src, bytes));
}

lcs_status_t lcs_memset(lcs_runtime_t rt, lcs_deviceptr_t dst,
                        unsigned char value, size_t bytes) {
  if (!rt)
    return invalid("lcs_memset: rt is NULL");
  return reportFrom("lcs_memset", rt->R->fill(dst, value, bytes));
}

lcs_status_t lcs_runtime_is_current(lcs_runtime_t rt, int *out) {
  if (!rt || !out)
    return invalid("lcs_runtime_is_current: NULL argument");
  CUcontext Current = nullptr;
  CUresult R = rt->R->driver().CtxGetCurrent(&Current);
  if (R != CUDA_SUCCESS)
    return reportFrom("lcs_runtime_is_current",
                      Status(LCS_ERROR_DRIVER,
                             "cuCtxGetCurrent: " +
                                 driverErrorName(&rt->R->driver(), R)));
  *out = Current == rt->R->context();
  return LCS_SUCCESS;
}

lcs_status_t lcs_runtime_synchronize(lcs_runtime_t rt) {
  if (!rt)
    return invalid("lcs_runtime_synchronize: rt is NULL");
  return reportFrom("lcs_runtime_synchronize", rt->R->synchronize());
}

namespace {
/// modules as the compiler's sources, or the error naming what is wrong.
lcs_status_t toSources(const char *Fn, const lcs_module_t *modules,
                       size_t count, worker::Sources &Inputs) {
  if (!modules && count)
    return invalid((std::string(Fn) + ": NULL argument").c_str());
  for (size_t I = 0; I != count; ++I) {
    if (!modules[I].data && modules[I].size)
      return invalid((std::string(Fn) + ": a module's data is NULL").c_str());
    Inputs.emplace_back(
        modules[I].name ? modules[I].name : "module " + std::to_string(I),
        std::string(static_cast<const char *>(modules[I].data),
                    modules[I].size));
  }
  return LCS_SUCCESS;
}

/// Text into (out, size), NUL-terminated and cut to fit; its size with the
/// NUL into *needed.
lcs_status_t copyOut(const std::string &Text, char *out, size_t size,
                     size_t *needed) {
  *needed = Text.size() + 1;
  if (size) {
    size_t N = std::min(size - 1, Text.size());
    std::memcpy(out, Text.data(), N);
    out[N] = 0;
  }
  return LCS_SUCCESS;
}
} // namespace

lcs_status_t lcs_inspect_modules(const lcs_module_t *modules, size_t count,
                                 char *out, size_t size, size_t *needed) {
  if (!needed || (!out && size))
    return invalid("lcs_inspect_modules: NULL argument");
  worker::Sources Inputs;
  if (lcs_status_t S = toSources("lcs_inspect_modules", modules, count,
                                 Inputs))
    return S;
  // In a worker, as every parse of user IR: the host never loads LLVM.
  std::string Text;
  if (Status S =
          VariantCompiler::inspect(sharedWorkerBackend(), Inputs, Text))
    return report(S);
  return copyOut(Text, out, size, needed);
}

lcs_status_t lcs_emit_ptx(const lcs_module_t *modules, size_t count,
                          const char *kernel, const char *arch, char *out,
                          size_t size, size_t *needed) {
  if (!needed || (!out && size))
    return invalid("lcs_emit_ptx: NULL argument");
  CompileRequest Req;
  if (lcs_status_t S = toSources("lcs_emit_ptx", modules, count, Req.Inputs))
    return S;
  Req.Kernel = kernel ? kernel : "";
  if (arch && *arch)
    Req.Arch = arch;
  Req.Kind = CodeKind::PTX;
  VariantCompiler VC(nullptr, sharedWorkerBackend());
  CompileResult R;
  if (Status S = VC.compile(Req, R))
    return report(S);
  return copyOut(R.Code, out, size, needed);
}

} // extern "C"
