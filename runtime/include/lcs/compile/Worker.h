//===- Worker.h - Compiles in a separate process ----------------*- C++ -*-===//
///
/// \file
/// The containment boundary: every LLVM call on user input (parsing,
/// linking, verification, the analysis and its dead-read cleanup, code
/// generation) that the runtime makes runs in a compile worker, a process of
/// its own (`lcs-worker`) fed over a socket. An LLVM fatal error, an abort or
/// a crash there ends the worker, never the host: the request fails with a
/// message naming what happened, and the next request starts a new worker.
///
/// Why a process and not LLVM's CrashRecoveryContext in the host: after a
/// crash inside LLVM its state (the context, the pass registry, allocators
/// mid-update) is not known to be usable, and a host (Python with its own
/// signal handlers, faulthandler, other LLVMs) should not have lcs's
/// handlers chained into its own. A worker is also single-threaded, which
/// the target probe (TargetCheck) needs for fork().
///
/// The pool keeps up to MaxWorkers processes, started on demand and reused;
/// a request waits for an idle one. Spawning uses posix_spawn, so it is safe
/// from any thread of a multi-threaded host; the socket is written with
/// MSG_NOSIGNAL, so a dead worker never raises SIGPIPE in the host.
///
/// Wire format (both directions, little endian), one frame a message:
///
///   frame    := u32 magic "LCSW" u32 length body
///   request  := u8 op (1 analyse, 2 build, 3 inspect) then the op's
///               fields (Worker.cpp; analyse and inspect carry the sources,
///               a build ends with its link inputs: u32 count, then each
///               as str name, u8 kind, str bytes)
///   response := u8 ok, str message, str payload
///   str      := u64 length, bytes
///
/// No LLVM here: the host side of the boundary links none.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_COMPILE_WORKER_H
#define LCS_COMPILE_WORKER_H

#include "lcs/compile/Backend.h"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace lcs::worker {

/// The result of one request: Ok, or a one-line message.
struct Reply {
  bool Ok = false;
  std::string Message;
  std::string Payload;
};

enum : uint8_t { OpAnalyse = 1, OpBuild = 2, OpInspect = 3, OpPrepare = 4 };

std::string encodeAnalyse(const Sources &Inputs);
/// OpPrepare: as OpAnalyse, and the reply also holds the Prepared program
/// (encodePrepared).
std::string encodePrepare(const Sources &Inputs);
std::string encodeBuild(const BuildJob &J);
std::string encodeInspect(const Sources &Inputs);
/// OpPrepare's reply payload: the records, then the prepared program.
std::string encodePrepared(const std::vector<cache::KernelRecord> &Records,
                           const Prepared &Program);
bool decodePrepared(const std::string &Payload,
                    std::vector<cache::KernelRecord> &Records,
                    Prepared &Program);
/// Decodes a request; false if it is malformed. \p Op is one of Op*; the
/// sources of OpAnalyse, OpPrepare and OpInspect go to \p Inputs. A build
/// carries either its sources or its prepared program.
bool decodeRequest(const std::string &Body, uint8_t &Op, Sources &Inputs,
                   BuildJob &Job);
std::string encodeReply(const Reply &R);
bool decodeReply(const std::string &Body, Reply &Out);

/// Writes one frame to \p Fd; false on any error (never SIGPIPE).
bool writeFrame(int Fd, const std::string &Body);
/// Reads one frame from \p Fd; false at end of file or on error.
bool readFrame(int Fd, std::string &Body);

/// How a process ended, for a message: "the compile worker crashed
/// (SIGABRT): LLVM ERROR: ..." from its wait status and its stderr (LLVM's
/// fatal message if there is one, else the last line). \p Who names it.
std::string describeDeath(const std::string &Who, int WaitStatus,
                          const std::string &Stderr);

/// Where lcs-worker is: $LCS_WORKER, else next to the library or program
/// that holds this code (DIR, DIR/../bin, DIR/../libexec/lcs); empty if
/// none exists.
std::string findWorker();

/// A bounded pool of compile workers.
class Pool {
public:
  /// \p MaxWorkers 0: one per core. \p Program empty: findWorker().
  explicit Pool(unsigned MaxWorkers = 0, std::string Program = "");
  ~Pool();
  Pool(const Pool &) = delete;
  Pool &operator=(const Pool &) = delete;

  /// Sends \p Request to a worker and waits for its reply. A worker that
  /// dies or exceeds the time limit ($LCS_COMPILE_TIMEOUT seconds, default
  /// 600) is reaped and the reply says what happened ("the compile worker
  /// crashed (SIGABRT): LLVM ERROR: ...").
  Reply call(const std::string &Request);

  /// Workers started so far (tests: restarts after crashes).
  unsigned started() const;

  /// Starts a worker, without waiting for it, when none is idle and the
  /// pool may grow: its start-up (exec, loading libLLVM) then overlaps what
  /// the caller does before its first call (a generator running).
  void prestart();

private:
  struct Process;
  std::unique_ptr<Process> take(std::string &Error);
  /// A new worker; the caller has counted it in Live.
  std::unique_ptr<Process> spawn(std::string &Error);
  void give(std::unique_ptr<Process> P);

  std::string Program;
  unsigned MaxWorkers;
  unsigned TimeoutSeconds;
  mutable std::mutex M;
  std::condition_variable CV;
  std::vector<std::unique_ptr<Process>> Idle;
  unsigned Live = 0;
  unsigned Started = 0;
};

} // namespace lcs::worker

namespace lcs {

/// The CompileBackend of the runtime: every call in a worker of its pool.
class WorkerBackend : public CompileBackend {
public:
  explicit WorkerBackend(unsigned MaxWorkers = 0, std::string Program = "")
      : Workers(MaxWorkers, std::move(Program)) {}

  Status analyse(const worker::Sources &Inputs,
                 std::vector<cache::KernelRecord> &Out) override;
  Status prepare(const worker::Sources &Inputs,
                 std::vector<cache::KernelRecord> &Out,
                 std::shared_ptr<const worker::Prepared> &Program) override;
  Status build(const worker::BuildJob &J, cache::Variant &Out) override;
  Status inspect(const worker::Sources &Inputs, std::string &Out) override;

  worker::Pool &pool() { return Workers; }

private:
  worker::Pool Workers;
};

/// A backend with one worker for this process's calls that have no runtime
/// (lcs_inspect_modules); made on first use and never destroyed, so no
/// exit-time destructor races a call on another thread.
WorkerBackend &sharedWorkerBackend();

} // namespace lcs

#endif // LCS_COMPILE_WORKER_H
