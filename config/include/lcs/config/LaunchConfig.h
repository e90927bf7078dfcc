//===- LaunchConfig.h - One launch configuration ----------------*- C++ -*-===//
///
/// \file
/// The one model of a launch configuration: lcs-specialize, lcs-compile, the
/// variant compiler and the C and C++ runtime APIs all use it. A
/// configuration may be partial (absent groups are not specialised on); the
/// C API's lcs_launch_config_t is always complete and converts both ways.
///
/// Text form (pipeline parameters split on ';' because the pipeline parser
/// splits on ','; dimensions joined by 'x', missing ones are 1):
///
///   block=128x1x1;grid=64;cluster=2x1x1;smem=4096;kernel=NAME;arch=sm_90
///   cluster=none           explicitly no cluster (is_explicit_cluster false)
///   nonportable-cluster    allow up to 16 CTAs per cluster where the
///                          target can (sm_90 and newer)
///
/// Record form (kernel records, variant metadata, NVVM attributes):
/// "X,Y,Z" with 1 to 3 dims, missing ones 1.
///
//===----------------------------------------------------------------------===//

#ifndef LCS_CONFIG_LAUNCHCONFIG_H
#define LCS_CONFIG_LAUNCHCONFIG_H

#include "lcs/Status.h"
#include "lcs/config/Fields.h"
#include "lcs/lcs.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lcs {

using Dim3 = std::array<uint32_t, 3>;

/// Threads in a block, or blocks in a grid or cluster.
inline uint64_t volume(const Dim3 &D) { return uint64_t(D[0]) * D[1] * D[2]; }

/// "XxYxZ", e.g. "128x1x1".
std::string dim3Str(const Dim3 &D);

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

  /// The complete configuration of a C API launch: cluster all zero is
  /// "no cluster".
  static LaunchConfig fromC(const lcs_launch_config_t &P);
  /// The C form; absent dims are 1x1x1, absent smem 0, no cluster all zero.
  /// The stream is null.
  lcs_launch_config_t toC() const;

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
  std::string str(FieldMask Groups = FieldMask::all()) const;
};

namespace config {

/// Parses the text form. Errors (LCS_ERROR_INVALID_CONFIG) name the
/// parameter at fault.
Status parse(std::string_view Text, LaunchConfig &Out);

/// Parses "XxYxZ" (1 to 3 positive dims; missing ones are 1). \p What names
/// the parameter in errors ("block").
Status parseDim3(std::string_view Text, std::string_view What, Dim3 &Out);

/// Parses the record form "X,Y,Z" (1 to 3 dims, blanks around each allowed,
/// missing ones 1). nullopt for an empty or malformed string or a zero dim.
std::optional<Dim3> parseRecordDims(std::string_view Text);

} // namespace config
} // namespace lcs

#endif // LCS_CONFIG_LAUNCHCONFIG_H
