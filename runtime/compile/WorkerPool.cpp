//===- WorkerPool.cpp - The compile worker processes ----------------------===//
//
// See Worker.h: the pool of lcs-worker processes (spawned, reused, reaped
// when they die or time out) and the runtime's backend over it. No LLVM.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/Worker.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace lcs::worker {

namespace {
/// What is kept of a worker's stderr for the message when it dies.
constexpr size_t StderrTail = 4096;
} // namespace


struct Pool::Process {
  pid_t Pid = -1;
  int Sock = -1; ///< requests and replies
  int Err = -1;  ///< the worker's stderr, read while waiting
  std::string ErrTail;
  std::string Partial; ///< an unfinished stderr line

  ~Process() {
    if (Sock >= 0)
      ::close(Sock);
    if (Err >= 0)
      ::close(Err);
    if (Pid > 0) {
      ::kill(Pid, SIGKILL);
      int St;
      while (::waitpid(Pid, &St, 0) < 0 && errno == EINTR)
        ;
    }
  }

  /// Drains what the worker wrote to stderr, keeping the tail for the
  /// message should it die. Its LCS_LOG lines ("lcs: ...") are the host's
  /// log and go to the host's stderr, a whole line at a time.
  void drainStderr() {
    char Buf[4096];
    for (;;) {
      ssize_t N = ::read(Err, Buf, sizeof Buf);
      if (N <= 0)
        break;
      ErrTail.append(Buf, size_t(N));
      Partial.append(Buf, size_t(N));
      for (size_t End; (End = Partial.find('\n')) != std::string::npos;) {
        if (Partial.compare(0, 5, "lcs: ") == 0)
          std::fwrite(Partial.data(), 1, End + 1, stderr);
        Partial.erase(0, End + 1);
      }
      if (Partial.size() > StderrTail)
        Partial.clear();
      if (ErrTail.size() > 2 * StderrTail)
        ErrTail.erase(0, ErrTail.size() - StderrTail);
    }
  }

  /// How the worker ended, once it has; reaps it.
  std::string death() {
    drainStderr();
    int St = 0;
    pid_t R;
    while ((R = ::waitpid(Pid, &St, 0)) < 0 && errno == EINTR)
      ;
    Pid = -1;
    if (R < 0)
      return "the compile worker was lost";
    return describeDeath("the compile worker", St, ErrTail);
  }
};

Pool::Pool(unsigned MaxWorkers, std::string Program)
    : Program(Program.empty() ? findWorker() : std::move(Program)),
      MaxWorkers(MaxWorkers ? MaxWorkers
                            : std::max(1u, std::thread::hardware_concurrency())),
      TimeoutSeconds(600) {
  if (const char *T = std::getenv("LCS_COMPILE_TIMEOUT"))
    if (unsigned long V = std::strtoul(T, nullptr, 10); V > 0)
      TimeoutSeconds = unsigned(std::min(V, 86400ul));
}

Pool::~Pool() = default;

unsigned Pool::started() const {
  std::lock_guard<std::mutex> L(M);
  return Started;
}

std::unique_ptr<Pool::Process> Pool::take(std::string &Error) {
  {
    std::unique_lock<std::mutex> L(M);
    CV.wait(L, [&] { return !Idle.empty() || Live < MaxWorkers; });
    if (!Idle.empty()) {
      std::unique_ptr<Process> P = std::move(Idle.back());
      Idle.pop_back();
      return P;
    }
    ++Live;
    ++Started;
  }
  return spawn(Error);
}

void Pool::prestart() {
  {
    std::lock_guard<std::mutex> L(M);
    if (!Idle.empty() || Live >= MaxWorkers)
      return;
    ++Live;
    ++Started;
  }
  // The call that needs the worker reports a failure; spawn() has given
  // the place back then.
  std::string Error;
  if (std::unique_ptr<Process> P = spawn(Error))
    give(std::move(P));
}

std::unique_ptr<Pool::Process> Pool::spawn(std::string &Error) {
  auto Fail = [&](const std::string &Why) -> std::unique_ptr<Process> {
    Error = Why;
    std::lock_guard<std::mutex> L(M);
    --Live;
    CV.notify_one();
    return nullptr;
  };
  if (Program.empty())
    return Fail("the compile worker lcs-worker was not found next to the lcs "
                "library or program; set LCS_WORKER to its path");
  int Sv[2], Ep[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, Sv) != 0)
    return Fail(std::string("starting the compile worker: socketpair: ") +
                std::strerror(errno));
  if (::pipe2(Ep, O_CLOEXEC) != 0) {
    int E = errno;
    ::close(Sv[0]);
    ::close(Sv[1]);
    return Fail(std::string("starting the compile worker: pipe: ") +
                std::strerror(E));
  }
  auto P = std::make_unique<Process>();
  P->Sock = Sv[0];
  P->Err = Ep[0];
  ::fcntl(P->Err, F_SETFL, ::fcntl(P->Err, F_GETFL) | O_NONBLOCK);
  posix_spawn_file_actions_t FA;
  posix_spawn_file_actions_init(&FA);
  posix_spawn_file_actions_adddup2(&FA, Sv[1], 3);
  posix_spawn_file_actions_adddup2(&FA, Ep[1], 2);
  posix_spawn_file_actions_addopen(&FA, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&FA, 1, "/dev/null", O_WRONLY, 0);
  std::string Arg = "--fd=3";
  char *Argv[] = {const_cast<char *>(Program.c_str()), Arg.data(), nullptr};
  pid_t Pid;
  int R = ::posix_spawn(&Pid, Program.c_str(), &FA, nullptr, Argv, environ);
  posix_spawn_file_actions_destroy(&FA);
  ::close(Sv[1]);
  ::close(Ep[1]);
  if (R != 0)
    return Fail("starting the compile worker " + Program + ": " +
                std::strerror(R));
  P->Pid = Pid;
  return P;
}

void Pool::give(std::unique_ptr<Process> P) {
  std::lock_guard<std::mutex> L(M);
  if (P)
    Idle.push_back(std::move(P));
  else
    --Live;
  CV.notify_one();
}

Reply Pool::call(const std::string &Request) {
  Reply Out;
  std::string Why;
  std::unique_ptr<Process> P = take(Why);
  if (!P) {
    Out.Message = Why;
    return Out;
  }
  // A worker that died while idle (killed from outside) fails the write:
  // the request never reached it, so a fresh worker gets it once.
  bool Sent = writeFrame(P->Sock, Request);
  if (!Sent) {
    P->death();
    give(nullptr);
    if (!(P = take(Why))) {
      Out.Message = Why;
      return Out;
    }
    Sent = writeFrame(P->Sock, Request);
  }
  struct timespec Start;
  ::clock_gettime(CLOCK_MONOTONIC, &Start);
  bool Replied = false;
  std::string Body;
  while (Sent) {
    struct timespec Now;
    ::clock_gettime(CLOCK_MONOTONIC, &Now);
    long Elapsed = long(Now.tv_sec - Start.tv_sec);
    if (Elapsed >= long(TimeoutSeconds)) {
      ::kill(P->Pid, SIGKILL);
      Out.Message = "the compile took longer than " +
                    std::to_string(TimeoutSeconds) +
                    " s (LCS_COMPILE_TIMEOUT); the worker was stopped";
      P->death();
      give(nullptr);
      return Out;
    }
    struct pollfd Fds[2] = {{P->Sock, POLLIN, 0}, {P->Err, POLLIN, 0}};
    int N = ::poll(Fds, 2, 1000);
    if (N < 0 && errno != EINTR)
      break;
    if (N <= 0)
      continue;
    if (Fds[1].revents)
      P->drainStderr();
    if (Fds[0].revents) {
      Replied = readFrame(P->Sock, Body);
      break;
    }
  }
  if (!Replied || !decodeReply(Body, Out)) {
    ::kill(P->Pid, SIGKILL);
    Out = Reply();
    Out.Message = P->death();
    give(nullptr);
    return Out;
  }
  P->ErrTail.clear();
  give(std::move(P));
  return Out;
}

} // namespace lcs::worker

namespace lcs {

CompileBackend::~CompileBackend() = default;

namespace {
Status compileFailure(std::string Msg) {
  return Status(LCS_ERROR_COMPILE, std::move(Msg));
}

/// Sends \p Request and decodes the reply's payload into \p Out with
/// \p Decode (a std::optional of it; nullopt: malformed, the payload named
/// \p What in the message).
template <typename T, typename DecodeFn>
Status callDecoded(worker::Pool &Workers, const std::string &Request,
                   DecodeFn Decode, const char *What, T &Out) {
  worker::Reply R = Workers.call(Request);
  if (!R.Ok)
    return compileFailure(R.Message);
  std::optional<T> V = Decode(R.Payload);
  if (!V)
    return compileFailure(std::string("the compile worker sent a malformed ") +
                          What);
  Out = std::move(*V);
  return Status::ok();
}
} // namespace

Status WorkerBackend::analyse(const worker::Sources &Inputs,
                              std::vector<cache::KernelRecord> &Out) {
  return callDecoded(Workers, worker::encodeAnalyse(Inputs),
                     cache::decodeRecord, "record", Out);
}

Status WorkerBackend::prepare(
    const worker::Sources &Inputs, std::vector<cache::KernelRecord> &Out,
    std::shared_ptr<const worker::Prepared> &Program) {
  worker::Reply R = Workers.call(worker::encodePrepare(Inputs));
  if (!R.Ok)
    return compileFailure(R.Message);
  auto P = std::make_shared<worker::Prepared>();
  if (!worker::decodePrepared(R.Payload, Out, *P))
    return compileFailure("the compile worker sent a malformed program");
  if (P->Bitcode.empty())
    Program.reset();
  else
    Program = std::move(P);
  return Status::ok();
}

Status WorkerBackend::build(const worker::BuildJob &J, cache::Variant &Out) {
  return callDecoded(Workers, worker::encodeBuild(J), cache::decodeVariant,
                     "variant", Out);
}

Status WorkerBackend::inspect(const worker::Sources &Inputs, std::string &Out) {
  worker::Reply R = Workers.call(worker::encodeInspect(Inputs));
  if (!R.Ok)
    return compileFailure(R.Message);
  Out = std::move(R.Payload);
  return Status::ok();
}

WorkerBackend &sharedWorkerBackend() {
  static WorkerBackend *Shared = new WorkerBackend(1);
  return *Shared;
}

} // namespace lcs
