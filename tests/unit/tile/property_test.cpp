// Property tests on seeded random polygons: whatever goes in, the encoded
// tile has the MVT winding, no repeated points, and keeps the area within
// the bound that rounding to integer tile units allows.
#include "geo/tile/clip.hpp"
#include "geo/tile/decoder.hpp"
#include "geo/tile/encoder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace geo::tile;
using geo::core::Geometry;
using geo::core::Path;
using geo::core::XY;

namespace {

// A random star-shaped ring around c (valid: angles strictly increase).
Path star(std::mt19937& rng, XY c, double r_min, double r_max, int n, bool clockwise) {
    std::uniform_real_distribution<double> radius(r_min, r_max);
    std::uniform_real_distribution<double> gap(0.5, 1.0); // with n >= 4 every gap < pi: c is in the kernel
    std::vector<double> angles{0};
    for (int i = 1; i < n; ++i) {
        angles.push_back(angles.back() + gap(rng));
    }
    const double total = angles.back() + gap(rng);
    Path ring;
    for (double a : angles) {
        const double t = a / total * 2 * std::numbers::pi * (clockwise ? -1 : 1);
        const double r = radius(rng);
        ring.push_back({c.x + r * std::cos(t), c.y + r * std::sin(t)});
    }
    ring.push_back(ring.front());
    return ring;
}

double path_length(const TilePath& ring) {
    double len = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        len += std::hypot(static_cast<double>(b.x - a.x), static_cast<double>(b.y - a.y));
    }
    return len;
}

} // namespace

TEST(TileProperties, RandomPolygonsKeepWindingNoRepeatsAndAreaWithinTheQuantisationBound) {
    std::mt19937 rng(20261123);
    const TileId tile{14, 13716, 6396}; // Tianjin
    const geo::core::Box b = tile_bounds(tile);
    const double unit = metres_per_unit(tile.z);
    std::uniform_real_distribution<double> cx(b.min_x + 400 * unit, b.max_x - 400 * unit);
    std::uniform_real_distribution<double> cy(b.min_y + 400 * unit, b.max_y - 400 * unit);
    std::uniform_int_distribution<int> vertices(4, 60);
    std::uniform_real_distribution<double> size(2.0, 300.0); // tile units: from a few to hundreds
    int checked = 0;
    for (int i = 0; i < 400; ++i) {
        const XY c{cx(rng), cy(rng)};
        const double r = size(rng) * unit;
        const bool with_hole = i % 3 == 0 && r > 40 * unit;
        std::vector<Path> rings{star(rng, c, r * 0.6, r, vertices(rng), i % 2 == 0)};
        if (with_hole) {
            rings.push_back(star(rng, c, r * 0.1, r * 0.3, vertices(rng), i % 4 == 0));
        }
        const Geometry polygon = Geometry::polygon(rings);
        ASSERT_TRUE(polygon.is_valid()) << polygon.invalid_reason();
        const double expected_area = polygon.area() / (unit * unit);

        const TileGeometry g = to_tile_geometry(polygon, tile);
        TileBuilder builder;
        auto f = builder.add_layer("p").feature(static_cast<std::uint64_t>(i));
        if (!f.set_geometry(g)) {
            EXPECT_LT(expected_area, 8.0) << "only tiny polygons may vanish, polygon " << i;
            continue;
        }
        ASSERT_TRUE(f.commit());
        const DecodedTile decoded = decode_tile(builder.serialize()); // strict: winding and repeats checked too
        const auto& polys = decoded.layers.at(0).features.at(0).geometry.polygons;
        double area = 0;
        double perimeter = 0;
        std::size_t n = 0;
        for (const auto& p : polys) {
            for (std::size_t k = 0; k < p.rings.size(); ++k) {
                const auto& ring = p.rings[k];
                const auto a2 = ring_area2(ring);
                EXPECT_EQ(a2 > 0, k == 0) << "exterior rings positive, holes negative (polygon " << i << ")";
                for (std::size_t v = 0; v < ring.size(); ++v) {
                    EXPECT_NE(ring[v], ring[(v + 1) % ring.size()]) << "repeated point in polygon " << i;
                }
                area += static_cast<double>(a2) / 2.0;
                perimeter += path_length(ring);
                n += ring.size();
            }
        }
        // Each vertex moves at most sqrt(2)/2 units when rounded: the area
        // changes by at most that times the perimeter, plus a second-order term.
        const double delta = std::sqrt(2.0) / 2.0;
        const double bound = delta * (perimeter + 2 * delta * static_cast<double>(n)) + 1.0;
        EXPECT_NEAR(area, expected_area, bound) << "polygon " << i;
        ++checked;
    }
    EXPECT_GT(checked, 350);
}

TEST(TileProperties, ClippingKeepsOnlyTheTilePlusBuffer) {
    std::mt19937 rng(7);
    const TileId tile{12, 3429, 1599};
    const geo::core::Box b = tile_bounds(tile);
    std::uniform_real_distribution<double> ux(b.min_x - b.width(), b.max_x + b.width());
    std::uniform_real_distribution<double> uy(b.min_y - b.height(), b.max_y + b.height());
    for (int i = 0; i < 200; ++i) {
        const XY c{ux(rng), uy(rng)};
        const Geometry polygon = Geometry::polygon({star(rng, c, b.width() * 0.2, b.width() * 0.9, 30, false)});
        const TileGeometry g = to_tile_geometry(polygon, tile, ClipOptions{4096, 64});
        for (const auto& p : g.polygons) {
            for (const auto& ring : p.rings) {
                for (const auto& v : ring) {
                    EXPECT_GE(v.x, -64);
                    EXPECT_LE(v.x, 4096 + 64);
                    EXPECT_GE(v.y, -64);
                    EXPECT_LE(v.y, 4096 + 64);
                }
            }
        }
        // The clipped area equals GEOS's intersection with the buffered tile (within rounding).
        const double unit = metres_per_unit(tile.z);
        const Geometry window = Geometry::box(b.buffered(64 * unit));
        const double expected = polygon.intersection(window).area() / (unit * unit);
        double area = 0;
        double perimeter = 0;
        for (const auto& p : g.polygons) {
            for (const auto& ring : p.rings) {
                area += std::abs(static_cast<double>(ring_area2(ring))) / 2.0;
                perimeter += path_length(ring);
            }
        }
        EXPECT_NEAR(area, expected, perimeter + 2.0) << "polygon " << i;
    }
}
