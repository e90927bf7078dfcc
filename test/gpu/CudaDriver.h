//===- CudaDriver.h - The driver calls the GPU tests need -------*- C++ -*-===//
///
/// \file
/// A small harness for the GPU tests over the runtime's driver table
/// (lcs/Driver.h), so the test binary builds and runs (skipping) where
/// there is no driver. Deliberately minimal: one device, its primary
/// context, blocking calls.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_TEST_CUDADRIVER_H
#define LCS_TEST_CUDADRIVER_H

#include "lcs/Driver.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lcs::test {

/// The driver, a device and its primary context; null-like when unusable.
class CudaDriver {
public:
  /// The process-wide instance; check available() first.
  static CudaDriver &get();

  bool available() const { return Error.empty(); }
  /// Why the driver is unavailable ("no CUDA driver: ...", "no CUDA
  /// device", ...).
  const std::string &unavailableReason() const { return Error; }
  /// "sm_90" for the device.
  std::string arch() const;

  /// Each returns an empty string on success, else "<call>: <error name>".
  std::string load(const std::string &Image, const std::string &Kernel,
                   void *&Module, void *&Function);
  void unload(void *Module);
  std::string alloc(CUdeviceptr &Ptr, size_t Bytes);
  void free(CUdeviceptr Ptr);
  std::string upload(CUdeviceptr Dst, const void *Src, size_t Bytes);
  std::string download(void *Dst, CUdeviceptr Src, size_t Bytes);
  std::string zero(CUdeviceptr Dst, size_t Bytes);
  std::string synchronize();
  /// Makes the device's primary context current on the calling thread.
  std::string makeCurrent();
  /// The context current on the calling thread.
  CUcontext current();
  /// Makes \p Ctx (null: none) current on the calling thread.
  std::string setCurrent(CUcontext Ctx);
  /// A new context of the device, not the primary one (the calling
  /// thread's current context unchanged), and its destruction.
  std::string createContext(CUcontext &Ctx);
  /// Whether the driver has cuCtxCreate_v4 (12.5 and newer).
  bool canCreateContexts() const { return Fn->CtxCreate && Fn->CtxDestroy; }
  std::string destroyContext(CUcontext Ctx);
  /// Stream capture into a graph, and its replay.
  std::string streamCreate(void *&Stream);
  std::string beginCapture(void *Stream);
  std::string endCaptureAndInstantiate(void *Stream, void *&GraphExec);
  std::string graphLaunch(void *GraphExec, void *Stream);
  std::string streamSynchronize(void *Stream);
  /// Launches and waits for completion.
  std::string launch(void *Function, const unsigned Grid[3],
                     const unsigned Block[3], unsigned Smem, void **Args);

private:
  CudaDriver();
  std::string check(CUresult Result, const char *Call);

  std::string Error;
  int Major = 0, Minor = 0;
  CUcontext Context = nullptr;
  const DriverTable *Fn = nullptr;
};

/// A device allocation freed on destruction.
class DeviceBuffer {
public:
  explicit DeviceBuffer(size_t Bytes);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  CUdeviceptr ptr() const { return Ptr; }
  size_t bytes() const { return Bytes; }
  const std::string &error() const { return Err; }

private:
  CUdeviceptr Ptr = 0;
  size_t Bytes;
  std::string Err;
};

} // namespace lcs::test

#endif // LCS_TEST_CUDADRIVER_H
