#include "geo/tile/decoder.hpp"

#include <protozero/exception.hpp>
#include <protozero/pbf_reader.hpp>

#include <algorithm>
#include <set>

namespace geo::tile {

namespace {

constexpr std::uint32_t move_to = 1;
constexpr std::uint32_t line_to = 2;
constexpr std::uint32_t close_path = 7;

[[noreturn]] void fail(const std::string& what, const std::string& layer = {},
                       std::optional<std::int64_t> feature = std::nullopt) {
    ErrorContext context;
    context.layer = layer;
    context.feature = feature;
    throw FormatError("malformed vector tile: " + what, context,
                      "the tile does not follow the Mapbox Vector Tile 2.1 specification");
}

void expect_wire(const protozero::pbf_reader& r, protozero::pbf_wire_type wire, const char* field) {
    if (r.wire_type() != wire) {
        fail(std::string(field) + " has the wrong protobuf wire type");
    }
}

Value decode_value(protozero::pbf_reader r) {
    std::optional<Value> value;
    auto set = [&](Value v) {
        if (value) {
            fail("a layer value has more than one field set");
        }
        value = std::move(v);
    };
    while (r.next()) {
        switch (r.tag()) {
        case 1:
            expect_wire(r, protozero::pbf_wire_type::length_delimited, "string_value");
            set(Value(r.get_string()));
            break;
        case 2:
            expect_wire(r, protozero::pbf_wire_type::fixed32, "float_value");
            set(Value(r.get_float()));
            break;
        case 3:
            expect_wire(r, protozero::pbf_wire_type::fixed64, "double_value");
            set(Value(r.get_double()));
            break;
        case 4:
            expect_wire(r, protozero::pbf_wire_type::varint, "int_value");
            set(Value(r.get_int64()));
            break;
        case 5:
            expect_wire(r, protozero::pbf_wire_type::varint, "uint_value");
            set(Value(r.get_uint64()));
            break;
        case 6:
            expect_wire(r, protozero::pbf_wire_type::varint, "sint_value");
            set(Value::sint(r.get_sint64()));
            break;
        case 7:
            expect_wire(r, protozero::pbf_wire_type::varint, "bool_value");
            set(Value(r.get_bool()));
            break;
        default: fail("a layer value has an unknown field " + std::to_string(r.tag()));
        }
    }
    if (!value) {
        fail("a layer value has no field set");
    }
    return std::move(*value);
}

struct Cursor {
    std::uint32_t x = 0; // unsigned: deltas wrap instead of overflowing
    std::uint32_t y = 0;
    TilePoint advance(std::uint32_t zx, std::uint32_t zy) {
        x += static_cast<std::uint32_t>(protozero::decode_zigzag32(zx));
        y += static_cast<std::uint32_t>(protozero::decode_zigzag32(zy));
        return {static_cast<std::int32_t>(x), static_cast<std::int32_t>(y)};
    }
};

class CommandReader {
  public:
    explicit CommandReader(const std::vector<std::uint32_t>& ints) : m_ints(ints) {}
    [[nodiscard]] bool done() const { return m_pos >= m_ints.size(); }
    // Reads a command integer and checks that its parameters are present
    // before anything is allocated for them.
    std::pair<std::uint32_t, std::uint32_t> command() {
        const std::uint32_t c = m_ints[m_pos++];
        const std::uint32_t id = c & 0x7U;
        const std::uint32_t count = c >> 3U;
        if (id != move_to && id != line_to && id != close_path) {
            fail("unknown geometry command " + std::to_string(id));
        }
        const std::size_t params = id == close_path ? 0 : std::size_t{count} * 2;
        if (params > m_ints.size() - m_pos) {
            fail("geometry command " + std::to_string(id) + " with count " + std::to_string(count) + " has only " +
                 std::to_string(m_ints.size() - m_pos) + " parameter integers left");
        }
        return {id, count};
    }
    TilePoint point() {
        const std::uint32_t zx = m_ints[m_pos++];
        const std::uint32_t zy = m_ints[m_pos++];
        return m_cursor.advance(zx, zy);
    }

  private:
    const std::vector<std::uint32_t>& m_ints;
    std::size_t m_pos = 0;
    Cursor m_cursor;
};

} // namespace

TileGeometry decode_geometry(GeomType type, const std::vector<std::uint32_t>& ints) {
    TileGeometry g;
    g.type = type;
    CommandReader r{ints};
    switch (type) {
    case GeomType::unknown: return g;
    case GeomType::point: {
        if (r.done()) {
            fail("point geometry is empty");
        }
        auto [id, count] = r.command();
        if (id != move_to || count == 0) {
            fail("point geometry must be one MoveTo with a count of at least 1");
        }
        g.points.reserve(count);
        for (std::uint32_t i = 0; i < count; ++i) {
            g.points.push_back(r.point());
        }
        if (!r.done()) {
            fail("point geometry has commands after its MoveTo");
        }
        return g;
    }
    case GeomType::linestring: {
        while (!r.done()) {
            auto [id, count] = r.command();
            if (id != move_to || count != 1) {
                fail("linestring parts must start with MoveTo count 1");
            }
            TilePath line{r.point()};
            if (r.done()) {
                fail("linestring MoveTo is not followed by LineTo");
            }
            auto [lid, lcount] = r.command();
            if (lid != line_to || lcount == 0) {
                fail("linestring MoveTo must be followed by LineTo with a count of at least 1");
            }
            line.reserve(lcount + 1);
            for (std::uint32_t i = 0; i < lcount; ++i) {
                TilePoint p = r.point();
                if (p == line.back()) {
                    fail("linestring has a zero-length segment (repeated point)");
                }
                line.push_back(p);
            }
            g.lines.push_back(std::move(line));
        }
        if (g.lines.empty()) {
            fail("linestring geometry is empty");
        }
        return g;
    }
    case GeomType::polygon: {
        while (!r.done()) {
            auto [id, count] = r.command();
            if (id != move_to || count != 1) {
                fail("polygon rings must start with MoveTo count 1");
            }
            TilePath ring{r.point()};
            if (r.done()) {
                fail("polygon MoveTo is not followed by LineTo");
            }
            auto [lid, lcount] = r.command();
            if (lid != line_to || lcount < 2) {
                fail("polygon MoveTo must be followed by LineTo with a count of at least 2");
            }
            ring.reserve(lcount + 1);
            for (std::uint32_t i = 0; i < lcount; ++i) {
                TilePoint p = r.point();
                if (p == ring.back()) {
                    fail("polygon ring has a zero-length segment (repeated point)");
                }
                ring.push_back(p);
            }
            if (r.done()) {
                fail("polygon ring is not closed by ClosePath");
            }
            auto [cid, ccount] = r.command();
            if (cid != close_path) {
                fail("polygon ring must end with ClosePath");
            }
            if (ccount != 1) {
                fail("ClosePath must have count 1, not " + std::to_string(ccount));
            }
            const std::int64_t area = ring_area2(ring);
            if (area == 0) {
                fail("polygon ring has zero area");
            }
            if (area > 0) {
                g.polygons.push_back({});
            } else if (g.polygons.empty()) {
                fail("polygon starts with an interior ring (negative area): exterior rings must have positive area");
            }
            g.polygons.back().rings.push_back(std::move(ring));
        }
        if (g.polygons.empty()) {
            fail("polygon geometry is empty");
        }
        return g;
    }
    }
    fail("unknown geometry type");
}

const DecodedLayer* DecodedTile::find(std::string_view name) const noexcept {
    for (const auto& l : layers) {
        if (l.name == name) {
            return &l;
        }
    }
    return nullptr;
}

namespace {

DecodedFeature decode_feature(protozero::pbf_reader r, const DecodedLayer& layer) {
    DecodedFeature f;
    bool have_type = false;
    bool have_geometry = false;
    bool have_tags = false;
    while (r.next()) {
        switch (r.tag()) {
        case 1:
            expect_wire(r, protozero::pbf_wire_type::varint, "feature id");
            if (f.id) {
                fail("feature has two id fields", layer.name);
            }
            f.id = r.get_uint64();
            break;
        case 2: {
            expect_wire(r, protozero::pbf_wire_type::length_delimited, "feature tags");
            if (have_tags) {
                fail("feature has two tags fields", layer.name);
            }
            have_tags = true;
            for (std::uint32_t t : r.get_packed_uint32()) {
                f.tags.push_back(t);
            }
            break;
        }
        case 3: {
            expect_wire(r, protozero::pbf_wire_type::varint, "feature type");
            if (have_type) {
                fail("feature has two type fields", layer.name);
            }
            have_type = true;
            const std::int32_t t = r.get_enum();
            if (t < 0 || t > 3) {
                fail("feature has unknown geometry type " + std::to_string(t), layer.name);
            }
            f.type = static_cast<GeomType>(t);
            break;
        }
        case 4: {
            expect_wire(r, protozero::pbf_wire_type::length_delimited, "feature geometry");
            if (have_geometry) {
                fail("feature has two geometry fields", layer.name);
            }
            have_geometry = true;
            for (std::uint32_t c : r.get_packed_uint32()) {
                f.commands.push_back(c);
            }
            break;
        }
        default: r.skip(); // extensions and unknown fields are allowed
        }
    }
    const std::optional<std::int64_t> fid =
        f.id ? std::optional<std::int64_t>(static_cast<std::int64_t>(*f.id)) : std::nullopt;
    if (!have_type) {
        fail("feature has no geometry type", layer.name, fid);
    }
    if (!have_geometry) {
        fail("feature has no geometry", layer.name, fid);
    }
    if (f.tags.size() % 2 != 0) {
        fail("feature has an odd number of tags", layer.name, fid);
    }
    for (std::size_t i = 0; i < f.tags.size(); i += 2) {
        if (f.tags[i] >= layer.keys.size()) {
            fail("feature tag points to key " + std::to_string(f.tags[i]) + " but the layer has " +
                     std::to_string(layer.keys.size()) + " keys",
                 layer.name, fid);
        }
        if (f.tags[i + 1] >= layer.values.size()) {
            fail("feature tag points to value " + std::to_string(f.tags[i + 1]) + " but the layer has " +
                     std::to_string(layer.values.size()) + " values",
                 layer.name, fid);
        }
        f.properties.emplace_back(layer.keys[f.tags[i]], layer.values[f.tags[i + 1]]);
    }
    try {
        f.geometry = decode_geometry(f.type, f.commands);
    } catch (const FormatError& e) {
        ErrorContext context{{}, layer.name, fid};
        throw FormatError(e.message(), context, e.hint());
    }
    return f;
}

DecodedLayer decode_layer(protozero::pbf_reader r) {
    DecodedLayer layer;
    bool have_version = false;
    bool have_name = false;
    std::vector<protozero::data_view> features;
    while (r.next()) {
        switch (r.tag()) {
        case 15:
            expect_wire(r, protozero::pbf_wire_type::varint, "layer version");
            layer.version = r.get_uint32();
            have_version = true;
            break;
        case 1:
            expect_wire(r, protozero::pbf_wire_type::length_delimited, "layer name");
            layer.name = r.get_string();
            have_name = true;
            break;
        case 2:
            expect_wire(r, protozero::pbf_wire_type::length_delimited, "layer feature");
            features.push_back(r.get_view());
            break;
        case 3:
            expect_wire(r, protozero::pbf_wire_type::length_delimited, "layer key");
            layer.keys.push_back(r.get_string());
            break;
        case 4:
            expect_wire(r, protozero::pbf_wire_type::length_delimited, "layer value");
            layer.values.push_back(decode_value(r.get_message()));
            break;
        case 5:
            expect_wire(r, protozero::pbf_wire_type::varint, "layer extent");
            layer.extent = r.get_uint32();
            break;
        default: r.skip();
        }
    }
    if (!have_name || layer.name.empty()) {
        fail("layer has no name");
    }
    if (!have_version) {
        fail("layer has no version field", layer.name);
    }
    if (layer.version != 1 && layer.version != 2) {
        fail("layer version " + std::to_string(layer.version) + " is not 1 or 2", layer.name);
    }
    if (layer.extent == 0) {
        fail("layer extent is 0", layer.name);
    }
    layer.features.reserve(features.size());
    for (const auto& view : features) {
        layer.features.push_back(decode_feature(protozero::pbf_reader{view}, layer));
    }
    return layer;
}

} // namespace

DecodedTile decode_tile(std::string_view data) {
    DecodedTile tile;
    try {
        protozero::pbf_reader r{data.data(), data.size()};
        std::set<std::string, std::less<>> names;
        while (r.next()) {
            if (r.tag() == 3) {
                expect_wire(r, protozero::pbf_wire_type::length_delimited, "tile layer");
                DecodedLayer layer = decode_layer(r.get_message());
                if (!names.insert(layer.name).second) {
                    fail("two layers are named '" + layer.name + "' (layer names must be unique)", layer.name);
                }
                tile.layers.push_back(std::move(layer));
            } else {
                r.skip();
            }
        }
    } catch (const protozero::exception& e) {
        fail(std::string("protobuf: ") + e.what());
    }
    return tile;
}

} // namespace geo::tile
