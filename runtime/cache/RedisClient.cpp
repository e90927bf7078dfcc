//===- RedisClient.cpp - A minimal blocking Redis client over hiredis -----===//
//
// See RedisClient.h. The mirror structs below copy the leading fields of
// hiredis's public structs that this file reads; everything after them is
// never touched.
//
//===----------------------------------------------------------------------===//

#include "lcs/cache/RedisClient.h"

#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <sys/time.h>

namespace lcs::cache::redis {

namespace {

// hiredis 0.14 (hiredis.h, HIREDIS_SONAME 0.14).
struct Reply014 {
  int type;
  long long integer;
  size_t len;
  char *str;
  size_t elements;
  Reply014 **element;
};
struct Context014 {
  int err;
  char errstr[128];
};

// hiredis 1.x: a double before len, a verbatim type after str, and a
// function table at the head of the context.
struct Reply1 {
  int type;
  long long integer;
  double dval;
  size_t len;
  char *str;
  char vtype[4];
  size_t elements;
  Reply1 **element;
};
struct Context1 {
  const void *funcs;
  int err;
  char errstr[128];
};

// Reply types common to both (RESP2; lcs never asks for RESP3).
enum : int {
  ReplyString = 1,
  ReplyArray = 2,
  ReplyInteger = 3,
  ReplyNil = 4,
  ReplyStatus = 5,
  ReplyError = 6,
};
// hiredis 1.x's REDIS_ERR_TIMEOUT; 0.14 reports a timeout as an I/O error
// with EAGAIN's text.
constexpr int ErrTimeout = 5;

struct Library {
  void *(*ConnectWithTimeout)(const char *, int, struct timeval) = nullptr;
  int (*SetTimeout)(void *, struct timeval) = nullptr;
  void *(*CommandArgv)(void *, int, const char **, const size_t *) = nullptr;
  void (*FreeReply)(void *) = nullptr;
  void (*Free)(void *) = nullptr;
  bool V1 = false;
  bool Loaded = false;
  char Why[512] = "";
};

// Trivially destructible on purpose: nothing of it runs at exit, and the
// library stays loaded for the life of the process.
Library TheLibrary;
std::once_flag LoadOnce;

void load() {
  static constexpr const char *Names[] = {
      "libhiredis.so.1.1.0", "libhiredis.so.1", "libhiredis.so.0.14",
      "libhiredis.so"};
  void *H = nullptr;
  for (const char *N : Names)
    if ((H = ::dlopen(N, RTLD_NOW | RTLD_LOCAL)))
      break;
  Library &L = TheLibrary;
  if (!H) {
    std::snprintf(L.Why, sizeof L.Why,
                  "hiredis not found (tried libhiredis.so.1.1.0, "
                  "libhiredis.so.1, libhiredis.so.0.14, libhiredis.so; "
                  "install libhiredis)");
    return;
  }
  L.ConnectWithTimeout = reinterpret_cast<decltype(L.ConnectWithTimeout)>(
      ::dlsym(H, "redisConnectWithTimeout"));
  L.SetTimeout =
      reinterpret_cast<decltype(L.SetTimeout)>(::dlsym(H, "redisSetTimeout"));
  L.CommandArgv = reinterpret_cast<decltype(L.CommandArgv)>(
      ::dlsym(H, "redisCommandArgv"));
  L.FreeReply =
      reinterpret_cast<decltype(L.FreeReply)>(::dlsym(H, "freeReplyObject"));
  L.Free = reinterpret_cast<decltype(L.Free)>(::dlsym(H, "redisFree"));
  if (!L.ConnectWithTimeout || !L.SetTimeout || !L.CommandArgv ||
      !L.FreeReply || !L.Free) {
    std::snprintf(L.Why, sizeof L.Why,
                  "the hiredis found lacks redisConnectWithTimeout, "
                  "redisSetTimeout, redisCommandArgv, freeReplyObject or "
                  "redisFree");
    return;
  }
  L.V1 = ::dlsym(H, "redisConnectWithOptions") != nullptr;
  L.Loaded = true;
}

struct timeval toTimeval(std::chrono::milliseconds Ms) {
  struct timeval TV;
  TV.tv_sec = long(Ms.count() / 1000);
  TV.tv_usec = long(Ms.count() % 1000) * 1000;
  return TV;
}

int contextErr(const void *Ctx) {
  return TheLibrary.V1 ? static_cast<const Context1 *>(Ctx)->err
                       : static_cast<const Context014 *>(Ctx)->err;
}

std::string contextErrstr(const void *Ctx) {
  const char *S = TheLibrary.V1 ? static_cast<const Context1 *>(Ctx)->errstr
                                : static_cast<const Context014 *>(Ctx)->errstr;
  return std::string(S, strnlen(S, 128));
}

Failure classify(const void *Ctx) {
  if (contextErr(Ctx) == ErrTimeout)
    return Failure::Timeout;
  std::string S = contextErrstr(Ctx);
  for (const char *T : {"temporarily unavailable", "timed out", "timeout"})
    if (S.find(T) != std::string::npos)
      return Failure::Timeout;
  return Failure::IO;
}

template <class R> Reply copyReply(const R *In) {
  Reply Out;
  switch (In->type) {
  case ReplyString:
  case ReplyStatus:
  case ReplyError:
    Out.Kind = In->type == ReplyString   ? Reply::Type::String
               : In->type == ReplyStatus ? Reply::Type::Status
                                         : Reply::Type::Error;
    Out.Str.assign(In->str ? In->str : "", In->str ? In->len : 0);
    break;
  case ReplyInteger:
    Out.Kind = Reply::Type::Integer;
    Out.Integer = In->integer;
    break;
  case ReplyArray:
    Out.Kind = Reply::Type::Array;
    for (size_t I = 0; I != In->elements; ++I)
      Out.Elements.push_back(copyReply(In->element[I]));
    break;
  case ReplyNil:
    Out.Kind = Reply::Type::Nil;
    break;
  default:
    Out.Kind = Reply::Type::Error;
    Out.Str = "unexpected reply type " + std::to_string(In->type);
  }
  return Out;
}

} // namespace

bool loadHiredis(std::string &Why) {
  std::call_once(LoadOnce, load);
  if (!TheLibrary.Loaded)
    Why = TheLibrary.Why;
  return TheLibrary.Loaded;
}

const char *hiredisFlavour() {
  if (!TheLibrary.Loaded)
    return "";
  return TheLibrary.V1 ? "1.x" : "0.14";
}

std::unique_ptr<Connection>
Connection::connect(const std::string &Host, int Port,
                    std::chrono::milliseconds ConnectTimeout,
                    std::chrono::milliseconds OpTimeout, std::string &Error,
                    Failure &Why) {
  if (!loadHiredis(Error)) {
    Why = Failure::NoLibrary;
    return nullptr;
  }
  const Library &L = TheLibrary;
  void *Ctx =
      L.ConnectWithTimeout(Host.c_str(), Port, toTimeval(ConnectTimeout));
  if (!Ctx) {
    Error = "out of memory";
    Why = Failure::IO;
    return nullptr;
  }
  if (contextErr(Ctx)) {
    Error = contextErrstr(Ctx);
    Why = classify(Ctx);
    L.Free(Ctx);
    return nullptr;
  }
  if (L.SetTimeout(Ctx, toTimeval(OpTimeout)) != 0) {
    Error = "cannot set the socket timeout: " + contextErrstr(Ctx);
    Why = Failure::IO;
    L.Free(Ctx);
    return nullptr;
  }
  return std::unique_ptr<Connection>(new Connection(Ctx));
}

Connection::~Connection() {
  if (Ctx)
    TheLibrary.Free(Ctx);
}

std::optional<Reply>
Connection::command(const std::vector<std::string_view> &Args,
                    std::string &Error, Failure &Why) {
  if (Broken) {
    Error = "connection broken by an earlier error";
    Why = Failure::IO;
    return std::nullopt;
  }
  std::vector<const char *> Argv;
  std::vector<size_t> Lens;
  for (std::string_view A : Args) {
    Argv.push_back(A.data());
    Lens.push_back(A.size());
  }
  void *R = TheLibrary.CommandArgv(Ctx, int(Argv.size()), Argv.data(),
                                   Lens.data());
  if (!R) {
    Broken = true;
    Error = contextErrstr(Ctx);
    Why = classify(Ctx);
    return std::nullopt;
  }
  Reply Out = TheLibrary.V1 ? copyReply(static_cast<const Reply1 *>(R))
                            : copyReply(static_cast<const Reply014 *>(R));
  TheLibrary.FreeReply(R);
  Why = Failure::None;
  return Out;
}

} // namespace lcs::cache::redis
