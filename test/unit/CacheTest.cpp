//===- CacheTest.cpp - The disk cache -------------------------------------===//

#include "TestSupport.h"
#include "lcs/cache/DiskCache.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace lcs::cache;
using lcs::test::makeEntry;
using lcs::test::readFile;
using lcs::test::TempDir;

namespace {

CacheOptions opts(const std::string &Dir) {
  CacheOptions O;
  O.Dir = Dir;
  return O;
}

void writeFile(const std::string &Path, const std::string &Bytes) {
  std::ofstream Out(Path, std::ios::binary | std::ios::trunc);
  Out << Bytes;
}

/// The lock file of \p K in the cache at \p Dir.
std::string lockPathOf(const std::string &Dir, const Key &K) {
  return Dir + "/v1/locks/" + K.hex().substr(0, 2) + "/" + K.hex() + ".lock";
}

/// Sets the modification time of \p Path an hour back.
void age(const std::string &Path) {
  struct timespec Times[2] = {{0, UTIME_OMIT}, {::time(nullptr) - 3600, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, Path.c_str(), Times, 0), 0);
}

ino_t inodeOf(const std::string &Path) {
  struct stat St;
  return ::stat(Path.c_str(), &St) == 0 ? St.st_ino : 0;
}

/// Runs \p Body in \p N child processes at once; each must return true.
void inChildren(int N, const std::function<bool()> &Body) {
  std::vector<pid_t> Kids;
  for (int I = 0; I != N; ++I) {
    pid_t P = ::fork();
    ASSERT_GE(P, 0);
    if (P == 0)
      ::_exit(Body() ? 0 : 1);
    Kids.push_back(P);
  }
  for (pid_t P : Kids) {
    int Status = 0;
    ::waitpid(P, &Status, 0);
    EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0);
  }
}

struct Warnings {
  std::vector<std::string> List;
  CacheOptions options(const std::string &Dir) {
    CacheOptions O;
    O.Dir = Dir;
    O.Warn = [this](const std::string &W) { List.push_back(W); };
    return O;
  }
};

/// The cache refused to work, with exactly one warning that says \p Why.
void expectDisabled(const DiskCache &C, const Warnings &W, const char *Why) {
  EXPECT_EQ(C.mode(), DiskCache::Mode::Disabled);
  ASSERT_EQ(W.List.size(), 1u);
  EXPECT_NE(W.List[0].find(Why), std::string::npos) << W.List[0];
}

//===-- Keys and the entry format -----------------------------------------===//

TEST(CacheKey, EncodingIsCanonicalAndFieldsAreSeparated) {
  // "ab" + "c" must not collide with "a" + "bc".
  Key A = KeyBuilder("d").add("x", "ab").add("y", "c").key();
  Key B = KeyBuilder("d").add("x", "a").add("y", "bc").key();
  Key C = KeyBuilder("d").add("x", "ab").add("y", "c").key();
  EXPECT_NE(A, B);
  EXPECT_EQ(A, C);
  EXPECT_NE(KeyBuilder("d1").key(), KeyBuilder("d2").key());
  Key Parsed;
  ASSERT_TRUE(Key::fromHex(A.hex(), Parsed));
  EXPECT_EQ(Parsed, A);
  EXPECT_FALSE(Key::fromHex("xyz", Parsed));
  EXPECT_FALSE(Key::fromHex(std::string(32, 'G'), Parsed));
}

TEST(CacheKey, StrongNamesOnlyWhileOnAndTheKeyItselfUnchanged) {
  std::string Big(1 << 16, 'x');
  auto Build = [&] {
    return KeyBuilder("d").add("k", "v").addDigest("src", Big).key();
  };
  Key Off = Build();
  EXPECT_FALSE(Off.HasStrong);
  EXPECT_EQ(Off.strongHex(), "");
  EXPECT_TRUE(KeyBuilder("d").strongEncoding().empty()) << "no cost off";
  StrongNames On;
  Key A = Build();
  ASSERT_TRUE(A.HasStrong);
  EXPECT_EQ(A, Off) << "the 128-bit key does not depend on the switch";
  EXPECT_EQ(A.strongHex().size(), 64u);
  EXPECT_EQ(A.strongHex(), Build().strongHex());
  // Every field is in the strong encoding; large ones by their SHA-256.
  Big[100] = 'y';
  EXPECT_NE(Build().strongHex(), A.strongHex());
  KeyBuilder B("d");
  B.addDigest("src", "abc");
  EXPECT_NE(B.strongEncoding().find(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            std::string::npos);
  EXPECT_EQ(B.encoding().find("ba7816bf"), std::string::npos);
}

TEST(CacheKey, EmbeddedKeysCarryTheirStrongNames) {
  StrongNames On;
  Key Src = KeyBuilder("s").add("x", "1").key();
  Key Other = KeyBuilder("s").add("x", "2").key();
  Key V = KeyBuilder("v").addKey("source", Src).key();
  // The same 128 bits as adding the hex (old keys stay valid locally).
  EXPECT_EQ(V, KeyBuilder("v").add("source", Src.hex()).key());
  ASSERT_TRUE(V.HasStrong);
  // A source that collides in XXH3 but not in SHA-256: another strong name.
  Key Forged = Other;
  Forged.High = Src.High;
  Forged.Low = Src.Low;
  Key W = KeyBuilder("v").addKey("source", Forged).key();
  EXPECT_EQ(W, V);
  EXPECT_NE(W.strongHex(), V.strongHex());
  // A key without a strong name makes none: a weak link would be weak.
  Key Weak = Src;
  Weak.HasStrong = false;
  EXPECT_FALSE(KeyBuilder("v").addKey("source", Weak).key().HasStrong);
}

/// The variant entry of the golden files: the same in every version.
Entry goldenVariant() {
  Entry E;
  E.Kind = EntryKind::Cubin;
  EXPECT_TRUE(Key::fromHex("ef9044d1cfb208909783d59b3c7cb07f", E.EntryKey));
  E.Descriptor = "kernel=k arch=sm_90 block=128x1x1";
  Variant V;
  V.Meta["kernel"] = "k";
  V.Meta["reqntid"] = "128,1,1";
  V.Code = "CODE";
  E.Payload = encodeVariant(V);
  return E;
}

TEST(CacheKey, BuildIdentityIsInEveryKey) {
  // Another build of lcs (other sources or options) makes other keys from
  // the same fields, whatever the domain.
  for (const char *Domain : {"lcs-source", "lcs-record", "lcs-variant"}) {
    Key A = KeyBuilder(Domain, "build-a").add("kernel", "k").key();
    Key B = KeyBuilder(Domain, "build-b").add("kernel", "k").key();
    EXPECT_NE(A, B) << Domain;
    EXPECT_EQ(A, KeyBuilder(Domain, "build-a").add("kernel", "k").key());
  }
  // By default, this build's: a 128-bit hex digest, never empty.
  EXPECT_EQ(KeyBuilder("d").key(), KeyBuilder("d", buildIdentity()).key());
  std::string Id = buildIdentity();
  EXPECT_EQ(Id.size(), 32u);
  EXPECT_EQ(Id.find_first_not_of("0123456789abcdef"), std::string::npos);
  // Fixed place: domain, key schema version, build, then the caller's.
  std::string Enc = KeyBuilder("d", "ID").encoding();
  EXPECT_EQ(Enc.substr(Enc.size() - 2 - 5 - 8 - 2),
            std::string("\x05\0build", 7) +
                std::string("\x02\0\0\0\0\0\0\0", 8) + "ID");
}

TEST(CacheEntry, GoldenFormatVersion2) {
  // The bytes of a version-2 entry are fixed: a change here is a format
  // change and needs a new version (and a new golden file).
  static_assert(EntryFormatVersion == 2, "add a golden file per version");
  Entry E = goldenVariant();
  std::string Golden = readFile(LCS_TEST_INPUTS "/cache-v2.golden");
  ASSERT_FALSE(Golden.empty()) << "golden file missing";
  EXPECT_TRUE(encodeEntry(E) == Golden) << "entry encoding changed";
  Entry Back;
  ASSERT_EQ(decodeEntry(Golden, Back, &E.EntryKey), DecodeError::Ok);
  EXPECT_EQ(Back.Descriptor, E.Descriptor);
  std::optional<Variant> BV = decodeVariant(Back.Payload);
  ASSERT_TRUE(BV);
  EXPECT_EQ(BV->Code, "CODE");
  EXPECT_EQ(BV->Meta["reqntid"], "128,1,1");

  // A record whose kernel names hold a space, '%', a newline, a non-ASCII
  // byte: escaped, one token each.
  std::vector<KernelRecord> Kernels = {
      {"a b", 0b1, true, "", "", ""},
      {std::string("x%\n\xff", 4), 0, false, "128,1,1", "", ""}};
  Entry R;
  R.Kind = EntryKind::Record;
  ASSERT_TRUE(Key::fromHex("0123456789abcdef0123456789abcdef", R.EntryKey));
  R.Descriptor = "record kernels=2";
  R.Payload = encodeRecord(Kernels);
  EXPECT_EQ(R.Payload, "kernel=a%20b fields=block.x explicit=1\n"
                       "kernel=x%25%0A%FF fields=- explicit=0 "
                       "reqntid=128,1,1\n");
  std::string RecordGolden =
      readFile(LCS_TEST_INPUTS "/cache-v2-record.golden");
  EXPECT_TRUE(encodeEntry(R) == RecordGolden) << "record encoding changed";
  ASSERT_EQ(decodeEntry(RecordGolden, Back, &R.EntryKey), DecodeError::Ok);
  std::optional<std::vector<KernelRecord>> BR = decodeRecord(Back.Payload);
  ASSERT_TRUE(BR);
  ASSERT_EQ(BR->size(), 2u);
  EXPECT_EQ((*BR)[0].Name, "a b");
  EXPECT_EQ((*BR)[1].Name, std::string("x%\n\xff", 4));
}

TEST(CacheEntry, GoldenFormatVersion1IsAMiss) {
  // Version 1 did not escape kernel names: its entries read as an unknown
  // version, cleanly, and a cache drops them like any entry that does not
  // check.
  std::string Golden = readFile(LCS_TEST_INPUTS "/cache-v1.golden");
  ASSERT_FALSE(Golden.empty()) << "golden file missing";
  Entry E = goldenVariant(), Back;
  EXPECT_EQ(decodeEntry(Golden, Back, &E.EntryKey),
            DecodeError::UnknownVersion);
  TempDir T;
  DiskCache C(opts(T.Path));
  ASSERT_TRUE(C.store(E));
  writeFile(C.entryPath(E.EntryKey), Golden);
  EXPECT_FALSE(C.lookup(E.EntryKey, E.Kind));
  EXPECT_EQ(C.stats().Corrupt, 1u);
  EXPECT_NE(::access(C.entryPath(E.EntryKey).c_str(), F_OK), 0);
}

TEST(CacheEntry, AnyKernelNameIsRecordable) {
  std::string Every;
  for (int B = 1; B != 256; ++B)
    Every += char(B);
  for (const std::string &Name :
       {std::string("with space"), std::string("new\nline"),
        std::string("kernel=x fields=- explicit=1"), std::string("100%"),
        std::string("nul\0byte", 8), Every}) {
    SCOPED_TRACE(Name);
    std::vector<KernelRecord> R = {{Name, 0b11, true, "1,2,3", "", ""},
                                   {"next", 0, false, "", "", ""}};
    std::string P = encodeRecord(R);
    EXPECT_EQ(std::count(P.begin(), P.end(), '\n'), 2);
    std::optional<std::vector<KernelRecord>> Back = decodeRecord(P);
    ASSERT_TRUE(Back);
    ASSERT_EQ(Back->size(), 2u);
    EXPECT_EQ((*Back)[0].Name, Name);
    EXPECT_EQ((*Back)[0].Fields, 0b11);
    EXPECT_EQ((*Back)[0].ReqNTid, "1,2,3");
    EXPECT_EQ((*Back)[1].Name, "next");
    Variant V;
    V.Meta["kernel"] = Name;
    V.Code = "CODE";
    std::optional<Variant> BV = decodeVariant(encodeVariant(V));
    ASSERT_TRUE(BV);
    EXPECT_EQ(BV->Meta["kernel"], Name);
    EXPECT_EQ(BV->Code, "CODE");
  }
  // A broken escape is malformed, not a guess.
  EXPECT_FALSE(decodeRecord("kernel=a%2 fields=- explicit=0\n"));
  EXPECT_FALSE(decodeRecord("kernel=a%zz fields=- explicit=0\n"));
  EXPECT_FALSE(decodeRecord("kernel=a% fields=- explicit=0\n"));
  std::string Meta = "kernel=a%4\n";
  std::string Payload =
      std::string(1, char(Meta.size())) + std::string(3, '\0') + Meta + "CODE";
  EXPECT_FALSE(decodeVariant(Payload));
}

TEST(CacheEntry, EveryCorruptionIsDetected) {
  Entry E = makeEntry("k");
  std::string Good = encodeEntry(E);
  Entry Out;
  ASSERT_EQ(decodeEntry(Good, Out, &E.EntryKey, &E.Kind), DecodeError::Ok);
  // Every truncation.
  for (size_t N = 0; N != Good.size(); ++N)
    EXPECT_NE(decodeEntry(Good.substr(0, N), Out, &E.EntryKey), DecodeError::Ok)
        << "truncated to " << N;
  // Every single bit flip.
  for (size_t I = 0; I != Good.size(); ++I)
    for (unsigned Bit = 0; Bit != 8; ++Bit) {
      std::string Bad = Good;
      Bad[I] = char(Bad[I] ^ (1 << Bit));
      ASSERT_NE(decodeEntry(Bad, Out, &E.EntryKey), DecodeError::Ok)
          << "byte " << I << " bit " << Bit;
    }
  EXPECT_EQ(decodeEntry(Good + "x", Out), DecodeError::TrailingBytes);
  std::string Next = Good;
  Next[4] = char(EntryFormatVersion + 1);
  EXPECT_EQ(decodeEntry(Next, Out), DecodeError::UnknownVersion);
  Key Other = KeyBuilder("other").key();
  EXPECT_EQ(decodeEntry(Good, Out, &Other), DecodeError::KeyMismatch);
  EntryKind Cubin = EntryKind::Cubin;
  EXPECT_EQ(decodeEntry(Good, Out, &E.EntryKey, &Cubin),
            DecodeError::KindMismatch);
}

TEST(CacheEntry, RecordsRoundTrip) {
  std::vector<KernelRecord> R = {{"a", 0b1000000001, true, "", "", ""},
                                 {"b", 0, false, "128,1,1", "", "2,1,1"}};
  std::string P = encodeRecord(R);
  EXPECT_EQ(P, "kernel=a fields=block.x,smem.dynamic explicit=1\n"
               "kernel=b fields=- explicit=0 reqntid=128,1,1 cluster=2,1,1\n");
  std::optional<std::vector<KernelRecord>> Back = decodeRecord(P);
  ASSERT_TRUE(Back);
  ASSERT_EQ(Back->size(), 2u);
  EXPECT_EQ((*Back)[0].Fields, 0b1000000001);
  EXPECT_TRUE((*Back)[0].Explicit);
  EXPECT_EQ((*Back)[1].ReqNTid, "128,1,1");
  EXPECT_EQ((*Back)[1].ClusterDim, "2,1,1");
  EXPECT_FALSE(decodeRecord("kernel=a explicit=0\n")) << "fields missing";
  EXPECT_FALSE(decodeRecord("kernel=a fields=warp.x explicit=0\n"));
  EXPECT_FALSE(decodeRecord("kernel=a fields=- explicit=2\n"));
  EXPECT_FALSE(decodeRecord("nonsense\n"));
}

TEST(CacheSize, Parse) {
  uint64_t V;
  ASSERT_TRUE(parseSize("123", V));
  EXPECT_EQ(V, 123u);
  ASSERT_TRUE(parseSize("2G", V));
  EXPECT_EQ(V, uint64_t(2) << 30);
  ASSERT_TRUE(parseSize("500M", V));
  EXPECT_EQ(V, uint64_t(500) << 20);
  EXPECT_FALSE(parseSize("", V));
  EXPECT_FALSE(parseSize("12X", V));
  EXPECT_FALSE(parseSize("M", V));
  EXPECT_FALSE(parseSize("99999999999999999999", V));
}

//===-- The disk cache ----------------------------------------------------===//

TEST(DiskCache, StoreLookupAndPermissions) {
  TempDir T;
  std::string Dir = T.Path + "/sub/cache";
  DiskCache C(opts(Dir));
  ASSERT_EQ(C.mode(), DiskCache::Mode::ReadWrite);
  Entry E = makeEntry("k");
  EXPECT_FALSE(C.lookup(E.EntryKey, E.Kind));
  ASSERT_TRUE(C.store(E));
  std::optional<Entry> Got = C.lookup(E.EntryKey, E.Kind);
  ASSERT_TRUE(Got);
  EXPECT_EQ(Got->Payload, E.Payload);
  struct stat St;
  ASSERT_EQ(::stat(Dir.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(C.entryPath(E.EntryKey).c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 0777, 0600u);
  EXPECT_EQ(C.stats().Hits, 1u);
  EXPECT_EQ(C.stats().Stores, 1u);
  // A second store of the same key (another writer) succeeds.
  ASSERT_TRUE(C.store(E));
  // The kind is part of what is checked: a mismatch is a miss (and removed).
  EXPECT_FALSE(C.lookup(E.EntryKey, EntryKind::Cubin));
  EXPECT_FALSE(C.lookup(E.EntryKey, E.Kind));
}

TEST(DiskCache, CorruptEntriesAreMissesAndRemoved) {
  TempDir T;
  DiskCache C(opts(T.Path));
  Entry E = makeEntry("k");
  ASSERT_TRUE(C.store(E));
  std::string Path = C.entryPath(E.EntryKey);
  std::string Good = readFile(Path);
  std::vector<std::string> Bad = {"", Good.substr(0, Good.size() / 2),
                                  Good.substr(0, Good.size() - 1)};
  std::string Flipped = Good;
  Flipped[Good.size() / 2] ^= 0x40;
  Bad.push_back(Flipped);
  std::string Version = Good;
  Version[4] = 9;
  Bad.push_back(Version);
  // Another key's (valid) entry under this key's name.
  Bad.push_back(encodeEntry(makeEntry("other")));
  for (const std::string &B : Bad) {
    writeFile(Path, B);
    EXPECT_FALSE(C.lookup(E.EntryKey, E.Kind));
    EXPECT_NE(::access(Path.c_str(), F_OK), 0) << "corrupt entry not removed";
  }
  EXPECT_EQ(C.stats().Corrupt, Bad.size());
  writeFile(Path, Good);
  EXPECT_TRUE(C.lookup(E.EntryKey, E.Kind));
  // verify() finds and removes what lookups have not met yet.
  writeFile(Path, Flipped);
  EXPECT_EQ(C.verify(), 1u);
  EXPECT_EQ(C.verify(), 0u);
}

TEST(DiskCache, EvictsLeastRecentlyUsedNeverTheNewEntry) {
  TempDir T;
  CacheOptions O = opts(T.Path);
  Entry Probe = makeEntry("probe", EntryKind::PTX, 1000);
  uint64_t EntrySize = encodeEntry(Probe).size();
  O.MaxSize = EntrySize * 4; // room for four
  DiskCache C(O);
  std::vector<Entry> Es;
  for (int I = 0; I != 4; ++I) {
    Es.push_back(makeEntry("e" + std::to_string(I), EntryKind::PTX, 1000));
    ASSERT_TRUE(C.store(Es.back()));
    // Distinct, increasing recency.
    struct timespec Times[2] = {{0, UTIME_OMIT}, {1000 + I, 0}};
    ::utimensat(AT_FDCWD, C.entryPath(Es.back().EntryKey).c_str(), Times, 0);
  }
  // Using e0 makes it the most recent.
  ASSERT_TRUE(C.lookup(Es[0].EntryKey, EntryKind::PTX));
  Entry New = makeEntry("new", EntryKind::PTX, 1000);
  ASSERT_TRUE(C.store(New)); // over the limit: evict down to 90 %
  EXPECT_TRUE(C.lookup(New.EntryKey, EntryKind::PTX));
  EXPECT_TRUE(C.lookup(Es[0].EntryKey, EntryKind::PTX));
  EXPECT_FALSE(C.lookup(Es[1].EntryKey, EntryKind::PTX)) << "oldest kept";
  EXPECT_FALSE(C.lookup(Es[2].EntryKey, EntryKind::PTX));
  EXPECT_TRUE(C.lookup(Es[3].EntryKey, EntryKind::PTX));
  EXPECT_EQ(C.stats().Evictions, 2u);
  EXPECT_LE(C.totalSize(), O.MaxSize);
  EXPECT_EQ(C.prune(0), 3u);
  EXPECT_EQ(C.totalSize(), 0u);
}

TEST(DiskCache, ClearRemovesEntriesOnly) {
  TempDir T;
  DiskCache C(opts(T.Path));
  ASSERT_TRUE(C.store(makeEntry("a")));
  ASSERT_TRUE(C.store(makeEntry("b")));
  ASSERT_TRUE(C.lookup(makeEntry("a").EntryKey, EntryKind::PTX));
  C.flushStats();
  EXPECT_EQ(C.clear(), 2u);
  EXPECT_EQ(C.totalSize(), 0u);
  // The counters survive a clear.
  EXPECT_EQ(C.persistentStats().Stores, 2u);
  EXPECT_EQ(C.persistentStats().Hits, 1u);
}

TEST(DiskCache, ConcurrentStatsFlushesAddUp) {
  // Each flush replaces the stats file by rename under the old file's
  // flock; a flusher that waited on a replaced file locks the new one, so
  // no update is lost.
  TempDir T;
  inChildren(8, [&] {
    DiskCache C(opts(T.Path));
    for (int J = 0; J != 20; ++J) {
      C.lookup(makeEntry("absent").EntryKey, EntryKind::PTX);
      C.flushStats();
    }
    return C.stats().Misses == 0;
  });
  DiskCache C(opts(T.Path));
  EXPECT_EQ(C.persistentStats().Misses, 8u * 20u);
  // A flusher killed before its rename leaves a temporary file beside the
  // stats; verify() removes it once it is old.
  std::string Stale = T.Path + "/v1/stats.tmp.1.2.3";
  writeFile(Stale, "hits 99\n");
  age(Stale);
  C.verify();
  EXPECT_NE(::access(Stale.c_str(), F_OK), 0);
  EXPECT_EQ(C.persistentStats().Misses, 8u * 20u);
}

TEST(DiskCache, RefusesUnsafeDirectories) {
  TempDir T;
  {
    std::string Open = T.Path + "/open";
    ::mkdir(Open.c_str(), 0777);
    ::chmod(Open.c_str(), 0777);
    Warnings W;
    DiskCache C(W.options(Open));
    expectDisabled(C, W, "writable by group or others");
    EXPECT_FALSE(C.store(makeEntry("k")));
  }
  if (::geteuid() == 0) {
    std::string Foreign = T.Path + "/foreign";
    ::mkdir(Foreign.c_str(), 0700);
    ASSERT_EQ(::chown(Foreign.c_str(), 65534, 65534), 0);
    Warnings W;
    DiskCache C(W.options(Foreign));
    expectDisabled(C, W, "belongs to another user");
  }
  {
    // A symbolic link planted where an entry goes.
    std::string Dir = T.Path + "/planted";
    Warnings W;
    Entry E = makeEntry("k");
    {
      DiskCache C(W.options(Dir));
      ASSERT_TRUE(C.store(E));
      std::string Path = C.entryPath(E.EntryKey);
      ::unlink(Path.c_str());
      ASSERT_EQ(::symlink((T.Path + "/elsewhere").c_str(), Path.c_str()), 0);
    }
    DiskCache C(W.options(Dir));
    EXPECT_FALSE(C.lookup(E.EntryKey, E.Kind));
    expectDisabled(C, W, "symbolic link");
  }
  {
    // A fan-out directory replaced by a link.
    std::string Dir = T.Path + "/linkeddir";
    Warnings W;
    Entry E = makeEntry("k");
    std::string Fan;
    {
      DiskCache C(W.options(Dir));
      Fan = C.entryPath(E.EntryKey);
      Fan = Fan.substr(0, Fan.rfind('/'));
    }
    ::mkdir((T.Path + "/target").c_str(), 0700);
    ASSERT_EQ(::symlink((T.Path + "/target").c_str(), Fan.c_str()), 0);
    DiskCache C(W.options(Dir));
    EXPECT_FALSE(C.store(E));
    EXPECT_EQ(C.mode(), DiskCache::Mode::Disabled);
    EXPECT_EQ(::access((T.Path + "/target/" + E.EntryKey.hex() + ".lcse").c_str(),
                       F_OK),
              -1);
  }
}

/// Fails one kind of step with an errno.
class FaultyFileSystem : public FileSystem {
public:
  std::string FailStep;
  int Errno = EIO;
  int open(const std::string &P, int F, mode_t M, int &Fd) override {
    return fail("open") ? Errno : FileSystem::open(P, F, M, Fd);
  }
  int writeAll(int Fd, const void *B, size_t S) override {
    return fail("write") ? Errno : FileSystem::writeAll(Fd, B, S);
  }
  int fsync(int Fd) override {
    return fail("fsync") ? Errno : FileSystem::fsync(Fd);
  }
  int rename(const std::string &A, const std::string &B) override {
    return fail("rename") ? Errno : FileSystem::rename(A, B);
  }
  int mkdir(const std::string &P, mode_t M) override {
    return fail("mkdir") ? Errno : FileSystem::mkdir(P, M);
  }

private:
  bool fail(const char *Step) const { return FailStep == Step; }
};

TEST(DiskCache, WriteFailuresWarnOnceAndLeaveNothingBehind) {
  for (auto [Step, Err] : std::vector<std::pair<std::string, int>>{
           {"open", ENOSPC},
           {"write", ENOSPC},
           {"fsync", EIO},
           {"rename", EIO},
           {"write", EROFS}}) {
    SCOPED_TRACE(Step + " " + std::to_string(Err));
    TempDir T;
    FaultyFileSystem FS;
    Warnings W;
    CacheOptions O = W.options(T.Path);
    O.FS = &FS;
    DiskCache C(O);
    ASSERT_EQ(C.mode(), DiskCache::Mode::ReadWrite);
    FS.FailStep = Step;
    FS.Errno = Err;
    EXPECT_FALSE(C.store(makeEntry("a")));
    EXPECT_FALSE(C.store(makeEntry("b")));
    EXPECT_EQ(W.List.size(), 1u) << "one warning, not one per store";
    EXPECT_EQ(C.mode(), DiskCache::Mode::ReadOnly);
    // No temporary or partial files.
    EXPECT_EQ(std::system(("test -z \"$(find " + T.Path +
                           "/v1/entries -type f)\"")
                              .c_str()),
              0);
    // getOrCompute still computes.
    DiskCache::Outcome Outcome;
    std::optional<Entry> E = C.getOrCompute(
        makeEntry("c").EntryKey, EntryKind::PTX,
        [] { return std::optional<Entry>(makeEntry("c")); }, Outcome);
    ASSERT_TRUE(E);
    EXPECT_EQ(Outcome, DiskCache::Outcome::Miss);
  }
}

/// Kills the process (SIGKILL) at one step of a write; "write" writes half
/// of the bytes first.
class KillingFileSystem : public FileSystem {
public:
  std::string Step;
  int open(const std::string &P, int F, mode_t M, int &Fd) override {
    if (Step == "open")
      ::raise(SIGKILL);
    int E = FileSystem::open(P, F, M, Fd);
    if (Step == "after-open")
      ::raise(SIGKILL);
    return E;
  }
  int writeAll(int Fd, const void *B, size_t S) override {
    if (Step == "write") {
      FileSystem::writeAll(Fd, B, S / 2);
      ::raise(SIGKILL);
    }
    int E = FileSystem::writeAll(Fd, B, S);
    if (Step == "after-write")
      ::raise(SIGKILL);
    return E;
  }
  int fsync(int Fd) override {
    if (Step == "fsync")
      ::raise(SIGKILL);
    int E = FileSystem::fsync(Fd);
    if (Step == "after-fsync")
      ::raise(SIGKILL);
    return E;
  }
  int rename(const std::string &A, const std::string &B) override {
    if (Step == "rename")
      ::raise(SIGKILL);
    int E = FileSystem::rename(A, B);
    if (Step == "after-rename")
      ::raise(SIGKILL);
    return E;
  }
};

/// Every entry file in the cache either checks or does not exist; returns
/// the number of intact entries.
unsigned expectNothingCorrupt(const std::string &Dir) {
  DiskCache C(opts(Dir));
  unsigned Valid = 0;
  for (const EntryInfo &I : C.list()) {
    EXPECT_TRUE(I.Valid) << I.Path << ": " << I.Problem;
    Valid += I.Valid;
  }
  return Valid;
}

TEST(DiskCache, WritersKilledAtEachStepLeaveNoCorruptEntry) {
  for (const char *Step : {"open", "after-open", "write", "after-write",
                           "fsync", "after-fsync", "rename", "after-rename"}) {
    SCOPED_TRACE(Step);
    TempDir T;
    Entry Old = makeEntry("k", EntryKind::Cubin, 1 << 16);
    ASSERT_TRUE(DiskCache(opts(T.Path)).store(Old));
    Entry New = Old;
    New.Payload = std::string(1 << 16, 'n'); // same key, new bytes
    pid_t P = ::fork();
    ASSERT_GE(P, 0);
    if (P == 0) {
      KillingFileSystem FS;
      FS.Step = Step;
      CacheOptions O = opts(T.Path);
      O.FS = &FS;
      DiskCache(O).store(New);
      ::_exit(0);
    }
    int Status = 0;
    ::waitpid(P, &Status, 0);
    ASSERT_TRUE(WIFSIGNALED(Status) && WTERMSIG(Status) == SIGKILL);
    EXPECT_EQ(expectNothingCorrupt(T.Path), 1u);
    DiskCache C(opts(T.Path));
    std::optional<Entry> Got = C.lookup(Old.EntryKey, Old.Kind);
    ASSERT_TRUE(Got) << "the old entry or the new one, whole";
    bool After = std::string(Step) == "after-rename";
    EXPECT_EQ(Got->Payload, After ? New.Payload : Old.Payload);
  }
}

TEST(DiskCache, WritersKilledAtRandomPointsLeaveNoCorruptEntry) {
  TempDir T;
  std::mt19937 Rng(42);
  for (int Round = 0; Round != 200; ++Round) {
    pid_t P = ::fork();
    ASSERT_GE(P, 0);
    if (P == 0) {
      DiskCache C(opts(T.Path));
      for (int I = 0;; ++I) // big entries, some keys rewritten
        C.store(makeEntry("e" + std::to_string(I % 7), EntryKind::PTX,
                          (1 << 18) + I));
    }
    if (Round != 199) {
      ::usleep(Rng() % 3000);
    } else {
      // The last writer runs until it has published (up to 20 s), so the
      // check below holds however slow the build (TSan) or the disk.
      auto Published = [&] {
        for (const EntryInfo &I : DiskCache(opts(T.Path)).list())
          if (I.Valid)
            return true;
        return false;
      };
      for (int Wait = 0; Wait != 2000 && !Published(); ++Wait)
        ::usleep(10000);
    }
    ::kill(P, SIGKILL);
    ::waitpid(P, nullptr, 0);
    // Checked on a sample of rounds (a full check every round would be
    // most of the test's time) and at the end.
    if (Round % 20 == 19)
      expectNothingCorrupt(T.Path);
  }
  EXPECT_GT(expectNothingCorrupt(T.Path), 0u) << "the writers got to publish";
  // Killed writers left temporary files; none is ever listed as an entry.
  EXPECT_EQ(std::system(("test -n \"$(find " + T.Path +
                         " -name '*.tmp.*')\"").c_str()),
            0);
}

TEST(DiskCache, ReadOnlyCacheServesHits) {
  TempDir T;
  Entry E = makeEntry("k");
  ASSERT_TRUE(DiskCache(opts(T.Path)).store(E));
  FaultyFileSystem FS; // every write step fails as on a read-only mount
  FS.FailStep = "open";
  FS.Errno = EROFS;
  Warnings W;
  CacheOptions O = W.options(T.Path);
  O.FS = &FS;
  DiskCache C(O);
  EXPECT_TRUE(C.lookup(E.EntryKey, E.Kind));
  EXPECT_FALSE(C.store(makeEntry("new")));
  EXPECT_EQ(C.mode(), DiskCache::Mode::ReadOnly);
  EXPECT_TRUE(C.lookup(E.EntryKey, E.Kind)) << "hits still served";
  ASSERT_EQ(W.List.size(), 1u);
  EXPECT_NE(W.List[0].find("read-only"), std::string::npos);
}

TEST(DiskCache, ConcurrentWritersOfOneKeyAllSucceed) {
  TempDir T;
  Entry E = makeEntry("shared", EntryKind::Cubin, 1 << 16);
  inChildren(8, [&] {
    DiskCache C(opts(T.Path));
    bool Ok = true;
    for (int J = 0; J != 20; ++J)
      Ok &= C.store(E);
    return Ok;
  });
  DiskCache C(opts(T.Path));
  std::optional<Entry> Got = C.lookup(E.EntryKey, E.Kind);
  ASSERT_TRUE(Got);
  EXPECT_EQ(Got->Payload, E.Payload);
  EXPECT_EQ(C.verify(), 0u);
}

TEST(DiskCache, SingleFlightAcrossProcesses) {
  TempDir T;
  Entry E = makeEntry("once");
  std::string Counter = T.Path + "/computed";
  inChildren(8, [&] {
    DiskCache C(opts(T.Path));
    DiskCache::Outcome O;
    std::optional<Entry> Got = C.getOrCompute(
        E.EntryKey, E.Kind,
        [&] {
          // Record the computation, and take long enough for the others
          // to arrive and wait.
          int Fd = ::open(Counter.c_str(), O_WRONLY | O_APPEND | O_CREAT,
                          0600);
          (void)!::write(Fd, "x", 1);
          ::close(Fd);
          ::usleep(200000);
          return std::optional<Entry>(E);
        },
        O);
    return Got && Got->Payload == E.Payload;
  });
  EXPECT_EQ(readFile(Counter), "x") << "computed more than once";
}

TEST(DiskCache, LockWaitIsBoundedWhenTheHolderNeverFinishes) {
  TempDir T;
  Entry E = makeEntry("stuck");
  int Ready[2];
  ASSERT_EQ(::pipe(Ready), 0);
  pid_t P = ::fork();
  ASSERT_GE(P, 0);
  if (P == 0) {
    DiskCache C(opts(T.Path));
    DiskCache::Outcome O;
    C.getOrCompute(E.EntryKey, E.Kind,
                   [&] {
                     (void)!::write(Ready[1], "r", 1);
                     ::sleep(30); // killed long before
                     return std::optional<Entry>();
                   },
                   O);
    ::_exit(0);
  }
  char B;
  ASSERT_EQ(::read(Ready[0], &B, 1), 1);
  CacheOptions O = opts(T.Path);
  O.LockWait = std::chrono::milliseconds(300);
  Warnings W;
  O.Warn = [&](const std::string &M) { W.List.push_back(M); };
  DiskCache C(O);
  DiskCache::Outcome Outcome;
  auto Start = std::chrono::steady_clock::now();
  std::optional<Entry> Got = C.getOrCompute(
      E.EntryKey, E.Kind, [&] { return std::optional<Entry>(E); }, Outcome);
  auto Waited = std::chrono::steady_clock::now() - Start;
  ::kill(P, SIGKILL);
  ::waitpid(P, nullptr, 0);
  ASSERT_TRUE(Got);
  EXPECT_EQ(Outcome, DiskCache::Outcome::Miss);
  EXPECT_GE(Waited, std::chrono::milliseconds(300));
  EXPECT_LT(Waited, std::chrono::seconds(5));
  ASSERT_EQ(W.List.size(), 1u);
  EXPECT_NE(W.List[0].find("compiling here"), std::string::npos);
  // Once the holder dies, its lock is gone: the next caller gets it at once.
  DiskCache::Outcome Again;
  EXPECT_TRUE(C.getOrCompute(E.EntryKey, E.Kind,
                             [&] { return std::optional<Entry>(E); }, Again));
  EXPECT_EQ(Again, DiskCache::Outcome::Hit);
}

TEST(DiskCache, StaleLockFilesAreRemovedFreshOnesKept) {
  TempDir T;
  DiskCache C(opts(T.Path));
  Entry Old = makeEntry("old"), Fresh = makeEntry("fresh");
  DiskCache::Outcome O;
  for (const Entry &E : {Old, Fresh})
    ASSERT_TRUE(C.getOrCompute(
        E.EntryKey, E.Kind, [&] { return std::optional<Entry>(E); }, O));
  std::string OldLock = lockPathOf(T.Path, Old.EntryKey);
  std::string FreshLock = lockPathOf(T.Path, Fresh.EntryKey);
  ASSERT_EQ(::access(OldLock.c_str(), F_OK), 0);
  age(OldLock);
  EXPECT_EQ(C.prune(uint64_t(1) << 30), 0u) << "no entry evicted";
  EXPECT_NE(::access(OldLock.c_str(), F_OK), 0) << "stale lock kept";
  EXPECT_EQ(::access(FreshLock.c_str(), F_OK), 0) << "fresh lock removed";
  // The key whose lock went still works, single flight included.
  ASSERT_TRUE(C.getOrCompute(
      Old.EntryKey, Old.Kind, [&] { return std::optional<Entry>(Old); }, O));
  EXPECT_EQ(O, DiskCache::Outcome::Hit);
}

TEST(DiskCache, PruneDuringAHeldCompileKeepsSingleFlight) {
  TempDir T;
  Entry E = makeEntry("held");
  std::string Counter = T.Path + "/computed";
  int Ready[2], Go[2];
  ASSERT_EQ(::pipe(Ready), 0);
  ASSERT_EQ(::pipe(Go), 0);
  auto Compile = [&](bool Signal) {
    DiskCache C(opts(T.Path));
    DiskCache::Outcome O;
    std::optional<Entry> Got = C.getOrCompute(
        E.EntryKey, E.Kind,
        [&] {
          if (Signal) { // hold the lock until the parent says go
            char B;
            (void)!::write(Ready[1], "r", 1);
            (void)!::read(Go[0], &B, 1);
          }
          int Fd = ::open(Counter.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
          (void)!::write(Fd, "x", 1);
          ::close(Fd);
          return std::optional<Entry>(E);
        },
        O);
    ::_exit(Got && Got->Payload == E.Payload ? (O == DiskCache::Outcome::Hit)
                                             : 2);
  };
  pid_t Holder = ::fork();
  ASSERT_GE(Holder, 0);
  if (Holder == 0)
    Compile(true);
  char B;
  ASSERT_EQ(::read(Ready[0], &B, 1), 1);
  // The holder is compiling: its lock is old enough to go, but held.
  std::string Lock = lockPathOf(T.Path, E.EntryKey);
  ino_t Held = inodeOf(Lock);
  ASSERT_NE(Held, 0u);
  age(Lock);
  DiskCache Pruner(opts(T.Path));
  Pruner.prune(0);
  EXPECT_EQ(Pruner.removeStaleLocks(), 0u);
  EXPECT_EQ(inodeOf(Lock), Held) << "a held lock file was removed";
  EXPECT_FALSE(Pruner.lookup(E.EntryKey, E.Kind)) << "absent while compiling";
  pid_t Waiter = ::fork();
  ASSERT_GE(Waiter, 0);
  if (Waiter == 0)
    Compile(false);
  ::usleep(200000); // the waiter arrives and waits
  ASSERT_EQ(::write(Go[1], "g", 1), 1);
  int HolderStatus = 0, WaiterStatus = 0;
  ::waitpid(Holder, &HolderStatus, 0);
  ::waitpid(Waiter, &WaiterStatus, 0);
  EXPECT_TRUE(WIFEXITED(HolderStatus) && WEXITSTATUS(HolderStatus) == 0)
      << "the holder computed (a miss)";
  EXPECT_TRUE(WIFEXITED(WaiterStatus) && WEXITSTATUS(WaiterStatus) == 1)
      << "the waiter got the holder's entry (a hit)";
  EXPECT_EQ(readFile(Counter), "x") << "computed more than once";
}

/// Removes the lock file between a locker's open and its flock, as a
/// pruner could, once.
class RemovingFileSystem : public FileSystem {
public:
  std::string LockPath;
  unsigned LockOpens = 0;
  bool Removed = false;
  int open(const std::string &P, int F, mode_t M, int &Fd) override {
    LockOpens += P == LockPath;
    return FileSystem::open(P, F, M, Fd);
  }
  int flock(int Fd, int Op) override {
    if (!Removed && LockOpens) {
      Removed = true;
      ::unlink(LockPath.c_str());
    }
    return FileSystem::flock(Fd, Op);
  }
};

TEST(DiskCache, LockerRelocksWhenItsFileWasRemoved) {
  TempDir T;
  Entry E = makeEntry("moved");
  RemovingFileSystem FS;
  FS.LockPath = lockPathOf(T.Path, E.EntryKey);
  CacheOptions O = opts(T.Path);
  O.FS = &FS;
  DiskCache C(O);
  DiskCache::Outcome Outcome;
  unsigned Computed = 0;
  ASSERT_TRUE(C.getOrCompute(
      E.EntryKey, E.Kind,
      [&] {
        ++Computed;
        // Holding the lock: the file at the path is the one locked.
        int Fd = ::open(FS.LockPath.c_str(), O_RDONLY);
        EXPECT_GE(Fd, 0);
        EXPECT_NE(::flock(Fd, LOCK_EX | LOCK_NB), 0) << "not the locked file";
        ::close(Fd);
        return std::optional<Entry>(E);
      },
      Outcome));
  EXPECT_TRUE(FS.Removed);
  EXPECT_EQ(FS.LockOpens, 2u) << "locked the removed file, not a new one";
  EXPECT_EQ(Computed, 1u);
  EXPECT_EQ(Outcome, DiskCache::Outcome::Miss);
}

TEST(DiskCache, LocationFromEnvironment) {
  // Later tests in this process see HOME as it was.
  struct RestoreHome {
    std::optional<std::string> Old;
    RestoreHome() {
      if (const char *H = std::getenv("HOME"))
        Old = H;
    }
    ~RestoreHome() {
      if (Old)
        ::setenv("HOME", Old->c_str(), 1);
      else
        ::unsetenv("HOME");
    }
  } Restore;
  ::setenv("LCS_CACHE_DIR", "/x/y", 1);
  EXPECT_EQ(defaultCacheDir(), "/x/y");
  EXPECT_EQ(defaultCacheDir("/explicit"), "/explicit");
  ::unsetenv("LCS_CACHE_DIR");
  ::setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(defaultCacheDir(), "/xdg/lcs");
  ::unsetenv("XDG_CACHE_HOME");
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(defaultCacheDir(), "/home/u/.cache/lcs");
  ::setenv("LCS_CACHE_DISABLE", "1", 1);
  EXPECT_EQ(defaultCacheDir("/explicit"), "");
  EXPECT_EQ(cacheLocation("/explicit"), "/explicit");
  EXPECT_EQ(cacheLocation(), "/home/u/.cache/lcs");
  ::setenv("LCS_CACHE_DISABLE", "0", 1);
  EXPECT_EQ(defaultCacheDir("/explicit"), "/explicit");
  ::unsetenv("LCS_CACHE_DISABLE");
  ::setenv("LCS_CACHE_MAX_SIZE", "3G", 1);
  bool Valid;
  EXPECT_EQ(cacheMaxSizeFromEnv(Valid), uint64_t(3) << 30);
  EXPECT_TRUE(Valid);
  ::setenv("LCS_CACHE_MAX_SIZE", "lots", 1);
  EXPECT_EQ(cacheMaxSizeFromEnv(Valid), uint64_t(1) << 30);
  EXPECT_FALSE(Valid);
  ::unsetenv("LCS_CACHE_MAX_SIZE");
}

} // namespace
