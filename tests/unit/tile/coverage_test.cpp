// Coverage layers (grids, jurisdictions): after simplification and
// quantisation, neighbours share their common boundary vertex for vertex
// in every tile at every zoom, so maps show no gaps or slivers.
#include "geo/tile/decoder.hpp"
#include "geo/tile/layer_index.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace geo::tile;
using geo::core::Geometry;
using geo::core::Path;
using geo::core::XY;

namespace {

// A synthetic coverage: a rows x cols lattice of cells near Tianjin whose
// inner lattice points are jittered and whose inner edges wiggle (each edge
// generated once and used by both cells, as polygonize output is). The
// outer boundary is an axis-aligned rectangle.
std::vector<SourceFeature> synthetic_grid(int rows, int cols, double cell_deg, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> jitter(-0.25, 0.25);
    const XY origin{117.5, 39.0};
    std::vector<std::vector<XY>> node(rows + 1, std::vector<XY>(cols + 1));
    for (int r = 0; r <= rows; ++r) {
        for (int c = 0; c <= cols; ++c) {
            const bool border = r == 0 || c == 0 || r == rows || c == cols;
            node[r][c] = {origin.x + (c + (border ? 0 : jitter(rng))) * cell_deg,
                          origin.y + (r + (border ? 0 : jitter(rng))) * cell_deg};
        }
    }
    // Edge polylines keyed by their end nodes; inner edges get 12 wiggly points.
    std::map<std::pair<std::pair<int, int>, std::pair<int, int>>, Path> edges;
    auto edge = [&](std::pair<int, int> a, std::pair<int, int> b) {
        const bool flip = b < a;
        const auto key = flip ? std::make_pair(b, a) : std::make_pair(a, b);
        auto it = edges.find(key);
        if (it == edges.end()) {
            const XY p = node[key.first.first][key.first.second];
            const XY q = node[key.second.first][key.second.second];
            const bool outer =
                (key.first.first == key.second.first && (key.first.first == 0 || key.first.first == rows)) ||
                (key.first.second == key.second.second && (key.first.second == 0 || key.first.second == cols));
            Path path{p};
            for (int k = 1; k < 12; ++k) {
                const double t = k / 12.0;
                const double w = outer ? 0.0 : jitter(rng) * 0.08 * cell_deg;
                path.push_back({p.x + (q.x - p.x) * t + w, p.y + (q.y - p.y) * t - w});
            }
            path.push_back(q);
            it = edges.emplace(key, path).first;
        }
        Path path = it->second;
        if (flip) {
            std::reverse(path.begin(), path.end());
        }
        return path;
    };
    std::vector<SourceFeature> features;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            Path ring;
            const std::pair<int, int> corners[] = {{r, c}, {r, c + 1}, {r + 1, c + 1}, {r + 1, c}, {r, c}};
            for (int k = 0; k < 4; ++k) {
                Path e = edge(corners[k], corners[k + 1]);
                ring.insert(ring.end(), e.begin(), e.end() - 1);
            }
            ring.push_back(ring.front());
            for (XY& p : ring) {
                p = lonlat_to_mercator(p);
            }
            SourceFeature f;
            f.id = static_cast<std::uint64_t>(r * cols + c);
            f.geometry = Geometry::polygon({ring});
            f.properties = {{"code", "synthetic-" + std::to_string(f.id)}};
            features.push_back(std::move(f));
        }
    }
    return features;
}

struct SegmentStats {
    std::size_t shared = 0;    // matched by the reverse segment of another feature
    std::size_t unmatched = 0; // inner segments nobody else has: a gap or an overlap
};

// Every ring segment in the decoded layer is on the tile's clip line, on the
// coverage's outer rectangle, or the exact reverse of a segment of another
// feature.
SegmentStats check_shared_boundaries(const DecodedLayer& layer, std::int32_t lo, std::int32_t hi,
                                     const std::array<std::int32_t, 4>& outer /* min_x min_y max_x max_y */) {
    std::map<std::pair<TilePoint, TilePoint>, std::set<std::uint64_t>> directed;
    for (const auto& f : layer.features) {
        for (const auto& poly : f.geometry.polygons) {
            for (const auto& ring : poly.rings) {
                for (std::size_t i = 0; i < ring.size(); ++i) {
                    directed[{ring[i], ring[(i + 1) % ring.size()]}].insert(*f.id);
                }
            }
        }
    }
    auto on_line = [](TilePoint a, TilePoint b, std::int32_t v, bool x_axis) {
        return x_axis ? (a.x == v && b.x == v) : (a.y == v && b.y == v);
    };
    SegmentStats stats;
    for (const auto& [seg, owners] : directed) {
        const auto [a, b] = seg;
        if (on_line(a, b, lo, true) || on_line(a, b, hi, true) || on_line(a, b, lo, false) ||
            on_line(a, b, hi, false) || on_line(a, b, outer[0], true) || on_line(a, b, outer[2], true) ||
            on_line(a, b, outer[1], false) || on_line(a, b, outer[3], false)) {
            continue;
        }
        auto rev = directed.find({b, a});
        if (rev != directed.end() && rev->second != owners) {
            ++stats.shared;
        } else {
            ++stats.unmatched;
        }
    }
    return stats;
}

SegmentStats check_layer(LayerKind kind, const std::vector<std::uint32_t>& zooms, std::vector<SourceFeature> features) {
    LayerOptions options;
    options.name = "grids";
    options.kind = kind;
    options.max_zoom = 16;
    const LayerIndex index(options, std::move(features));
    const geo::core::Box bounds = index.bounds();
    SegmentStats total;
    for (std::uint32_t z : zooms) {
        for (const TileId& tile : tiles_covering(bounds, z)) {
            TileBuilder builder;
            index.encode(builder, tile);
            const DecodedTile decoded = decode_tile(builder.serialize());
            const DecodedLayer* layer = decoded.find("grids");
            if (layer == nullptr) {
                continue;
            }
            // The outer rectangle in this tile's coordinates, rounded as the index rounds.
            const double ox = static_cast<double>(tile.x) * options.extent;
            const double oy = static_cast<double>(tile.y) * options.extent;
            const XY lo = mercator_to_world({bounds.min_x, bounds.max_y}, z);
            const XY hi = mercator_to_world({bounds.max_x, bounds.min_y}, z);
            const std::array<std::int32_t, 4> outer{
                static_cast<std::int32_t>(std::lround(lo.x) - static_cast<long>(ox)),
                static_cast<std::int32_t>(std::lround(lo.y) - static_cast<long>(oy)),
                static_cast<std::int32_t>(std::lround(hi.x) - static_cast<long>(ox)),
                static_cast<std::int32_t>(std::lround(hi.y) - static_cast<long>(oy))};
            const auto buffer = static_cast<std::int32_t>(options.buffer);
            const SegmentStats s =
                check_shared_boundaries(*layer, -buffer, static_cast<std::int32_t>(options.extent) + buffer, outer);
            total.shared += s.shared;
            total.unmatched += s.unmatched;
        }
    }
    return total;
}

} // namespace

TEST(TileCoverage, NeighboursShareTheirBoundaryVertexForVertexAtEveryZoom) {
    const SegmentStats stats =
        check_layer(LayerKind::coverage, {9, 10, 11, 12, 13, 14}, synthetic_grid(8, 10, 0.01, 42));
    EXPECT_GT(stats.shared, 1000U);
    EXPECT_EQ(stats.unmatched, 0U);
}

TEST(TileCoverage, SimplifyingEachPolygonAloneLeavesSlivers) {
    // The control for the test above: without the shared edges, the same
    // check finds boundaries that do not match.
    const SegmentStats stats = check_layer(LayerKind::automatic, {10, 11, 12}, synthetic_grid(8, 10, 0.01, 42));
    EXPECT_GT(stats.unmatched, 0U);
}

TEST(TileCoverage, TJunctionsAreNodedSoSmallNeighboursMatchALargeOne) {
    // Cell A spans the height of B and C; B and C meet at J, a point inside
    // one of A's boundary segments that A itself does not have. The shared
    // boundary wiggles, so simplification drops vertices along it.
    const double u = 600; // metres per lattice unit
    const XY o = lonlat_to_mercator({117.7, 39.0});
    auto at = [&](double x, double y) { return XY{o.x + x * u, o.y + y * u}; };
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> wiggle(-0.06, 0.06);
    Path w{at(2, 0)};
    for (int k = 1; k < 12; ++k) {
        w.push_back(at(2 + wiggle(rng), 2.0 * k / 12));
    }
    w.push_back(at(2, 2));
    const XY j{(w[5].x + w[6].x) / 2, (w[5].y + w[6].y) / 2};
    Path a{at(0, 0)};
    for (auto it = w.begin(); it != w.end(); ++it) {
        a.push_back(*it);
    }
    a.push_back(at(0, 2));
    a.push_back(at(0, 0));
    Path b{w.begin(), w.begin() + 6};
    b.push_back(j);
    b.push_back(at(3, 1));
    b.push_back(at(3, 0));
    b.push_back(w.front());
    Path c{j};
    c.insert(c.end(), w.begin() + 6, w.end());
    c.push_back(at(3, 2));
    c.push_back(at(3, 1));
    c.push_back(j);
    std::vector<SourceFeature> features;
    for (const Path* ring : {&a, &b, &c}) {
        SourceFeature f;
        f.id = features.size();
        f.geometry = Geometry::polygon({*ring});
        f.properties = {{"code", "synthetic-" + std::to_string(f.id)}};
        features.push_back(std::move(f));
    }
    ASSERT_TRUE(Geometry::union_all({features[0].geometry, features[1].geometry, features[2].geometry}).is_valid());
    const SegmentStats stats = check_layer(LayerKind::coverage, {11, 12, 13, 14, 15, 16}, std::move(features));
    EXPECT_GT(stats.shared, 20U);
    EXPECT_EQ(stats.unmatched, 0U);
}

TEST(TileCoverage, FeatureIdsAreStableAcrossZoomsAndTiles) {
    LayerOptions options;
    options.name = "grids";
    options.kind = LayerKind::coverage;
    const LayerIndex index(options, synthetic_grid(3, 3, 0.02, 7));
    std::map<std::uint64_t, std::string> code_of;
    for (std::uint32_t z = 8; z <= 15; ++z) {
        for (const TileId& tile : tiles_covering(index.bounds(), z)) {
            TileBuilder builder;
            index.encode(builder, tile);
            const auto decoded = decode_tile(builder.serialize());
            for (const auto& layer : decoded.layers) {
                for (const auto& f : layer.features) {
                    ASSERT_TRUE(f.id.has_value());
                    const std::string code = f.properties.at(0).second.as_string();
                    EXPECT_EQ(code, "synthetic-" + std::to_string(*f.id));
                    code_of.emplace(*f.id, code);
                }
            }
        }
    }
    EXPECT_EQ(code_of.size(), 9U);
}
