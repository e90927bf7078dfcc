//===- RedisServer.h - A redis-server of a test's own -----------*- C++ -*-===//
///
/// \file
/// Starts redis-server on a free loopback port without persistence, and
/// kills, pauses, resumes and restarts it. No redis-server on PATH fails
/// the test with a message naming scripts/setup.sh.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_TEST_REDISSERVER_H
#define LCS_TEST_REDISSERVER_H

#include "TestSupport.h"
#include "lcs/cache/RedisClient.h"
#include "lcs/cache/RemoteCache.h"

#include "gtest/gtest.h"

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lcs::test {

inline bool onPath(const char *Tool) {
  const char *Path = std::getenv("PATH");
  std::string P = Path ? Path : "";
  size_t Start = 0;
  while (Start <= P.size()) {
    size_t End = P.find(':', Start);
    if (End == std::string::npos)
      End = P.size();
    std::string Candidate = P.substr(Start, End - Start) + "/" + Tool;
    if (::access(Candidate.c_str(), X_OK) == 0)
      return true;
    Start = End + 1;
  }
  return false;
}

/// A redis-server of this test's own on 127.0.0.1, without persistence.
class RedisServer {
public:
  ~RedisServer() {
    resume();
    stop(SIGKILL);
  }

  /// Starts it (on the same port after the first time).
  void start() {
    ASSERT_TRUE(onPath("redis-server"))
        << "redis-server not found on PATH: the remote cache tests need a "
           "real Redis (scripts/setup.sh installs redis-server)";
    if (!Port)
      Port = freePort();
    Pid = ::fork();
    if (Pid == 0) {
      std::string P = std::to_string(Port), Log = Dir.Path + "/redis.log";
      ::execlp("redis-server", "redis-server", "--port", P.c_str(), "--bind",
               "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
               Dir.Path.c_str(), "--logfile", Log.c_str(), (char *)nullptr);
      ::_exit(127);
    }
    ASSERT_GT(Pid, 0);
    // Ready when it answers.
    auto Deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < Deadline) {
      std::string Error;
      cache::redis::Failure Why;
      if (auto C = cache::redis::Connection::connect("127.0.0.1", Port,
                                              std::chrono::milliseconds(200),
                                              std::chrono::milliseconds(200), Error, Why))
        if (auto R = C->command({"PING"}, Error, Why); R && R->isStatus("PONG"))
          return;
      int Status;
      ASSERT_EQ(::waitpid(Pid, &Status, WNOHANG), 0)
          << "redis-server exited at start (see its log)";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "redis-server did not answer on port " << Port << " in 10 s";
  }
  void stop(int Signal = SIGTERM) {
    if (Pid <= 0)
      return;
    ::kill(Pid, Signal);
    int Status;
    ::waitpid(Pid, &Status, 0);
    Pid = -1;
  }
  void pause() {
    if (Pid > 0 && !Paused && ::kill(Pid, SIGSTOP) == 0)
      Paused = true;
  }
  void resume() {
    if (Pid > 0 && Paused && ::kill(Pid, SIGCONT) == 0)
      Paused = false;
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(Port); }

  /// A command on a connection of the test's own (planting, inspecting).
  cache::redis::Reply command(const std::vector<std::string_view> &Args) {
    std::string Error;
    cache::redis::Failure Why;
    auto C = cache::redis::Connection::connect("127.0.0.1", Port, std::chrono::milliseconds(1000),
                                        std::chrono::milliseconds(1000), Error, Why);
    if (!C) {
      ADD_FAILURE() << "test connection: " << Error;
      return {};
    }
    std::optional<cache::redis::Reply> R = C->command(Args, Error, Why);
    if (!R) {
      ADD_FAILURE() << "test command: " << Error;
      return {};
    }
    return *R;
  }
  long long dbsize() { return command({"DBSIZE"}).Integer; }
  /// Keys other than the counters.
  long long entries() {
    return dbsize() - command({"EXISTS", cache::RemoteCache::StatsName}).Integer;
  }

private:
  static int freePort() {
    int S = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in A{};
    A.sin_family = AF_INET;
    A.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    A.sin_port = 0;
    socklen_t Len = sizeof A;
    int Port = 0;
    if (::bind(S, reinterpret_cast<sockaddr *>(&A), sizeof A) == 0 &&
        ::getsockname(S, reinterpret_cast<sockaddr *>(&A), &Len) == 0)
      Port = ntohs(A.sin_port);
    ::close(S);
    return Port;
  }

  TempDir Dir;
  int Port = 0;
  pid_t Pid = -1;
  bool Paused = false;
};

} // namespace lcs::test

#endif // LCS_TEST_REDISSERVER_H
