//===- DriverHandles.h - Owners of driver modules and contexts --*- C++ -*-===//
///
/// \file
/// RAII over the driver handles lcs creates, after cuda-api-wrappers'
/// module_t and context wrappers: each owner is move-only, holds one handle
/// and the table that made it, and gives it back in a noexcept destructor.
/// Moves leave the source empty (and self-move is a no-op). Tear-down order
/// is the owner's to keep: modules before the context they live in.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_DRIVERHANDLES_H
#define LCS_DRIVERHANDLES_H

#include "lcs/Driver.h"

#include <utility>

namespace lcs {

/// Makes a context current on this thread for the scope and restores the
/// one that was current, touching the driver only when they differ (so a
/// caller already in the context pays one cuCtxGetCurrent).
class ScopedContext {
public:
  /// \p MaySwitch false: another context current is left alone
  /// (wasCurrent() says so).
  ScopedContext(const DriverTable &D, CUcontext Ctx,
                bool MaySwitch = true) noexcept;
  /// The same, where the caller has just asked cuCtxGetCurrent: \p Current
  /// is its answer.
  ScopedContext(const DriverTable &D, CUcontext Ctx, bool MaySwitch,
                CUcontext Current) noexcept;
  ~ScopedContext();
  ScopedContext(const ScopedContext &) = delete;
  ScopedContext &operator=(const ScopedContext &) = delete;

  /// CUDA_SUCCESS when \p Ctx is current; else the failing call's result
  /// (and nothing is restored).
  CUresult result() const { return Result; }
  /// The call that failed ("cuCtxGetCurrent", "cuCtxSetCurrent"), or null.
  const char *failedCall() const { return Failed; }
  /// Whether \p Ctx was current already when this was made.
  bool wasCurrent() const { return WasCurrent; }

private:
  void enter(CUcontext Ctx, bool MaySwitch) noexcept;

  const DriverTable &D;
  CUcontext Previous = nullptr;
  bool Switched = false;
  bool WasCurrent = false;
  CUresult Result = CUDA_SUCCESS;
  const char *Failed = nullptr;
};

/// A loaded CUmodule; unloaded (in its context, when one was given) on
/// destruction.
class ModuleHandle {
public:
  ModuleHandle() = default;
  /// Takes ownership of \p M, loaded by \p D in \p Ctx (null: unload in
  /// whatever context is current then).
  ModuleHandle(const DriverTable &D, CUmodule M, CUcontext Ctx = nullptr)
      : D(&D), M(M), Ctx(Ctx) {}
  ~ModuleHandle() { reset(); }
  ModuleHandle(const ModuleHandle &) = delete;
  ModuleHandle &operator=(const ModuleHandle &) = delete;
  ModuleHandle(ModuleHandle &&O) noexcept
      : D(O.D), M(std::exchange(O.M, nullptr)),
        Ctx(std::exchange(O.Ctx, nullptr)) {}
  ModuleHandle &operator=(ModuleHandle &&O) noexcept {
    if (this != &O) {
      reset();
      D = O.D;
      M = std::exchange(O.M, nullptr);
      Ctx = std::exchange(O.Ctx, nullptr);
    }
    return *this;
  }

  /// Loads \p Image (cubin, fatbin or PTX) into \p Ctx (made current for
  /// the call; null: the current context) with cuModuleLoadData.
  static CUresult load(const DriverTable &D, CUcontext Ctx, const void *Image,
                       ModuleHandle &Out);

  CUmodule get() const { return M; }
  explicit operator bool() const { return M != nullptr; }
  /// Gives up ownership.
  CUmodule release() { return std::exchange(M, nullptr); }
  /// Unloads the module (if any).
  void reset() noexcept;

private:
  const DriverTable *D = nullptr;
  CUmodule M = nullptr;
  CUcontext Ctx = nullptr;
};

/// A retained reference to a device's primary context, released on
/// destruction.
class PrimaryContext {
public:
  PrimaryContext() = default;
  ~PrimaryContext() { reset(); }
  PrimaryContext(const PrimaryContext &) = delete;
  PrimaryContext &operator=(const PrimaryContext &) = delete;
  PrimaryContext(PrimaryContext &&O) noexcept
      : D(O.D), Device(O.Device), Ctx(std::exchange(O.Ctx, nullptr)) {}
  PrimaryContext &operator=(PrimaryContext &&O) noexcept {
    if (this != &O) {
      reset();
      D = O.D;
      Device = O.Device;
      Ctx = std::exchange(O.Ctx, nullptr);
    }
    return *this;
  }

  /// Retains \p Device's primary context (cuDevicePrimaryCtxRetain).
  static CUresult retain(const DriverTable &D, CUdevice Device,
                         PrimaryContext &Out);

  CUcontext get() const { return Ctx; }
  CUdevice device() const { return Device; }
  explicit operator bool() const { return Ctx != nullptr; }
  /// Releases the reference (if any).
  void reset() noexcept;

private:
  const DriverTable *D = nullptr;
  CUdevice Device = 0;
  CUcontext Ctx = nullptr;
};

} // namespace lcs

#endif // LCS_DRIVERHANDLES_H
