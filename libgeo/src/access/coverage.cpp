#include "geo/access/coverage.hpp"

#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"

#include <map>
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
                        double level_distance, double gap_radius_m, const core::Geometry& study_area) {
    if (!(gap_radius_m > 0.0)) {
        throw InputError("gap radius must be positive (metres)");
    }
    std::vector<core::Geometry> points;
    for (std::size_t r = 0; r < residents.size(); ++r) {
        if (residents[r].weight > 0.0 && !(distance.at(r) <= level_distance)) {
            points.push_back(core::Geometry::point(residents[r].position));
        }
    }
    if (points.empty()) {
        return core::Geometry::empty_polygon();
    }
    core::Geometry discs = core::Geometry::collect(std::move(points)).buffer(gap_radius_m, 4);
    if (!study_area.is_null() && !study_area.is_empty()) {
        discs = discs.intersection(study_area).polygonal_parts();
    }
    return discs;
}

} // namespace geo::access
