//===- LaunchConfig.cpp - One launch configuration ------------------------===//
//
// The model, its conversions and its parsers; see LaunchConfig.h.
//
//===----------------------------------------------------------------------===//

#include "lcs/config/LaunchConfig.h"
#include "lcs/config/Decimal.h"
#include "lcs/config/Validate.h"

#include <vector>

namespace lcs {

namespace {

Status configError(std::string Msg) {
  return Status(LCS_ERROR_INVALID_CONFIG, std::move(Msg));
}

std::string_view trim(std::string_view S) {
  size_t B = S.find_first_not_of(" \t\r\n");
  if (B == std::string_view::npos)
    return {};
  return S.substr(B, S.find_last_not_of(" \t\r\n") - B + 1);
}

/// Decimal digits only, no sign or blanks, at most UINT32_MAX.
bool parseU32(std::string_view S, uint32_t &Out) {
  uint64_t V;
  if (!parseDecimal(S, UINT32_MAX, V))
    return false;
  Out = uint32_t(V);
  return true;
}

/// Splits \p Text on \p Sep, keeping empty parts.
std::vector<std::string_view> split(std::string_view Text, char Sep) {
  std::vector<std::string_view> Parts;
  while (true) {
    size_t At = Text.find(Sep);
    Parts.push_back(Text.substr(0, At));
    if (At == std::string_view::npos)
      return Parts;
    Text.remove_prefix(At + 1);
  }
}

constexpr const char *Axis[] = {"x", "y", "z"};

} // namespace

bool parseDecimal(std::string_view S, uint64_t Max, uint64_t &Out) {
  if (S.empty())
    return false;
  uint64_t V = 0;
  for (char C : S) {
    if (C < '0' || C > '9')
      return false;
    uint64_t Digit = uint64_t(C - '0');
    if (Digit > Max || V > (Max - Digit) / 10)
      return false;
    V = V * 10 + Digit;
  }
  Out = V;
  return true;
}

std::string dim3Str(const Dim3 &D) {
  return std::to_string(D[0]) + "x" + std::to_string(D[1]) + "x" +
         std::to_string(D[2]);
}

LaunchConfig LaunchConfig::fromC(const lcs_launch_config_t &P) {
  LaunchConfig C;
  C.Block = Dim3{P.block[0], P.block[1], P.block[2]};
  C.Grid = Dim3{P.grid[0], P.grid[1], P.grid[2]};
  if (P.cluster[0] | P.cluster[1] | P.cluster[2])
    C.Cluster = Dim3{P.cluster[0], P.cluster[1], P.cluster[2]};
  else
    C.ClusterNone = true;
  C.Smem = P.shared_mem_bytes;
  return C;
}

lcs_launch_config_t LaunchConfig::toC() const {
  lcs_launch_config_t P = {};
  Dim3 B = Block ? *Block : Dim3{1, 1, 1}, G = Grid ? *Grid : Dim3{1, 1, 1};
  for (unsigned I = 0; I != 3; ++I) {
    P.block[I] = B[I];
    P.grid[I] = G[I];
    P.cluster[I] = Cluster ? (*Cluster)[I] : 0;
  }
  P.shared_mem_bytes = Smem ? *Smem : 0;
  return P;
}

LaunchConfig LaunchConfig::restrictedTo(FieldMask Groups) const {
  LaunchConfig C;
  C.Kernel = Kernel;
  C.Arch = Arch;
  if (Groups.uses(FieldGroup::Block))
    C.Block = Block;
  if (Groups.uses(FieldGroup::Grid))
    C.Grid = Grid;
  if (Groups.uses(FieldGroup::Cluster)) {
    C.Cluster = Cluster;
    C.ClusterNone = ClusterNone;
    C.NonPortableCluster = NonPortableCluster;
  }
  if (Groups.uses(FieldGroup::Smem))
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
  auto Add = [&](const std::string &S) {
    if (!Out.empty())
      Out += ';';
    Out += S;
  };
  FieldMask G = Groups & givenFields();
  if (G.uses(FieldGroup::Block))
    Add("block=" + dim3Str(*Block));
  if (G.uses(FieldGroup::Grid))
    Add("grid=" + dim3Str(*Grid));
  if (G.uses(FieldGroup::Cluster))
    Add(Cluster ? "cluster=" + dim3Str(*Cluster) : "cluster=none");
  if (G.uses(FieldGroup::Smem))
    Add("smem=" + std::to_string(*Smem));
  return Out;
}

namespace config {

Status parseDim3(std::string_view Text, std::string_view What, Dim3 &Out) {
  std::vector<std::string_view> Parts = split(Text, 'x');
  if (Text.empty() || Parts.size() > 3)
    return configError(std::string(What) + ": '" + std::string(Text) +
                       "' is not 1 to 3 dimensions joined by 'x' (e.g. "
                       "128x2x1)");
  Dim3 D = {1, 1, 1};
  for (size_t I = 0; I != Parts.size(); ++I) {
    if (!parseU32(Parts[I], D[I]))
      return configError(std::string(What) + ": '" + std::string(Parts[I]) +
                         "' is not a number");
    if (D[I] == 0)
      return configError(std::string(What) + "." + Axis[I] +
                         " must be at least 1");
  }
  Out = D;
  return Status::ok();
}

std::optional<Dim3> parseRecordDims(std::string_view Text) {
  std::vector<std::string_view> Parts = split(Text, ',');
  if (trim(Text).empty() || Parts.size() > 3)
    return std::nullopt;
  Dim3 D = {1, 1, 1};
  for (size_t I = 0; I != Parts.size(); ++I)
    if (!parseU32(trim(Parts[I]), D[I]) || D[I] == 0)
      return std::nullopt;
  return D;
}

Status parse(std::string_view Text, LaunchConfig &Out) {
  LaunchConfig C;
  for (std::string_view P : split(Text, ';')) {
    if (P.empty())
      continue;
    P = trim(P);
    size_t Eq = P.find('=');
    std::string_view Key = P.substr(0, Eq);
    std::string_view Value =
        Eq == std::string_view::npos ? std::string_view() : P.substr(Eq + 1);
    if (Eq == std::string_view::npos) {
      if (Key == "nonportable-cluster") {
        C.NonPortableCluster = true;
        continue;
      }
      return configError("parameter '" + std::string(P) +
                         "' needs a value (KEY=VALUE)");
    }
    if (Key == "block" || Key == "grid" || Key == "cluster") {
      if (Key == "cluster" && Value == "none") {
        C.ClusterNone = true;
        C.Cluster.reset();
        continue;
      }
      Dim3 D;
      if (Status S = parseDim3(Value, Key, D))
        return S;
      (Key == "block" ? C.Block : Key == "grid" ? C.Grid : C.Cluster) = D;
      if (Key == "cluster")
        C.ClusterNone = false;
    } else if (Key == "smem") {
      uint32_t V;
      if (!parseU32(Value, V))
        return configError("smem: '" + std::string(Value) +
                           "' is not a byte count");
      C.Smem = V;
    } else if (Key == "kernel") {
      if (Value.empty())
        return configError("kernel: empty name");
      C.Kernel = std::string(Value);
    } else if (Key == "arch") {
      // Checked here so that a bad target is named where it is given.
      Limits T;
      if (Status S = targetLimits(Value, T))
        return S;
      C.Arch = std::string(Value);
    } else {
      return configError("unknown parameter '" + std::string(Key) +
                         "' (expected block, grid, cluster, smem, kernel, "
                         "arch, nonportable-cluster)");
    }
  }
  Out = std::move(C);
  return Status::ok();
}

} // namespace config
} // namespace lcs
