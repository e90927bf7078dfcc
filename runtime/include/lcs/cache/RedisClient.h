//===- RedisClient.h - A minimal blocking Redis client over hiredis -*- C++ -*-===//
///
/// \file
/// hiredis is loaded with dlopen the first time a connection is made, so a
/// process without a remote cache never needs it. Only the API common to
/// hiredis 0.14 (Debian 12) and 1.x (Ubuntu 24.04) is used:
/// redisConnectWithTimeout, redisSetTimeout, redisCommandArgv,
/// freeReplyObject, redisFree. The two differ in struct layout (1.x adds a
/// function table at the head of redisContext, and `dval` before `len` in
/// redisReply), so the loader tells them apart by a symbol only 1.x has
/// (redisConnectWithOptions) and reads each through its own mirror struct.
///
/// A Connection is one socket; not thread-safe (callers serialise). After an
/// I/O error or a timeout it is broken and must be replaced.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CACHE_REDISCLIENT_H
#define LCS_CACHE_REDISCLIENT_H

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lcs::cache::redis {

/// A reply, copied out of hiredis's object.
struct Reply {
  enum class Type { String, Array, Integer, Nil, Status, Error };
  Type Kind = Type::Nil;
  long long Integer = 0;
  std::string Str; ///< String, Status and Error
  std::vector<Reply> Elements;

  bool isStatus(std::string_view S) const {
    return Kind == Type::Status && Str == S;
  }
};

/// Loads hiredis (once per process; never unloaded). False, with the names
/// tried in \p Why, if no library is found.
bool loadHiredis(std::string &Why);
/// "0.14" or "1.x" once loaded; "" before.
const char *hiredisFlavour();

/// Why a command failed.
enum class Failure { None, Timeout, IO, NoLibrary };

class Connection {
public:
  /// Connects to \p Host:\p Port within \p ConnectTimeout, then bounds each
  /// read and write by \p OpTimeout. Null with \p Error on failure.
  static std::unique_ptr<Connection>
  connect(const std::string &Host, int Port,
          std::chrono::milliseconds ConnectTimeout,
          std::chrono::milliseconds OpTimeout, std::string &Error,
          Failure &Why);
  ~Connection();
  Connection(const Connection &) = delete;
  Connection &operator=(const Connection &) = delete;

  /// Sends one command and reads its reply. nullopt on an I/O error or a
  /// timeout (\p Why says which; the connection is then broken). A Redis
  /// error reply is a Reply of Type::Error, not a failure.
  std::optional<Reply> command(const std::vector<std::string_view> &Args,
                               std::string &Error, Failure &Why);
  bool broken() const { return Broken; }

private:
  explicit Connection(void *Ctx) : Ctx(Ctx) {}
  void *Ctx;
  bool Broken = false;
};

} // namespace lcs::cache::redis

#endif // LCS_CACHE_REDISCLIENT_H
