//===- RemoteCacheTest.cpp - The shared cache tier on Redis ---------------===//
//
// Configuration, names and the value format need no server. Everything else
// runs against a real redis-server that each test starts on a free loopback
// port (and kills, pauses and restarts where the test is about that). No
// redis-server on PATH fails those tests: scripts/setup.sh installs it.
//
//===----------------------------------------------------------------------===//

#include "RedisServer.h"
#include "lcs/cache/DiskCache.h"
#include "lcs/cache/RedisClient.h"
#include "lcs/cache/RemoteCache.h"

#include "gtest/gtest.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <thread>

using namespace lcs::cache;
using lcs::test::RedisServer;
using lcs::test::TempDir;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

/// A test entry as while a remote tier is open: its key has a strong name.
Entry makeEntry(const std::string &Name, EntryKind Kind = EntryKind::PTX,
                size_t PayloadSize = 100) {
  StrongNames On;
  return lcs::test::makeEntry(Name, Kind, PayloadSize);
}

double millisSince(Clock::time_point T) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T).count();
}

RemoteConfig configFor(const RedisServer &S) {
  RemoteConfig C;
  std::string Error;
  EXPECT_TRUE(parseRemoteURL(S.url(), C, Error)) << Error;
  return C;
}

/// A simulated node: its own disk cache under the shared tier.
struct Node {
  explicit Node(RemoteConfig Config) : Remote(std::move(Config), warn()) {
    CacheOptions O;
    O.Dir = Dir.Path + "/cache";
    O.Remote = ""; // this test's tier is Remote, not the environment's
    Local = std::make_unique<DiskCache>(O);
  }
  std::function<void(const std::string &)> warn() {
    return [this](const std::string &W) {
      std::lock_guard<std::mutex> L(M);
      Warnings.push_back(W);
    };
  }
  /// The disk cache's compile-once path with this node's tier under it.
  std::optional<Entry> get(const Entry &E, std::atomic<int> &Compiles,
                           milliseconds CompileTime = milliseconds(0)) {
    if (std::optional<Entry> Hit = Local->lookup(E.EntryKey, E.Kind))
      return Hit;
    return Remote.getOrCompute(
        E.EntryKey, E.Kind,
        [&]() -> std::optional<Entry> {
          ++Compiles;
          std::this_thread::sleep_for(CompileTime);
          return E;
        },
        [&](const Entry &R) { Local->store(R); });
  }
  // Declared first: the tier may warn while it is destroyed (flush).
  std::mutex M;
  std::vector<std::string> Warnings;
  TempDir Dir;
  RemoteCache Remote;
  std::unique_ptr<DiskCache> Local;
};

//===-- Configuration -----------------------------------------------------===//

TEST(RemoteConfig, ParsesURLs) {
  RemoteConfig C;
  std::string E;
  ASSERT_TRUE(parseRemoteURL("redis://cache.example:6380", C, E)) << E;
  EXPECT_EQ(C.Host, "cache.example");
  EXPECT_EQ(C.Port, 6380);
  EXPECT_EQ(C.Db, 0u);
  EXPECT_TRUE(C.Password.empty());
  ASSERT_TRUE(parseRemoteURL("redis://lcs:p%40ss:w@10.0.0.1:6379/3", C, E));
  EXPECT_EQ(C.User, "lcs");
  EXPECT_EQ(C.Password, "p@ss:w");
  EXPECT_EQ(C.Db, 3u);
  EXPECT_EQ(C.display(), "redis://lcs@10.0.0.1:6379/3");
  ASSERT_TRUE(parseRemoteURL("redis://:secret@[::1]:7000/", C, E)) << E;
  EXPECT_EQ(C.Host, "::1");
  EXPECT_TRUE(C.User.empty());
  EXPECT_EQ(C.Password, "secret");
  EXPECT_EQ(C.display(), "redis://[::1]:7000/0");
}

TEST(RemoteConfig, RejectsBadURLsWithoutShowingThePassword) {
  const char *Bad[][2] = {
      {"rediss://u:hunter2pw@h:6379", "TLS proxy"},
      {"http://h:6379", "expected redis://"},
      {"redis://u:hunter2pw@h", "host:port"},
      {"redis://h:0", "not 1 to 65535"},
      {"redis://h:99999", "not 1 to 65535"},
      {"redis://h:6379/x", "database"},
      {"redis://h:6379?db=1", "query"},
      {"redis://:6379", "empty host"},
      {"redis://hunter2pw@h:6379", "user:password"},
      {"redis://u:hunter2pw%zz@h:6379", "%-escape"},
  };
  for (auto &[URL, Why] : Bad) {
    RemoteConfig C;
    std::string E;
    EXPECT_FALSE(parseRemoteURL(URL, C, E)) << URL;
    EXPECT_NE(E.find(Why), std::string::npos) << URL << ": " << E;
    EXPECT_EQ(E.find("hunter2pw"), std::string::npos) << E;
    EXPECT_EQ(E.find('\n'), std::string::npos) << E;
  }
}

struct EnvVar {
  EnvVar(const char *Name, const char *Value) : Name(Name) {
    ::setenv(Name, Value, 1);
  }
  ~EnvVar() { ::unsetenv(Name); }
  const char *Name;
};

TEST(RemoteConfig, ReadsModesTimeoutsAndTheKeyFile) {
  RemoteConfig C;
  std::string E;
  ASSERT_TRUE(remoteConfigFromEnv("redis://h:1", C, E)) << E;
  EXPECT_EQ(C.Mode, RemoteMode::ReadWrite);
  EXPECT_EQ(C.OpTimeout, milliseconds(250));
  EXPECT_EQ(C.LeaseWait, milliseconds(2000));
  EXPECT_TRUE(C.SigningKey.empty());
  {
    EnvVar M("LCS_REMOTE_CACHE_MODE", "readonly");
    EnvVar T("LCS_REMOTE_CACHE_TIMEOUT_MS", "40");
    EnvVar W("LCS_REMOTE_CACHE_LEASE_WAIT_MS", "500");
    EnvVar S("LCS_REMOTE_CACHE_MAX_VALUE", "1M");
    ASSERT_TRUE(remoteConfigFromEnv("redis://h:1", C, E)) << E;
    EXPECT_EQ(C.Mode, RemoteMode::ReadOnly);
    EXPECT_EQ(C.OpTimeout, milliseconds(40));
    EXPECT_EQ(C.LeaseWait, milliseconds(500));
    EXPECT_EQ(C.MaxValueSize, uint64_t(1) << 20);
  }
  {
    EnvVar M("LCS_REMOTE_CACHE_MODE", "sometimes");
    EXPECT_FALSE(remoteConfigFromEnv("redis://h:1", C, E));
    EXPECT_NE(E.find("readwrite, readonly or writeonly"), std::string::npos);
  }
  {
    EnvVar T("LCS_REMOTE_CACHE_TIMEOUT_MS", "soon");
    EXPECT_FALSE(remoteConfigFromEnv("redis://h:1", C, E));
    EXPECT_NE(E.find("LCS_REMOTE_CACHE_TIMEOUT_MS"), std::string::npos);
  }
  TempDir D;
  std::string KeyPath = D.Path + "/key";
  std::ofstream(KeyPath) << "short\n";
  {
    EnvVar K("LCS_REMOTE_CACHE_KEY_FILE", KeyPath.c_str());
    EXPECT_FALSE(remoteConfigFromEnv("redis://h:1", C, E));
    EXPECT_NE(E.find("16 bytes"), std::string::npos) << E;
  }
  std::ofstream(KeyPath) << "0123456789abcdef0123456789abcdef\n";
  {
    EnvVar K("LCS_REMOTE_CACHE_KEY_FILE", KeyPath.c_str());
    ASSERT_TRUE(remoteConfigFromEnv("redis://h:1", C, E)) << E;
    EXPECT_EQ(C.SigningKey, "0123456789abcdef0123456789abcdef");
  }
  {
    EnvVar K("LCS_REMOTE_CACHE_KEY_FILE", (D.Path + "/none").c_str());
    EXPECT_FALSE(remoteConfigFromEnv("redis://h:1", C, E));
    EXPECT_NE(E.find("cannot read"), std::string::npos) << E;
  }
}

TEST(RemoteConfig, ExplicitURLWinsOverTheEnvironment) {
  EnvVar R("LCS_REMOTE_CACHE", "redis://env:1");
  EXPECT_EQ(remoteCacheURL(std::nullopt), "redis://env:1");
  EXPECT_EQ(remoteCacheURL(std::string("redis://opt:2")), "redis://opt:2");
  EXPECT_EQ(remoteCacheURL(std::string()), "");
}

//===-- Names and values --------------------------------------------------===//

TEST(RemoteValue, NamesAreVersionedSHA256PerKeyAndKind) {
  Entry E = makeEntry("a");
  std::string N = RemoteCache::entryName(E.EntryKey, EntryKind::PTX);
  ASSERT_EQ(N.size(), std::string("lcs:v2:e:").size() + 64);
  EXPECT_EQ(N.rfind("lcs:v2:e:", 0), 0u);
  EXPECT_EQ(N, RemoteCache::entryName(E.EntryKey, EntryKind::PTX));
  EXPECT_NE(N, RemoteCache::entryName(E.EntryKey, EntryKind::Cubin));
  EXPECT_NE(N, RemoteCache::entryName(makeEntry("b").EntryKey, EntryKind::PTX));
  EXPECT_EQ(RemoteCache::leaseName(E.EntryKey, EntryKind::PTX).substr(13),
            N.substr(9));
  // Named by the strong name, never by the 128-bit key alone.
  Key Same = makeEntry("b").EntryKey;
  Same.High = E.EntryKey.High;
  Same.Low = E.EntryKey.Low;
  EXPECT_NE(N, RemoteCache::entryName(Same, EntryKind::PTX));
  Key Weak = E.EntryKey;
  Weak.HasStrong = false;
  EXPECT_EQ(RemoteCache::entryName(Weak, EntryKind::PTX), "");
  EXPECT_EQ(RemoteCache(RemoteConfig()).encodeValue(Entry()), "");
}

TEST(RemoteValue, VerifiesChecksumKeyAndSignature) {
  RemoteConfig Plain, Keyed, Other;
  Keyed.SigningKey = "0123456789abcdef-shared-secret";
  Other.SigningKey = "another-secret-of-16-bytes-or-more";
  RemoteCache P(Plain), K(Keyed), O(Other);
  Entry E = makeEntry("v"), Out;
  std::string Why;
  using V = RemoteCache::Verdict;

  std::string Unsigned = P.encodeValue(E), Signed = K.encodeValue(E);
  EXPECT_EQ(P.decodeValue(Unsigned, E.EntryKey, E.Kind, Out, Why), V::Ok);
  EXPECT_EQ(Out.Payload, E.Payload);
  EXPECT_EQ(K.decodeValue(Signed, E.EntryKey, E.Kind, Out, Why), V::Ok);
  // Without a key a signed value is still checked as an entry.
  EXPECT_EQ(P.decodeValue(Signed, E.EntryKey, E.Kind, Out, Why), V::Ok);
  // With one, unsigned and foreign-signed values are refused.
  EXPECT_EQ(K.decodeValue(Unsigned, E.EntryKey, E.Kind, Out, Why), V::Unsigned);
  EXPECT_EQ(K.decodeValue(O.encodeValue(E), E.EntryKey, E.Kind, Out, Why),
            V::BadSignature);
  // A flipped payload byte: the MAC, or without a key the checksum.
  std::string Flipped = Signed;
  Flipped[Flipped.size() - 20] ^= 1;
  EXPECT_EQ(K.decodeValue(Flipped, E.EntryKey, E.Kind, Out, Why),
            V::BadSignature);
  Flipped = Unsigned;
  Flipped[Flipped.size() - 20] ^= 1;
  EXPECT_EQ(P.decodeValue(Flipped, E.EntryKey, E.Kind, Out, Why), V::Malformed);
  EXPECT_NE(Why.find("checksum"), std::string::npos) << Why;
  // Another key's entry under this key's name, signed or not.
  Entry F = makeEntry("foreign");
  EXPECT_EQ(P.decodeValue(P.encodeValue(F), E.EntryKey, E.Kind, Out, Why),
            V::Malformed);
  EXPECT_EQ(K.decodeValue(K.encodeValue(F), E.EntryKey, E.Kind, Out, Why),
            V::BadSignature);
  // The right key but another kind.
  EXPECT_EQ(P.decodeValue(Unsigned, E.EntryKey, EntryKind::Cubin, Out, Why),
            V::Malformed);
  // Truncated anywhere, garbage, too large.
  for (size_t N : {size_t(0), size_t(3), size_t(6), size_t(20),
                   Unsigned.size() - 1})
    EXPECT_NE(P.decodeValue(Unsigned.substr(0, N), E.EntryKey, E.Kind, Out,
                            Why),
              V::Ok)
        << N;
  for (size_t N : {size_t(7), size_t(30), Signed.size() - 1})
    EXPECT_NE(K.decodeValue(Signed.substr(0, N), E.EntryKey, E.Kind, Out, Why),
              V::Ok)
        << N;
  EXPECT_EQ(P.decodeValue("hello world", E.EntryKey, E.Kind, Out, Why),
            V::Malformed);
  RemoteConfig Small;
  Small.MaxValueSize = 64;
  EXPECT_EQ(RemoteCache(Small).decodeValue(Unsigned, E.EntryKey, E.Kind, Out,
                                           Why),
            V::TooLarge);
}

//===-- Against a real server ---------------------------------------------===//

class RemoteTier : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Server.start()); }
  RedisServer Server;
};

TEST_F(RemoteTier, ReadThroughAndWriteBackThroughTheDiskCache) {
  TempDir A, B;
  Entry E = makeEntry("k");
  CacheOptions OA, OB;
  OA.Dir = A.Path;
  OB.Dir = B.Path;
  OA.Remote = OB.Remote = Server.url();
  DiskCache CA(OA), CB(OB);
  ASSERT_TRUE(CA.remote() && CB.remote());
  int Compiles = 0;
  auto Compute = [&]() -> std::optional<Entry> {
    ++Compiles;
    return E;
  };
  DiskCache::Outcome O;
  ASSERT_TRUE(CA.getOrCompute(E.EntryKey, E.Kind, Compute, O));
  EXPECT_EQ(O, DiskCache::Outcome::Miss);
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Miss);
  CA.remote()->flush();
  EXPECT_EQ(CA.remote()->stats().Stores, 1u);
  EXPECT_EQ(Server.entries(), 1);

  // Node B: a local miss, a remote hit, published locally.
  std::optional<Entry> Got = CB.getOrCompute(E.EntryKey, E.Kind, Compute, O);
  ASSERT_TRUE(Got);
  EXPECT_EQ(Got->Payload, E.Payload);
  EXPECT_EQ(Compiles, 1);
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Hit);
  struct stat St;
  EXPECT_EQ(::stat(CB.entryPath(E.EntryKey).c_str(), &St), 0);
  // Then it is a local hit; Redis is not asked.
  ASSERT_TRUE(CB.getOrCompute(E.EntryKey, E.Kind, Compute, O));
  EXPECT_EQ(O, DiskCache::Outcome::Hit);
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Off);
  EXPECT_EQ(CB.remote()->stats().Hits, 1u);

  // lookup() reads through too.
  TempDir C;
  CacheOptions OC;
  OC.Dir = C.Path;
  OC.Remote = Server.url();
  DiskCache CC(OC);
  ASSERT_TRUE(CC.lookup(E.EntryKey, E.Kind));
  EXPECT_EQ(::stat(CC.entryPath(E.EntryKey).c_str(), &St), 0);

  // Counters reach Redis on flush.
  CB.remote()->flush();
  EXPECT_EQ(Server.command({"HGET", RemoteCache::StatsName, "hits"}).Str, "1");
}

TEST_F(RemoteTier, CollidingKeysWithOtherStrongNamesNeverServeEachOther) {
  // The seam: B's 128-bit XXH3 key forced equal to A's, as a constructed
  // collision would make it; their strong names still differ.
  Entry A = makeEntry("a"), B = makeEntry("b");
  B.EntryKey.High = A.EntryKey.High;
  B.EntryKey.Low = A.EntryKey.Low;
  ASSERT_EQ(A.EntryKey, B.EntryKey);
  ASSERT_NE(A.EntryKey.strongHex(), B.EntryKey.strongHex());
  std::atomic<int> Compiles{0};
  Node NA(configFor(Server)), NB(configFor(Server));
  std::optional<Entry> Got = NA.get(A, Compiles);
  ASSERT_TRUE(Got);
  NA.Remote.flush();
  ASSERT_EQ(Server.entries(), 1);
  // B is not served A's entry: it compiles its own, stored beside A's.
  Got = NB.get(B, Compiles);
  ASSERT_TRUE(Got);
  EXPECT_EQ(Got->Payload, B.Payload);
  EXPECT_EQ(Compiles, 2);
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Miss);
  NB.Remote.flush();
  EXPECT_EQ(Server.entries(), 2);
  // Fresh nodes get each its own, remotely.
  for (const Entry *E : {&A, &B}) {
    Node Fresh(configFor(Server));
    std::optional<Entry> F = Fresh.Remote.fetch(E->EntryKey, E->Kind);
    ASSERT_TRUE(F);
    EXPECT_EQ(F->Payload, E->Payload);
  }
  EXPECT_EQ(Compiles, 2);
}

TEST_F(RemoteTier, AKeyWithoutAStrongNameIsNotShared) {
  Entry E = makeEntry("weak");
  E.EntryKey.HasStrong = false;
  std::atomic<int> Compiles{0};
  Node N(configFor(Server));
  ASSERT_TRUE(N.get(E, Compiles));
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Off);
  N.Remote.storeAsync(E);
  N.Remote.flush();
  EXPECT_EQ(Server.entries(), 0);
  EXPECT_EQ(Compiles, 1);
  ASSERT_EQ(N.Warnings.size(), 1u);
  EXPECT_NE(N.Warnings[0].find("no strong name"), std::string::npos);
}

TEST_F(RemoteTier, LastServedRemotelyTellsARemoteHitFromACompile) {
  TempDir A, B, C;
  Entry E = makeEntry("served");
  CacheOptions OA, OB, OC;
  OA.Dir = A.Path;
  OB.Dir = B.Path;
  OC.Dir = C.Path;
  OA.Remote = OB.Remote = Server.url();
  OC.Remote = "";
  DiskCache CA(OA), CB(OB), CC(OC);
  auto Compute = [&]() -> std::optional<Entry> { return E; };
  DiskCache::Outcome O;
  ASSERT_TRUE(CA.getOrCompute(E.EntryKey, E.Kind, Compute, O));
  EXPECT_FALSE(DiskCache::lastServedRemotely()) << "compiled";
  CA.remote()->flush();
  ASSERT_TRUE(CB.getOrCompute(E.EntryKey, E.Kind, Compute, O));
  EXPECT_EQ(O, DiskCache::Outcome::Miss);
  EXPECT_TRUE(DiskCache::lastServedRemotely());
  // A cache without a remote tier leaves no stale answer behind.
  ASSERT_TRUE(CC.getOrCompute(E.EntryKey, E.Kind, Compute, O));
  EXPECT_FALSE(DiskCache::lastServedRemotely());
  ASSERT_TRUE(CB.getOrCompute(E.EntryKey, E.Kind, Compute, O));
  EXPECT_EQ(O, DiskCache::Outcome::Hit);
  EXPECT_FALSE(DiskCache::lastServedRemotely()) << "a local hit";
}

TEST_F(RemoteTier, StoredEntriesAreSharedAndFetchedOnesNotStoredBack) {
  // Records are stored directly (DiskCache::store), not computed through
  // getOrCompute: they reach Redis too.
  TempDir A, B;
  Entry E = makeEntry("record", EntryKind::Record);
  CacheOptions OA, OB;
  OA.Dir = A.Path;
  OB.Dir = B.Path;
  OA.Remote = OB.Remote = Server.url();
  DiskCache CA(OA), CB(OB);
  ASSERT_TRUE(CA.store(E));
  CA.remote()->flush();
  EXPECT_EQ(CA.remote()->stats().Stores, 1u);
  std::optional<Entry> Got = CB.lookup(E.EntryKey, E.Kind);
  ASSERT_TRUE(Got);
  EXPECT_EQ(Got->Payload, E.Payload);
  CB.remote()->flush();
  EXPECT_EQ(CB.remote()->stats().Stores, 0u) << "published here only";
}

TEST_F(RemoteTier, TheEnvironmentAloneConfiguresTheTier) {
  EnvVar R("LCS_REMOTE_CACHE", Server.url().c_str());
  EnvVar M("LCS_REMOTE_CACHE_MODE", "readonly");
  TempDir A;
  CacheOptions O;
  O.Dir = A.Path;
  DiskCache C(O);
  ASSERT_TRUE(C.remote());
  EXPECT_EQ(C.remote()->config().Mode, RemoteMode::ReadOnly);
}

TEST_F(RemoteTier, PlantedValuesAreNeverServedAndAreCounted) {
  Entry E = makeEntry("target");
  std::string Name = RemoteCache::entryName(E.EntryKey, E.Kind);
  RemoteConfig Plain = configFor(Server);
  RemoteCache Writer(Plain);
  std::string Good = Writer.encodeValue(E);
  Entry Evil = E;
  Evil.Payload = "ptxas would run this instead" + std::string(100, 'x');
  std::string Forged = Writer.encodeValue(Evil);
  Forged[Forged.size() - 30] ^= 0x20; // checksum no longer matches
  std::string Planted[] = {
      Forged,
      Good.substr(0, Good.size() / 2),                      // truncated
      Writer.encodeValue(makeEntry("another kernel")),      // foreign
      "LCSR\x01\x00garbage",                                 // garbage
  };
  int Served = 0;
  for (const std::string &V : Planted) {
    Node N(Plain);
    Server.command({"SET", Name, V});
    std::atomic<int> Compiles{0};
    std::optional<Entry> Got = N.get(E, Compiles);
    ASSERT_TRUE(Got);
    EXPECT_EQ(Got->Payload, E.Payload); // what this node compiled
    EXPECT_EQ(Compiles, 1);
    EXPECT_EQ(N.Remote.stats().Refusals, 1u);
    EXPECT_EQ(N.Remote.stats().Hits, 0u);
    Served += N.Remote.stats().Hits;
    ASSERT_EQ(N.Warnings.size(), 1u);
    EXPECT_NE(N.Warnings[0].find("refused"), std::string::npos);
  }
  EXPECT_EQ(Served, 0);

  // With a signing key, an unsigned value (a valid entry) is refused too.
  RemoteConfig Keyed = Plain;
  Keyed.SigningKey = "cluster-secret-0123456789";
  Server.command({"SET", Name, Good});
  Node K(Keyed);
  std::atomic<int> Compiles{0};
  ASSERT_TRUE(K.get(E, Compiles));
  EXPECT_EQ(Compiles, 1);
  EXPECT_EQ(K.Remote.stats().Refusals, 1u);
  // Its own store replaces the value with a signed one that the next keyed
  // node accepts.
  K.Remote.flush();
  Node K2(Keyed);
  ASSERT_TRUE(K2.get(E, Compiles));
  EXPECT_EQ(Compiles, 1);
  EXPECT_EQ(K2.Remote.stats().Hits, 1u);
}

TEST_F(RemoteTier, ReadOnlyStoresNothingAndWriteOnlyNeverReads) {
  RemoteConfig RO = configFor(Server), WO = RO;
  RO.Mode = RemoteMode::ReadOnly;
  WO.Mode = RemoteMode::WriteOnly;
  std::atomic<int> Compiles{0};
  {
    Node N(RO);
    ASSERT_TRUE(N.get(makeEntry("ro"), Compiles));
    N.Remote.flush();
    EXPECT_EQ(N.Remote.stats().Stores, 0u);
  }
  EXPECT_EQ(Server.dbsize(), 0); // not even counters or leases
  EXPECT_EQ(Compiles, 1);

  Entry E = makeEntry("wo");
  RemoteCache Writer(configFor(Server));
  Server.command({"SET", RemoteCache::entryName(E.EntryKey, E.Kind),
                  Writer.encodeValue(E)});
  Server.command({"CONFIG", "RESETSTAT"});
  {
    Node N(WO);
    ASSERT_TRUE(N.get(E, Compiles));
    EXPECT_EQ(Compiles, 2); // the value was there, and not read
    N.Remote.flush();
    EXPECT_EQ(N.Remote.stats().Stores, 1u);
    EXPECT_EQ(N.Remote.stats().Hits + N.Remote.stats().Misses, 0u);
  }
  std::string Info = Server.command({"INFO", "stats"}).Str;
  EXPECT_NE(Info.find("keyspace_hits:0"), std::string::npos) << Info;
  // And a read-only node reads what the write-only one stored.
  Node R(RO);
  ASSERT_TRUE(R.get(E, Compiles));
  EXPECT_EQ(Compiles, 2);
  EXPECT_EQ(R.Remote.stats().Hits, 1u);
}

TEST_F(RemoteTier, LargeValuesAreNotStored) {
  RemoteConfig C = configFor(Server);
  C.MaxValueSize = 1000;
  Node N(C);
  std::atomic<int> Compiles{0};
  ASSERT_TRUE(N.get(makeEntry("big", EntryKind::Cubin, 5000), Compiles));
  ASSERT_TRUE(N.get(makeEntry("small", EntryKind::Cubin, 10), Compiles));
  N.Remote.flush();
  EXPECT_EQ(N.Remote.stats().Dropped, 1u);
  EXPECT_EQ(N.Remote.stats().Stores, 1u);
  EXPECT_EQ(Server.entries(), 1);
}

TEST_F(RemoteTier, KilledThenRestartedNothingFailsAndUseResumes) {
  RemoteConfig C = configFor(Server);
  C.BreakerCooldown = milliseconds(300);
  Node N(C);
  std::atomic<int> Compiles{0};
  ASSERT_TRUE(N.get(makeEntry("before"), Compiles));
  N.Remote.flush();
  EXPECT_EQ(N.Remote.stats().Stores, 1u);

  Server.stop(SIGKILL);
  for (int I = 0; I != 6; ++I) {
    auto T0 = Clock::now();
    std::optional<Entry> E = N.get(makeEntry("down" + std::to_string(I)),
                                   Compiles);
    ASSERT_TRUE(E) << "a compile failed because Redis is down";
    EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Error);
    EXPECT_LT(millisSince(T0), 1000.0);
  }
  N.Remote.flush(); // stores fail fast, nothing hangs
  EXPECT_TRUE(N.Remote.breakerOpen());
  EXPECT_GE(N.Remote.stats().Errors, 3u);
  ASSERT_EQ(N.Warnings.size(), 1u) << "one warning when the breaker opens";
  EXPECT_NE(N.Warnings[0].find("local cache only"), std::string::npos);

  ASSERT_NO_FATAL_FAILURE(Server.start()); // empty: no persistence
  std::this_thread::sleep_for(C.BreakerCooldown + milliseconds(50));
  Entry After = makeEntry("after");
  ASSERT_TRUE(N.get(After, Compiles));
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Miss);
  N.Remote.flush();
  EXPECT_FALSE(N.Remote.breakerOpen());
  Node M(C);
  ASSERT_TRUE(M.get(After, Compiles));
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Hit);
  EXPECT_EQ(M.Remote.stats().Hits, 1u);
}

TEST_F(RemoteTier, PausedServerEachOperationGivesUpInTimeAndTheBreakerOpens) {
  RemoteConfig C = configFor(Server);
  C.OpTimeout = milliseconds(100);
  C.ConnectTimeout = milliseconds(100);
  Node N(C);
  std::atomic<int> Compiles{0};
  ASSERT_TRUE(N.get(makeEntry("warm"), Compiles)); // connected
  N.Remote.flush();
  Server.pause();
  unsigned Slow = 0;
  for (int I = 0; I != 3; ++I) {
    auto T0 = Clock::now();
    EXPECT_FALSE(N.Remote.fetch(makeEntry("p" + std::to_string(I)).EntryKey,
                                EntryKind::PTX));
    double Ms = millisSince(T0);
    // One operation: connect (if needed) plus one read, each bounded.
    EXPECT_LT(Ms, 2 * 100 + 150.0) << "operation " << I;
    Slow += Ms >= 90;
  }
  EXPECT_GE(Slow, 1u);
  EXPECT_TRUE(N.Remote.breakerOpen());
  EXPECT_GE(N.Remote.stats().Timeouts, 1u);
  // Open: the next operations do not wait at all.
  auto T0 = Clock::now();
  std::optional<Entry> E = N.get(makeEntry("while paused"), Compiles);
  ASSERT_TRUE(E);
  EXPECT_LT(millisSince(T0), 50.0);
  EXPECT_EQ(RemoteCache::lastOutcome(), RemoteOutcome::Error);
  Server.resume();
}

TEST_F(RemoteTier, LeaseMakesOneCompileAcrossNodes) {
  RemoteConfig C = configFor(Server);
  std::vector<std::unique_ptr<Node>> Nodes;
  for (int I = 0; I != 4; ++I)
    Nodes.push_back(std::make_unique<Node>(C));
  Entry E = makeEntry("shared");
  std::atomic<int> Compiles{0};
  std::vector<std::thread> Threads;
  for (auto &N : Nodes)
    Threads.emplace_back([&, Node = N.get()] {
      std::optional<Entry> Got = Node->get(E, Compiles, milliseconds(300));
      EXPECT_TRUE(Got && Got->Payload == E.Payload);
    });
  for (std::thread &T : Threads)
    T.join();
  uint64_t Waits = 0, Timeouts = 0;
  for (auto &N : Nodes) {
    Waits += N->Remote.stats().LeaseWaits;
    Timeouts += N->Remote.stats().LeaseTimeouts;
  }
  EXPECT_EQ(uint64_t(Compiles), 1 + Timeouts);
  EXPECT_EQ(Timeouts, 0u);
  EXPECT_EQ(Waits, 3u);
  // The owner released its lease after storing.
  for (auto &N : Nodes)
    N->Remote.flush();
  EXPECT_EQ(Server.command({"EXISTS", RemoteCache::leaseName(E.EntryKey,
                                                             E.Kind)})
                .Integer,
            0);
}

TEST_F(RemoteTier, LeaseWaitIsBoundedAndAnotherNodesLeaseIsNeverReleased) {
  RemoteConfig C = configFor(Server);
  C.LeaseWait = milliseconds(300);
  Entry E = makeEntry("stuck");
  std::string Lease = RemoteCache::leaseName(E.EntryKey, E.Kind);
  // A node that took the lease and hangs.
  Server.command({"SET", Lease, "someone-elses-token", "PX", "60000"});
  Node N(C);
  std::atomic<int> Compiles{0};
  auto T0 = Clock::now();
  ASSERT_TRUE(N.get(E, Compiles));
  double Ms = millisSince(T0);
  EXPECT_GE(Ms, 290.0);
  EXPECT_LT(Ms, 1000.0);
  EXPECT_EQ(Compiles, 1);
  EXPECT_EQ(N.Remote.stats().LeaseWaits, 1u);
  EXPECT_EQ(N.Remote.stats().LeaseTimeouts, 1u);
  N.Remote.flush();
  EXPECT_EQ(Server.command({"GET", Lease}).Str, "someone-elses-token");

  // An owner whose compile fails releases its own lease at once.
  Entry F = makeEntry("fails");
  N.Remote.getOrCompute(
      F.EntryKey, F.Kind, [] { return std::optional<Entry>(); },
      [](const Entry &) {});
  EXPECT_EQ(Server.command({"EXISTS", RemoteCache::leaseName(F.EntryKey,
                                                             F.Kind)})
                .Integer,
            0);
}

TEST_F(RemoteTier, PasswordsNeverAppearInWarnings) {
  Server.command({"CONFIG", "SET", "requirepass", "right-password"});
  RemoteConfig C = configFor(Server);
  C.Password = "hunter2-wrong";
  C.BreakerCooldown = milliseconds(100000);
  Node N(C);
  std::atomic<int> Compiles{0};
  for (int I = 0; I != 4; ++I)
    ASSERT_TRUE(N.get(makeEntry("x" + std::to_string(I)), Compiles));
  EXPECT_TRUE(N.Remote.breakerOpen());
  ASSERT_FALSE(N.Warnings.empty());
  for (const std::string &W : N.Warnings) {
    EXPECT_EQ(W.find("hunter2"), std::string::npos) << W;
    EXPECT_NE(W.find("authentication failed"), std::string::npos) << W;
  }
  std::string Error;
  double Ms;
  EXPECT_FALSE(N.Remote.ping(Error, Ms));
  EXPECT_EQ(Error.find("hunter2"), std::string::npos) << Error;
}

} // namespace
