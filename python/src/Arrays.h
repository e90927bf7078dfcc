//===- Arrays.h - Device arrays passed to a launch --------------*- C++ -*-===//
///
/// \file
/// What a launch reads from a device array: its data pointer and, for
/// numba's array ABI and lcs.numba's signature lookup, its element type,
/// shape and strides. A reader is chosen once per Python type:
///  - numba-cuda's device arrays and CuPy's ndarray are read through the
///    public attributes their __cuda_array_interface__ is computed from
///    (shape, strides, dtype, and the pointer numba's gpu_data or CuPy's
///    data holds), without building the interface's dictionary;
///  - any other object through __cuda_array_interface__ (version 2 or 3;
///    the attribute may be an instance attribute, as the protocol allows);
///  - an object offering only DLPack (__dlpack__, __dlpack_device__) on a
///    CUDA device, through its tensor.
/// Both give the same values; a test holds them against each other.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_PYTHON_ARRAYS_H
#define LCS_PYTHON_ARRAYS_H

#include <Python.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace lcs_python {

/// More dimensions than numpy allows is a bad array, not a buffer overflow.
constexpr unsigned MaxDims = 64;

struct ArrayView {
  uint64_t Data = 0;
  uint32_t NDim = 0;
  int64_t ItemSize = 0;
  /// The element type's typestr, interned (never 0). Records ("|V...")
  /// share a typestr across different field layouts: their id is 0, so a
  /// signature cache never keys on it.
  uint32_t TypeId = 0;
  bool ReadOnly = false;
  int64_t Shape[MaxDims];
  int64_t Strides[MaxDims]; ///< bytes; C order's when the array gave none

  /// numpy's contiguity flags: extents of 1 are ignored; an empty array
  /// is not special here. Typing differs in the cases these miss (numba's
  /// dummy array calls any zero stride non-contiguous and every empty array
  /// C), so a signature key adds empty() and zeroStride().
  bool cContiguous() const;
  bool fContiguous() const;
  bool empty() const;
  bool zeroStride() const;
};

/// A launch argument's class, decided once per Python type.
enum class ArgClass : uint8_t {
  DeviceArray, ///< the type has __cuda_array_interface__
  DLPackArray, ///< the type offers only DLPack (a CUDA device's tensor)
  HostArray,   ///< a numpy.ndarray (lcs.numba copies it, as numba-cuda)
  Scalar,      ///< int, float, bool, a real numpy scalar
  Other,       ///< anything else (complex numbers, which lcs.numba takes
               ///< apart); may still carry the interface itself
};

/// The typestr an ArrayView's TypeId stands for ("" for 0).
const std::string &typeStr(uint32_t TypeId);

/// A malformed array (the interface's dictionary, an attribute): the
/// caller names the parameter.
struct ArrayError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Reads \p A, an object carrying __cuda_array_interface__ (on its type or
/// itself). Throws ArrayError, or nanobind::python_error when an attribute
/// raised.
void readArray(PyObject *A, ArrayView &V);

/// A launch argument's class, and the array read into \p V when it is a
/// device array (by its type, or an instance carrying the interface): one
/// lookup of the type for both.
ArgClass readArgument(PyObject *A, ArrayView &V);

/// Only the data pointer (lcs.Runtime's kernels take arrays as pointers).
uint64_t readPointer(PyObject *A);

/// Whether \p A carries __cuda_array_interface__ (on its type or itself).
bool hasArrayInterface(PyObject *A);

} // namespace lcs_python

#endif // LCS_PYTHON_ARRAYS_H
