//===- Device.h - The context a runtime serves ------------------*- C++ -*-===//
///
/// \file
/// Internal (not installed). The CUDA context a Runtime serves, its device's
/// architecture, and the device's launch limits, read once at creation and
/// checked before every launch (lcs/config/Validate.h).
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CORE_DEVICE_H
#define LCS_CORE_DEVICE_H

#include "lcs/Driver.h"
#include "lcs/Status.h"
#include "lcs/config/Validate.h"

#include <string>

namespace lcs::core {

struct DeviceContext {
  const DriverTable *D = nullptr;
  CUcontext Ctx = nullptr;
  CUdevice Device = 0;
  /// True when the context is device 0's primary context, retained here.
  bool OwnsPrimary = false;
  /// "sm_90" for the device.
  std::string Arch;
  /// The device's limits; Who names it ("the device (sm_90)").
  lcs::Limits LaunchLimits;

  /// Takes the current context, else retains device 0's primary one and
  /// makes it current, and reads the device's facts.
  Status open(const DriverTable &Driver);
  /// Releases the primary context if open() retained it.
  void close();
  Status makeCurrent() const;
};

} // namespace lcs::core

#endif // LCS_CORE_DEVICE_H
