//===- lcs_ext.cpp - lcs._lcs, the Python binding of the runtime ----------===//
///
/// \file
/// A nanobind module over the C API (lcs/lcs.h, liblcs.so), so that it also
/// builds against prebuilt lcs libraries with no LLVM headers.
///
/// The launch path is one call (for lcs.numba kernels too: see Dispatcher):
/// device arrays are read as Arrays.h says, and the arguments are converted
/// by a plan built once per kernel and tuple of argument types (from the kernel's parameter
/// types, as the IR declares them), into a fixed buffer, then lcs_launch.
/// The GIL: a launch whose exact configuration this kernel already launched
/// is a hit in the runtime (variants are never dropped), so it keeps the
/// GIL; any other launch may compile or wait for another thread's compile,
/// and runs with the GIL released (a Python generator takes it back).
///
//===----------------------------------------------------------------------===//

#include "Arrays.h"
#include "lcs/lcs.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace nb = nanobind;
using lcs_python::ArgClass;
using lcs_python::ArrayError;
using lcs_python::ArrayView;

namespace {

//===-- Errors --------------------------------------------------------------//

PyObject *ErrorBase = nullptr;
PyObject *StatusErrors[7] = {}; // indexed by lcs_status_t
PyObject *UnsupportedError = nullptr;

PyObject *makeError(const char *Name, PyObject *Base, const char *Doc) {
  return PyErr_NewExceptionWithDoc(Name, Doc, Base, nullptr);
}

[[noreturn]] void raiseStatus(lcs_status_t S, const std::string &Message,
                              PyObject *Cause = nullptr) {
  PyObject *Type = (S > 0 && S < 7) ? StatusErrors[S] : ErrorBase;
  nb::str Text(Message.data(), Message.size());
  PyObject *Exc = PyObject_CallOneArg(Type, Text.ptr());
  if (!Exc)
    throw nb::python_error();
  if (Cause) {
    Py_INCREF(Cause);
    PyException_SetCause(Exc, Cause); // steals
  }
  PyErr_SetObject(Type, Exc);
  Py_DECREF(Exc);
  throw nb::python_error();
}

[[noreturn]] void raiseLast(lcs_status_t S, PyObject *Cause = nullptr) {
  raiseStatus(S, lcs_last_error(), Cause);
}

[[noreturn]] void invalidArgument(const std::string &Message) {
  raiseStatus(LCS_ERROR_INVALID_ARGUMENT, Message);
}

void check(lcs_status_t S) {
  if (S != LCS_SUCCESS)
    raiseLast(S);
}

//===-- Inspection (no GPU) -------------------------------------------------//

struct KernelInfo {
  std::string Name;
  std::vector<std::string> Fields;
  bool Explicit = false;
  std::vector<std::string> Params;
};

std::vector<std::string> splitList(const std::string &S) {
  std::vector<std::string> Out;
  if (S == "-" || S.empty())
    return Out;
  size_t Start = 0;
  while (true) {
    size_t Comma = S.find(',', Start);
    Out.push_back(S.substr(Start, Comma - Start));
    if (Comma == std::string::npos)
      return Out;
    Start = Comma + 1;
  }
}

using ModuleList = std::vector<std::pair<std::string, nb::bytes>>;

std::vector<lcs_module_t> toModules(const ModuleList &Mods) {
  std::vector<lcs_module_t> Out;
  for (const auto &[Name, Bytes] : Mods)
    Out.push_back({Name.c_str(), Bytes.c_str(), Bytes.size()});
  return Out;
}

std::vector<KernelInfo> inspect(const ModuleList &Mods) {
  std::vector<lcs_module_t> C = toModules(Mods);
  size_t Needed = 0;
  lcs_status_t S;
  {
    nb::gil_scoped_release Release;
    S = lcs_inspect_modules(C.data(), C.size(), nullptr, 0, &Needed);
  }
  check(S);
  std::string Text(Needed, '\0');
  check(lcs_inspect_modules(C.data(), C.size(), Text.data(), Text.size(),
                            &Needed));
  Text.resize(Needed ? Needed - 1 : 0);
  std::vector<KernelInfo> Out;
  size_t Pos = 0;
  while (Pos < Text.size()) {
    size_t End = Text.find('\n', Pos);
    std::string Line = Text.substr(Pos, End - Pos);
    Pos = End == std::string::npos ? Text.size() : End + 1;
    KernelInfo K;
    size_t P = 0;
    while (P < Line.size()) {
      // params= is last and runs to the end: "ptr addrspace(1)" has a space.
      if (Line.compare(P, 7, "params=") == 0) {
        K.Params = splitList(Line.substr(P + 7));
        break;
      }
      size_t Sp = Line.find(' ', P);
      std::string Tok = Line.substr(P, Sp - P);
      P = Sp == std::string::npos ? Line.size() : Sp + 1;
      size_t Eq = Tok.find('=');
      std::string Key = Tok.substr(0, Eq), Value = Tok.substr(Eq + 1);
      if (Key == "kernel")
        K.Name = Value;
      else if (Key == "fields")
        K.Fields = splitList(Value);
      else if (Key == "explicit")
        K.Explicit = Value == "1";
      else if (Key == "params")
        K.Params = splitList(Value);
    }
    Out.push_back(std::move(K));
  }
  return Out;
}

//===-- Launch configurations -----------------------------------------------//

uint32_t toDim(nb::handle H, const char *What) {
  if (!PyLong_Check(H.ptr()) && !PyIndex_Check(H.ptr()))
    invalidArgument(std::string(What) + ": expected an int or a tuple of 1 "
                                        "to 3 ints, got " +
                    nb::type_name(H.type()).c_str());
  long long V = PyLong_AsLongLong(H.ptr());
  if (V == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    invalidArgument(std::string(What) + ": out of range");
  }
  if (V < 0 || V > 0xffffffffLL)
    invalidArgument(std::string(What) + " = " + std::to_string(V) +
                    " is out of range");
  return uint32_t(V);
}

void toDims(nb::handle H, uint32_t Out[3], uint32_t Fill, const char *What) {
  Out[0] = Out[1] = Out[2] = Fill;
  if (PyTuple_Check(H.ptr()) || PyList_Check(H.ptr())) {
    nb::sequence S = nb::borrow<nb::sequence>(H);
    size_t N = nb::len(S);
    if (N < 1 || N > 3)
      invalidArgument(std::string(What) + ": expected 1 to 3 dimensions, got " +
                      std::to_string(N));
    for (size_t I = 0; I != N; ++I)
      Out[I] = toDim(S[I], What);
    return;
  }
  Out[0] = toDim(H, What);
}

void *toStream(nb::handle H) {
  if (H.is_none())
    return nullptr;
  if (PyLong_Check(H.ptr())) {
    unsigned long long V = PyLong_AsUnsignedLongLong(H.ptr());
    if (PyErr_Occurred()) {
      PyErr_Clear();
      invalidArgument("stream: a negative or too large handle");
    }
    return reinterpret_cast<void *>(uintptr_t(V));
  }
  // cuda.core's protocol, then CuPy's and PyTorch's attributes.
  if (nb::hasattr(H, "__cuda_stream__")) {
    nb::object R = H.attr("__cuda_stream__")();
    if (!PyTuple_Check(R.ptr()) || nb::len(R) != 2)
      invalidArgument("stream: __cuda_stream__() must return (version, "
                      "handle)");
    return toStream(nb::borrow<nb::tuple>(R)[1]);
  }
  for (const char *Attr : {"ptr", "cuda_stream", "handle"})
    if (nb::hasattr(H, Attr)) {
      nb::object V = H.attr(Attr);
      if (nb::hasattr(V, "value")) // a ctypes pointer
        V = V.attr("value");
      return toStream(V);
    }
  invalidArgument(std::string("stream: expected an int, an object with "
                              "__cuda_stream__, .ptr or .cuda_stream; got ") +
                  nb::type_name(H.type()).c_str());
}

//===-- Argument conversion -------------------------------------------------//

enum class PKind : uint8_t { Ptr, I1, I8, I16, I32, I64, F16, F32, F64 };

bool parseKind(const std::string &T, PKind &Out) {
  static const std::pair<const char *, PKind> Kinds[] = {
      {"ptr", PKind::Ptr}, {"i1", PKind::I1},       {"i8", PKind::I8},
      {"i16", PKind::I16}, {"i32", PKind::I32},     {"i64", PKind::I64},
      {"half", PKind::F16}, {"float", PKind::F32}, {"double", PKind::F64}};
  for (const auto &[Name, K] : Kinds)
    if (T == Name) {
      Out = K;
      return true;
    }
  // Typed pointers ("float*", "ptr addrspace(1)") are pointers too.
  if (T.rfind("ptr", 0) == 0 || (!T.empty() && T.back() == '*')) {
    Out = PKind::Ptr;
    return true;
  }
  return false;
}

/// How one Python argument becomes parameter slots.
enum class Op : uint8_t {
  ArrayPtr,   ///< __cuda_array_interface__'s data pointer
  IntPtr,     ///< an int as a pointer
  NullPtr,    ///< None
  Int,        ///< an integer (or bool) to an integer parameter
  Float,      ///< a number to a floating-point parameter
  NumbaArray, ///< numba's flattened array: meminfo, parent, nitems,
              ///< itemsize, data, shape[ndim], strides[ndim]
};

struct Step {
  Op Operation;
  PKind Kind;       ///< of the (first) slot
  uint16_t Slot;    ///< first slot
  uint16_t NDim;    ///< NumbaArray
};

struct Plan {
  std::vector<PyTypeObject *> Types;
  std::vector<Step> Steps;
  size_t Slots = 0;
};

/// A Python argument's layout, given by a frontend (lcs.numba) instead of
/// one parameter per argument.
struct ArgLayout {
  bool Array = false;
  uint16_t NDim = 0;
};

unsigned kindSize(PKind K) {
  switch (K) {
  case PKind::I1:
  case PKind::I8:
    return 1;
  case PKind::I16:
  case PKind::F16:
    return 2;
  case PKind::I32:
  case PKind::F32:
    return 4;
  default:
    return 8;
  }
}

const char *kindName(PKind K) {
  static const char *Names[] = {"ptr", "i1",   "i8",    "i16",   "i32",
                                "i64", "half", "float", "double"};
  return Names[unsigned(K)];
}

bool isNumpyInteger(PyTypeObject *T) {
  // numpy's integer scalars have __index__ and are not Python ints.
  return T->tp_as_number && T->tp_as_number->nb_index &&
         !PyType_IsSubtype(T, &PyFloat_Type);
}

uint16_t halfFromFloat(float F) {
  uint32_t X;
  std::memcpy(&X, &F, 4);
  uint32_t Sign = (X >> 16) & 0x8000;
  int32_t Exp = int32_t((X >> 23) & 0xff) - 127 + 15;
  uint32_t Mant = X & 0x7fffff;
  if (((X >> 23) & 0xff) == 0xff) // inf or nan
    return uint16_t(Sign | 0x7c00 | (Mant ? 0x200 : 0));
  if (Exp >= 31)
    return uint16_t(Sign | 0x7c00);
  if (Exp <= 0) {
    if (Exp < -10)
      return uint16_t(Sign);
    Mant |= 0x800000;
    uint32_t Shift = uint32_t(14 - Exp);
    uint32_t H = Mant >> Shift;
    uint32_t Rem = Mant & ((1u << Shift) - 1), Half = 1u << (Shift - 1);
    if (Rem > Half || (Rem == Half && (H & 1)))
      ++H;
    return uint16_t(Sign | H);
  }
  uint32_t H = Sign | (uint32_t(Exp) << 10) | (Mant >> 13);
  uint32_t Rem = Mant & 0x1fff;
  if (Rem > 0x1000 || (Rem == 0x1000 && (H & 1)))
    ++H;
  return uint16_t(H);
}

//===-- Objects -------------------------------------------------------------//

struct GenState;
nb::dict toDict(const lcs_launch_config_t &C);

struct PyRuntime {
  lcs_runtime_t RT = nullptr;
  ~PyRuntime() {
    if (RT)
      lcs_runtime_destroy(RT);
  }
};

struct PyProgram;

struct PyKernel {
  lcs_kernel_t K = nullptr;
  PyProgram *Owner = nullptr;
  nb::object OwnerRef; ///< keeps the program (and its runtime) alive
  std::string Name;
  /// The parameter types; empty and not Known: inferred from the values.
  std::vector<PKind> Params;
  bool ParamsKnown = false;
  std::vector<std::string> ParamNames;
  std::vector<ArgLayout> Layout; ///< empty: one parameter per argument
  /// Shared: a launch keeps its plan while Python code it runs (a property
  /// getter) lets another thread in to add plans.
  std::vector<std::shared_ptr<const Plan>> Plans;
  size_t LastPlan = 0;
  /// Configurations launched before: a launch with one of them is a hit.
  std::vector<lcs_launch_config_t> Seen;
  /// kernel[...] indices parsed before, to their configurations (the
  /// lcs_launch_config_t's bytes).
  nb::dict ConfigIndex;
  /// Called as PreLaunch(config dict, args) before every launch, when set
  /// (lcs.numba: pre-launch callbacks kept for a variant's later launches).
  nb::object PreLaunch;

  ~PyKernel();

  std::string paramName(size_t Arg) const {
    if (Arg < ParamNames.size())
      return "parameter " + std::to_string(Arg) + " ('" + ParamNames[Arg] +
             "')";
    return "parameter " + std::to_string(Arg);
  }
  std::string where() const { return "kernel '" + Name + "': "; }

  std::shared_ptr<const Plan> plan(nb::handle Args);
  Plan build(nb::handle Args);
  /// \p Flags: LCS_LAUNCH_* (cooperative).
  void launch(const lcs_launch_config_t &C, nb::handle Args,
              uint32_t Flags = 0);
  /// \p Views: arrays already read, per argument (null: read here).
  /// False, with nothing launched, when \p Flags has
  /// LCS_LAUNCH_IN_CURRENT_CONTEXT and another context is current.
  bool launch(const lcs_launch_config_t &C, nb::handle Args, uint32_t Flags,
              const ArrayView *const *Views);
  /// Writes the arguments into Storage (P.Slots values, each in 8 bytes).
  void fill(const Plan &P, nb::handle Args, uint64_t *Storage,
            const ArrayView *const *Views);
  void fillOne(const Step &S, size_t Arg, PyObject *A, uint64_t &Out,
               const ArrayView *View);
};

/// What a Python generator program keeps: the callable, and each kernel's
/// last generator exception (re-raised, chained, in every waiter).
struct GenState {
  nb::object Fn;
  std::mutex M;
  std::map<std::string, nb::object> Failures;
};

struct PyProgram {
  lcs_program_t P = nullptr;
  nb::object RuntimeRef;
  ModuleList Modules; ///< a module program's inputs, for parameter types
  std::unique_ptr<GenState> Gen;
  std::map<std::string, std::vector<std::string>> GenParams;
  /// Kernel objects alive (weak: a kernel keeps its program alive).
  std::map<std::string, PyObject *> Kernels;
  bool InspectDone = false;
  std::vector<KernelInfo> Info;
  ~PyProgram() {
    Kernels.clear();
    if (P)
      lcs_program_destroy(P);
  }
};

PyKernel::~PyKernel() {
  if (Owner) {
    auto It = Owner->Kernels.find(Name);
    if (It != Owner->Kernels.end() && nb::inst_ptr<PyKernel>(It->second) == this)
      Owner->Kernels.erase(It);
  }
}

thread_local PyObject *CurrentArgs = nullptr;

int generatorTrampoline(void *User, const char *Kernel, lcs_generated_t *Out) {
  auto *G = static_cast<GenState *>(User);
  thread_local std::string Bytes;
  nb::gil_scoped_acquire Acquire;
  try {
    nb::object R = G->Fn(Kernel);
    uint32_t Extra = 0;
    if (PyTuple_Check(R.ptr())) {
      nb::tuple T = nb::borrow<nb::tuple>(R);
      if (nb::len(T) != 2)
        throw nb::type_error("a generator returns IR or (ir, extra_shared_mem)");
      Extra = nb::cast<uint32_t>(T[1]);
      R = T[0];
    }
    if (PyBytes_Check(R.ptr()))
      Bytes.assign(PyBytes_AS_STRING(R.ptr()), PyBytes_GET_SIZE(R.ptr()));
    else if (PyUnicode_Check(R.ptr()))
      Bytes = nb::cast<std::string>(R);
    else
      throw nb::type_error(
          ("a generator returns IR as bytes or str, got " +
           std::string(nb::type_name(R.type()).c_str()))
              .c_str());
    Out->ir = Bytes.data();
    Out->ir_size = Bytes.size();
    Out->extra_shared_mem = Extra;
    std::lock_guard<std::mutex> L(G->M);
    G->Failures.erase(Kernel);
    return 0;
  } catch (nb::python_error &E) {
    // One line: the exception's type and text (the traceback stays on
    // the chained exception).
    std::string Msg = std::string("the generator for kernel '") + Kernel +
                      "' raised " + nb::type_name(E.type()).c_str();
    try {
      std::string Text = nb::cast<std::string>(nb::str(E.value()));
      if (!Text.empty())
        Msg += ": " + Text;
    } catch (...) {
    }
    lcs_set_generator_error(Msg.c_str());
    nb::object Value = nb::borrow(E.value());
    std::lock_guard<std::mutex> L(G->M);
    G->Failures[Kernel] = Value;
    return 1;
  } catch (std::exception &E) {
    std::string Msg = std::string("the generator for kernel '") + Kernel +
                      "' failed: " + E.what();
    lcs_set_generator_error(Msg.c_str());
    PyObject *Exc = PyObject_CallFunction(PyExc_TypeError, "s", E.what());
    std::lock_guard<std::mutex> L(G->M);
    if (Exc)
      G->Failures[Kernel] = nb::steal(Exc);
    PyErr_Clear();
    return 1;
  }
}

Plan PyKernel::build(nb::handle ArgsH) {
  nb::tuple Args = nb::borrow<nb::tuple>(ArgsH);
  size_t N = nb::len(Args);
  Plan P;
  size_t Slot = 0;
  auto needKind = [&](size_t Arg, PKind Guess) -> PKind {
    if (!ParamsKnown)
      return Guess;
    if (Slot >= Params.size())
      invalidArgument(where() + "takes " + std::to_string(Params.size()) +
                      " parameters; " + paramName(Arg) + " is one too many");
    return Params[Slot];
  };
  for (size_t I = 0; I != N; ++I) {
    PyObject *A = PyTuple_GET_ITEM(Args.ptr(), I);
    PyTypeObject *T = Py_TYPE(A);
    P.Types.push_back(T);
    std::string TName = nb::type_name(nb::handle(reinterpret_cast<PyObject *>(T))).c_str();
    if (!Layout.empty()) {
      if (I >= Layout.size())
        invalidArgument(where() + "takes " + std::to_string(Layout.size()) +
                        " arguments, got " + std::to_string(N));
      if (Layout[I].Array) {
        if (!lcs_python::hasArrayInterface(A))
          invalidArgument(where() + paramName(I) +
                          ": expected a device array (an object with "
                          "__cuda_array_interface__), got " + TName);
        P.Steps.push_back({Op::NumbaArray, PKind::Ptr, uint16_t(Slot),
                           Layout[I].NDim});
        Slot += 5 + 2 * Layout[I].NDim;
        continue;
      }
    }
    Step S{Op::Int, PKind::I64, uint16_t(Slot), 0};
    if (lcs_python::hasArrayInterface(A)) {
      S.Operation = Op::ArrayPtr;
      S.Kind = needKind(I, PKind::Ptr);
      if (S.Kind != PKind::Ptr)
        invalidArgument(where() + paramName(I) + " is " + kindName(S.Kind) +
                        ", got an array (" + TName + ")");
    } else if (A == Py_None) {
      S.Operation = Op::NullPtr;
      S.Kind = needKind(I, PKind::Ptr);
      if (S.Kind != PKind::Ptr)
        invalidArgument(where() + paramName(I) + " is " + kindName(S.Kind) +
                        ", got None");
    } else if (PyFloat_Check(A) ||
               (!PyLong_Check(A) && !isNumpyInteger(T) &&
                T->tp_as_number && T->tp_as_number->nb_float)) {
      // Python floats, numpy floating scalars.
      PKind Guess = PKind::F64;
      if (!ParamsKnown && nb::hasattr(A, "dtype")) {
        std::string D = nb::cast<std::string>(nb::str(nb::handle(A).attr("dtype")));
        Guess = D == "float32" ? PKind::F32 : D == "float16" ? PKind::F16 : PKind::F64;
      }
      S.Operation = Op::Float;
      S.Kind = needKind(I, Guess);
      if (S.Kind == PKind::Ptr || S.Kind < PKind::F16)
        invalidArgument(where() + paramName(I) + " is " + kindName(S.Kind) +
                        ", got a floating-point " + TName);
    } else if (PyLong_Check(A) || isNumpyInteger(T)) {
      PKind Guess = PKind::Ptr; // a raw int is a pointer unless typed
      if (!ParamsKnown && !PyLong_Check(A) && nb::hasattr(A, "dtype")) {
        std::string D = nb::cast<std::string>(nb::str(nb::handle(A).attr("dtype")));
        Guess = D.find("64") != std::string::npos   ? PKind::I64
                : D.find("32") != std::string::npos ? PKind::I32
                : D.find("16") != std::string::npos ? PKind::I16
                : D == "bool"                        ? PKind::I8
                                                     : PKind::I8;
      }
      S.Kind = needKind(I, Guess);
      if (S.Kind == PKind::Ptr)
        S.Operation = Op::IntPtr;
      else if (S.Kind >= PKind::F16)
        S.Operation = Op::Float; // an integer to a float parameter
      else
        S.Operation = Op::Int;
    } else {
      invalidArgument(where() + paramName(I) +
                      ": cannot pass a " + TName +
                      " (expected a device array, an int, a float or None)");
    }
    P.Steps.push_back(S);
    ++Slot;
  }
  P.Slots = Slot;
  if (ParamsKnown && Slot != Params.size())
    invalidArgument(where() + "takes " + std::to_string(Params.size()) +
                    " parameters, got " + std::to_string(Slot) +
                    (Layout.empty() ? "" : " after flattening arrays"));
  if (!ParamsKnown) {
    // Record the layout inferred, so that later launches must agree.
  }
  return P;
}

std::shared_ptr<const Plan> PyKernel::plan(nb::handle ArgsH) {
  PyObject *Args = ArgsH.ptr();
  Py_ssize_t N = PyTuple_GET_SIZE(Args);
  auto Matches = [&](const Plan &P) {
    if (Py_ssize_t(P.Types.size()) != N)
      return false;
    for (Py_ssize_t I = 0; I != N; ++I)
      if (Py_TYPE(PyTuple_GET_ITEM(Args, I)) != P.Types[I])
        return false;
    return true;
  };
  if (LastPlan < Plans.size() && Matches(*Plans[LastPlan]))
    return Plans[LastPlan];
  for (size_t I = 0; I != Plans.size(); ++I)
    if (Matches(*Plans[I])) {
      LastPlan = I;
      return Plans[I];
    }
  Plan P = build(ArgsH);
  if (Plans.size() >= 16) // argument types churn: keep the newest few
    Plans.erase(Plans.begin());
  Plans.push_back(std::make_shared<const Plan>(std::move(P)));
  LastPlan = Plans.size() - 1;
  return Plans.back();
}

void PyKernel::fill(const Plan &P, nb::handle ArgsH, uint64_t *Storage,
                    const ArrayView *const *Views) {
  PyObject *Args = ArgsH.ptr();
  for (size_t I = 0; I != P.Steps.size(); ++I) {
    const Step &S = P.Steps[I];
    PyObject *A = PyTuple_GET_ITEM(Args, I);
    uint64_t &Out = Storage[S.Slot];
    try {
      fillOne(S, I, A, Out, Views ? Views[I] : nullptr);
    } catch (const ArrayError &E) {
      invalidArgument(where() + paramName(I) + ": " + E.what());
    }
  }
}

void PyKernel::fillOne(const Step &S, size_t I, PyObject *A, uint64_t &Out,
                       const ArrayView *View) {
    switch (S.Operation) {
    case Op::ArrayPtr: {
      Out = View ? View->Data : lcs_python::readPointer(A);
      break;
    }
    case Op::NullPtr:
      Out = 0;
      break;
    case Op::IntPtr: {
      unsigned long long V = PyLong_AsUnsignedLongLong(A);
      if (PyErr_Occurred()) {
        PyErr_Clear();
        long long SV = PyLong_AsLongLong(A);
        if (PyErr_Occurred() || SV < 0) {
          PyErr_Clear();
          invalidArgument(where() + paramName(I) +
                          ": not a valid pointer value");
        }
        V = uint64_t(SV);
      }
      Out = V;
      break;
    }
    case Op::Int: {
      nb::object Index = nb::steal(PyNumber_Index(A));
      if (!Index.is_valid())
        throw nb::python_error();
      int Overflow = 0;
      long long V = PyLong_AsLongLongAndOverflow(Index.ptr(), &Overflow);
      unsigned Bits = S.Kind == PKind::I1 ? 1 : kindSize(S.Kind) * 8;
      bool Ok = !Overflow;
      if (Overflow > 0 && Bits == 64) { // up to 2^64-1 as unsigned
        unsigned long long U = PyLong_AsUnsignedLongLong(Index.ptr());
        Ok = !PyErr_Occurred();
        PyErr_Clear();
        V = (long long)U;
      } else if (Ok && Bits < 64) {
        long long Lo = -(1LL << (Bits - 1)), Hi = (1LL << Bits) - 1;
        if (Bits == 1)
          Lo = 0, Hi = 1;
        Ok = V >= Lo && V <= Hi;
      }
      if (!Ok)
        invalidArgument(where() + paramName(I) + " is " + kindName(S.Kind) +
                        "; " +
                        nb::cast<std::string>(nb::str(nb::handle(A))) +
                        " does not fit");
      Out = 0;
      std::memcpy(&Out, &V, kindSize(S.Kind)); // little endian
      break;
    }
    case Op::Float: {
      double D = PyFloat_AsDouble(A);
      if (D == -1.0 && PyErr_Occurred())
        throw nb::python_error();
      Out = 0;
      if (S.Kind == PKind::F64) {
        std::memcpy(&Out, &D, 8);
      } else if (S.Kind == PKind::F32) {
        float F = float(D);
        std::memcpy(&Out, &F, 4);
      } else {
        uint16_t H = halfFromFloat(float(D));
        std::memcpy(&Out, &H, 2);
      }
      break;
    }
    case Op::NumbaArray: {
      ArrayView Own;
      if (!View) {
        lcs_python::readArray(A, Own);
        View = &Own;
      }
      if (View->NDim != S.NDim)
        invalidArgument(where() + paramName(I) + ": expected " +
                        std::to_string(S.NDim) + " dimensions, got " +
                        std::to_string(View->NDim));
      int64_t NItems = 1;
      uint64_t *Slot = &Out;
      Slot[0] = 0; // meminfo
      Slot[1] = 0; // parent
      for (size_t D = 0; D != S.NDim; ++D) {
        NItems *= View->Shape[D];
        Slot[5 + D] = uint64_t(View->Shape[D]);
        Slot[5 + S.NDim + D] = uint64_t(View->Strides[D]);
      }
      Slot[2] = uint64_t(NItems);
      Slot[3] = uint64_t(View->ItemSize);
      Slot[4] = View->Data;
      break;
    }
    }
}

bool sameConfig(const lcs_launch_config_t &A, const lcs_launch_config_t &B) {
  return std::memcmp(A.grid, B.grid, sizeof A.grid) == 0 &&
         std::memcmp(A.block, B.block, sizeof A.block) == 0 &&
         std::memcmp(A.cluster, B.cluster, sizeof A.cluster) == 0 &&
         A.shared_mem_bytes == B.shared_mem_bytes;
}

void PyKernel::launch(const lcs_launch_config_t &C, nb::handle Args,
                      uint32_t Flags) {
  launch(C, Args, Flags, nullptr); // no IN_CURRENT_CONTEXT: always launches
}

bool PyKernel::launch(const lcs_launch_config_t &C, nb::handle Args,
                      uint32_t Flags, const ArrayView *const *Views) {
  std::shared_ptr<const Plan> P = plan(Args);
  // This launch's own buffers (other threads may launch this kernel while
  // Python code in fill runs): on the stack for up to 64 parameters. A null
  // after the last pointer is harmless to the driver and lets a test driver
  // count the parameters.
  uint64_t Small[64];
  void *SmallPtrs[65];
  std::vector<uint64_t> Big;
  std::vector<void *> BigPtrs;
  uint64_t *Storage = Small;
  void **Ptrs = SmallPtrs;
  if (P->Slots > 64) {
    Big.resize(P->Slots);
    BigPtrs.resize(P->Slots + 1);
    Storage = Big.data();
    Ptrs = BigPtrs.data();
  }
  for (size_t I = 0; I != P->Slots; ++I) {
    Storage[I] = 0;
    Ptrs[I] = &Storage[I];
  }
  Ptrs[P->Slots] = nullptr;
  fill(*P, Args, Storage, Views);
  if (PreLaunch.is_valid()) {
    // The callbacks are this kernel's: not for a launch another device's
    // kernel will make.
    int Current = 1;
    if (Flags & LCS_LAUNCH_IN_CURRENT_CONTEXT)
      check(lcs_runtime_is_current(
          nb::cast<PyRuntime &>(Owner->RuntimeRef).RT, &Current));
    if (!Current)
      return false;
    PreLaunch(toDict(C), Args);
  }
  lcs_launch_options_t Options = {Flags};
  for (const lcs_launch_config_t &S : Seen)
    if (sameConfig(S, C)) {
      lcs_status_t St = Flags ? lcs_launch_ex(K, &C, Ptrs, &Options)
                              : lcs_launch(K, &C, Ptrs);
      if (St == LCS_ERROR_NOT_CURRENT)
        return false;
      check(St);
      return true;
    }
  // May compile or wait: without the GIL (the buffers are this call's).
  lcs_status_t St;
  std::string Message;
  PyObject *SavedArgs = CurrentArgs;
  CurrentArgs = Args.ptr();
  {
    nb::gil_scoped_release Release;
    St = Flags ? lcs_launch_ex(K, &C, Ptrs, &Options) : lcs_launch(K, &C, Ptrs);
    if (St != LCS_SUCCESS)
      Message = lcs_last_error();
  }
  CurrentArgs = SavedArgs;
  if (St == LCS_SUCCESS) {
    if (Seen.size() < 32)
      Seen.push_back(C);
    return true;
  }
  if (St == LCS_ERROR_NOT_CURRENT)
    return false;
  nb::object Cause;
  if (St == LCS_ERROR_COMPILE && Owner && Owner->Gen) {
    std::lock_guard<std::mutex> L(Owner->Gen->M);
    auto It = Owner->Gen->Failures.find(Name);
    if (It != Owner->Gen->Failures.end())
      Cause = It->second;
  }
  raiseStatus(St, Message, Cause.is_valid() ? Cause.ptr() : nullptr);
}

/// kernel[grid, block, ...]: holds the kernel, so it never dangles.
struct Configured {
  nb::object KernelRef;
  PyKernel *K;
  lcs_launch_config_t C;
};

lcs_launch_config_t makeConfig(nb::handle Grid, nb::handle Block,
                               nb::handle Stream, nb::handle Smem,
                               nb::handle Cluster) {
  lcs_launch_config_t C;
  std::memset(&C, 0, sizeof C);
  toDims(Grid, C.grid, 1, "grid");
  toDims(Block, C.block, 1, "block");
  if (!Cluster.is_none())
    toDims(Cluster, C.cluster, 1, "cluster");
  C.stream = toStream(Stream);
  C.shared_mem_bytes = toDim(Smem, "shared_mem");
  return C;
}

/// kernel[grid, block, stream, shared_mem]'s configuration, parsed once
/// per index (Cache: index -> the lcs_launch_config_t's bytes).
lcs_launch_config_t indexConfig(nb::dict &Cache, nb::handle Index) {
  lcs_launch_config_t C;
  PyObject *Hit = PyDict_GetItemWithError(Cache.ptr(), Index.ptr());
  if (Hit && PyBytes_GET_SIZE(Hit) == sizeof C) {
    std::memcpy(&C, PyBytes_AS_STRING(Hit), sizeof C);
    return C;
  }
  PyErr_Clear(); // unhashable: parsed every time
  if (!PyTuple_Check(Index.ptr()) || nb::len(Index) < 2 || nb::len(Index) > 4)
    invalidArgument("kernel[grid, block, stream, shared_mem]: give 2 to 4 "
                    "items");
  nb::tuple T = nb::borrow<nb::tuple>(Index);
  nb::object Zero = nb::int_(0);
  C = makeConfig(T[0], T[1], nb::len(T) > 2 ? T[2] : Zero,
                 nb::len(T) > 3 ? T[3] : Zero, nb::none());
  if (nb::len(Cache) >= 256)
    Cache.clear();
  nb::bytes Bytes(&C, sizeof C);
  if (PyDict_SetItem(Cache.ptr(), Index.ptr(), Bytes.ptr()))
    PyErr_Clear();
  return C;
}

/// A configuration for precompile: a dict with grid, block and optionally
/// shared_mem and cluster, or a tuple (grid, block[, stream, shared_mem]).
lcs_launch_config_t configFrom(nb::handle Item) {
  nb::object Zero = nb::int_(0);
  if (PyDict_Check(Item.ptr())) {
    nb::dict D = nb::borrow<nb::dict>(Item);
    for (auto [Key, Value] : D) {
      std::string K = nb::cast<std::string>(nb::str(Key));
      if (K != "grid" && K != "block" && K != "shared_mem" && K != "cluster" &&
          K != "stream")
        invalidArgument("precompile: unknown configuration key '" + K +
                        "' (grid, block, shared_mem, cluster, stream)");
    }
    if (!D.contains("grid") || !D.contains("block"))
      invalidArgument("precompile: a configuration needs grid and block");
    auto Get = [&](const char *K, nb::handle Default) -> nb::object {
      return D.contains(K) ? nb::object(D[K]) : nb::borrow(Default);
    };
    return makeConfig(D["grid"], D["block"], Get("stream", Zero),
                      Get("shared_mem", Zero), Get("cluster", nb::none()));
  }
  if (!PyTuple_Check(Item.ptr()) || nb::len(Item) < 2 || nb::len(Item) > 4)
    invalidArgument("precompile: a configuration is a dict or a tuple "
                    "(grid, block[, stream, shared_mem])");
  nb::tuple T = nb::borrow<nb::tuple>(Item);
  return makeConfig(T[0], T[1], nb::len(T) > 2 ? T[2] : Zero,
                    nb::len(T) > 3 ? T[3] : Zero, nb::none());
}

/// The exception a status would raise, not raised.
nb::object statusError(lcs_status_t S, const std::string &Message) {
  PyObject *Type = (S > 0 && S < 7) ? StatusErrors[S] : ErrorBase;
  nb::str Text(Message.data(), Message.size());
  PyObject *Exc = PyObject_CallOneArg(Type, Text.ptr());
  if (!Exc)
    throw nb::python_error();
  return nb::steal(Exc);
}

int linkKind(nb::handle Kind) {
  if (Kind.is_none())
    return LCS_LINK_DETECT;
  std::string K = nb::cast<std::string>(Kind);
  static const std::pair<const char *, int> Kinds[] = {
      {"ltoir", LCS_LINK_LTOIR},   {"ptx", LCS_LINK_PTX},
      {"cubin", LCS_LINK_CUBIN},   {"fatbin", LCS_LINK_FATBIN},
      {"object", LCS_LINK_OBJECT}, {"library", LCS_LINK_LIBRARY}};
  for (const auto &[Name, Value] : Kinds)
    if (K == Name)
      return Value;
  invalidArgument("unknown link input kind '" + K +
                  "' (ltoir, ptx, cubin, fatbin, object, library, or None "
                  "to detect)");
}

nb::object kernelFor(nb::handle ProgramH, const std::string &Name) {
  PyProgram &P = nb::cast<PyProgram &>(ProgramH);
  auto It = P.Kernels.find(Name);
  if (It != P.Kernels.end())
    return nb::borrow(It->second);
  lcs_kernel_t K;
  check(lcs_program_get_kernel(P.P, Name.c_str(), &K));
  nb::object Obj = nb::cast(new PyKernel(), nb::rv_policy::take_ownership);
  PyKernel &PK = nb::cast<PyKernel &>(Obj);
  PK.K = K;
  PK.Owner = &P;
  PK.OwnerRef = nb::borrow(ProgramH);
  PK.Name = Name;
  auto GP = P.GenParams.find(Name);
  std::vector<std::string> Types;
  if (GP != P.GenParams.end()) {
    Types = GP->second;
    PK.ParamsKnown = true;
  } else if (!P.Gen) {
    if (!P.InspectDone) {
      P.Info = inspect(P.Modules);
      P.InspectDone = true;
    }
    for (const KernelInfo &KI : P.Info)
      if (KI.Name == Name) {
        Types = KI.Params;
        PK.ParamsKnown = true;
      }
  }
  for (size_t I = 0; I != Types.size(); ++I) {
    PKind Kind;
    if (!parseKind(Types[I], Kind))
      raiseStatus(LCS_ERROR_INVALID_ARGUMENT,
                  "kernel '" + Name + "': parameter " + std::to_string(I) +
                      " has type " + Types[I] +
                      ", which the Python binding cannot pass yet");
    PK.Params.push_back(Kind);
  }
  P.Kernels[Name] = Obj.ptr();
  return Obj;
}

//===-- lcs.numba's launch --------------------------------------------------//
//
// kernel[grid, block, stream, sharedmem](*args) of an lcs.numba kernel is
// one call here. What numba's typing reads from each argument (its Python
// type; for a device array the element type, dimensions, contiguity,
// emptiness and read-only flag) keys the lcs kernel of the argument
// types' numba signature; each array is read once, for the key and for the
// parameters. A miss asks the Python side (numba's typeof, the program of
// that signature); host arrays and arguments of other kinds (a tuple, a
// record) go through the Python side every time.

struct ArgKey {
  PyTypeObject *Type;
  uint32_t TypeId; ///< arrays: the interned typestr
  uint32_t Shape;  ///< arrays: ndim << 8 | flags
  bool operator==(const ArgKey &O) const {
    return Type == O.Type && TypeId == O.TypeId && Shape == O.Shape;
  }
};

enum : uint32_t {
  KeyArray = 1,
  KeyC = 2,
  KeyF = 4,
  KeyEmpty = 8,
  KeyReadOnly = 16,
  KeyZeroStride = 32,
};

struct DispatchEntry {
  std::vector<ArgKey> Key;
  std::vector<nb::object> Types; ///< keeps Key's types alive
  nb::object Kernel;
};

/// The base class of lcs.numba's kernels (LCSKernel): the Python side
/// gives _enter_thread, _resolve and _launch_slow.
struct Dispatcher {
  std::string Name;
  std::vector<std::string> ArgNames;
  nb::object Runtime; ///< the runtime a first launch entered (_lcs.Runtime)
  std::vector<DispatchEntry> Entries;
  size_t Last = 0;
  nb::dict ConfigIndex;
  nb::dict Launchers; ///< index -> Dispatched

  std::string param(size_t I) const {
    std::string S = "kernel '" + Name + "': parameter " + std::to_string(I);
    return I < ArgNames.size() ? S + " ('" + ArgNames[I] + "')" : S;
  }
};

/// The runtime whose context this thread made current (lcs.numba keeps one
/// runtime per device, alive until exit).
thread_local PyObject *ThreadRuntime = nullptr;

struct Dispatched {
  nb::object Owner; ///< the LCSKernel
  Dispatcher *D;
  nb::object Index;
  lcs_launch_config_t C;
};

// Dispatchers and the launchers they keep refer to each other: both take
// part in Python's cycle collection, through the objects each holds.
nb::object *heldBy(Dispatcher *D, size_t I) {
  nb::object *Held[] = {&D->Launchers, &D->Runtime};
  return I < 2 ? Held[I] : nullptr;
}
nb::object *heldBy(Dispatched *L, size_t I) {
  nb::object *Held[] = {&L->Owner, &L->Index};
  return I < 2 ? Held[I] : nullptr;
}

template <typename T> int traverse(PyObject *Self, visitproc visit, void *arg) {
  Py_VISIT(Py_TYPE(Self));
  if (!nb::inst_ready(Self))
    return 0;
  T *Obj = nb::inst_ptr<T>(Self);
  for (size_t I = 0; nb::object *O = heldBy(Obj, I); ++I)
    Py_VISIT(O->ptr());
  if constexpr (std::is_same_v<T, Dispatcher>)
    for (const DispatchEntry &E : Obj->Entries)
      Py_VISIT(E.Kernel.ptr());
  return 0;
}

template <typename T> int clear(PyObject *Self) {
  if (!nb::inst_ready(Self))
    return 0;
  T *Obj = nb::inst_ptr<T>(Self);
  for (size_t I = 0; nb::object *O = heldBy(Obj, I); ++I)
    *O = nb::object();
  if constexpr (std::is_same_v<T, Dispatcher>)
    Obj->Entries.clear();
  return 0;
}

template <typename T> PyType_Slot GCSlots[] = {
    {Py_tp_traverse, reinterpret_cast<void *>(traverse<T>)},
    {Py_tp_clear, reinterpret_cast<void *>(clear<T>)},
    {0, nullptr}};

void dispatch(Dispatched &L, nb::handle ArgsH) {
  if (!L.Owner.is_valid())
    invalidArgument("this launcher was cleared");
  Dispatcher &D = *L.D;
  if (!D.Runtime.is_valid() || ThreadRuntime != D.Runtime.ptr()) {
    D.Runtime = L.Owner.attr("_enter_thread")();
    ThreadRuntime = D.Runtime.ptr();
  }
  PyObject *Args = ArgsH.ptr();
  size_t N = size_t(PyTuple_GET_SIZE(Args));
  constexpr size_t Inline = 8;
  ArgKey KeyInline[Inline];
  ArrayView ViewInline[Inline];
  const ArrayView *PtrInline[Inline];
  std::vector<ArgKey> KeyHeap;
  std::vector<ArrayView> ViewHeap;
  std::vector<const ArrayView *> PtrHeap;
  ArgKey *Key = KeyInline;
  ArrayView *Views = ViewInline;
  const ArrayView **Ptrs = PtrInline;
  if (N > Inline) {
    KeyHeap.resize(N);
    ViewHeap.resize(N);
    PtrHeap.resize(N);
    Key = KeyHeap.data();
    Views = ViewHeap.data();
    Ptrs = PtrHeap.data();
  }
  bool Slow = false;
  for (size_t I = 0; I != N && !Slow; ++I) {
    PyObject *A = PyTuple_GET_ITEM(Args, I);
    PyTypeObject *T = Py_TYPE(A);
    ArrayView &V = Views[I];
    ArgClass Class;
    try {
      Class = lcs_python::readArgument(A, V);
    } catch (const ArrayError &E) {
      invalidArgument(D.param(I) + ": " + E.what());
    }
    Ptrs[I] = nullptr;
    Key[I] = {T, 0, 0};
    if (Class == ArgClass::Scalar) {
      // numba types an int by its value: int64, or uint64 past 2**63.
      if (PyLong_CheckExact(A)) {
        int Overflow = 0;
        PyLong_AsLongLongAndOverflow(A, &Overflow);
        Slow = Overflow != 0;
      }
      continue;
    }
    if (Class != ArgClass::DeviceArray) {
      Slow = true;
      break;
    }
    Slow = V.TypeId == 0;
    Key[I].TypeId = V.TypeId;
    Key[I].Shape = V.NDim << 8 | KeyArray | (V.cContiguous() ? KeyC : 0) |
                   (V.fContiguous() ? KeyF : 0) | (V.empty() ? KeyEmpty : 0) |
                   (V.ReadOnly ? KeyReadOnly : 0) |
                   (V.zeroStride() ? KeyZeroStride : 0);
    Ptrs[I] = &V;
  }
  if (Slow) {
    L.Owner.attr("_launch_slow")(L.Index, nb::handle(Args));
    return;
  }
  auto Matches = [&](const DispatchEntry &E) {
    if (E.Key.size() != N)
      return false;
    for (size_t I = 0; I != N; ++I)
      if (!(E.Key[I] == Key[I]))
        return false;
    return true;
  };
  nb::object Kernel;
  if (D.Last < D.Entries.size() && Matches(D.Entries[D.Last])) {
    Kernel = D.Entries[D.Last].Kernel;
  } else {
    for (size_t I = 0; I != D.Entries.size(); ++I)
      if (Matches(D.Entries[I])) {
        D.Last = I;
        Kernel = D.Entries[I].Kernel;
        break;
      }
  }
  if (!Kernel.is_valid()) {
    // numba's typeof in Python; it may run other threads' launches, so the
    // table is changed only after it returns.
    Kernel = L.Owner.attr("_resolve")(nb::handle(Args));
    if (Kernel.is_none()) { // arguments the owner takes apart: not keyed
      L.Owner.attr("_launch_slow")(L.Index, nb::handle(Args));
      return;
    }
    nb::cast<PyKernel &>(Kernel); // a Kernel, or a TypeError now
    DispatchEntry E;
    E.Key.assign(Key, Key + N);
    for (size_t I = 0; I != N; ++I)
      E.Types.push_back(nb::borrow(reinterpret_cast<PyObject *>(Key[I].Type)));
    E.Kernel = Kernel;
    if (D.Entries.size() >= 64) // argument types churn: start over
      D.Entries.clear();
    D.Entries.push_back(std::move(E));
    D.Last = D.Entries.size() - 1;
  }
  // numba's current device is where the launch goes: the runtime's own
  // context check refuses another device's context, whose launch goes to a
  // kernel object of that device (its own programs).
  if (nb::cast<PyKernel &>(Kernel).launch(L.C, ArgsH,
                                          LCS_LAUNCH_IN_CURRENT_CONTEXT, Ptrs))
    return;
  nb::object Other = L.Owner.attr("_for_device")();
  if (Other.ptr() == L.Owner.ptr()) // this device, a context of the caller's
    nb::cast<PyKernel &>(Kernel).launch(L.C, ArgsH, 0, Ptrs);
  else
    dispatch(nb::cast<Dispatched &>(nb::object(Other[L.Index])), ArgsH);
}

nb::dict variantDict(const lcs_variant_info_t &V) {
  nb::dict D;
  D["key"] = std::string(V.key);
  D["groups"] = std::string(V.groups);
  D["compiled"] = bool(V.compiled);
  return D;
}

nb::dict toDict(const lcs_launch_config_t &C) {
  nb::dict D;
  D["grid"] = nb::make_tuple(C.grid[0], C.grid[1], C.grid[2]);
  D["block"] = nb::make_tuple(C.block[0], C.block[1], C.block[2]);
  D["cluster"] = nb::make_tuple(C.cluster[0], C.cluster[1], C.cluster[2]);
  D["shared_mem"] = C.shared_mem_bytes;
  D["stream"] = uintptr_t(C.stream);
  return D;
}

uint32_t fieldBits(nb::args Fields) {
  static const char *Names[] = {"block.x",   "block.y",   "block.z",
                                "grid.x",    "grid.y",    "grid.z",
                                "cluster.x", "cluster.y", "cluster.z",
                                "smem.dynamic"};
  static const std::pair<const char *, uint32_t> Groups[] = {
      {"block", 0x7}, {"grid", 0x38}, {"cluster", 0x1c0}, {"smem", 0x200},
      {"all", LCS_FIELD_ALL}};
  uint32_t Bits = 0;
  for (nb::handle F : Fields) {
    std::string S = nb::cast<std::string>(F);
    bool Found = false;
    for (unsigned I = 0; I != 10; ++I)
      if (S == Names[I])
        Bits |= 1u << I, Found = true;
    for (const auto &[G, B] : Groups)
      if (S == G)
        Bits |= B, Found = true;
    if (!Found)
      invalidArgument("unknown launch field '" + S +
                      "' (fields: block.x ... smem.dynamic, or a group: "
                      "block, grid, cluster, smem, all)");
  }
  return Bits;
}

uint32_t groupBits(nb::handle Groups) {
  static const std::pair<const char *, uint32_t> Names[] = {
      {"block", LCS_GROUP_BLOCK},
      {"grid", LCS_GROUP_GRID},
      {"cluster", LCS_GROUP_CLUSTER},
      {"smem", LCS_GROUP_SMEM}};
  uint32_t Bits = 0;
  for (nb::handle G : nb::iter(Groups)) {
    std::string S = nb::cast<std::string>(G);
    bool Found = false;
    for (const auto &[N, B] : Names)
      if (S == N)
        Bits |= B, Found = true;
    if (!Found)
      invalidArgument("unknown field group '" + S +
                      "' (groups: block, grid, cluster, smem)");
  }
  return Bits;
}

nb::list fieldList(uint32_t Bits) {
  static const char *Names[] = {"block.x",   "block.y",   "block.z",
                                "grid.x",    "grid.y",    "grid.z",
                                "cluster.x", "cluster.y", "cluster.z",
                                "smem.dynamic"};
  nb::list L;
  for (unsigned I = 0; I != 10; ++I)
    if (Bits >> I & 1)
      L.append(Names[I]);
  return L;
}

} // namespace

NB_MODULE(_lcs, m) {
  m.doc() = "The lcs runtime's binding; use the lcs package.";
  // Runtimes, programs and generator callables may live until exit on
  // purpose (lcs.numba keeps one runtime per device).
  nb::set_leak_warnings(false);

  ErrorBase = makeError("lcs.Error", PyExc_Exception,
                        "Base of every lcs error; str() is lcs's message.");
  struct {
    lcs_status_t S;
    const char *Name, *Doc;
    PyObject *Extra;
  } Kinds[] = {
      {LCS_ERROR_INVALID_ARGUMENT, "lcs.InvalidArgumentError",
       "A bad argument: an unknown name, a value of the wrong type.",
       PyExc_ValueError},
      {LCS_ERROR_NO_DRIVER, "lcs.NoDriverError",
       "libcuda.so.1 is missing or there is no device.", nullptr},
      {LCS_ERROR_DRIVER, "lcs.DriverError", "The CUDA driver failed a call.",
       nullptr},
      {LCS_ERROR_INVALID_CONFIG, "lcs.InvalidConfigError",
       "A launch configuration was rejected (the message names the field).",
       nullptr},
      {LCS_ERROR_COMPILE, "lcs.CompileError",
       "Bad IR, or a generator failed (its exception is the __cause__).",
       nullptr},
      {LCS_ERROR_NO_LAUNCH_CONFIG, "lcs.NoLaunchConfigError",
       "No generator is running on this thread.", nullptr},
  };
  m.attr("Error") = nb::handle(ErrorBase);
  for (auto &K : Kinds) {
    PyObject *Base = ErrorBase;
    nb::object Bases;
    if (K.Extra) {
      Bases = nb::make_tuple(nb::handle(ErrorBase), nb::handle(K.Extra));
      Base = Bases.ptr();
    }
    StatusErrors[K.S] = makeError(K.Name, Base, K.Doc);
    m.attr(std::string(K.Name).substr(4).c_str()) = nb::handle(StatusErrors[K.S]);
  }
  UnsupportedError = makeError(
      "lcs.UnsupportedError", ErrorBase,
      "A feature lcs does not support yet (the message names it).");
  m.attr("UnsupportedError") = nb::handle(UnsupportedError);

  m.def("version", [] { return std::string(lcs_version()); },
        "lcs's version.");

  m.def(
      "inspect",
      [](const ModuleList &Mods) {
        nb::list Out;
        for (const KernelInfo &K : inspect(Mods)) {
          nb::dict D;
          D["name"] = K.Name;
          D["fields"] = K.Fields;
          D["explicit"] = K.Explicit;
          D["params"] = K.Params;
          Out.append(D);
        }
        return Out;
      },
      nb::arg("modules"),
      "Each kernel of the modules (name, bytes), linked in order: fields, "
      "explicit, params. No GPU needed.");

  m.def(
      "emit_ptx",
      [](const ModuleList &Mods, const std::string &Kernel,
         const std::string &Arch) {
        std::vector<lcs_module_t> C = toModules(Mods);
        // Each call compiles: one, unless the PTX outgrows the buffer.
        std::string Text(size_t(1) << 20, '\0');
        size_t Needed = 0;
        for (int Try = 0; Try != 2; ++Try) {
          lcs_status_t S;
          {
            nb::gil_scoped_release Release;
            S = lcs_emit_ptx(C.data(), C.size(), Kernel.c_str(),
                             Arch.c_str(), Text.data(), Text.size(), &Needed);
          }
          check(S);
          if (Needed <= Text.size())
            break;
          Text.assign(Needed, '\0');
        }
        Text.resize(Needed ? Needed - 1 : 0);
        return Text;
      },
      nb::arg("modules"), nb::arg("kernel") = "", nb::arg("arch") = "",
      "The generic PTX of a kernel of the modules (name, bytes), linked in "
      "order, for arch (sm_90 by default). No GPU needed.");

  m.def(
      "current_launch_config",
      [] {
        lcs_launch_config_t C;
        check(lcs_current_launch_config(&C));
        return toDict(C);
      },
      "While a generator runs: its launch configuration.");
  m.def(
      "mark_launch_config_sensitive",
      [](nb::args Fields) {
        check(lcs_mark_launch_config_sensitive(fieldBits(Fields)));
      },
      "While a generator runs: the fields its output depends on.");
  m.def("field_bits", [](nb::args Fields) { return fieldBits(Fields); });
  m.def(
      "generator_add_link",
      [](nb::bytes Data, nb::handle Kind, const std::string &Name) {
        lcs_link_input_t L = {Name.c_str(), linkKind(Kind), Data.c_str(),
                              Data.size()};
        check(lcs_generator_add_link(&L));
      },
      nb::arg("data"), nb::arg("kind").none() = nb::none(),
      nb::arg("name") = "link input",
      "While a generator runs: device code nvJitLink links into this "
      "configuration's cubin (kind: ltoir, ptx, cubin, fatbin, object, "
      "library; None detects it).");
  m.def(
      "generator_set_attributes",
      [](int Carveout, bool NonPortable, int Scheduling, bool Cooperative) {
        lcs_function_attributes_t A = {Carveout, NonPortable ? 1 : 0,
                                       Scheduling, Cooperative ? 1 : 0};
        check(lcs_generator_set_attributes(&A));
      },
      nb::arg("shared_memory_carveout") = -1,
      nb::arg("non_portable_cluster_size_allowed") = false,
      nb::arg("cluster_scheduling_policy") = 0,
      nb::arg("cooperative") = false,
      "While a generator runs: the function attributes of this "
      "configuration's variant (set when it loads, stored with it).");
  m.def(
      "_current_launch_args",
      []() -> nb::object {
        if (!CurrentArgs)
          return nb::none();
        return nb::borrow(CurrentArgs);
      },
      "The arguments of the launch that is compiling on this thread.");

  nb::class_<PyRuntime>(m, "Runtime")
      .def(
          "__init__",
          [](PyRuntime *Self, nb::object CacheDir, nb::object Remote) {
            new (Self) PyRuntime();
            std::string Dir, URL;
            const char *DirPtr = nullptr, *RemotePtr = nullptr;
            if (!CacheDir.is_none()) {
              Dir = nb::cast<std::string>(CacheDir);
              DirPtr = Dir.c_str();
            }
            if (!Remote.is_none()) {
              URL = nb::cast<std::string>(Remote);
              RemotePtr = URL.c_str();
            }
            lcs_status_t S;
            {
              nb::gil_scoped_release Release;
              S = lcs_runtime_create_remote(DirPtr, RemotePtr, &Self->RT);
            }
            check(S);
          },
          nb::arg("cache_dir").none() = nb::none(),
          nb::arg("remote_cache").none() = nb::none())
      .def(
          "program",
          [](nb::handle Self, const ModuleList &Mods) {
            PyRuntime &R = nb::cast<PyRuntime &>(Self);
            auto *P = new PyProgram();
            nb::object Obj = nb::cast(P, nb::rv_policy::take_ownership);
            P->RuntimeRef = nb::borrow(Self);
            P->Modules = Mods;
            std::vector<lcs_module_t> C = toModules(P->Modules);
            lcs_status_t S;
            {
              nb::gil_scoped_release Release;
              S = lcs_program_create(R.RT, C.data(), C.size(), &P->P);
            }
            check(S);
            return Obj;
          },
          nb::arg("modules"))
      .def(
          "program_from_generator",
          [](nb::handle Self, const std::string &Identity, nb::object Fn,
             std::map<std::string, std::vector<std::string>> Params) {
            PyRuntime &R = nb::cast<PyRuntime &>(Self);
            if (!PyCallable_Check(Fn.ptr()))
              invalidArgument("program_from_generator: fn is not callable");
            auto *P = new PyProgram();
            nb::object Obj = nb::cast(P, nb::rv_policy::take_ownership);
            P->RuntimeRef = nb::borrow(Self);
            P->Gen = std::make_unique<GenState>();
            P->Gen->Fn = Fn;
            P->GenParams = std::move(Params);
            check(lcs_program_create_generated(R.RT, Identity.c_str(),
                                               generatorTrampoline,
                                               P->Gen.get(), &P->P));
            return Obj;
          },
          nb::arg("identity"), nb::arg("fn"), nb::arg("params"))
      .def_prop_ro("counters",
                   [](PyRuntime &R) {
                     lcs_counters_t C;
                     check(lcs_runtime_get_counters(R.RT, &C));
                     nb::dict D;
                     D["launches"] = C.launches;
                     D["compiles"] = C.compiles;
                     D["memory_hits"] = C.memory_hits;
                     D["disk_hits"] = C.disk_hits;
                     D["generator_calls"] = C.generator_calls;
                     return D;
                   })
      .def("set_default_policy", [](PyRuntime &R, nb::handle Groups,
                                    uint32_t Max) {
        lcs_policy_t P = {groupBits(Groups), Max};
        check(lcs_runtime_set_default_policy(R.RT, &P));
      });

  nb::class_<PyProgram>(m, "Program")
      .def("kernel", &kernelFor, nb::arg("name"))
      .def_prop_ro("runtime", [](PyProgram &P) { return P.RuntimeRef; });

  nb::class_<PyKernel>(m, "Kernel")
      .def_ro("name", &PyKernel::Name)
      .def_prop_ro("params",
                   [](PyKernel &K) -> nb::object {
                     if (!K.ParamsKnown)
                       return nb::none();
                     nb::list L;
                     for (PKind P : K.Params)
                       L.append(kindName(P));
                     return L;
                   })
      .def("_set_layout",
           [](PyKernel &K, std::vector<std::pair<bool, int>> Layout,
              std::vector<std::string> Names) {
             K.Layout.clear();
             for (auto &[Array, NDim] : Layout)
               K.Layout.push_back({Array, uint16_t(NDim)});
             K.ParamNames = std::move(Names);
             K.Plans.clear();
           })
      .def("_set_pre_launch",
           [](PyKernel &K, nb::object Fn) {
             K.PreLaunch = Fn.is_none() ? nb::object() : Fn;
           })
      .def(
          "variant_for",
          [](PyKernel &K, nb::handle Config) {
            lcs_launch_config_t C = configFrom(Config);
            lcs_variant_info_t V;
            check(lcs_kernel_variant_for(K.K, &C, &V));
            return variantDict(V);
          },
          nb::arg("config"),
          "The variant a configuration (as precompile takes it) maps to, "
          "compiled or not.")
      .def_prop_ro("sensitivity",
                   [](PyKernel &K) {
                     lcs_sensitivity_t S;
                     check(lcs_kernel_sensitivity(K.K, &S));
                     return nb::make_tuple(fieldList(S.fields),
                                           bool(S.is_explicit));
                   })
      .def_prop_ro("variants",
                   [](PyKernel &K) {
                     size_t N;
                     check(lcs_kernel_variant_count(K.K, &N));
                     nb::list L;
                     for (size_t I = 0; I != N; ++I) {
                       lcs_variant_info_t V;
                       check(lcs_kernel_variant_info(K.K, I, &V));
                       L.append(variantDict(V));
                     }
                     return L;
                   })
      .def(
          "set_policy",
          [](PyKernel &K, nb::handle Groups, uint32_t Max) {
            lcs_policy_t P = {groupBits(Groups), Max};
            check(lcs_kernel_set_policy(K.K, &P));
          },
          nb::arg("groups") = nb::make_tuple("block", "cluster"),
          nb::arg("max_variants") = 8,
          "The field groups this kernel specialises on, and its bound on "
          "specialised variants.")
      .def(
          "launch",
          [](nb::handle Self, nb::args Args, nb::handle Grid, nb::handle Block,
             nb::handle Stream, nb::handle Smem, nb::handle Cluster,
             bool Cooperative) {
            PyKernel &K = nb::cast<PyKernel &>(Self);
            lcs_launch_config_t C = makeConfig(Grid, Block, Stream, Smem,
                                               Cluster);
            K.launch(C, Args, Cooperative ? LCS_LAUNCH_COOPERATIVE : 0);
          },
          nb::arg("args"), nb::arg("grid"), nb::arg("block"),
          nb::arg("stream") = 0, nb::arg("shared_mem") = 0,
          nb::arg("cluster").none() = nb::none(),
          nb::arg("cooperative") = false)
      .def(
          "precompile",
          [](PyKernel &K, nb::iterable Configs) {
            std::vector<lcs_launch_config_t> Cs;
            for (nb::handle Item : Configs)
              Cs.push_back(configFrom(Item));
            std::vector<lcs_status_t> Statuses(Cs.size(), LCS_SUCCESS);
            {
              nb::gil_scoped_release Release;
              lcs_kernel_precompile(K.K, Cs.data(), Cs.size(),
                                    Statuses.data());
            }
            nb::list Out;
            for (size_t I = 0; I != Cs.size(); ++I) {
              if (Statuses[I] == LCS_SUCCESS) {
                Out.append(nb::none());
                continue;
              }
              // Its own message: checked again, or the failure remembered.
              lcs_status_t S;
              std::string Message;
              {
                nb::gil_scoped_release Release;
                S = lcs_kernel_precompile(K.K, &Cs[I], 1, nullptr);
                Message = lcs_last_error();
              }
              if (S == LCS_SUCCESS) { // a transient failure, gone
                Out.append(nb::none());
                continue;
              }
              const std::string Prefix = "configuration 0: ";
              if (Message.rfind(Prefix, 0) == 0)
                Message = Message.substr(Prefix.size());
              nb::object E = statusError(S, Message);
              nb::object Cause;
              if (S == LCS_ERROR_COMPILE && K.Owner && K.Owner->Gen) {
                std::lock_guard<std::mutex> L(K.Owner->Gen->M);
                auto It = K.Owner->Gen->Failures.find(K.Name);
                if (It != K.Owner->Gen->Failures.end())
                  Cause = It->second;
              }
              if (Cause.is_valid()) {
                Py_INCREF(Cause.ptr());
                PyException_SetCause(E.ptr(), Cause.ptr()); // steals
              }
              Out.append(E);
            }
            return Out;
          },
          nb::arg("configs"),
          "Builds and loads the variants of configs (dicts with grid, block, "
          "shared_mem, cluster, or tuples (grid, block[, stream, "
          "shared_mem])) without launching, several at once. Returns one "
          "entry per configuration: None, or the exception its launch would "
          "raise.")
      .def("__getitem__", [](nb::handle Self, nb::handle Index) {
        PyKernel &K = nb::cast<PyKernel &>(Self);
        return nb::cast(
            new Configured{nb::borrow(Self), &K, indexConfig(K.ConfigIndex, Index)},
            nb::rv_policy::take_ownership);
      });

  m.def(
      "_read_array",
      [](nb::handle A) {
        ArrayView V;
        try {
          lcs_python::readArray(A.ptr(), V);
        } catch (const ArrayError &E) {
          invalidArgument(E.what());
        }
        nb::list Shape, Strides;
        for (uint32_t I = 0; I != V.NDim; ++I) {
          Shape.append(V.Shape[I]);
          Strides.append(V.Strides[I]);
        }
        nb::dict D;
        D["data"] = V.Data;
        D["shape"] = nb::tuple(Shape);
        D["strides"] = nb::tuple(Strides);
        D["itemsize"] = V.ItemSize;
        D["typestr"] = lcs_python::typeStr(V.TypeId);
        D["readonly"] = V.ReadOnly;
        D["c_contiguous"] = V.cContiguous();
        D["f_contiguous"] = V.fContiguous();
        return D;
      },
      "What a launch reads from a device array (for tests: the same as "
      "its __cuda_array_interface__ says).");

  nb::class_<Dispatcher>(m, "Dispatcher", nb::type_slots(GCSlots<Dispatcher>))
      .def(nb::init<>())
      .def("_dispatcher_init",
           [](Dispatcher &D, std::string Name,
              std::vector<std::string> ArgNames) {
             D.Name = std::move(Name);
             D.ArgNames = std::move(ArgNames);
           })
      .def("__getitem__",
           [](nb::handle Self, nb::handle Index) -> nb::object {
             Dispatcher &D = nb::cast<Dispatcher &>(Self);
             PyObject *Hit = PyDict_GetItemWithError(D.Launchers.ptr(),
                                                     Index.ptr());
             if (Hit)
               return nb::borrow(Hit);
             PyErr_Clear(); // unhashable: not kept
             nb::object L = nb::cast(
                 new Dispatched{nb::borrow(Self), &D, nb::borrow(Index),
                                indexConfig(D.ConfigIndex, Index)},
                 nb::rv_policy::take_ownership);
             if (nb::len(D.Launchers) >= 256)
               D.Launchers.clear();
             if (PyDict_SetItem(D.Launchers.ptr(), Index.ptr(), L.ptr()))
               PyErr_Clear();
             return L;
           })
      .def("_forget", [](Dispatcher &D) { D.Entries.clear(); },
           "Forgets the argument types seen (the next launch of each asks "
           "_resolve again).");

  nb::class_<Dispatched>(m, "DispatchedKernel", nb::type_slots(GCSlots<Dispatched>))
      .def("__call__",
           [](Dispatched &L, nb::args Args) { dispatch(L, Args); })
      .def_prop_ro("config", [](Dispatched &L) { return toDict(L.C); });

  nb::class_<Configured>(m, "ConfiguredKernel")
      .def("__call__",
           [](Configured &C, nb::args Args) { C.K->launch(C.C, Args); })
      .def_prop_ro("config", [](Configured &C) { return toDict(C.C); });
}
