//===- LaunchConfig.cpp - One launch configuration ------------------------===//
//
// Parsing and validation; see LaunchConfig.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/LaunchConfig.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

using namespace llvm;

namespace lcs {

static Error configError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg);
}

std::string dim3Str(const Dim3 &D) {
  return (Twine(D[0]) + "x" + Twine(D[1]) + "x" + Twine(D[2])).str();
}

Expected<TargetLimits> targetLimits(StringRef Arch) {
  StringRef Num = Arch;
  unsigned SM;
  if (!Num.consume_front("sm_") ||
      (Num.consume_back("a") || Num.consume_back("f"), false) ||
      Num.getAsInteger(10, SM))
    return configError("unknown target '" + Arch +
                       "' (expected sm_NN, sm_NNa or sm_NNf, e.g. sm_90)");
  if (SM < 75)
    return configError("target '" + Arch +
                       "' is not supported: ptxas from CUDA 13 needs sm_75 "
                       "or newer");
  TargetLimits T;
  T.SM = SM;
  T.HasClusters = SM >= 90;
  // Opt-in maximum of dynamic shared memory per block (CUDA programming
  // guide, compute capabilities table).
  if (SM == 75)
    T.MaxDynamicSmem = 65536;
  else if (SM == 80 || SM == 87)
    T.MaxDynamicSmem = 166912;
  else if (SM == 86 || SM == 89 || SM >= 120)
    T.MaxDynamicSmem = 101376;
  else // sm_90, sm_100, sm_103, sm_110
    T.MaxDynamicSmem = 232448;
  return T;
}

Expected<Dim3> parseDim3(StringRef Text, StringRef What) {
  SmallVector<StringRef, 3> Parts;
  Text.split(Parts, 'x');
  if (Text.empty() || Parts.size() > 3)
    return configError(What + ": '" + Text +
                       "' is not 1 to 3 dimensions joined by 'x' (e.g. "
                       "128x2x1)");
  Dim3 D = {1, 1, 1};
  for (size_t I = 0; I != Parts.size(); ++I) {
    uint64_t V;
    if (Parts[I].getAsInteger(10, V) || V > UINT32_MAX)
      return configError(What + ": '" + Parts[I] + "' is not a number");
    if (V == 0)
      return configError(What + "." + StringRef(&"xyz"[I], 1) +
                         " must be at least 1");
    D[I] = uint32_t(V);
  }
  return D;
}

Expected<LaunchConfig> parseLaunchConfig(StringRef Text) {
  LaunchConfig C;
  SmallVector<StringRef, 8> Params;
  Text.split(Params, ';', -1, /*KeepEmpty=*/false);
  for (StringRef P : Params) {
    P = P.trim();
    auto [Key, Value] = P.split('=');
    if (Key == "nonportable-cluster" && Value.empty() && !P.contains('=')) {
      C.NonPortableCluster = true;
      continue;
    }
    if (!P.contains('='))
      return configError("parameter '" + P + "' needs a value (KEY=VALUE)");
    if (Key == "block" || Key == "grid" || Key == "cluster") {
      if (Key == "cluster" && Value == "none") {
        C.ClusterNone = true;
        C.Cluster.reset();
        continue;
      }
      Expected<Dim3> D = parseDim3(Value, Key);
      if (!D)
        return D.takeError();
      (Key == "block" ? C.Block : Key == "grid" ? C.Grid : C.Cluster) = *D;
      if (Key == "cluster")
        C.ClusterNone = false;
    } else if (Key == "smem") {
      uint64_t V;
      if (Value.getAsInteger(10, V) || V > UINT32_MAX)
        return configError("smem: '" + Value + "' is not a byte count");
      C.Smem = uint32_t(V);
    } else if (Key == "kernel") {
      if (Value.empty())
        return configError("kernel: empty name");
      C.Kernel = Value.str();
    } else if (Key == "arch") {
      if (Expected<TargetLimits> T = targetLimits(Value); !T)
        return T.takeError();
      C.Arch = Value.str();
    } else {
      return configError("unknown parameter '" + Key +
                         "' (expected block, grid, cluster, smem, kernel, "
                         "arch, nonportable-cluster)");
    }
  }
  return C;
}

LaunchConfig LaunchConfig::restrictedTo(FieldMask Groups) const {
  auto Has = [&](FieldGroup G) {
    return !(Groups & FieldMask::group(G)).empty();
  };
  LaunchConfig C;
  C.Kernel = Kernel;
  C.Arch = Arch;
  if (Has(FieldGroup::Block))
    C.Block = Block;
  if (Has(FieldGroup::Grid))
    C.Grid = Grid;
  if (Has(FieldGroup::Cluster)) {
    C.Cluster = Cluster;
    C.ClusterNone = ClusterNone;
    C.NonPortableCluster = NonPortableCluster;
  }
  if (Has(FieldGroup::Smem))
    C.Smem = Smem;
  return C;
}

FieldMask LaunchConfig::givenFields() const {
  FieldMask M;
  if (Block)
    M |= FieldMask::group(FieldGroup::Block);
  if (Grid)
    M |= FieldMask::group(FieldGroup::Grid);
  if (hasClusterValue())
    M |= FieldMask::group(FieldGroup::Cluster);
  if (Smem)
    M |= FieldMask::group(FieldGroup::Smem);
  return M;
}

std::string LaunchConfig::str(FieldMask Groups) const {
  std::string Out;
  auto Add = [&](const Twine &S) {
    if (!Out.empty())
      Out += ';';
    Out += S.str();
  };
  FieldMask G = Groups & givenFields();
  if (!(G & FieldMask::group(FieldGroup::Block)).empty())
    Add("block=" + dim3Str(*Block));
  if (!(G & FieldMask::group(FieldGroup::Grid)).empty())
    Add("grid=" + dim3Str(*Grid));
  if (!(G & FieldMask::group(FieldGroup::Cluster)).empty())
    Add(Cluster ? "cluster=" + dim3Str(*Cluster) : Twine("cluster=none"));
  if (!(G & FieldMask::group(FieldGroup::Smem)).empty())
    Add("smem=" + Twine(*Smem));
  return Out;
}

Error validateLaunchConfig(const LaunchConfig &C, const TargetLimits &T) {
  if (C.Block) {
    const Dim3 &B = *C.Block;
    uint64_t Volume = volume(B);
    if (B[0] > 1024 || B[1] > 1024)
      return configError("block." + Twine(B[0] > 1024 ? "x" : "y") + " = " +
                         Twine(B[0] > 1024 ? B[0] : B[1]) +
                         " exceeds 1024");
    if (B[2] > 64)
      return configError("block.z = " + Twine(B[2]) + " exceeds 64");
    if (Volume > 1024)
      return configError("block " + dim3Str(B) + " has " + Twine(Volume) +
                         " threads; at most 1024");
  }
  if (C.Grid) {
    const Dim3 &G = *C.Grid;
    if (G[0] > 0x7fffffffu)
      return configError("grid.x = " + Twine(G[0]) + " exceeds 2^31-1");
    for (unsigned D : {1u, 2u})
      if (G[D] > 65535)
        return configError("grid." + Twine("xyz"[D]) + " = " + Twine(G[D]) +
                           " exceeds 65535");
  }
  if (C.Cluster) {
    const Dim3 &CL = *C.Cluster;
    if (!T.HasClusters)
      return configError("cluster " + dim3Str(CL) + ": thread block clusters "
                         "need sm_90 or newer (target sm_" + Twine(T.SM) + ")");
    uint64_t Volume = volume(CL);
    unsigned Max = C.NonPortableCluster ? 16 : 8;
    if (Volume > Max)
      return configError(
          "cluster " + dim3Str(CL) + " has " + Twine(Volume) +
          " blocks; at most " + Twine(Max) +
          (C.NonPortableCluster ? "" : " (16 with nonportable-cluster)"));
    if (C.Grid)
      for (unsigned D = 0; D != 3; ++D)
        if ((*C.Grid)[D] % CL[D])
          return configError("grid." + Twine("xyz"[D]) + " = " +
                             Twine((*C.Grid)[D]) +
                             " is not a multiple of cluster." +
                             Twine("xyz"[D]) + " = " + Twine(CL[D]));
  }
  if (C.Smem && *C.Smem > T.MaxDynamicSmem)
    return configError("smem = " + Twine(*C.Smem) +
                       " bytes exceeds the opt-in maximum of " +
                       Twine(T.MaxDynamicSmem) + " bytes for sm_" +
                       Twine(T.SM));
  return Error::success();
}

} // namespace lcs
