#include "geo/access/coverage.hpp"

#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"

#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <memory>

namespace geo::access {

std::vector<std::vector<std::size_t>> residents_per_zone(const std::vector<Resident>& residents,
                                                         const std::vector<Zone>& zones) {
    std::vector<std::vector<std::size_t>> members(zones.size());
    std::map<std::string, std::vector<std::size_t>> zones_of_kind;
    for (std::size_t z = 0; z < zones.size(); ++z) {
        zones_of_kind[zones[z].kind].push_back(z);
    }
    for (const auto& [kind, indices] : zones_of_kind) {
        core::StrTree tree;
        std::vector<std::unique_ptr<core::PreparedGeometry>> prepared;
        for (const std::size_t z : indices) {
            tree.insert(zones[z].polygon.bounds());
            prepared.push_back(std::make_unique<core::PreparedGeometry>(zones[z].polygon));
        }
        tree.build();
        for (std::size_t r = 0; r < residents.size(); ++r) {
            for (const std::size_t k : tree.query(residents[r].position)) {
                if (prepared[k]->covers(residents[r].position)) {
                    members[indices[k]].push_back(r);
                    break; // first zone of this kind wins
                }
            }
        }
    }
    return members;
}

std::vector<CoverageRow> coverage_rows(const std::string& category, const std::vector<Resident>& residents,
                                       const std::vector<double>& distance, const std::vector<Zone>& zones,
                                       const std::vector<std::vector<std::size_t>>& members,
                                       const std::vector<double>& minutes, const std::vector<double>& level_distances) {
    if (distance.size() != residents.size() || members.size() != zones.size() ||
        minutes.size() != level_distances.size()) {
        throw InputError("coverage: residents, distances, zones and levels do not match in size");
    }
    std::vector<CoverageRow> rows;
    auto add_row = [&](const std::string& kind, const std::string& code, auto&& each_member) {
        for (std::size_t l = 0; l < minutes.size(); ++l) {
            CoverageRow row{kind, code, category, minutes[l], level_distances[l], 0, 0, 0.0, 0.0};
            each_member([&](std::size_t r) {
                ++row.residents;
                row.weight += residents[r].weight;
                if (distance[r] <= level_distances[l]) {
                    ++row.covered_residents;
                    row.covered_weight += residents[r].weight;
                }
            });
            rows.push_back(row);
        }
    };
    for (std::size_t z = 0; z < zones.size(); ++z) {
        add_row(zones[z].kind, zones[z].code, [&](auto&& visit) {
            for (const std::size_t r : members[z]) {
                visit(r);
            }
        });
    }
    add_row("all", "all", [&](auto&& visit) {
        for (std::size_t r = 0; r < residents.size(); ++r) {
            visit(r);
        }
    });
    return rows;
}

core::Geometry gap_area(const std::vector<Resident>& residents, const std::vector<double>& distance,
                        double level_distance, double gap_cell_m, const core::Geometry& study_area) {
    if (!(gap_cell_m > 0.0)) {
        throw InputError("gap cell size must be positive (metres)");
    }
    // Square cells of a lattice anchored at the origin: one box per cell that
    // holds an uncovered resident. Far cheaper to union than a disc per
    // resident (tens of thousands of buildings), and the same cells for
    // every category and level, so gap maps compare cell by cell.
    std::set<std::pair<std::int64_t, std::int64_t>> cells;
    for (std::size_t r = 0; r < residents.size(); ++r) {
        if (residents[r].weight > 0.0 && !(distance.at(r) <= level_distance)) {
            cells.emplace(static_cast<std::int64_t>(std::floor(residents[r].position.x / gap_cell_m)),
                          static_cast<std::int64_t>(std::floor(residents[r].position.y / gap_cell_m)));
        }
    }
    if (cells.empty()) {
        return core::Geometry::empty_polygon();
    }
    std::vector<core::Geometry> boxes;
    boxes.reserve(cells.size());
    for (const auto& [cx, cy] : cells) {
        const double x = static_cast<double>(cx) * gap_cell_m;
        const double y = static_cast<double>(cy) * gap_cell_m;
        boxes.push_back(core::Geometry::box({x, y, x + gap_cell_m, y + gap_cell_m}));
    }
    core::Geometry gaps = core::Geometry::union_all(std::move(boxes));
    if (!study_area.is_null() && !study_area.is_empty()) {
        gaps = gaps.intersection(study_area).polygonal_parts();
    }
    return gaps;
}

} // namespace geo::access
