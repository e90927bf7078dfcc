//===- LaunchConfig.h - One launch configuration ----------------*- C++ -*-===//
///
/// \file
/// A launch configuration as lcs-specialize and lcs-compile take it, its
/// textual form, and its validation against the limits of a target.
///
/// Text form (pipeline parameters split on ';' because the pipeline parser
/// splits on ','; dimensions joined by 'x', missing ones are 1):
///
///   block=128x1x1;grid=64;cluster=2x1x1;smem=4096;kernel=NAME;arch=sm_90
///   cluster=none           explicitly no cluster (is_explicit_cluster false)
///   nonportable-cluster    allow up to 16 CTAs per cluster where the
///                          target can (sm_90 and newer)
///
//===----------------------------------------------------------------------===//

#ifndef LCS_LAUNCHCONFIG_H
#define LCS_LAUNCHCONFIG_H

#include "lcs/Fields.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace lcs {

using Dim3 = std::array<uint32_t, 3>;

/// Threads in a block, or blocks in a grid or cluster.
inline uint64_t volume(const Dim3 &D) { return uint64_t(D[0]) * D[1] * D[2]; }

/// What the target allows; see targetLimits().
struct TargetLimits {
  unsigned SM = 90;              ///< e.g. 90 for sm_90 / sm_90a.
  uint32_t MaxDynamicSmem = 0;   ///< Opt-in maximum, bytes.
  bool HasClusters = false;      ///< sm_90 and newer.
};

/// Limits for "sm_NN" or "sm_NNa"; an error for anything else or anything
/// older than sm_75 (what ptxas from CUDA 13 accepts).
llvm::Expected<TargetLimits> targetLimits(llvm::StringRef Arch);

/// A (possibly partial) launch configuration. Absent parts are not
/// specialised on.
struct LaunchConfig {
  std::optional<Dim3> Block;
  std::optional<Dim3> Grid;
  /// Cluster dims; ClusterNone says explicitly "no cluster".
  std::optional<Dim3> Cluster;
  bool ClusterNone = false;
  bool NonPortableCluster = false;
  std::optional<uint32_t> Smem;
  /// Only this kernel (empty: every kernel).
  std::string Kernel;
  /// Target, e.g. "sm_90"; empty: the module's or the default.
  std::string Arch;

  /// True if the cluster group has a value (dims or explicitly none).
  bool hasClusterValue() const { return Cluster || ClusterNone; }
  /// The groups this configuration gives values for.
  FieldMask givenFields() const;
  /// Cluster dims as the kernel sees them: 1x1x1 when there is none.
  Dim3 clusterDims() const { return Cluster ? *Cluster : Dim3{1, 1, 1}; }

  /// Only the parts in \p Groups (and the target and kernel): what a
  /// variant specialised on \p Groups may see.
  LaunchConfig restrictedTo(FieldMask Groups) const;

  /// Text form of the parts in \p Groups, canonical order, e.g.
  /// "block=128x1x1;cluster=none".
  std::string str(FieldMask Groups) const;
};

/// Parses the text form. Errors name the parameter at fault.
llvm::Expected<LaunchConfig> parseLaunchConfig(llvm::StringRef Text);

/// Parses "XxYxZ" (1 to 3 positive dims; missing ones are 1).
llvm::Expected<Dim3> parseDim3(llvm::StringRef Text, llvm::StringRef What);

/// Checks \p C against CUDA's limits and \p T. Errors name the field.
llvm::Error validateLaunchConfig(const LaunchConfig &C, const TargetLimits &T);

std::string dim3Str(const Dim3 &D);

} // namespace lcs

#endif // LCS_LAUNCHCONFIG_H
