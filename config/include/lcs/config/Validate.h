//===- Validate.h - Launch configurations against limits --------*- C++ -*-===//
///
/// \file
/// The one validator of launch configurations, with one set of messages:
///
///   - validate(): a configuration against the limits of whoever launches
///     it: CUDA's fixed limits narrowed by a target (targetLimits("sm_90a"),
///     what lcs-specialize and lcs-compile check) or by a device's
///     attributes (what the runtime checks before every launch);
///   - checkBounds(): a configuration against a kernel's own launch bounds
///     (reqntid, maxntid, cluster_dim, maxclusterrank).
///
/// Both look only at the groups a configuration gives. Messages name the
/// field and the limit ("block.x = 2048 exceeds the maximum of 1024 for
/// sm_90"); callers add the kernel. Both take a ConfigRef, a view that
/// costs nothing to make from a LaunchConfig or an lcs_launch_config_t, so
/// the runtime's launch path validates without copying or allocating.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CONFIG_VALIDATE_H
#define LCS_CONFIG_VALIDATE_H

#include "lcs/Status.h"
#include "lcs/config/LaunchConfig.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace lcs {

/// What a target or device allows.
struct Limits {
  /// Who sets the limits, for messages: "sm_90", "the device (sm_90)".
  std::string Who = "CUDA";
  unsigned SM = 90; ///< e.g. 90 for sm_90 / sm_90a.
  uint32_t MaxBlock[3] = {1024, 1024, 64};
  uint32_t MaxThreads = 1024; ///< Threads per block.
  uint32_t MaxGrid[3] = {0x7fffffffu, 65535, 65535};
  uint32_t MaxDynamicSmem = 49152; ///< Opt-in maximum, bytes.
  bool HasClusters = false;        ///< sm_90 and newer.
  uint32_t MaxClusterBlocks = 8;   ///< Portable cluster size.
  /// With nonportable-cluster; 0 where the launcher cannot ask for more.
  uint32_t MaxNonPortableClusterBlocks = 0;
};
/// The passes' name for a target's limits.
using TargetLimits = Limits;

/// A kernel's own launch bounds; zero: none.
struct KernelBounds {
  Dim3 ReqNTid = {0, 0, 0};    ///< Required block (reqntid).
  uint64_t MaxThreads = 0;     ///< Threads per block (maxntid's volume).
  Dim3 ClusterDim = {0, 0, 0}; ///< Required cluster (cluster_dim).
  uint64_t MaxClusterRank = 0; ///< Blocks per cluster (maxclusterrank).

  bool empty() const {
    return !ReqNTid[0] && !MaxThreads && !ClusterDim[0] && !MaxClusterRank;
  }
};

/// A configuration as the validator reads it: each group's values, or null
/// where the configuration does not give the group.
struct ConfigRef {
  const uint32_t *Block = nullptr;   ///< 3 values
  const uint32_t *Grid = nullptr;    ///< 3 values
  const uint32_t *Cluster = nullptr; ///< 3 values; null: none or not given
  bool ClusterNone = false;          ///< explicitly no cluster
  bool NonPortableCluster = false;
  const uint32_t *Smem = nullptr;

  static ConfigRef of(const LaunchConfig &C) {
    ConfigRef R;
    R.Block = C.Block ? C.Block->data() : nullptr;
    R.Grid = C.Grid ? C.Grid->data() : nullptr;
    R.Cluster = C.Cluster ? C.Cluster->data() : nullptr;
    R.ClusterNone = C.ClusterNone && !C.Cluster;
    R.NonPortableCluster = C.NonPortableCluster;
    R.Smem = C.Smem ? &*C.Smem : nullptr;
    return R;
  }
  /// Complete: cluster all zero is "no cluster".
  static ConfigRef of(const lcs_launch_config_t &P) {
    ConfigRef R;
    R.Block = P.block;
    R.Grid = P.grid;
    bool HasCluster = P.cluster[0] | P.cluster[1] | P.cluster[2];
    R.Cluster = HasCluster ? P.cluster : nullptr;
    R.ClusterNone = !HasCluster;
    R.Smem = &P.shared_mem_bytes;
    return R;
  }
};

namespace config {

/// CUDA's fixed limits, whatever the target.
Limits cudaLimits();

/// CUDA's limits for "sm_NN", "sm_NNa" or "sm_NNf"; an error for anything else or
/// anything older than sm_75 (what ptxas from CUDA 13 accepts).
Status targetLimits(std::string_view Arch, Limits &Out);

/// "the device (sm_NN)": the Who of a device's limits.
std::string deviceName(unsigned SM);

/// Checks \p C against \p L. Errors (LCS_ERROR_INVALID_CONFIG) name the
/// field and the limit.
Status validate(const ConfigRef &C, const Limits &L);
inline Status validate(const LaunchConfig &C, const Limits &L) {
  return validate(ConfigRef::of(C), L);
}

/// Checks \p C against a kernel's own bounds \p B.
Status checkBounds(const ConfigRef &C, const KernelBounds &B);
inline Status checkBounds(const LaunchConfig &C, const KernelBounds &B) {
  return checkBounds(ConfigRef::of(C), B);
}

/// Whether a launch \p P without a cluster passes validate against \p L
/// and checkBounds against \p B, found by loads alone: the launch hit
/// path's check (a launch's own stores wait behind the driver's; see
/// docs/architecture.md). False for a launch with a cluster and wherever
/// either check fails, which then says what is wrong. ConfigTest checks
/// that this agrees with them.
inline bool passesWithoutCluster(const lcs_launch_config_t &P,
                                 const Limits &L, const KernelBounds &B) {
  if (P.cluster[0] | P.cluster[1] | P.cluster[2])
    return false;
  uint64_t Threads = 1;
  for (unsigned I = 0; I != 3; ++I) {
    // 0 wraps around past any maximum.
    if (P.block[I] - 1 >= L.MaxBlock[I] || P.grid[I] - 1 >= L.MaxGrid[I])
      return false;
    Threads *= P.block[I];
  }
  if (Threads > L.MaxThreads || P.shared_mem_bytes > L.MaxDynamicSmem)
    return false;
  if (B.ReqNTid[0] && (P.block[0] != B.ReqNTid[0] ||
                       P.block[1] != B.ReqNTid[1] ||
                       P.block[2] != B.ReqNTid[2]))
    return false;
  return (!B.MaxThreads || Threads <= B.MaxThreads) && !B.ClusterDim[0];
}

/// The error for a launch with \p Block where the code requires \p Req
/// (checkBounds's reqntid rule).
Status requiredBlockError(const Dim3 &Block, const Dim3 &Req);

/// The error for \p Smem bytes of dynamic shared memory plus \p Extra that
/// the code adds (a generator's), past \p L's opt-in maximum.
Status smemError(uint32_t Smem, uint32_t Extra, const Limits &L);

} // namespace config
} // namespace lcs

#endif // LCS_CONFIG_VALIDATE_H
