//===- Device.h - The context a runtime serves ------------------*- C++ -*-===//
///
/// \file
/// Internal (not installed). The CUDA context a Runtime is bound to, its
/// device's architecture, and the device's launch limits, read once at
/// creation and checked before every launch (lcs/config/Validate.h).
///
/// The binding: the context current when the runtime is created, else
/// device 0's primary context; with RuntimeOptions::Device, that device's
/// primary context whatever is current. Opening never changes the calling
/// thread's current context: the device's facts are attributes, which need
/// none.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CORE_DEVICE_H
#define LCS_CORE_DEVICE_H

#include "lcs/Driver.h"
#include "lcs/DriverHandles.h"
#include "lcs/Status.h"
#include "lcs/config/Validate.h"

#include <optional>
#include <string>

namespace lcs::core {

struct DeviceContext {
  const DriverTable *D = nullptr;
  CUcontext Ctx = nullptr;
  CUdevice Device = 0;
  /// Held when the context is a primary context the runtime retained;
  /// released last, after every module (the Runtime outlives its Programs).
  PrimaryContext Primary;
  /// The target compiled for: archForDevice() ("sm_90a" on a 9.0 device).
  std::string Arch;
  /// The device's limits; Who names it ("the device (sm_90)").
  lcs::Limits LaunchLimits;
  /// Multiprocessors, and whether cooperative launches are possible: what
  /// a cooperative grid is checked against.
  uint32_t SMCount = 0;
  bool CooperativeLaunch = false;

  /// Binds to the current context, else to \p Ordinal's (0 when not given)
  /// primary context; with \p Ordinal given, always to its primary context.
  /// Reads the device's facts. The current context is left as found.
  Status open(const DriverTable &Driver, std::optional<int> Ordinal);
};

} // namespace lcs::core

#endif // LCS_CORE_DEVICE_H
