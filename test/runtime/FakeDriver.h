//===- FakeDriver.h - A CUDA driver for tests without a GPU -----*- C++ -*-===//
///
/// \file
/// Implements the runtime's DriverTable with plain functions over global
/// state: modules are the code's bytes, functions remember their module,
/// launches are recorded; device memory is host memory, usable only with
/// one of the fake's contexts current. Faults can be injected into module
/// loading. It fills the table's required entries and leaves the optional
/// ones null.
///
/// Contexts as the driver keeps them: a current context per thread, one
/// primary context per device (up to MaxDevices, DeviceCount of them), and
/// contexts a test creates (fakeCreateContext). Like the real driver, the
/// fake refuses to load a module without a current context and to launch a
/// function outside the context its module was loaded in, so a runtime that
/// launches in the wrong context fails here as it would on a GPU.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_TEST_FAKEDRIVER_H
#define LCS_TEST_FAKEDRIVER_H

#include "lcs/Driver.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace lcs::test {

struct FakeLaunch {
  CUfunction Fn;
  CUcontext Ctx; ///< current when launched
  unsigned Grid[3], Block[3], Cluster[3];
  unsigned Smem;
  bool Ex;
  bool Cooperative = false;
};

struct FakeFuncAttribute {
  CUfunction Fn;
  CUfunction_attribute Attr;
  int Value;
};

constexpr int MaxDevices = 4;

struct FakeState {
  std::mutex M;
  std::vector<std::string> Modules;      ///< loaded code, index = handle - 1
  std::vector<CUcontext> ModuleContexts; ///< each module's context
  std::vector<FakeLaunch> Launches;
  std::atomic<int> FailLoads{0};    ///< fail this many loads
  std::atomic<int> RelaxedLoads{0}; ///< loads made in relaxed capture mode
  std::atomic<int> Loads{0};
  CUresult InitResult = CUDA_SUCCESS;
  int DeviceCount = 1;
  /// Each device's compute capability (minor 0).
  int ComputeMajor[MaxDevices] = {9, 8, 9, 9};
  int SmemOptInSet = 0;
  /// Attributes set other than the shared memory opt-in.
  std::vector<FakeFuncAttribute> FuncAttributes;
  /// What the occupancy entries answer (fakeDriverWithOccupancy), and how
  /// often they were asked.
  int BlocksPerSM = 2;
  int MaxClusterSize = 16;
  std::atomic<int> OccupancyCalls{0};
  /// Context and module calls, for the handle tests.
  struct Unload {
    CUmodule Module;
    CUcontext Current; ///< the context current when it was unloaded
  };
  std::vector<Unload> Unloads;
  std::atomic<int> PrimaryRetains{0}, PrimaryReleases{0}, SetCurrents{0},
      GetCurrents{0};
  std::atomic<int> Synchronizes{0};
  int Allocations = 0; ///< live ones
  void reset() {
    std::lock_guard<std::mutex> L(M);
    Modules.clear();
    ModuleContexts.clear();
    Launches.clear();
    FailLoads = 0;
    RelaxedLoads = 0;
    Loads = 0;
    InitResult = CUDA_SUCCESS;
    DeviceCount = 1;
    const int Majors[MaxDevices] = {9, 8, 9, 9};
    std::copy(Majors, Majors + MaxDevices, ComputeMajor);
    SmemOptInSet = 0;
    FuncAttributes.clear();
    BlocksPerSM = 2;
    MaxClusterSize = 16;
    OccupancyCalls = 0;
    Unloads.clear();
    PrimaryRetains = 0;
    PrimaryReleases = 0;
    SetCurrents = 0;
    GetCurrents = 0;
    Synchronizes = 0;
    Allocations = 0;
  }
};

FakeState &fakeState();
const DriverTable *fakeDriver();
/// The same table with the occupancy entries: 132 SMs, BlocksPerSM blocks
/// on each, clusters up to MaxClusterSize.
const DriverTable *fakeDriverWithOccupancy();
/// The primary context of device 0.
CUcontext fakeContext();
/// The primary context of device \p Device.
CUcontext fakePrimaryContext(int Device);
/// A new context on \p Device, as cuCtxCreate makes (never destroyed).
CUcontext fakeCreateContext(int Device);
/// The device of context \p C, or -1 when \p C is not one of the fake's.
int fakeContextDevice(CUcontext C);

} // namespace lcs::test

#endif
