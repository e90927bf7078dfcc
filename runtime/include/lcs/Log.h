//===- lcs/Log.h - LCS_LOG diagnostics --------------------------*- C++ -*-===//
//
// LCS_LOG=error|warning|info|debug (default: warning) chooses what lcs
// reports on stderr. At info, every compile and cache event is one line
// with its duration (the variant line is wrapped here, not in the output):
//
//   lcs: info: analysis source=8b3cf942b8237fce cache=miss 2.30 ms
//   lcs: info: variant kernel=scan arch=sm_90 groups=block=256x1x1 kind=ptx
//     cache=miss 23.41 ms
//   lcs: info: load kernel=scan key=89cdcd554b549b0d 0.10 ms
//
// Nothing here is ever called on the launch path of a loaded variant.
//
//===----------------------------------------------------------------------===//

#ifndef LCS_LOG_H
#define LCS_LOG_H

#include <chrono>
#include <string>

namespace lcs::log {

enum class Level { Error, Warning, Info, Debug };

/// The level LCS_LOG asks for, read once per process. An unknown value
/// is reported once and taken as "warning".
Level level();

inline bool enabled(Level L) { return L <= level(); }

/// Writes "lcs: <level>: <Msg>" to stderr as one line.
void write(Level L, const std::string &Msg);

/// Measures one event; report() writes it with its duration in ms.
class Timer {
public:
  Timer() : Start(std::chrono::steady_clock::now()) {}
  double millis() const {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - Start)
        .count();
  }
  void report(Level L, const std::string &Msg) const;

private:
  std::chrono::steady_clock::time_point Start;
};

} // namespace lcs::log

#endif // LCS_LOG_H
