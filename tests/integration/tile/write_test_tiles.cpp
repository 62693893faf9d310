// Writes the tiles the integration checks decode with independent decoders
// (@mapbox/vector-tile, GDAL's MVT driver). For every tile it writes
//   <out>/<z>/<x>/<y>.mvt   the tile
//   <out>/<z>/<x>/<y>.json  what our strict decoder reads from it
// and <out>/manifest.json listing the tiles. Layers (all synthetic, seeded):
//   grids      a coverage of jittered lattice cells near Tianjin
//   incidents  points, clustered at low zoom (point_count)
//   roads      random polylines
//   shapes     polygons with holes and a multipolygon, not simplified; the
//              source vertices in tile units go to "source" for the
//              one-unit round-trip check
//   values     one point with every MVT value type (tile 14/13716/6396)
#include "geo/tile/decoder.hpp"
#include "geo/tile/encoder.hpp"
#include "geo/tile/layer_index.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <random>

using namespace geo::tile;
using geo::core::Geometry;
using geo::core::Path;
using geo::core::XY;
namespace fs = std::filesystem;

namespace {

std::vector<SourceFeature> grid(std::mt19937& rng) {
    const int rows = 6;
    const int cols = 8;
    const double cell = 0.006;
    const XY origin{117.70, 39.02};
    std::uniform_real_distribution<double> jitter(-0.25, 0.25);
    std::vector<std::vector<XY>> node(rows + 1, std::vector<XY>(cols + 1));
    for (int r = 0; r <= rows; ++r) {
        for (int c = 0; c <= cols; ++c) {
            const bool border = r == 0 || c == 0 || r == rows || c == cols;
            node[r][c] = lonlat_to_mercator({origin.x + (c + (border ? 0 : jitter(rng))) * cell,
                                             origin.y + (r + (border ? 0 : jitter(rng))) * cell});
        }
    }
    std::vector<SourceFeature> out;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            SourceFeature f;
            f.id = static_cast<std::uint64_t>(r * cols + c);
            f.geometry =
                Geometry::polygon({{node[r][c], node[r][c + 1], node[r + 1][c + 1], node[r + 1][c], node[r][c]}});
            f.properties = {{"code", "synthetic-" + std::to_string(1000 + f.id)}, {"row", r}, {"col", c}};
            out.push_back(std::move(f));
        }
    }
    return out;
}

std::vector<SourceFeature> incidents(std::mt19937& rng) {
    std::normal_distribution<double> d(0.0, 0.01);
    std::vector<SourceFeature> out;
    for (std::uint64_t i = 0; i < 1500; ++i) {
        SourceFeature f;
        f.id = i;
        f.geometry = Geometry::point(lonlat_to_mercator({117.724 + d(rng), 39.038 + d(rng)}));
        f.properties = {{"category", i % 3 == 0 ? "noise" : "road damage"}, {"synthetic", true}};
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<SourceFeature> roads(std::mt19937& rng) {
    std::uniform_real_distribution<double> u(-0.03, 0.03);
    std::vector<SourceFeature> out;
    for (std::uint64_t i = 0; i < 12; ++i) {
        Path line;
        XY p{117.724 + u(rng), 39.038 + u(rng)};
        for (int k = 0; k < 25; ++k) {
            line.push_back(lonlat_to_mercator(p));
            p.x += u(rng) / 8;
            p.y += u(rng) / 8;
        }
        SourceFeature f;
        f.id = i;
        f.geometry = Geometry::line_string(line);
        f.properties = {{"name", "synthetic road " + std::to_string(i)}};
        out.push_back(std::move(f));
    }
    return out;
}

Path circle(XY c, double r, int n, bool reverse) {
    Path ring;
    for (int i = 0; i < n; ++i) {
        const double t = (reverse ? -1 : 1) * i * 2 * std::numbers::pi / n;
        ring.push_back({c.x + r * std::cos(t), c.y + r * std::sin(t) * 0.7});
    }
    ring.push_back(ring.front());
    return ring;
}

std::vector<SourceFeature> shapes() {
    const XY c = lonlat_to_mercator({117.724, 39.038});
    std::vector<SourceFeature> out;
    SourceFeature holed;
    holed.id = 1;
    holed.geometry = Geometry::polygon({circle(c, 900, 48, false), circle({c.x + 200, c.y}, 300, 20, false)});
    holed.properties = {{"kind", "polygon with hole"}};
    out.push_back(std::move(holed));
    SourceFeature multi;
    multi.id = 2;
    multi.geometry = Geometry::collect({Geometry::polygon({circle({c.x - 1800, c.y + 900}, 400, 16, true)}),
                                        Geometry::polygon({circle({c.x + 1900, c.y - 700}, 350, 12, false)})});
    multi.properties = {{"kind", "multipolygon"}};
    out.push_back(std::move(multi));
    return out;
}

nlohmann::json geometry_json(const TileGeometry& g) {
    auto path = [](const TilePath& p) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& v : p) {
            a.push_back({v.x, v.y});
        }
        return a;
    };
    nlohmann::json out = nlohmann::json::array(); // list of rings/lines/points-as-one-path
    if (g.type == GeomType::point) {
        out.push_back(path(g.points));
    }
    for (const auto& l : g.lines) {
        out.push_back(path(l));
    }
    for (const auto& p : g.polygons) {
        for (const auto& r : p.rings) {
            out.push_back(path(r));
        }
    }
    return out;
}

nlohmann::json value_json(const Value& v) {
    switch (v.type()) {
    case ValueType::string: return v.as_string();
    case ValueType::boolean: return v.as_bool();
    case ValueType::uint64: return v.as_uint();
    case ValueType::int64:
    case ValueType::sint64: return v.as_int();
    default: return v.to_number();
    }
}

nlohmann::json describe(const DecodedTile& tile) {
    nlohmann::json layers = nlohmann::json::object();
    for (const auto& l : tile.layers) {
        nlohmann::json features = nlohmann::json::array();
        for (const auto& f : l.features) {
            nlohmann::json props = nlohmann::json::object();
            nlohmann::json types = nlohmann::json::object();
            for (const auto& [k, v] : f.properties) {
                props[k] = value_json(v);
                types[k] = static_cast<int>(v.type());
            }
            features.push_back({{"id", f.id.value_or(0)},
                                {"type", static_cast<int>(f.type)},
                                {"properties", props},
                                {"value_types", types},
                                {"geometry", geometry_json(f.geometry)}});
        }
        layers[l.name] = {{"extent", l.extent}, {"features", features}};
    }
    return layers;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: write_test_tiles <output directory>\n";
        return 2;
    }
    const fs::path out_dir = argv[1];
    fs::remove_all(out_dir); // stale tiles from an earlier run must not be checked
    std::mt19937 rng(20261123);
    LayerOptions grid_options;
    grid_options.name = "grids";
    grid_options.kind = LayerKind::coverage;
    const LayerIndex grids(grid_options, grid(rng));
    LayerOptions incident_options;
    incident_options.name = "incidents";
    incident_options.kind = LayerKind::points;
    incident_options.max_features_per_tile = 300;
    const LayerIndex points(incident_options, incidents(rng));
    LayerOptions road_options;
    road_options.name = "roads";
    const LayerIndex lines(road_options, roads(rng));
    LayerOptions shape_options;
    shape_options.name = "shapes";
    shape_options.pixel_tolerance = 0;
    std::vector<SourceFeature> shape_features = shapes();
    std::vector<Geometry> shape_sources;
    for (const auto& f : shape_features) {
        shape_sources.push_back(f.geometry);
    }
    const LayerIndex polys(shape_options, std::move(shape_features));

    nlohmann::json manifest = nlohmann::json::array();
    auto write = [&](const TileId& t, const std::string& bytes, nlohmann::json extra) {
        const fs::path dir = out_dir / std::to_string(t.z) / std::to_string(t.x);
        fs::create_directories(dir);
        std::ofstream(dir / (std::to_string(t.y) + ".mvt"), std::ios::binary) << bytes;
        nlohmann::json expected = {{"z", t.z}, {"x", t.x}, {"y", t.y}, {"layers", describe(decode_tile(bytes))}};
        expected.update(extra);
        std::ofstream(dir / (std::to_string(t.y) + ".json")) << expected.dump(1);
        manifest.push_back(t.to_string());
    };
    geo::core::Box area = grids.bounds();
    area.expand(lines.bounds());
    for (std::uint32_t z : {8U, 11U, 13U, 14U}) {
        for (const TileId& t : tiles_covering(area, z)) {
            TileBuilder tile;
            grids.encode(tile, t);
            points.encode(tile, t);
            lines.encode(tile, t);
            polys.encode(tile, t);
            if (tile.feature_count() == 0) {
                continue;
            }
            // Source vertices of the unsimplified shapes, in this tile's units.
            nlohmann::json source = nlohmann::json::array();
            if (z == 14) {
                for (const auto& g : shape_sources) {
                    for (const auto& poly : g.polygons()) {
                        for (const auto& ring : poly.rings) {
                            for (const auto& p : ring) {
                                const XY w = mercator_to_world(p, z);
                                source.push_back({w.x - t.x * 4096.0, w.y - t.y * 4096.0});
                            }
                        }
                    }
                }
            }
            write(t, tile.serialize(), {{"source", {{"shapes", source}}}});
        }
    }
    // Every value type, in a tile of its own.
    const TileId values_tile{14, 13716, 6396};
    TileBuilder tile;
    auto f = tile.add_layer("values").feature(77);
    const TilePoint p{2048, 2048};
    f.set_points(std::span(&p, 1));
    f.property("string", "网格 grid")
        .property("float", 1.5F)
        .property("double", -2.25)
        .property("int", std::int64_t{-123456789})
        .property("uint", std::uint64_t{4000000000})
        .property("sint", Value::sint(-42))
        .property("bool", false);
    f.commit();
    write(values_tile, tile.serialize(), nlohmann::json::object());
    std::ofstream(out_dir / "manifest.json") << manifest.dump(1);
    std::cout << "wrote " << manifest.size() << " tiles to " << out_dir << "\n";
    return 0;
}
