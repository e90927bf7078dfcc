//===- Worker.cpp - Compiles in a separate process ------------------------===//
//
// See Worker.h. The host side's wire format: framing, request and reply
// encoding, finding the worker program (the pool: WorkerPool.cpp). No LLVM.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/Worker.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace lcs::worker {

namespace {

constexpr uint32_t FrameMagic = 0x5753434c; // "LCSW"
/// Larger frames are refused: no request or reply is near this, and a
/// corrupt length must not make the reader allocate without bound.
constexpr uint64_t MaxFrame = uint64_t(4) << 30;

class Writer {
public:
  Writer &u8(uint8_t V) {
    S.push_back(char(V));
    return *this;
  }
  Writer &u32(uint32_t V) {
    for (int I = 0; I != 4; ++I)
      S.push_back(char(V >> (8 * I)));
    return *this;
  }
  Writer &u64(uint64_t V) {
    for (int I = 0; I != 8; ++I)
      S.push_back(char(V >> (8 * I)));
    return *this;
  }
  Writer &str(const std::string &V) {
    u64(V.size());
    S += V;
    return *this;
  }
  std::string take() { return std::move(S); }

private:
  std::string S;
};

class Reader {
public:
  explicit Reader(const std::string &S) : S(S) {}
  bool u8(uint8_t &V) {
    if (Pos + 1 > S.size())
      return false;
    V = uint8_t(S[Pos++]);
    return true;
  }
  bool u32(uint32_t &V) {
    uint64_t W;
    if (!bytes(4, W))
      return false;
    V = uint32_t(W);
    return true;
  }
  bool u64(uint64_t &V) { return bytes(8, V); }
  bool str(std::string &V) {
    uint64_t N;
    if (!u64(N) || N > S.size() - Pos)
      return false;
    V.assign(S, Pos, N);
    Pos += N;
    return true;
  }
  bool done() const { return Pos == S.size(); }

private:
  bool bytes(unsigned N, uint64_t &V) {
    if (Pos + N > S.size())
      return false;
    V = 0;
    for (unsigned I = 0; I != N; ++I)
      V |= uint64_t(uint8_t(S[Pos + I])) << (8 * I);
    Pos += N;
    return true;
  }
  const std::string &S;
  size_t Pos = 0;
};

void writeSources(Writer &W, const Sources &Inputs) {
  W.u32(uint32_t(Inputs.size()));
  for (const auto &[Name, Bytes] : Inputs)
    W.str(Name).str(Bytes);
}

bool readSources(Reader &R, Sources &Inputs) {
  uint32_t N;
  if (!R.u32(N))
    return false;
  Inputs.clear();
  for (uint32_t I = 0; I != N; ++I) {
    std::string Name, Bytes;
    if (!R.str(Name) || !R.str(Bytes))
      return false;
    Inputs.emplace_back(std::move(Name), std::move(Bytes));
  }
  return true;
}

void writeLinks(Writer &W, const std::vector<LinkInput> &Links) {
  W.u32(uint32_t(Links.size()));
  for (const LinkInput &L : Links)
    W.str(L.Name).u8(uint8_t(L.Kind)).str(L.Bytes);
}

bool readLinks(Reader &R, std::vector<LinkInput> &Links) {
  uint32_t N;
  if (!R.u32(N))
    return false;
  Links.clear();
  for (uint32_t I = 0; I != N; ++I) {
    LinkInput L;
    uint8_t Kind;
    if (!R.str(L.Name) || !R.u8(Kind) || !R.str(L.Bytes) ||
        Kind > uint8_t(LinkKind::Library))
      return false;
    L.Kind = LinkKind(Kind);
    Links.push_back(std::move(L));
  }
  return true;
}

/// Moves all \p N bytes at \p P with \p Op (one send or read of up to its
/// count), again after a signal; false at the end of the stream or on an
/// error.
template <typename Ptr, typename OpFn>
bool transferAll(Ptr P, size_t N, OpFn Op) {
  while (N) {
    ssize_t Done = Op(P, N);
    if (Done < 0 && errno == EINTR)
      continue;
    if (Done <= 0)
      return false;
    P += Done;
    N -= size_t(Done);
  }
  return true;
}

bool writeAll(int Fd, const char *P, size_t N) {
  return transferAll(P, N, [Fd](const char *B, size_t Len) {
    return ::send(Fd, B, Len, MSG_NOSIGNAL);
  });
}

bool readAll(int Fd, char *P, size_t N) {
  return transferAll(P, N,
                     [Fd](char *B, size_t Len) { return ::read(Fd, B, Len); });
}

std::string signalName(int Sig) {
  switch (Sig) {
  case SIGABRT:
    return "SIGABRT";
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGILL:
    return "SIGILL";
  case SIGFPE:
    return "SIGFPE";
  case SIGKILL:
    return "SIGKILL";
  default:
    return "signal " + std::to_string(Sig);
  }
}

/// The most telling line of a dead worker's stderr: LLVM's own fatal
/// message if there is one, else a sanitizer's report line (a sanitizer
/// build turns a crash into its own exit), else the last line.
std::string tellingLine(const std::string &Err) {
  std::string Last, Fatal, Sanitizer;
  size_t Pos = 0;
  while (Pos < Err.size()) {
    size_t End = Err.find('\n', Pos);
    if (End == std::string::npos)
      End = Err.size();
    std::string Line = Err.substr(Pos, End - Pos);
    Pos = End + 1;
    if (Line.empty())
      continue;
    if (Line.rfind("LLVM ERROR:", 0) == 0 && Fatal.empty())
      Fatal = Line;
    // The report's own line ("==N==ERROR: AddressSanitizer: SEGV on ..."),
    // not its "AddressSanitizer:DEADLYSIGNAL" preamble.
    if (Line.find("ERROR: ") != std::string::npos &&
        Line.find("Sanitizer: ") != std::string::npos && Sanitizer.empty())
      Sanitizer = Line;
    Last = Line;
  }
  return !Fatal.empty() ? Fatal : !Sanitizer.empty() ? Sanitizer : Last;
}

bool isExecutable(const std::string &Path) {
  struct stat St;
  return ::stat(Path.c_str(), &St) == 0 && S_ISREG(St.st_mode) &&
         ::access(Path.c_str(), X_OK) == 0;
}

} // namespace

namespace {
/// A request that carries only modules: the operation, then the sources.
std::string encodeSources(uint8_t Op, const Sources &Inputs) {
  Writer W;
  W.u8(Op);
  writeSources(W, Inputs);
  return W.take();
}
} // namespace

std::string encodeAnalyse(const Sources &Inputs) {
  return encodeSources(OpAnalyse, Inputs);
}

std::string encodePrepare(const Sources &Inputs) {
  return encodeSources(OpPrepare, Inputs);
}

std::string encodePrepared(const std::vector<cache::KernelRecord> &Records,
                           const Prepared &Program) {
  Writer W;
  W.str(cache::encodeRecord(Records)).str(Program.Bitcode).str(Program.Analysis);
  return W.take();
}

bool decodePrepared(const std::string &Payload,
                    std::vector<cache::KernelRecord> &Records,
                    Prepared &Program) {
  Reader R(Payload);
  std::string Encoded;
  if (!R.str(Encoded) || !R.str(Program.Bitcode) ||
      !R.str(Program.Analysis) || !R.done())
    return false;
  std::optional<std::vector<cache::KernelRecord>> K =
      cache::decodeRecord(Encoded);
  if (!K)
    return false;
  Records = std::move(*K);
  return true;
}

std::string encodeInspect(const Sources &Inputs) {
  return encodeSources(OpInspect, Inputs);
}

std::string encodeBuild(const BuildJob &J) {
  Writer W;
  W.u8(OpBuild);
  W.str(cache::encodeRecord({J.Kernel}));
  const Config &C = J.Restricted;
  W.u8(C.HasBlock).u8(C.HasGrid).u8(C.HasSmem).u8(C.ClusterState);
  W.u8(C.NonPortableCluster);
  for (uint32_t V : C.Block)
    W.u32(V);
  for (uint32_t V : C.Grid)
    W.u32(V);
  for (uint32_t V : C.Cluster)
    W.u32(V);
  W.u32(C.Smem);
  W.str(J.Arch).u32(J.OptLevel).u8(J.Cubin).u32(J.ExtraSmem).str(J.Groups);
  // The prepared program (bitcode, the analysis' part a build reuses)
  // instead of the sources, when the host has one.
  W.u8(J.Program != nullptr);
  if (J.Program)
    W.str(J.Program->Bitcode).str(J.Program->Analysis);
  else
    writeSources(W, J.Inputs);
  writeLinks(W, J.Links);
  return W.take();
}

bool decodeRequest(const std::string &Body, uint8_t &Op, Sources &Inputs,
                   BuildJob &Job) {
  Reader R(Body);
  if (!R.u8(Op))
    return false;
  if (Op == OpAnalyse || Op == OpPrepare || Op == OpInspect)
    return readSources(R, Inputs) && R.done();
  if (Op != OpBuild)
    return false;
  std::string Record;
  if (!R.str(Record))
    return false;
  std::optional<std::vector<cache::KernelRecord>> K =
      cache::decodeRecord(Record);
  if (!K || K->size() != 1)
    return false;
  Job.Kernel = (*K)[0];
  Config &C = Job.Restricted;
  uint8_t B[5];
  for (uint8_t &V : B)
    if (!R.u8(V))
      return false;
  C.HasBlock = B[0];
  C.HasGrid = B[1];
  C.HasSmem = B[2];
  C.ClusterState = B[3];
  C.NonPortableCluster = B[4];
  for (uint32_t *D : {C.Block, C.Grid, C.Cluster})
    for (int I = 0; I != 3; ++I)
      if (!R.u32(D[I]))
        return false;
  uint8_t Cubin, HasProgram;
  if (!R.u32(C.Smem) || !R.str(Job.Arch) || !R.u32(Job.OptLevel) ||
      !R.u8(Cubin) || !R.u32(Job.ExtraSmem) || !R.str(Job.Groups) ||
      !R.u8(HasProgram) || HasProgram > 1)
    return false;
  if (HasProgram) {
    auto P = std::make_shared<Prepared>();
    if (!R.str(P->Bitcode) || !R.str(P->Analysis))
      return false;
    Job.Program = std::move(P);
  } else if (!readSources(R, Job.Inputs)) {
    return false;
  }
  if (!readLinks(R, Job.Links))
    return false;
  Job.Cubin = Cubin;
  return R.done() && C.ClusterState <= 2;
}

std::string encodeReply(const Reply &R) {
  Writer W;
  W.u8(R.Ok).str(R.Message).str(R.Payload);
  return W.take();
}

bool decodeReply(const std::string &Body, Reply &Out) {
  Reader R(Body);
  uint8_t Ok;
  if (!R.u8(Ok) || !R.str(Out.Message) || !R.str(Out.Payload) || !R.done())
    return false;
  Out.Ok = Ok;
  return true;
}

bool writeFrame(int Fd, const std::string &Body) {
  Writer H;
  H.u32(FrameMagic).u64(Body.size());
  std::string Head = H.take();
  return writeAll(Fd, Head.data(), Head.size()) &&
         writeAll(Fd, Body.data(), Body.size());
}

bool readFrame(int Fd, std::string &Body) {
  char Head[12];
  if (!readAll(Fd, Head, sizeof Head))
    return false;
  std::string H(Head, sizeof Head);
  Reader R(H);
  uint32_t Magic;
  uint64_t Size;
  if (!R.u32(Magic) || !R.u64(Size) || Magic != FrameMagic || Size > MaxFrame)
    return false;
  Body.resize(Size);
  return readAll(Fd, Body.data(), Size);
}

std::string describeDeath(const std::string &Who, int WaitStatus,
                          const std::string &Stderr) {
  std::string How =
      WIFSIGNALED(WaitStatus)
          ? Who + " crashed (" + signalName(WTERMSIG(WaitStatus)) + ")"
          : Who + " exited with status " +
                std::to_string(WEXITSTATUS(WaitStatus));
  std::string Line = tellingLine(Stderr);
  return Line.empty() ? How : How + ": " + Line;
}

std::string findWorker() {
  if (const char *P = std::getenv("LCS_WORKER"); P && *P)
    return P;
  Dl_info Info;
  if (!::dladdr(reinterpret_cast<void *>(&findWorker), &Info) ||
      !Info.dli_fname)
    return "";
  // A static link puts this code in the program itself, which dladdr names
  // as it was started ("prog", "/proc/self/exe"): resolve it.
  char Buf[PATH_MAX];
  std::string Self;
  if (::realpath(Info.dli_fname, Buf) && std::strchr(Info.dli_fname, '/'))
    Self = Buf;
  else if (ssize_t N = ::readlink("/proc/self/exe", Buf, sizeof Buf - 1);
           N > 0)
    Self.assign(Buf, size_t(N));
  if (Self.find('/') == std::string::npos)
    return "";
  std::string Dir = Self.substr(0, Self.rfind('/'));
  for (const char *Rel :
       {"/lcs-worker", "/../bin/lcs-worker", "/../libexec/lcs/lcs-worker"})
    if (isExecutable(Dir + Rel))
      return Dir + Rel;
  return "";
}

} // namespace lcs::worker
