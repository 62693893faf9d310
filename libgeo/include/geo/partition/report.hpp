#pragma once
// The partition report (Markdown): per parent and overall — number of grids,
// weight min/median/max, share inside the band, mean compactness, share of
// cut length along barriers, atoms heavier than max, time taken — plus the
// repaired/skipped parents and honest notes where the band cannot be met.

#include "geo/partition/parents.hpp"
#include "geo/partition/partition.hpp"

#include <string>
#include <vector>

namespace geo::partition {

/// Band and shape figures of a set of grids.
struct GridStats {
    std::size_t grids = 0;
    double weight_min = 0.0;
    double weight_median = 0.0;
    double weight_max = 0.0;
    double in_band = 0.0; ///< share of grids with weight in [min, max]
    double mean_compactness = 0.0;
};

[[nodiscard]] GridStats grid_stats(const std::vector<const Grid*>& grids, const Options& options);

/// `title` heads the report; `seconds` is the wall time of the whole run; `retired` are the
/// previous grids whose parent is gone (retired_grids), listed in the re-partition table.
[[nodiscard]] std::string markdown_report(const std::vector<ParentResult>& results, const Options& options,
                                          const std::vector<ParentIssue>& issues, double seconds,
                                          const std::string& title = "Red-grid partition report",
                                          const std::vector<PreviousGrid>& retired = {});

} // namespace geo::partition
