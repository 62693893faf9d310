#pragma once
// SYNTHETIC layers at the scale of the Binhai demo (about 6,900 grids over
// ~50 x 78 km), seeded so every run encodes the same features:
//   grids          coverage: a jittered 69 x 100 lattice, inner edges wiggle
//                  (10 points each, shared by both cells as polygonize output)
//   jurisdictions  coverage: 4 x 5 blocks of the same lattice (outlines share grid edges)
//   service_areas  300 overlapping 1 km "walking circles" (64-gons)
//   incidents      50,000 points, half around 5 hotspots
// All features carry "synthetic": true.

#include "geo/tile/layer_index.hpp"
#include "geo/tile/mercator.hpp"

#include <cmath>
#include <map>
#include <numbers>
#include <random>

namespace bench_tile {

using geo::core::Geometry;
using geo::core::Path;
using geo::core::XY;
using geo::tile::Properties;
using geo::tile::SourceFeature;

struct SyntheticLayers {
    std::vector<SourceFeature> grids;
    std::vector<SourceFeature> jurisdictions;
    std::vector<SourceFeature> service_areas;
    std::vector<SourceFeature> incidents;
};

inline SyntheticLayers make_layers(unsigned seed = 20261123) {
    constexpr int rows = 100;
    constexpr int cols = 69;
    const XY origin{117.30, 38.60};
    const double dx = 0.6 / cols; // degrees per cell east-west
    const double dy = 0.7 / rows; // north-south
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> jitter(-0.25, 0.25);
    std::vector<std::vector<XY>> node(rows + 1, std::vector<XY>(cols + 1));
    for (int r = 0; r <= rows; ++r) {
        for (int c = 0; c <= cols; ++c) {
            const bool border = r == 0 || c == 0 || r == rows || c == cols;
            node[r][c] = {origin.x + (c + (border ? 0 : jitter(rng))) * dx,
                          origin.y + (r + (border ? 0 : jitter(rng))) * dy};
        }
    }
    using Key = std::pair<std::pair<int, int>, std::pair<int, int>>;
    std::map<Key, Path> edges;
    auto edge = [&](std::pair<int, int> a, std::pair<int, int> b) {
        const bool flip = b < a;
        const Key key = flip ? Key{b, a} : Key{a, b};
        auto it = edges.find(key);
        if (it == edges.end()) {
            const XY p = node[key.first.first][key.first.second];
            const XY q = node[key.second.first][key.second.second];
            const bool outer =
                (key.first.first == key.second.first && (key.first.first == 0 || key.first.first == rows)) ||
                (key.first.second == key.second.second && (key.first.second == 0 || key.first.second == cols));
            Path path{geo::tile::lonlat_to_mercator(p)};
            for (int k = 1; k < 10; ++k) {
                const double t = k / 10.0;
                const double w = outer ? 0.0 : jitter(rng) * 0.1 * dx;
                path.push_back(geo::tile::lonlat_to_mercator({p.x + (q.x - p.x) * t + w, p.y + (q.y - p.y) * t - w}));
            }
            path.push_back(geo::tile::lonlat_to_mercator(q));
            it = edges.emplace(key, std::move(path)).first;
        }
        Path path = it->second;
        if (flip) {
            std::reverse(path.begin(), path.end());
        }
        return path;
    };
    // A ring around the lattice block [r0, r1) x [c0, c1), walking its edges.
    auto block_ring = [&](int r0, int r1, int c0, int c1) {
        std::vector<std::pair<int, int>> corners;
        for (int c = c0; c < c1; ++c)
            corners.emplace_back(r0, c);
        for (int r = r0; r < r1; ++r)
            corners.emplace_back(r, c1);
        for (int c = c1; c > c0; --c)
            corners.emplace_back(r1, c);
        for (int r = r1; r > r0; --r)
            corners.emplace_back(r, c0);
        corners.push_back(corners.front());
        Path ring;
        for (std::size_t k = 0; k + 1 < corners.size(); ++k) {
            Path e = edge(corners[k], corners[k + 1]);
            ring.insert(ring.end(), e.begin(), e.end() - 1);
        }
        ring.push_back(ring.front());
        return ring;
    };
    SyntheticLayers layers;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            SourceFeature f;
            f.id = static_cast<std::uint64_t>(r * cols + c);
            f.geometry = Geometry::polygon({block_ring(r, r + 1, c, c + 1)});
            f.properties = {{"code", "120116" + std::to_string(100000000 + f.id)},
                            {"households", static_cast<std::int64_t>(200 + (f.id * 37) % 300)},
                            {"synthetic", true}};
            layers.grids.push_back(std::move(f));
        }
    }
    for (int br = 0; br < 5; ++br) {
        for (int bc = 0; bc < 4; ++bc) {
            const int r0 = br * 20;
            const int c0 = bc * 18;
            const int c1 = std::min(cols, c0 + 18);
            SourceFeature f;
            f.id = static_cast<std::uint64_t>(br * 4 + bc);
            f.geometry = Geometry::polygon({block_ring(r0, r0 + 20, c0, c1)});
            f.properties = {
                {"name", "synthetic street " + std::to_string(f.id)}, {"level", "street"}, {"synthetic", true}};
            layers.jurisdictions.push_back(std::move(f));
        }
    }
    std::uniform_real_distribution<double> ulon(origin.x, origin.x + 0.6);
    std::uniform_real_distribution<double> ulat(origin.y, origin.y + 0.7);
    for (std::uint64_t i = 0; i < 300; ++i) {
        const XY c = geo::tile::lonlat_to_mercator({ulon(rng), ulat(rng)});
        const double r = 1000.0 / std::cos(38.95 * std::numbers::pi / 180); // 1 km on the ground
        Path ring;
        for (int k = 0; k < 64; ++k) {
            const double t = k * 2 * std::numbers::pi / 64;
            ring.push_back({c.x + r * std::cos(t), c.y + r * std::sin(t)});
        }
        ring.push_back(ring.front());
        SourceFeature f;
        f.id = i;
        f.geometry = Geometry::polygon({ring});
        f.properties = {{"category", i % 3 == 0 ? "clinic" : (i % 3 == 1 ? "school" : "market")},
                        {"minutes", 15},
                        {"synthetic", true}};
        layers.service_areas.push_back(std::move(f));
    }
    std::normal_distribution<double> hot(0.0, 0.01);
    std::vector<XY> hotspots;
    for (int h = 0; h < 5; ++h) {
        hotspots.push_back({ulon(rng), ulat(rng)});
    }
    for (std::uint64_t i = 0; i < 50000; ++i) {
        XY p = i % 2 == 0 ? XY{ulon(rng), ulat(rng)} : XY{hotspots[i % 5].x + hot(rng), hotspots[i % 5].y + hot(rng)};
        SourceFeature f;
        f.id = i;
        f.geometry = Geometry::point(geo::tile::lonlat_to_mercator(p));
        f.properties = {{"category", i % 4 == 0 ? "noise" : (i % 4 == 1 ? "road" : "sanitation")},
                        {"status", i % 7 == 0 ? "open" : "closed"},
                        {"synthetic", true}};
        layers.incidents.push_back(std::move(f));
    }
    return layers;
}

} // namespace bench_tile
