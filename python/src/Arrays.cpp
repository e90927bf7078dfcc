//===- Arrays.cpp - Device arrays passed to a launch ----------------------===//

#include "Arrays.h"

#include <nanobind/nanobind.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace nb = nanobind;

namespace lcs_python {
namespace {

const char *const Interface = "__cuda_array_interface__";

enum class Reader : uint8_t { Interface, Numba, CuPy, DLPack };

struct TypeInfo {
  ArgClass Class;
  Reader Read;
};

/// Python types seen, each kept alive so that its address stays its own.
std::unordered_map<PyTypeObject *, TypeInfo> &typeTable() {
  static auto *Table = new std::unordered_map<PyTypeObject *, TypeInfo>();
  return *Table;
}

std::string attrString(PyObject *O, const char *Name) {
  PyObject *V = PyObject_GetAttrString(O, Name);
  if (!V) {
    PyErr_Clear();
    return {};
  }
  std::string Out;
  if (PyUnicode_Check(V))
    if (const char *S = PyUnicode_AsUTF8(V))
      Out = S;
  Py_DECREF(V);
  PyErr_Clear();
  return Out;
}

/// The class of \p T's MRO named Module.QualName, if any.
PyObject *findBase(PyTypeObject *T, const char *Module, const char *QualName) {
  PyObject *Mro = T->tp_mro;
  if (!Mro || !PyTuple_Check(Mro))
    return nullptr;
  for (Py_ssize_t I = 0; I != PyTuple_GET_SIZE(Mro); ++I) {
    PyObject *C = PyTuple_GET_ITEM(Mro, I);
    if (attrString(C, "__qualname__") == QualName &&
        attrString(C, "__module__") == Module)
      return C;
  }
  return nullptr;
}

/// Whether \p T takes attribute \p Name from \p Base (no subclass between
/// them redefines it): then Base's reading of it holds for T.
bool inherits(PyTypeObject *T, PyObject *Base, const char *Name) {
  PyObject *Mine = PyObject_GetAttrString(reinterpret_cast<PyObject *>(T), Name);
  PyObject *Theirs = PyObject_GetAttrString(Base, Name);
  bool Same = Mine && Mine == Theirs;
  Py_XDECREF(Mine);
  Py_XDECREF(Theirs);
  PyErr_Clear();
  return Same;
}

Reader readerFor(PyTypeObject *T) {
  if (PyObject *B = findBase(T, "numba.cuda.cudadrv.devicearray",
                             "DeviceNDArrayBase"))
    if (inherits(T, B, Interface))
      return Reader::Numba;
  for (const char *Name : {"_ndarray_base", "ndarray"})
    if (PyObject *B = findBase(T, "cupy._core.core", Name))
      if (inherits(T, B, Interface))
        return Reader::CuPy;
  return Reader::Interface;
}

const TypeInfo &infoFor(PyTypeObject *T) {
  auto &Table = typeTable();
  auto It = Table.find(T);
  if (It != Table.end())
    return It->second;
  TypeInfo Info{ArgClass::Other, Reader::Interface};
  PyObject *TO = reinterpret_cast<PyObject *>(T);
  if (PyObject_HasAttrString(TO, Interface)) {
    Info.Class = ArgClass::DeviceArray;
    Info.Read = readerFor(T);
  } else if (findBase(T, "numpy", "ndarray")) {
    Info.Class = ArgClass::HostArray;
  } else if (PyObject_HasAttrString(TO, "__dlpack__") &&
             PyObject_HasAttrString(TO, "__dlpack_device__")) {
    Info.Class = ArgClass::DLPackArray;
    Info.Read = Reader::DLPack;
  } else if (PyType_IsSubtype(T, &PyComplex_Type) ||
             findBase(T, "numpy", "complexfloating")) {
    // Not one parameter: numba passes the real and imaginary parts.
  } else if (PyType_IsSubtype(T, &PyLong_Type) ||
             PyType_IsSubtype(T, &PyFloat_Type) ||
             findBase(T, "numpy", "generic")) {
    Info.Class = ArgClass::Scalar;
  }
  PyErr_Clear();
  Py_INCREF(TO);
  return Table.emplace(T, Info).first->second;
}

std::vector<std::string> &typeNames() {
  static auto *Names = new std::vector<std::string>{""};
  return *Names;
}

/// Interned typestrs ("<f4" -> 1, ...); records get 0.
uint32_t typeId(const std::string &TypeStr) {
  static auto *Ids = new std::unordered_map<std::string, uint32_t>();
  if (TypeStr.size() >= 2 && TypeStr[1] == 'V')
    return 0;
  auto It = Ids->find(TypeStr);
  if (It != Ids->end())
    return It->second;
  uint32_t Id = uint32_t(typeNames().size());
  typeNames().push_back(TypeStr);
  Ids->emplace(TypeStr, Id);
  return Id;
}

/// The item size a typestr gives: "<f4" 4, "<M8[ns]" 8 (a unit after the
/// size), "<U3" 12 (a count of UCS-4 characters).
int64_t itemSize(const std::string &TypeStr) {
  if (TypeStr.size() < 3)
    throw ArrayError("typestr '" + TypeStr + "' is not an array type");
  char *End = nullptr;
  long long N = std::strtoll(TypeStr.c_str() + 2, &End, 10);
  if ((*End && *End != '[') || N <= 0)
    throw ArrayError("typestr '" + TypeStr + "' has no item size");
  return TypeStr[1] == 'U' ? 4 * N : N;
}

nb::object attr(PyObject *O, const char *Name) {
  PyObject *V = PyObject_GetAttrString(O, Name);
  if (!V)
    throw nb::python_error();
  return nb::steal(V);
}

/// A dtype object's (type id, item size), per dtype object (numpy's
/// builtin dtypes are singletons, so this stays a handful of entries).
struct DType {
  PyObject *Object;
  uint32_t Id;
  int64_t ItemSize;
};

const DType &dtypeOf(PyObject *D) {
  static auto *Seen = new std::vector<DType>();
  for (const DType &E : *Seen)
    if (E.Object == D)
      return E;
  nb::object StrO = attr(D, "str"), SizeO = attr(D, "itemsize");
  const char *Str = PyUnicode_Check(StrO.ptr()) ? PyUnicode_AsUTF8(StrO.ptr())
                                                : nullptr;
  if (!Str)
    throw ArrayError("its dtype has no typestr");
  DType E{D, typeId(Str), PyLong_AsLongLong(SizeO.ptr())};
  if (E.ItemSize == -1 && PyErr_Occurred())
    throw nb::python_error();
  if (E.ItemSize <= 0)
    throw ArrayError(std::string("dtype ") + Str + " has no item size");
  if (Seen->size() >= 64) { // dtypes made on the fly: forget the old ones
    for (DType &Old : *Seen)
      Py_DECREF(Old.Object);
    Seen->clear();
  }
  Py_INCREF(D);
  Seen->push_back(E);
  return Seen->back();
}


/// C order's strides for V's shape and item size.
void setCStrides(ArrayView &V) {
  int64_t Acc = V.ItemSize;
  for (uint32_t I = V.NDim; I-- > 0;) {
    V.Strides[I] = Acc;
    Acc *= V.Shape[I];
  }
}

void readDims(PyObject *ShapeO, PyObject *StridesO, ArrayView &V) {
  if (!PyTuple_Check(ShapeO))
    throw ArrayError("its shape is not a tuple");
  Py_ssize_t N = PyTuple_GET_SIZE(ShapeO);
  if (N > Py_ssize_t(MaxDims))
    throw ArrayError("more than " + std::to_string(MaxDims) + " dimensions");
  V.NDim = uint32_t(N);
  for (Py_ssize_t I = 0; I != N; ++I) {
    long long E = PyLong_AsLongLong(PyTuple_GET_ITEM(ShapeO, I));
    if (E == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      throw ArrayError("its shape holds a non-integer");
    }
    if (E < 0)
      throw ArrayError("its shape holds a negative extent");
    V.Shape[I] = E;
  }
  if (!StridesO || StridesO == Py_None) {
    setCStrides(V);
    return;
  }
  if (!PyTuple_Check(StridesO) || PyTuple_GET_SIZE(StridesO) != N)
    throw ArrayError("its strides are not a tuple of one per dimension");
  for (Py_ssize_t I = 0; I != N; ++I) {
    long long S = PyLong_AsLongLong(PyTuple_GET_ITEM(StridesO, I));
    if (S == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      throw ArrayError("its strides hold a non-integer");
    }
    V.Strides[I] = S;
  }
}

uint64_t toPointer(PyObject *O, const char *What) {
  PyObject *L = PyNumber_Long(O);
  if (!L) {
    PyErr_Clear();
    throw ArrayError(std::string(What) + " is not an integer");
  }
  unsigned long long P = PyLong_AsUnsignedLongLong(L);
  Py_DECREF(L);
  if (PyErr_Occurred()) {
    PyErr_Clear();
    throw ArrayError(std::string(What) + " is not a valid pointer value");
  }
  return P;
}

/// numba's gpu_data pointer classes whose device_ctypes_pointer (what the
/// interface reads) is MemoryPointer's int(device_pointer): MemoryPointer
/// and its subclasses that keep that property, and OwnedPointer, which
/// forwards both to the MemoryPointer it owns.
bool trustedPointerType(PyTypeObject *T) {
  static auto *Known = new std::unordered_map<PyTypeObject *, bool>();
  auto It = Known->find(T);
  if (It != Known->end())
    return It->second;
  const char *Module = "numba.cuda.cudadrv.driver";
  bool Trusted = false;
  if (PyObject *B = findBase(T, Module, "MemoryPointer"))
    Trusted = inherits(T, B, "device_ctypes_pointer");
  else if (findBase(T, Module, "OwnedPointer"))
    Trusted = !PyObject_HasAttrString(reinterpret_cast<PyObject *>(T),
                                      "device_ctypes_pointer");
  PyErr_Clear();
  Py_INCREF(reinterpret_cast<PyObject *>(T));
  Known->emplace(T, Trusted);
  return Trusted;
}

/// numba's DeviceNDArray: false when its gpu_data is of a class this does
/// not know (then the interface is read).
bool readNumba(PyObject *A, ArrayView &V, bool PointerOnly) {
  nb::object Gpu = attr(A, "gpu_data");
  uint64_t Data = 0;
  if (!Gpu.is_none()) {
    if (!trustedPointerType(Py_TYPE(Gpu.ptr())))
      return false;
    Data = toPointer(attr(Gpu.ptr(), "device_pointer").ptr(),
                     "its gpu_data.device_pointer");
  }
  V.Data = Data;
  if (PointerOnly)
    return true;
  const DType &D = dtypeOf(attr(A, "dtype").ptr());
  V.TypeId = D.Id;
  V.ItemSize = D.ItemSize;
  V.ReadOnly = false;
  readDims(attr(A, "shape").ptr(), attr(A, "strides").ptr(), V);
  return true;
}

void readCuPy(PyObject *A, ArrayView &V, bool PointerOnly) {
  V.Data = toPointer(attr(attr(A, "data").ptr(), "ptr").ptr(), "its data.ptr");
  if (PointerOnly)
    return;
  const DType &D = dtypeOf(attr(A, "dtype").ptr());
  V.TypeId = D.Id;
  V.ItemSize = D.ItemSize;
  V.ReadOnly = false;
  readDims(attr(A, "shape").ptr(), attr(A, "strides").ptr(), V);
  // CuPy's interface leaves out the strides of a C-contiguous array (an
  // empty one included), which a consumer then takes as C order's; CuPy's
  // own may differ there (0 for an empty array).
  if (V.empty() || V.cContiguous())
    setCStrides(V);
}

/// Dict[Key] as an owned reference; invalid when absent.
nb::object item(PyObject *Dict, const char *Key) {
  PyObject *V = PyDict_GetItemString(Dict, Key); // borrowed
  return V ? nb::borrow(V) : nb::object();
}

void readInterface(PyObject *A, ArrayView &V, bool PointerOnly) {
  nb::object CAI = attr(A, Interface);
  if (!PyDict_Check(CAI.ptr()))
    throw ArrayError("its __cuda_array_interface__ is not a dict");
  // Owned: reading an element may run Python code (__index__) that
  // changes the dictionary, which may be the object's own attribute.
  nb::object Data = item(CAI.ptr(), "data");
  if (!Data.is_valid() || !PyTuple_Check(Data.ptr()) ||
      PyTuple_GET_SIZE(Data.ptr()) != 2)
    throw ArrayError("its __cuda_array_interface__ has no 'data' "
                     "(pointer, read_only)");
  V.Data = toPointer(PyTuple_GET_ITEM(Data.ptr(), 0), "its data pointer");
  if (PointerOnly)
    return;
  int RO = PyObject_IsTrue(PyTuple_GET_ITEM(Data.ptr(), 1));
  if (RO < 0)
    throw nb::python_error();
  V.ReadOnly = RO == 1;
  nb::object Mask = item(CAI.ptr(), "mask");
  if (Mask.is_valid() && !Mask.is_none())
    throw ArrayError("masked arrays are not supported");
  nb::object TypeStr = item(CAI.ptr(), "typestr");
  const char *TS = TypeStr.is_valid() && PyUnicode_Check(TypeStr.ptr())
                       ? PyUnicode_AsUTF8(TypeStr.ptr())
                       : nullptr;
  if (!TS) {
    PyErr_Clear();
    throw ArrayError("its __cuda_array_interface__ has no 'typestr'");
  }
  V.ItemSize = itemSize(TS);
  V.TypeId = typeId(TS);
  nb::object Shape = item(CAI.ptr(), "shape");
  if (!Shape.is_valid())
    throw ArrayError("its __cuda_array_interface__ has no 'shape'");
  nb::object Strides = item(CAI.ptr(), "strides");
  readDims(Shape.ptr(), Strides.is_valid() ? Strides.ptr() : nullptr, V);
}

// DLPack's C structures (dlpack.h, ABI stable since 0.x; the unversioned
// capsule "dltensor" that __dlpack__() returns when no max_version is
// asked for).
struct DLDevice {
  int32_t DeviceType;
  int32_t DeviceId;
};
struct DLDataType {
  uint8_t Code;
  uint8_t Bits;
  uint16_t Lanes;
};
struct DLTensor {
  void *Data;
  DLDevice Device;
  int32_t NDim;
  DLDataType DType;
  int64_t *Shape;
  int64_t *Strides; ///< in elements; null: C order
  uint64_t ByteOffset;
};
struct DLManagedTensor {
  DLTensor Tensor;
  void *ManagerCtx;
  void (*Deleter)(DLManagedTensor *);
};
enum : int32_t { DLCUDA = 2, DLCUDAHost = 3, DLCUDAManaged = 13 };

/// The typestr of a DLPack element type, as numpy spells it.
std::string dlpackTypeStr(const DLDataType &T) {
  if (T.Lanes != 1)
    throw ArrayError("its DLPack element type has " + std::to_string(T.Lanes) +
                     " lanes (vectors are not supported)");
  char Kind;
  switch (T.Code) {
  case 0: Kind = 'i'; break;
  case 1: Kind = 'u'; break;
  case 2: Kind = 'f'; break;
  case 5: Kind = 'c'; break;
  case 6: Kind = 'b'; break;
  default:
    throw ArrayError("its DLPack element type (code " + std::to_string(T.Code) +
                     ", " + std::to_string(T.Bits) +
                     " bits) has no numpy equivalent");
  }
  if (T.Bits % 8 || T.Bits == 0)
    throw ArrayError("its DLPack element type has " + std::to_string(T.Bits) +
                     " bits");
  unsigned Bytes = T.Bits / 8;
  return std::string(1, Bytes == 1 ? '|' : '<') + Kind + std::to_string(Bytes);
}

/// An object that offers only DLPack: its tensor is read and the capsule
/// dropped unconsumed (the producer's destructor frees it), as the array
/// itself keeps the memory alive, like __cuda_array_interface__.
void readDLPack(PyObject *A, ArrayView &V, bool PointerOnly) {
  nb::object Dev = nb::steal(PyObject_CallMethod(A, "__dlpack_device__", nullptr));
  if (!Dev.is_valid())
    throw nb::python_error();
  if (!PyTuple_Check(Dev.ptr()) || PyTuple_GET_SIZE(Dev.ptr()) != 2)
    throw ArrayError("its __dlpack_device__() is not (type, id)");
  long Type = PyLong_AsLong(PyTuple_GET_ITEM(Dev.ptr(), 0));
  if (Type == -1 && PyErr_Occurred())
    throw nb::python_error();
  if (Type != DLCUDA && Type != DLCUDAManaged && Type != DLCUDAHost)
    throw ArrayError("it is a DLPack tensor on device type " +
                     std::to_string(Type) +
                     ", not a CUDA device (2), managed (13) or pinned (3) "
                     "memory");
  nb::object Cap = nb::steal(PyObject_CallMethod(A, "__dlpack__", nullptr));
  if (!Cap.is_valid())
    throw nb::python_error();
  auto *M = static_cast<DLManagedTensor *>(
      PyCapsule_GetPointer(Cap.ptr(), "dltensor"));
  if (!M) {
    PyErr_Clear();
    throw ArrayError("its __dlpack__() did not return a \"dltensor\" "
                     "capsule");
  }
  const DLTensor &T = M->Tensor;
  V.Data = reinterpret_cast<uint64_t>(T.Data) + T.ByteOffset;
  if (PointerOnly)
    return;
  if (T.NDim < 0 || T.NDim > int32_t(MaxDims))
    throw ArrayError("its DLPack tensor has " + std::to_string(T.NDim) +
                     " dimensions");
  if (T.NDim && !T.Shape)
    throw ArrayError("its DLPack tensor has no shape");
  std::string TS = dlpackTypeStr(T.DType);
  V.ItemSize = T.DType.Bits / 8;
  V.TypeId = typeId(TS);
  V.ReadOnly = false;
  V.NDim = uint32_t(T.NDim);
  for (uint32_t I = 0; I != V.NDim; ++I) {
    if (T.Shape[I] < 0)
      throw ArrayError("its shape holds a negative extent");
    V.Shape[I] = T.Shape[I];
  }
  int64_t Acc = V.ItemSize;
  for (uint32_t I = V.NDim; I-- > 0;) {
    V.Strides[I] = T.Strides ? T.Strides[I] * V.ItemSize : Acc;
    Acc *= V.Shape[I];
  }
}

void read(const TypeInfo &Info, PyObject *A, ArrayView &V, bool PointerOnly) {
  switch (Info.Read) {
  case Reader::Numba:
    if (readNumba(A, V, PointerOnly))
      return;
    break;
  case Reader::CuPy:
    readCuPy(A, V, PointerOnly);
    return;
  case Reader::DLPack:
    readDLPack(A, V, PointerOnly);
    return;
  case Reader::Interface:
    break;
  }
  readInterface(A, V, PointerOnly);
}

} // namespace

bool ArrayView::cContiguous() const {
  int64_t Acc = ItemSize;
  for (uint32_t I = NDim; I-- > 0;) {
    if (Shape[I] != 1 && Strides[I] != Acc)
      return false;
    Acc *= Shape[I];
  }
  return true;
}

bool ArrayView::fContiguous() const {
  int64_t Acc = ItemSize;
  for (uint32_t I = 0; I != NDim; ++I) {
    if (Shape[I] != 1 && Strides[I] != Acc)
      return false;
    Acc *= Shape[I];
  }
  return true;
}

bool ArrayView::zeroStride() const {
  for (uint32_t I = 0; I != NDim; ++I)
    if (Strides[I] == 0)
      return true;
  return false;
}

bool ArrayView::empty() const {
  for (uint32_t I = 0; I != NDim; ++I)
    if (Shape[I] == 0)
      return true;
  return false;
}

const std::string &typeStr(uint32_t TypeId) {
  static const std::string None;
  return TypeId < typeNames().size() ? typeNames()[TypeId] : None;
}

bool hasArrayInterface(PyObject *A) {
  ArgClass C = infoFor(Py_TYPE(A)).Class;
  if (C == ArgClass::DeviceArray || C == ArgClass::DLPackArray)
    return true;
  return PyObject_HasAttrString(A, Interface);
}

void readArray(PyObject *A, ArrayView &V) {
  read(infoFor(Py_TYPE(A)), A, V, false);
}

ArgClass readArgument(PyObject *A, ArrayView &V) {
  const TypeInfo &Info = infoFor(Py_TYPE(A));
  ArgClass C = Info.Class;
  if (C == ArgClass::Other && PyObject_HasAttrString(A, Interface))
    C = ArgClass::DeviceArray; // Info.Read is the interface's
  if (C == ArgClass::DeviceArray)
    read(Info, A, V, false);
  return C;
}

uint64_t readPointer(PyObject *A) {
  ArrayView V;
  read(infoFor(Py_TYPE(A)), A, V, true);
  return V.Data;
}

} // namespace lcs_python
