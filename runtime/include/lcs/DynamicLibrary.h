//===- lcs/DynamicLibrary.h - An owned dlopen handle ------------*- C++ -*-===//
///
/// \file
/// lcs never links the CUDA driver or toolkit libraries: it opens them at run
/// time, so that every binary starts on a machine without them and says
/// which one is missing. DynamicLibrary owns one dlopen handle (move-only,
/// closed in a noexcept destructor), as jitify2's DynamicLibrary does.
///
/// Libraries whose function pointers are kept in process-wide tables (the
/// driver, nvJitLink) are opened once and never closed: release() hands the
/// handle over to the process, so no static destructor can unload code that
/// a later destructor still calls.
///
/// No LLVM here: the runtime's cache-only processes and the driver seam use
/// it too.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_DYNAMICLIBRARY_H
#define LCS_DYNAMICLIBRARY_H

#include <string>
#include <utility>
#include <vector>

namespace lcs {

class DynamicLibrary {
public:
  DynamicLibrary() = default;
  ~DynamicLibrary() { reset(); }
  DynamicLibrary(const DynamicLibrary &) = delete;
  DynamicLibrary &operator=(const DynamicLibrary &) = delete;
  DynamicLibrary(DynamicLibrary &&O) noexcept
      : Handle(std::exchange(O.Handle, nullptr)), Name(std::move(O.Name)) {}
  DynamicLibrary &operator=(DynamicLibrary &&O) noexcept {
    if (this != &O) {
      reset();
      Handle = std::exchange(O.Handle, nullptr);
      Name = std::move(O.Name);
    }
    return *this;
  }

  /// Opens the first of \p Names (file names for the loader's search, or
  /// paths) that loads, with RTLD_NOW | RTLD_LOCAL. When none does, the
  /// result is empty and \p Error names every name tried with the loader's
  /// reason ("libfoo.so.1: cannot open shared object file: ...").
  static DynamicLibrary open(const std::vector<std::string> &Names,
                             std::string &Error);

  explicit operator bool() const { return Handle != nullptr; }
  /// The name it was opened by; empty when closed.
  const std::string &name() const { return Name; }

  /// The address of \p Symbol, or null.
  void *symbol(const char *Symbol) const;
  /// \p Out = \p Symbol as a function pointer (null when absent); true if
  /// found.
  template <typename Fn> bool symbol(const char *Symbol, Fn *&Out) const {
    void *P = symbol(Symbol);
    // POSIX guarantees data and function pointers convert (dlsym's contract).
    Out = reinterpret_cast<Fn *>(P);
    return P != nullptr;
  }

  /// Gives up ownership: the library stays loaded for the life of the
  /// process. Returns the handle.
  void *release() {
    Name.clear();
    return std::exchange(Handle, nullptr);
  }
  /// Closes the library (if open).
  void reset() noexcept;

private:
  void *Handle = nullptr;
  std::string Name;
};

} // namespace lcs

#endif // LCS_DYNAMICLIBRARY_H
