//===- RemoteLease.cpp - Leases and the breaker of the remote tier --------===//
//
// One node compiles what many ask for: getOrCompute() takes a lease in Redis
// and the others wait for the stored value; a run of failures opens the
// breaker and leaves the local cache alone for a while. See RemoteCache.h.
//
//===----------------------------------------------------------------------===//

#include "RemoteInternal.h"

#include "lcs/Log.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <thread>

namespace lcs::cache {

using remote::LastOutcome;
using remote::LastRefused;
using remote::nowNs;

namespace {
// Deletes the lease only if it still holds our token: never another node's.
constexpr const char *ReleaseScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then "
    "return redis.call('del', KEYS[1]) else return 0 end";
} // namespace

bool RemoteCache::breakerOpen() const {
  int64_t Until = OpenUntil.load(std::memory_order_relaxed);
  return Until && nowNs() < Until;
}

void RemoteCache::succeeded() {
  ConsecutiveFailures.store(0, std::memory_order_relaxed);
  OpenUntil.store(0, std::memory_order_relaxed);
}

void RemoteCache::failed(redis::Failure Why, const std::string &Error) {
  Stats.bump(&RemoteStats::Errors);
  if (Why == redis::Failure::Timeout)
    Stats.bump(&RemoteStats::Timeouts);
  if (Why == redis::Failure::NoLibrary) {
    // Not going to change in this process: off for good.
    OpenUntil.store(INT64_MAX, std::memory_order_relaxed);
    warnOnce("nolib", "remote cache " + Config.display() + ": " + Error +
                          "; using the local cache only");
    return;
  }
  unsigned N = ConsecutiveFailures.fetch_add(1, std::memory_order_relaxed) + 1;
  if (N < Config.BreakerThreshold)
    return;
  OpenUntil.store(nowNs() +
                      std::chrono::nanoseconds(Config.BreakerCooldown).count(),
                  std::memory_order_relaxed);
  std::string Msg =
      "remote cache " + Config.display() + ": " + std::to_string(N) +
      " consecutive failures (last: " + Error + "); local cache only for " +
      std::to_string(Config.BreakerCooldown.count()) + " ms, then retrying";
  warnOnce("breaker", Msg);
  if (log::enabled(log::Level::Info))
    log::write(log::Level::Info, Msg);
}

std::string RemoteCache::newToken() {
  static thread_local std::mt19937_64 Rng{std::random_device{}()};
  uint64_t A = Rng(), B = Rng();
  unsigned char Bytes[16];
  std::memcpy(Bytes, &A, 8);
  std::memcpy(Bytes + 8, &B, 8);
  return remote::toHex(Bytes, 16);
}

std::optional<Entry>
RemoteCache::getOrCompute(const Key &K, EntryKind Kind,
                          const std::function<std::optional<Entry>()> &Compute,
                          const std::function<void(const Entry &)> &Publish) {
  if (!named(K)) {
    std::optional<Entry> E = Compute();
    if (E)
      Publish(*E);
    LastOutcome = RemoteOutcome::Off;
    return E;
  }
  RemoteOutcome Outcome = RemoteOutcome::Miss;
  std::string Name = entryName(K, Kind), Lease = leaseName(K, Kind), Token;
  bool Wait = false;
  if (Config.Mode != RemoteMode::WriteOnly) {
    if (std::optional<Entry> E = fetch(K, Kind)) {
      Publish(*E);
      return E;
    }
    Outcome = LastOutcome;
  }
  if (Outcome != RemoteOutcome::Error) {
    if (Config.Mode == RemoteMode::ReadWrite) {
      Token = newToken();
      std::string TTL = std::to_string(Config.LeaseTTL.count());
      std::optional<redis::Reply> R =
          run(*Foreground, {"SET", Lease, Token, "NX", "PX", TTL});
      Wait = R && R->Kind == redis::Reply::Type::Nil;
      if (!R || !R->isStatus("OK"))
        Token.clear();
      if (!R)
        Outcome = RemoteOutcome::Error;
      // The previous owner may have stored and released between our GET and
      // our SET: look once more before compiling (a refused value is still
      // there; it is not asked for twice).
      if (!Token.empty() && !LastRefused)
        if (std::optional<Entry> E = fetch(K, Kind)) {
          release(*Foreground, Lease, Token);
          Publish(*E);
          return E;
        }
    } else if (Config.Mode == RemoteMode::ReadOnly) {
      // Takes no lease (that is a write), but waits for one held.
      std::optional<redis::Reply> R = run(*Foreground, {"EXISTS", Lease});
      Wait = R && R->Kind == redis::Reply::Type::Integer && R->Integer > 0;
    }
  }
  if (Wait) {
    Stats.bump(&RemoteStats::LeaseWaits);
    auto Deadline = std::chrono::steady_clock::now() + Config.LeaseWait;
    auto Pause = std::chrono::milliseconds(5);
    bool TimedOut = true;
    while (std::chrono::steady_clock::now() < Deadline) {
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          Pause, Deadline - std::chrono::steady_clock::now()));
      Pause = std::min(Pause * 2, std::chrono::milliseconds(50));
      std::optional<redis::Reply> Has = run(*Foreground, {"EXISTS", Name});
      bool Stored =
          Has && Has->Kind == redis::Reply::Type::Integer && Has->Integer > 0;
      if (!Stored && Has) {
        // The owner gave up its lease without storing (it failed, or its
        // store was dropped): no point waiting longer. Its store lands
        // before its release, so look once more.
        std::optional<redis::Reply> Held = run(*Foreground, {"EXISTS", Lease});
        if (Held && Held->Kind == redis::Reply::Type::Integer &&
            Held->Integer == 0) {
          Stored = true;
          TimedOut = false;
        }
      }
      if (!Has) {
        Outcome = RemoteOutcome::Error;
        TimedOut = false;
        break;
      }
      if (Stored) {
        if (std::optional<Entry> E = fetch(K, Kind)) {
          Publish(*E);
          return E;
        }
        TimedOut = false;
        Outcome = LastOutcome;
        break;
      }
    }
    if (TimedOut) {
      Stats.bump(&RemoteStats::LeaseTimeouts);
      if (log::enabled(log::Level::Info))
        log::write(log::Level::Info,
                   "remote cache: waited " +
                       std::to_string(Config.LeaseWait.count()) +
                       " ms for another node compiling " + K.hex() +
                       "; compiling here");
    }
  }
  std::optional<Entry> E = Compute();
  if (E) {
    Publish(*E);
    // Stored under the name asked for: the computed entry carries the same
    // 128 bits, but only K is sure to carry the strong name.
    enqueue(*E, Name, Token.empty() ? std::string() : Lease, Token);
  } else if (!Token.empty()) {
    release(*Foreground, Lease, Token);
  }
  LastOutcome = Outcome;
  return E;
}

void RemoteCache::release(Slot &S, const std::string &Lease,
                          const std::string &Token) {
  run(S, {"EVAL", ReleaseScript, "1", Lease, Token});
}

} // namespace lcs::cache
