#include "geo/incident/hotspots.hpp"

#include "geo/core/error.hpp"
#include "geo/core/prepared.hpp"
#include "geo/core/strtree.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

namespace geo::incident {

std::vector<std::vector<std::size_t>> queen_contiguity(const std::vector<core::Geometry>& polygons, double tolerance) {
    core::StrTree tree;
    for (const auto& p : polygons) {
        if (p.is_null() || p.is_empty()) {
            throw InputError("queen contiguity needs a non-empty geometry for every unit");
        }
        tree.insert(p.bounds().buffered(tolerance));
    }
    tree.build();
    std::vector<std::vector<std::size_t>> neighbours(polygons.size());
    for (std::size_t i = 0; i < polygons.size(); ++i) {
        const core::PreparedGeometry prepared(polygons[i]);
        for (const std::size_t j : tree.query(polygons[i].bounds().buffered(tolerance))) {
            if (j <= i) {
                continue; // each pair once, symmetric
            }
            const bool touch =
                tolerance > 0 ? polygons[i].distance(polygons[j]) <= tolerance : prepared.intersects(polygons[j]);
            if (touch) {
                neighbours[i].push_back(j);
                neighbours[j].push_back(i);
            }
        }
    }
    for (auto& n : neighbours) {
        std::sort(n.begin(), n.end());
    }
    return neighbours;
}

std::vector<GiStar> getis_ord_gi_star(std::span<const double> values,
                                      const std::vector<std::vector<std::size_t>>& neighbours) {
    const std::size_t n = values.size();
    if (neighbours.size() != n) {
        throw InputError("Gi*: " + std::to_string(n) + " values but " + std::to_string(neighbours.size()) +
                         " neighbour lists");
    }
    if (n < 2) {
        throw InputError("Gi* needs at least two units");
    }
    const double nd = static_cast<double>(n);
    double sum = 0.0;
    double sum_sq = 0.0;
    for (const double x : values) {
        sum += x;
        sum_sq += x * x;
    }
    const double mean = sum / nd;
    const double s = std::sqrt(std::max(0.0, sum_sq / nd - mean * mean));
    std::vector<GiStar> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Binary weights with w_ii = 1: W_i = S_i = 1 + number of neighbours.
        double local = values[i];
        for (const std::size_t j : neighbours[i]) {
            if (j >= n || j == i) {
                throw InputError("Gi*: neighbour index out of range or self in neighbour list");
            }
            local += values[j];
        }
        const double w = 1.0 + static_cast<double>(neighbours[i].size());
        const double denom = s * std::sqrt((nd * w - w * w) / (nd - 1.0));
        GiStar g;
        if (s > 0.0 && denom > 0.0) {
            g.z = (local - mean * w) / denom;
            g.p = std::erfc(std::abs(g.z) / std::sqrt(2.0));
        }
        const int sign = g.z > 0 ? 1 : -1;
        g.bin = g.p < 0.01 ? 3 * sign : g.p < 0.05 ? 2 * sign : g.p < 0.10 ? sign : 0;
        out[i] = g;
    }
    return out;
}

} // namespace geo::incident

namespace geo::incident {

std::vector<GridHotspot> grid_hotspots(const std::vector<Grid>& grids, IncidentStore& store,
                                       const IncidentFilter& filter, double tolerance) {
    std::unordered_map<std::string, std::size_t> index;
    std::vector<core::Geometry> polygons;
    polygons.reserve(grids.size());
    for (std::size_t i = 0; i < grids.size(); ++i) {
        if (!index.emplace(grids[i].code, i).second) {
            throw InputError("grid code '" + grids[i].code + "' appears twice", ErrorContext{{}, "grids", {}});
        }
        polygons.push_back(grids[i].geometry);
    }
    std::vector<GridHotspot> out(grids.size());
    store.for_each(filter, [&](const Incident& in) {
        if (in.grid_code) {
            if (const auto it = index.find(*in.grid_code); it != index.end()) {
                ++out[it->second].count;
            }
        }
    });
    std::vector<double> values;
    values.reserve(out.size());
    for (const auto& h : out) {
        values.push_back(static_cast<double>(h.count));
    }
    const auto gi = getis_ord_gi_star(values, queen_contiguity(polygons, tolerance));
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].gi = gi[i];
    }
    return out;
}

namespace {
const char* class_of(int bin) {
    switch (bin) {
    case 3: return "hot spot 99%";
    case 2: return "hot spot 95%";
    case 1: return "hot spot 90%";
    case -1: return "cold spot 90%";
    case -2: return "cold spot 95%";
    case -3: return "cold spot 99%";
    default: return "not significant";
    }
}
} // namespace

io::Layer hotspot_layer(const std::vector<Grid>& grids, const std::vector<GridHotspot>& hotspots) {
    if (grids.size() != hotspots.size()) {
        throw InputError("hotspot_layer: grids and results differ in size");
    }
    io::Layer layer;
    layer.name = "hotspots";
    layer.crs = crs::Crs::wgs84();
    layer.fields = {{"code", io::FieldType::string},     {"parent_code", io::FieldType::string},
                    {"incidents", io::FieldType::int64}, {"gi_z", io::FieldType::real},
                    {"gi_p", io::FieldType::real},       {"gi_bin", io::FieldType::int64},
                    {"class", io::FieldType::string}};
    layer.features.reserve(grids.size());
    for (std::size_t i = 0; i < grids.size(); ++i) {
        io::Feature f;
        f.geometry = grids[i].geometry;
        f.attributes = {grids[i].code,
                        grids[i].parent_code,
                        static_cast<std::int64_t>(hotspots[i].count),
                        hotspots[i].gi.z,
                        hotspots[i].gi.p,
                        static_cast<std::int64_t>(hotspots[i].gi.bin),
                        std::string(class_of(hotspots[i].gi.bin))};
        layer.features.push_back(std::move(f));
    }
    return layer;
}

} // namespace geo::incident
