//===- FakeDriver.h - A CUDA driver for tests without a GPU -----*- C++ -*-===//
///
/// \file
/// Implements the runtime's DriverTable with plain functions over global
/// state: modules are the code's bytes, functions remember their module,
/// launches are recorded; device memory is host memory, usable only with
/// the fake's context current. Faults can be injected into module loading.
/// It fills the table's required entries and leaves the optional ones null.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_TEST_FAKEDRIVER_H
#define LCS_TEST_FAKEDRIVER_H

#include "lcs/Driver.h"

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace lcs::test {

struct FakeLaunch {
  CUfunction Fn;
  unsigned Grid[3], Block[3], Cluster[3];
  unsigned Smem;
  bool Ex;
};

struct FakeState {
  std::mutex M;
  std::vector<std::string> Modules; ///< loaded code, index = handle - 1
  std::vector<FakeLaunch> Launches;
  std::atomic<int> FailLoads{0};    ///< fail this many loads
  std::atomic<int> RelaxedLoads{0}; ///< loads made in relaxed capture mode
  std::atomic<int> Loads{0};
  CUresult InitResult = CUDA_SUCCESS;
  int ComputeMajor = 9;
  int SmemOptInSet = 0;
  /// Context and module calls, for the handle tests.
  struct Unload {
    CUmodule Module;
    CUcontext Current; ///< the context current when it was unloaded
  };
  std::vector<Unload> Unloads;
  std::atomic<int> PrimaryRetains{0}, PrimaryReleases{0}, SetCurrents{0};
  std::atomic<int> Synchronizes{0};
  int Allocations = 0; ///< live ones
  void reset() {
    std::lock_guard<std::mutex> L(M);
    Modules.clear();
    Launches.clear();
    FailLoads = 0;
    RelaxedLoads = 0;
    Loads = 0;
    InitResult = CUDA_SUCCESS;
    ComputeMajor = 9;
    SmemOptInSet = 0;
    Unloads.clear();
    PrimaryRetains = 0;
    PrimaryReleases = 0;
    SetCurrents = 0;
    Synchronizes = 0;
    Allocations = 0;
  }
};

FakeState &fakeState();
const DriverTable *fakeDriver();
/// The one context the fake has (the primary context of its device 0).
CUcontext fakeContext();

} // namespace lcs::test

#endif
