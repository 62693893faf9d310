#include "geo/tile/encoder.hpp"

#include "geo/core/error.hpp"

#include <protozero/pbf_writer.hpp>

#include <algorithm>
#include <limits>

namespace geo::tile {

namespace {

// vector_tile.proto field numbers (see libgeo/proto/vector_tile.proto).
namespace tile_field {
constexpr protozero::pbf_tag_type layers = 3;
}
namespace layer_field {
constexpr protozero::pbf_tag_type name = 1;
constexpr protozero::pbf_tag_type features = 2;
constexpr protozero::pbf_tag_type keys = 3;
constexpr protozero::pbf_tag_type values = 4;
constexpr protozero::pbf_tag_type extent = 5;
constexpr protozero::pbf_tag_type version = 15;
} // namespace layer_field
namespace feature_field {
constexpr protozero::pbf_tag_type id = 1;
constexpr protozero::pbf_tag_type tags = 2;
constexpr protozero::pbf_tag_type type = 3;
constexpr protozero::pbf_tag_type geometry = 4;
} // namespace feature_field

constexpr std::uint32_t move_to = 1;
constexpr std::uint32_t line_to = 2;
constexpr std::uint32_t close_path = 7;
// A command count is 29 bits wide.
constexpr std::size_t max_command_count = (std::size_t{1} << 29U) - 1;

void serialize_value(const Value& v, std::string& out) {
    out.clear();
    protozero::pbf_writer w{out};
    const auto field = static_cast<protozero::pbf_tag_type>(v.type());
    switch (v.type()) {
    case ValueType::string: w.add_string(field, v.as_string()); break;
    case ValueType::float_value: w.add_float(field, v.as_float()); break;
    case ValueType::double_value: w.add_double(field, v.as_double()); break;
    case ValueType::int64: w.add_int64(field, v.as_int()); break;
    case ValueType::uint64: w.add_uint64(field, v.as_uint()); break;
    case ValueType::sint64: w.add_sint64(field, v.as_int()); break;
    case ValueType::boolean: w.add_bool(field, v.as_bool()); break;
    }
}

// Writes command and parameter integers, tracking the cursor across parts.
class GeometryWriter {
  public:
    explicit GeometryWriter(std::vector<std::uint32_t>& out) : m_out(out) {}

    void command(std::uint32_t id, std::size_t count) {
        if (count > max_command_count) {
            throw InputError("tile geometry has too many points in one command (" + std::to_string(count) + ")");
        }
        m_out.push_back(command_integer(id, static_cast<std::uint32_t>(count)));
    }
    void point(const TilePoint& p) {
        const std::int64_t dx = static_cast<std::int64_t>(p.x) - m_cursor.x;
        const std::int64_t dy = static_cast<std::int64_t>(p.y) - m_cursor.y;
        if (dx < std::numeric_limits<std::int32_t>::min() || dx > std::numeric_limits<std::int32_t>::max() ||
            dy < std::numeric_limits<std::int32_t>::min() || dy > std::numeric_limits<std::int32_t>::max()) {
            throw InputError("tile geometry delta does not fit 32 bits; coordinates are far outside the tile");
        }
        m_out.push_back(zigzag(static_cast<std::int32_t>(dx)));
        m_out.push_back(zigzag(static_cast<std::int32_t>(dy)));
        m_cursor = p;
    }

  private:
    std::vector<std::uint32_t>& m_out;
    TilePoint m_cursor{};
};

// Drop repeated consecutive points (and, for rings, a repeated closing point)
// into `out`, whose capacity is reused from call to call.
void without_repeats(const TilePath& path, bool ring, TilePath& out) {
    out.clear();
    out.reserve(path.size());
    for (const TilePoint& p : path) {
        if (out.empty() || out.back() != p) {
            out.push_back(p);
        }
    }
    if (ring) {
        while (out.size() > 1 && out.back() == out.front()) {
            out.pop_back();
        }
    }
}

} // namespace

// --- LayerBuilder -----------------------------------------------------------

LayerBuilder::LayerBuilder(std::string name, std::uint32_t extent) : m_name(std::move(name)), m_extent(extent) {
    if (m_name.empty()) {
        throw InputError("a tile layer needs a name");
    }
    if (m_extent == 0) {
        throw InputError("tile layer '" + m_name + "' has extent 0");
    }
}

FeatureBuilder LayerBuilder::feature(std::uint64_t id) {
    return FeatureBuilder(*this, id);
}
FeatureBuilder LayerBuilder::feature() {
    return FeatureBuilder(*this, std::nullopt);
}

std::uint32_t LayerBuilder::key_index(std::string_view key) {
    auto [it, inserted] = m_key_index.try_emplace(std::string(key), static_cast<std::uint32_t>(m_keys.size()));
    if (inserted) {
        m_keys.emplace_back(key);
    }
    return it->second;
}

std::uint32_t LayerBuilder::value_index(const Value& value) {
    // Values are de-duplicated by their encoded bytes: equal type and value.
    serialize_value(value, m_value_scratch);
    if (auto it = m_value_index.find(m_value_scratch); it != m_value_index.end()) {
        return it->second;
    }
    auto it = m_value_index.emplace(m_value_scratch, static_cast<std::uint32_t>(m_values.size())).first;
    m_values.push_back(&it->first);
    return it->second;
}

void LayerBuilder::reserve_values(std::size_t count) {
    m_value_index.reserve(count);
    m_values.reserve(count);
}

std::string LayerBuilder::serialize() const {
    std::string head;
    protozero::pbf_writer h{head};
    h.add_uint32(layer_field::version, 2);
    h.add_string(layer_field::name, m_name);
    h.add_uint32(layer_field::extent, m_extent);
    std::string tail;
    protozero::pbf_writer t{tail};
    for (const std::string& k : m_keys) {
        t.add_string(layer_field::keys, k);
    }
    for (const std::string* v : m_values) {
        t.add_message(layer_field::values, *v);
    }
    std::string out;
    out.reserve(head.size() + m_features.size() + tail.size());
    out.append(head).append(m_features).append(tail); // features are already framed as field 2
    return out;
}

void LayerBuilder::append_to_tile(std::string& out) const {
    // The layer's length is known before writing, so the framing is written
    // by hand and the feature bytes are copied once.
    std::string head;
    protozero::pbf_writer h{head};
    h.add_uint32(layer_field::version, 2);
    h.add_string(layer_field::name, m_name);
    h.add_uint32(layer_field::extent, m_extent);
    std::string tail;
    protozero::pbf_writer t{tail};
    for (const std::string& k : m_keys) {
        t.add_string(layer_field::keys, k);
    }
    for (const std::string* v : m_values) {
        t.add_message(layer_field::values, *v);
    }
    const std::size_t length = head.size() + m_features.size() + tail.size();
    protozero::add_varint_to_buffer(&out, (std::uint64_t{tile_field::layers} << 3U) | 2U); // length-delimited
    protozero::add_varint_to_buffer(&out, length);
    out.append(head).append(m_features).append(tail);
}

// --- FeatureBuilder -----------------------------------------------------------

FeatureBuilder::FeatureBuilder(LayerBuilder& layer, std::optional<std::uint64_t> id) : m_layer(&layer), m_id(id) {
    m_geometry.swap(layer.m_geometry_pool);
    m_geometry.clear();
    m_tags.swap(layer.m_tags_pool);
    m_tags.clear();
}

FeatureBuilder::~FeatureBuilder() {
    if (m_layer != nullptr) {
        // Give the buffers back to the layer for the next feature.
        if (m_geometry.capacity() > m_layer->m_geometry_pool.capacity()) {
            m_layer->m_geometry_pool.swap(m_geometry);
        }
        if (m_tags.capacity() > m_layer->m_tags_pool.capacity()) {
            m_layer->m_tags_pool.swap(m_tags);
        }
    }
}

FeatureBuilder::FeatureBuilder(FeatureBuilder&& other) noexcept
    : m_layer(other.m_layer), m_id(other.m_id), m_properties(std::move(other.m_properties)),
      m_tags(std::move(other.m_tags)), m_type(other.m_type), m_geometry(std::move(other.m_geometry)),
      m_state(other.m_state) {
    other.m_state = State::rolled_back;
    other.m_layer = nullptr;
}

FeatureBuilder& FeatureBuilder::property(std::string key, Value value) {
    auto it = std::find_if(m_properties.begin(), m_properties.end(), [&](const Property& p) { return p.first == key; });
    if (it != m_properties.end()) {
        it->second = std::move(value);
    } else {
        m_properties.emplace_back(std::move(key), std::move(value));
    }
    return *this;
}

FeatureBuilder& FeatureBuilder::properties(const Properties& props) {
    for (const auto& [k, v] : props) {
        property(k, v);
    }
    return *this;
}

FeatureBuilder& FeatureBuilder::tag(std::uint32_t key_index, std::uint32_t value_index) {
    if (key_index >= m_layer->m_keys.size() || value_index >= m_layer->m_values.size()) {
        throw InputError("tile feature tag refers to a key or value the layer does not have");
    }
    m_tags.push_back(key_index);
    m_tags.push_back(value_index);
    return *this;
}

bool FeatureBuilder::set_points(std::span<const TilePoint> points) {
    m_geometry.clear();
    m_type = GeomType::point;
    if (points.empty()) {
        return false;
    }
    GeometryWriter w{m_geometry};
    w.command(move_to, points.size());
    for (const TilePoint& p : points) {
        w.point(p);
    }
    return true;
}

bool FeatureBuilder::set_lines(std::span<const TilePath> lines) {
    if (m_layer == nullptr) {
        throw InputError("tile feature builder used after it was moved from");
    }
    m_geometry.clear();
    m_type = GeomType::linestring;
    GeometryWriter w{m_geometry};
    TilePath& clean = m_layer->m_scratch;
    for (const TilePath& line : lines) {
        without_repeats(line, false, clean);
        if (clean.size() < 2) {
            continue; // a line needs two distinct points
        }
        w.command(move_to, 1);
        w.point(clean[0]);
        w.command(line_to, clean.size() - 1);
        for (std::size_t i = 1; i < clean.size(); ++i) {
            w.point(clean[i]);
        }
    }
    return !m_geometry.empty();
}

bool FeatureBuilder::set_polygons(std::span<const TilePolygon> polygons) {
    if (m_layer == nullptr) {
        throw InputError("tile feature builder used after it was moved from");
    }
    m_geometry.clear();
    m_type = GeomType::polygon;
    GeometryWriter w{m_geometry};
    // Rings are written forwards or backwards so that exteriors have
    // positive area and holes negative, without copying them again.
    auto write_ring = [&](const TilePath& ring, bool exterior) {
        const std::int64_t area = ring_area2(ring);
        const bool reverse = (area < 0) == exterior;
        const std::size_t n = ring.size();
        auto at = [&](std::size_t i) -> const TilePoint& { return reverse ? ring[(n - i) % n] : ring[i]; };
        w.command(move_to, 1);
        w.point(at(0));
        w.command(line_to, n - 1);
        for (std::size_t i = 1; i < n; ++i) {
            w.point(at(i));
        }
        w.command(close_path, 1);
    };
    auto usable = [](const TilePath& ring) { return ring.size() >= 3 && ring_area2(ring) != 0; };
    TilePath& ring = m_layer->m_scratch;
    for (const TilePolygon& polygon : polygons) {
        if (polygon.rings.empty()) {
            continue;
        }
        without_repeats(polygon.rings.front(), true, ring);
        if (!usable(ring)) {
            continue; // a degenerate exterior takes its holes with it
        }
        write_ring(ring, true);
        for (std::size_t i = 1; i < polygon.rings.size(); ++i) {
            without_repeats(polygon.rings[i], true, ring);
            if (usable(ring)) {
                write_ring(ring, false);
            }
        }
    }
    return !m_geometry.empty();
}

bool FeatureBuilder::set_geometry(const TileGeometry& g) {
    switch (g.type) {
    case GeomType::point: return set_points(g.points);
    case GeomType::linestring: return set_lines(g.lines);
    case GeomType::polygon: return set_polygons(g.polygons);
    default: throw InputError("cannot encode a feature of unknown geometry type");
    }
}

bool FeatureBuilder::commit() {
    if (m_state != State::open) {
        throw InputError("tile feature committed twice or after rollback");
    }
    if (m_geometry.empty()) {
        m_state = State::rolled_back;
        return false;
    }
    LayerBuilder& layer = *m_layer;
    std::vector<std::uint32_t>& tags = m_tags;
    tags.reserve(tags.size() + m_properties.size() * 2);
    const std::size_t tagged = tags.size();
    for (const auto& [k, v] : m_properties) {
        const std::uint32_t key = layer.key_index(k);
        const std::uint32_t value = layer.value_index(v);
        // A key already set through tag() takes the new value: one key per feature.
        bool replaced = false;
        for (std::size_t i = 0; i < tagged; i += 2) {
            if (tags[i] == key) {
                tags[i + 1] = value;
                replaced = true;
            }
        }
        if (!replaced) {
            tags.push_back(key);
            tags.push_back(value);
        }
    }
    {
        // Written straight into the layer's buffer as a nested message.
        protozero::pbf_writer lw{layer.m_features};
        protozero::pbf_writer w{lw, layer_field::features};
        if (m_id) {
            w.add_uint64(feature_field::id, *m_id);
        }
        if (!tags.empty()) {
            w.add_packed_uint32(feature_field::tags, tags.begin(), tags.end());
        }
        w.add_enum(feature_field::type, static_cast<std::int32_t>(m_type));
        w.add_packed_uint32(feature_field::geometry, m_geometry.begin(), m_geometry.end());
    }
    ++layer.m_feature_count;
    m_state = State::committed;
    return true;
}

void FeatureBuilder::rollback() noexcept {
    if (m_state == State::open) {
        m_state = State::rolled_back;
        m_geometry.clear();
        m_properties.clear();
        m_tags.clear();
    }
}

// --- TileBuilder --------------------------------------------------------------

LayerBuilder& TileBuilder::add_layer(std::string name, std::uint32_t extent) {
    if (find_layer(name) != nullptr) {
        throw InputError("tile already has a layer named '" + name + "' (layer names must be unique)");
    }
    m_layers.push_back(std::make_unique<LayerBuilder>(std::move(name), extent));
    return *m_layers.back();
}

LayerBuilder* TileBuilder::find_layer(std::string_view name) noexcept {
    for (auto& l : m_layers) {
        if (l->name() == name) {
            return l.get();
        }
    }
    return nullptr;
}

std::size_t TileBuilder::feature_count() const noexcept {
    std::size_t n = 0;
    for (const auto& l : m_layers) {
        n += l->feature_count();
    }
    return n;
}

std::string TileBuilder::serialize() const {
    std::string out;
    std::size_t size = 0;
    for (const auto& l : m_layers) {
        size += l->m_features.size() + 64;
    }
    out.reserve(size);
    for (const auto& l : m_layers) {
        if (l->feature_count() > 0) {
            l->append_to_tile(out);
        }
    }
    return out;
}

} // namespace geo::tile
