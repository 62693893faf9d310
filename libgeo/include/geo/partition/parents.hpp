#pragma once
// Real boundary files are messy. prepare_parents turns raw features into the
// parents partition_all can split, repairing what is safe and reporting all of
// it (feature ids, what was wrong, what was done).

#include "geo/core/geometry.hpp"
#include "geo/partition/partition.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace geo::partition {

/// A parent as read from a file (metric CRS).
struct ParentFeature {
    std::int64_t fid = 0;
    std::optional<std::string> code; ///< nullopt when the attribute is null
    std::string name;
    core::Geometry geometry;
};

/// One problem found in the parents and what was done about it.
struct ParentIssue {
    std::int64_t fid = 0;
    std::string code;
    std::string problem;
    std::string action;
    bool skipped = false; ///< the feature is left out of the output
};

struct PreparedParents {
    std::vector<Parent> parents;
    std::vector<std::vector<std::int64_t>> fids; ///< input feature ids merged into each parent
    std::vector<ParentIssue> issues;
};

/// Rules, applied in input order:
///  - code null, empty or blank → skipped (warning);
///  - no geometry, or nothing polygonal after repair → skipped;
///  - invalid geometry → make_valid, keep the polygonal parts (reported);
///  - several features with one code → merged into one parent (union), as
///    multi-part boundaries are often stored one part per row (reported);
///  - multi-part geometry → kept; each part is split on its own (reported);
///  - overlap with an earlier parent → the overlap is cut from the later one
///    (first come keeps it; reported with the overlap area).
/// With `strict`, any skipped feature makes it throw InputError listing them.
PreparedParents prepare_parents(std::vector<ParentFeature> features, bool strict = false);

} // namespace geo::partition
