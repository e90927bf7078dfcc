//===- Validate.cpp - Launch configurations against limits ----------------===//
//
// One rule, one message; see Validate.h. The runtime calls validate() and
// checkBounds() on every launch: the checks are plain comparisons, and a
// message is only built once a rule fails.
//
//===----------------------------------------------------------------------===//

#include "lcs/config/Validate.h"

namespace lcs {

namespace {

constexpr const char *Axis[] = {"x", "y", "z"};

Status configError(std::string Msg) {
  return Status(LCS_ERROR_INVALID_CONFIG, std::move(Msg));
}

std::string num(uint64_t V) { return std::to_string(V); }

Dim3 dims(const uint32_t *D) { return {D[0], D[1], D[2]}; }

uint64_t volume(const uint32_t *D) { return uint64_t(D[0]) * D[1] * D[2]; }

} // namespace

namespace config {

Limits cudaLimits() { return Limits(); }

std::string deviceName(unsigned SM) {
  return "the device (sm_" + num(SM) + ")";
}

Status targetLimits(std::string_view Arch, Limits &Out) {
  std::string_view Num = Arch;
  uint32_t SM = 0;
  bool Ok = Num.substr(0, 3) == "sm_";
  if (Ok) {
    Num.remove_prefix(3);
    // Arch-specific (sm_90a) and family (sm_100f) targets share the
    // limits of their number.
    if (!Num.empty() && (Num.back() == 'a' || Num.back() == 'f'))
      Num.remove_suffix(1);
    Ok = !Num.empty() && Num.size() <= 4;
    for (char C : Num)
      Ok = Ok && C >= '0' && C <= '9';
    if (Ok)
      SM = uint32_t(std::stoul(std::string(Num)));
  }
  if (!Ok)
    return configError("unknown target '" + std::string(Arch) +
                       "' (expected sm_NN, sm_NNa or sm_NNf, e.g. sm_90)");
  if (SM < 75)
    return configError("target '" + std::string(Arch) +
                       "' is not supported: ptxas from CUDA 13 needs sm_75 "
                       "or newer");
  Limits T = cudaLimits();
  T.Who = "sm_" + num(SM);
  T.SM = SM;
  T.HasClusters = SM >= 90;
  T.MaxNonPortableClusterBlocks = T.HasClusters ? 16 : 0;
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
  Out = std::move(T);
  return Status::ok();
}

Status smemError(uint32_t Smem, uint32_t Extra, const Limits &L) {
  return configError(
      "smem.dynamic = " + num(Smem) + " bytes" +
      (Extra ? " + " + num(Extra) + " the generator added" : std::string()) +
      " exceeds the opt-in maximum of " + num(L.MaxDynamicSmem) +
      " bytes for " + L.Who);
}

Status validate(const ConfigRef &C, const Limits &L) {
  auto TooBig = [&](const char *Group, unsigned I, uint32_t V, uint32_t Max) {
    return configError(std::string(Group) + "." + Axis[I] + " = " + num(V) +
                       " exceeds the maximum of " + num(Max) + " for " + L.Who);
  };
  auto Zero = [&](const char *Group, unsigned I) {
    return configError(std::string(Group) + "." + Axis[I] +
                       " must be at least 1");
  };
  if (const uint32_t *B = C.Block) {
    for (unsigned I = 0; I != 3; ++I) {
      if (B[I] == 0)
        return Zero("block", I);
      if (B[I] > L.MaxBlock[I])
        return TooBig("block", I, B[I], L.MaxBlock[I]);
    }
    if (volume(B) > L.MaxThreads)
      return configError("block " + dim3Str(dims(B)) + " has " +
                         num(volume(B)) + " threads; at most " +
                         num(L.MaxThreads) + " for " + L.Who);
  }
  if (const uint32_t *G = C.Grid)
    for (unsigned I = 0; I != 3; ++I) {
      if (G[I] == 0)
        return Zero("grid", I);
      if (G[I] > L.MaxGrid[I])
        return TooBig("grid", I, G[I], L.MaxGrid[I]);
    }
  if (const uint32_t *CL = C.Cluster) {
    if (!L.HasClusters)
      return configError("cluster " + dim3Str(dims(CL)) + ": " + L.Who +
                         " cannot launch thread block clusters (sm_90 or "
                         "newer can)");
    for (unsigned I = 0; I != 3; ++I)
      if (CL[I] == 0)
        return Zero("cluster", I);
    bool NonPortable = C.NonPortableCluster && L.MaxNonPortableClusterBlocks;
    uint32_t Max =
        NonPortable ? L.MaxNonPortableClusterBlocks : L.MaxClusterBlocks;
    if (volume(CL) > Max)
      return configError("cluster " + dim3Str(dims(CL)) + " has " +
                         num(volume(CL)) + " blocks; at most " + num(Max) +
                         (NonPortable ? " (non-portable)"
                          : L.MaxNonPortableClusterBlocks
                              ? " (portable; " +
                                    num(L.MaxNonPortableClusterBlocks) +
                                    " with nonportable-cluster)"
                              : std::string(" (portable)")));
    if (const uint32_t *G = C.Grid)
      for (unsigned I = 0; I != 3; ++I)
        if (G[I] % CL[I])
          return configError("grid." + std::string(Axis[I]) + " = " +
                             num(G[I]) + " is not a multiple of cluster." +
                             Axis[I] + " = " + num(CL[I]));
  }
  if (C.Smem && *C.Smem > L.MaxDynamicSmem)
    return smemError(*C.Smem, 0, L);
  return Status::ok();
}

Status requiredBlockError(const Dim3 &Block, const Dim3 &Req) {
  return configError("block " + dim3Str(Block) +
                     " contradicts its required block " + dim3Str(Req) +
                     " (reqntid)");
}

Status checkBounds(const ConfigRef &C, const KernelBounds &B) {
  if (const uint32_t *Blk = C.Block) {
    if (B.ReqNTid[0] && dims(Blk) != B.ReqNTid)
      return requiredBlockError(dims(Blk), B.ReqNTid);
    if (B.MaxThreads && volume(Blk) > B.MaxThreads)
      return configError("block " + dim3Str(dims(Blk)) + " has " +
                         num(volume(Blk)) +
                         " threads, more than its maximum of " +
                         num(B.MaxThreads) + " (maxntid)");
  }
  if (C.Cluster || C.ClusterNone) {
    // Built only on failure: this runs on every launch.
    auto Given = [&] {
      return C.Cluster ? "cluster " + dim3Str(dims(C.Cluster))
                       : std::string("cluster none");
    };
    if (B.ClusterDim[0] && (!C.Cluster || dims(C.Cluster) != B.ClusterDim))
      return configError(Given() + " contradicts its required cluster " +
                         dim3Str(B.ClusterDim) + " (cluster_dim)");
    if (C.Cluster && B.MaxClusterRank && volume(C.Cluster) > B.MaxClusterRank)
      return configError(Given() + " has " + num(volume(C.Cluster)) +
                         " blocks, more than its maximum of " +
                         num(B.MaxClusterRank) + " (maxclusterrank)");
  }
  return Status::ok();
}

} // namespace config
} // namespace lcs
