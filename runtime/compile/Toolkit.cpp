//===- Toolkit.cpp - Where the CUDA toolkit's pieces are ------------------===//
//
// See Toolkit.h. No LLVM: the host side names the toolkit in keys.
//
//===----------------------------------------------------------------------===//

#include "lcs/compile/Toolkit.h"

#include "lcs/NvJitLink.h"
#include "lcs/Version.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/cache/FileSystem.h"
#include "lcs/cache/Key.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace lcs {

namespace {

std::string fromEnv(const char *Var) {
  const char *V = std::getenv(Var);
  return V && *V ? V : "";
}

bool isRegularFile(const std::string &Path, struct stat *Out = nullptr) {
  struct stat St;
  if (::stat(Path.c_str(), &St) != 0 || !S_ISREG(St.st_mode))
    return false;
  if (Out)
    *Out = St;
  return true;
}

bool isExecutable(const std::string &Path) {
  return isRegularFile(Path) && ::access(Path.c_str(), X_OK) == 0;
}

/// One read into a string of the file's size: libdevice (0.5 MB) is read
/// on the way to every variant key, and nvJitLink (90 MB) once a toolkit.
std::optional<std::string> readWholeFile(const std::string &Path) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return std::nullopt;
  struct stat St;
  std::optional<std::string> Out;
  if (::fstat(Fd, &St) == 0 && S_ISREG(St.st_mode)) {
    std::string Bytes(size_t(St.st_size), '\0');
    size_t Done = 0;
    while (Done < Bytes.size()) {
      ssize_t N = ::read(Fd, Bytes.data() + Done, Bytes.size() - Done);
      if (N < 0 && errno == EINTR)
        continue;
      if (N <= 0)
        break;
      Done += size_t(N);
    }
    if (Done == Bytes.size())
      Out = std::move(Bytes);
  }
  ::close(Fd);
  return Out;
}

} // namespace

std::string cudaRoot() {
  for (const char *Var : {"CUDA_HOME", "CUDA_PATH"})
    if (std::string V = fromEnv(Var); !V.empty())
      return V;
  return "/usr/local/cuda";
}

std::string libdevicePath() {
  if (std::string Given = fromEnv("LCS_LIBDEVICE"); !Given.empty())
    return Given;
  return cudaRoot() + "/nvvm/libdevice/libdevice.10.bc";
}

const std::string &libdeviceDigest() {
  static std::once_flag Once;
  static std::string Digest;
  std::call_once(Once, [] {
    if (std::optional<std::string> B = readWholeFile(libdevicePath()))
      Digest = cache::hashBytes(*B).hex();
  });
  return Digest;
}

const std::string &nvJitLinkPath() {
  static std::once_flag Once;
  static std::string Path;
  std::call_once(Once, [] {
    Path = fromEnv("LCS_NVJITLINK");
    if (Path.empty())
      Path = NvJitLink::path(cudaRoot());
  });
  return Path;
}

const std::string &ptxasPath() {
  static std::once_flag Once;
  static std::string Path;
  std::call_once(Once, [] {
    if (std::string P = cudaRoot() + "/bin/ptxas"; isExecutable(P)) {
      Path = P;
      return;
    }
    std::string Dirs = fromEnv("PATH");
    for (size_t Start = 0; Start <= Dirs.size();) {
      size_t End = Dirs.find(':', Start);
      if (End == std::string::npos)
        End = Dirs.size();
      std::string Dir = Dirs.substr(Start, End - Start);
      if (!Dir.empty() && isExecutable(Dir + "/ptxas")) {
        Path = Dir + "/ptxas";
        return;
      }
      Start = End + 1;
    }
  });
  return Path;
}

const std::vector<std::string> &cudaTargets() {
  // LLVM 22 also knows sm_101*, which CUDA 13 renamed sm_110*, and targets
  // older than sm_75.
  static const std::vector<std::string> Targets = {
      "sm_75",   "sm_80",   "sm_86",  "sm_87",   "sm_88",   "sm_89",
      "sm_90",   "sm_90a",  "sm_100", "sm_100a", "sm_100f", "sm_103",
      "sm_103a", "sm_103f", "sm_110", "sm_110a", "sm_110f", "sm_120",
      "sm_120a", "sm_120f", "sm_121", "sm_121a", "sm_121f"};
  return Targets;
}

std::string archForDevice(int Major, int Minor) {
  std::string Plain = "sm_" + std::to_string(Major * 10 + Minor);
  const std::vector<std::string> &T = cudaTargets();
  return std::find(T.begin(), T.end(), Plain + "a") != T.end() ? Plain + "a"
                                                               : Plain;
}

bool makeMemoDirectory(const std::string &Path) {
  cache::FileSystem &FS = cache::FileSystem::posix();
  // Missing parents too, each 0700 as the cache's own directories.
  for (size_t Slash = Path.find('/', 1);; Slash = Path.find('/', Slash + 1)) {
    int E = FS.mkdir(Path.substr(0, Slash), 0700);
    if (Slash == std::string::npos)
      return E == 0 || E == EEXIST;
  }
}

const char *llvmVersion() { return LCS_LLVM_VERSION_STRING; }

std::string ptxVersionPolicy() {
  return "lowest-needed max=" + std::to_string(MaxPTXVersion / 10) + "." +
         std::to_string(MaxPTXVersion % 10) + " " + PTXProbeSchema;
}

namespace {
std::mutex MemoMutex;
/// "path\nsize\nmtime" -> identity, for this process.
std::map<std::string, std::string> Memo;
std::optional<std::string> MemoDirSetting;

/// The memo's key for the file at \p Path: what must not have changed for
/// a remembered identity to hold.
std::optional<std::string> memoKey(const std::string &Path) {
  struct stat St;
  if (!isRegularFile(Path, &St))
    return std::nullopt;
  uint64_t MTime = uint64_t(St.st_mtim.tv_sec) * 1000000000u +
                   uint64_t(St.st_mtim.tv_nsec);
  return "lcs-assembler-memo 1\npath " + Path + "\nsize " +
         std::to_string(St.st_size) + "\nmtime " + std::to_string(MTime) +
         "\n";
}

std::string memoPath(const std::string &Dir, const std::string &Key) {
  return Dir + "/assembler/" + cache::hashBytes(Key).hex();
}

/// The file repeats the key: a digest collision or a torn file is a miss.
std::optional<std::string> readMemo(const std::string &Dir,
                                    const std::string &Key) {
  std::optional<std::string> Text = readWholeFile(memoPath(Dir, Key));
  std::string_view T = Text ? std::string_view(*Text) : std::string_view();
  const std::string_view Tag = "identity ";
  if (!Text || T.substr(0, Key.size()) != Key)
    return std::nullopt;
  T.remove_prefix(Key.size());
  if (T.substr(0, Tag.size()) != Tag || T.size() < Tag.size() + 2 ||
      T.back() != '\n')
    return std::nullopt;
  T = T.substr(Tag.size(), T.size() - Tag.size() - 1);
  if (T.find('\n') != std::string_view::npos)
    return std::nullopt;
  return std::string(T);
}

/// A failure only costs a later digest.
void writeMemo(const std::string &Dir, const std::string &Key,
               const std::string &Identity) {
  cache::FileSystem &FS = cache::FileSystem::posix();
  if (!makeMemoDirectory(Dir + "/assembler"))
    return;
  cache::AtomicFile File(FS, memoPath(Dir, Key));
  if (File.write(Key + "identity " + Identity + "\n") == 0)
    (void)File.commit();
}

/// "13.0" from nvJitLinkVersion, loading the library (only when the
/// identity is not memoised).
std::string nvJitLinkVersion() {
  std::string Why;
  const NvJitLink *J = NvJitLink::load(nvJitLinkPath(), Why);
  unsigned Major = 0, Minor = 0;
  if (!J || !J->Version || J->Version(&Major, &Minor) != 0)
    return "";
  return std::to_string(Major) + "." + std::to_string(Minor);
}

/// The last line of `ptxas --version` ("Cuda compilation tools, release
/// 13.0, V13.0.88"), read through a pipe; posix_spawn, so safe in a
/// multi-threaded host. Gives up after 10 seconds.
std::string ptxasVersion(const std::string &Ptxas) {
  int Pipe[2];
  if (::pipe2(Pipe, O_CLOEXEC) != 0)
    return "";
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Pipe[1], 1);
  posix_spawn_file_actions_adddup2(&Actions, Pipe[1], 2);
  std::string Arg0 = Ptxas, Arg1 = "--version";
  char *Argv[] = {Arg0.data(), Arg1.data(), nullptr};
  pid_t Pid;
  int Spawned =
      posix_spawn(&Pid, Ptxas.c_str(), &Actions, nullptr, Argv, environ);
  posix_spawn_file_actions_destroy(&Actions);
  ::close(Pipe[1]);
  if (Spawned != 0) {
    ::close(Pipe[0]);
    return "";
  }
  std::string Out;
  bool TimedOut = false;
  timespec Start;
  clock_gettime(CLOCK_MONOTONIC, &Start);
  for (char Buf[4096];;) {
    timespec Now;
    clock_gettime(CLOCK_MONOTONIC, &Now);
    long Left = 10000 - ((Now.tv_sec - Start.tv_sec) * 1000 +
                         (Now.tv_nsec - Start.tv_nsec) / 1000000);
    pollfd P = {Pipe[0], POLLIN, 0};
    int R = Left > 0 ? ::poll(&P, 1, int(Left)) : 0;
    if (R < 0 && errno == EINTR)
      continue;
    if (R <= 0) {
      TimedOut = true;
      break;
    }
    ssize_t N = ::read(Pipe[0], Buf, sizeof Buf);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    Out.append(Buf, size_t(N));
  }
  ::close(Pipe[0]);
  if (TimedOut)
    ::kill(Pid, SIGKILL);
  int Status = 0;
  while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR)
    ;
  if (TimedOut || !WIFEXITED(Status) || WEXITSTATUS(Status) != 0)
    return "";
  while (!Out.empty() && (Out.back() == '\n' || Out.back() == '\r' ||
                          Out.back() == ' '))
    Out.pop_back();
  return Out.substr(Out.rfind('\n') + 1);
}
} // namespace

std::string identifyAssembler(std::string_view Name, const std::string &Path,
                              const std::function<std::string()> &Version,
                              const std::string &MemoDir) {
  std::optional<std::string> Key = memoKey(Path);
  if (!Key)
    return "";
  {
    std::lock_guard<std::mutex> L(MemoMutex);
    if (auto It = Memo.find(*Key); It != Memo.end())
      return It->second;
  }
  std::optional<std::string> Identity;
  if (!MemoDir.empty())
    Identity = readMemo(MemoDir, *Key);
  if (!Identity) {
    std::optional<std::string> Bytes = readWholeFile(Path);
    if (!Bytes)
      return "";
    std::string V = Version();
    Identity = std::string(Name) + " " + (V.empty() ? "version-unknown" : V) +
               " xxh3 " + cache::hashBytes(*Bytes).hex();
    if (!MemoDir.empty())
      writeMemo(MemoDir, *Key, *Identity);
  }
  std::lock_guard<std::mutex> L(MemoMutex);
  Memo[*Key] = *Identity;
  return *Identity;
}

void setAssemblerMemoDir(const std::string &CacheDir) {
  std::lock_guard<std::mutex> L(MemoMutex);
  MemoDirSetting = CacheDir;
}

void forgetAssemblerIdentities() {
  std::lock_guard<std::mutex> L(MemoMutex);
  Memo.clear();
}

std::string assemblerIdentity() {
  static std::once_flag Once;
  static std::string Identity;
  std::call_once(Once, [] {
    std::string Dir;
    {
      std::lock_guard<std::mutex> L(MemoMutex);
      Dir = MemoDirSetting ? *MemoDirSetting : cache::defaultCacheDir();
    }
    if (const std::string &JL = nvJitLinkPath(); !JL.empty()) {
      Identity = identifyAssembler("nvJitLink", JL, nvJitLinkVersion, Dir);
      return;
    }
    if (const std::string &Ptxas = ptxasPath(); !Ptxas.empty())
      Identity = identifyAssembler(
          "ptxas", Ptxas, [&] { return ptxasVersion(Ptxas); }, Dir);
  });
  return Identity;
}

bool canAssemble() { return !assemblerIdentity().empty(); }

} // namespace lcs
