#include "geo/tile/layer_index.hpp"

#include "box_index.hpp"
#include "coverage.hpp"
#include "simplify.hpp"

#include "geo/core/error.hpp"
#include "geo/tile/clip.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace geo::tile {

namespace {

/// Cluster ids live above every source id (which must be below 2^52) and
/// stay below 2^53, the largest integer JavaScript represents exactly.
constexpr std::uint64_t cluster_id_base = std::uint64_t{1} << 52U;
constexpr std::uint64_t max_source_id = cluster_id_base - 1;

// Geometry in world units at max_zoom, before simplification.
struct SourceShape {
    GeomType type = GeomType::unknown;
    std::vector<std::vector<core::Path>> parts; // polygon rings (open) | one line | one path of points
    core::Box box;
};

struct StoredZoom {
    std::vector<std::uint64_t> ids;
    std::vector<std::uint32_t> props;
    std::vector<GeomType> types;
    std::vector<std::uint32_t> part_begin{0};   // per feature, into ring_begin
    std::vector<std::uint32_t> ring_begin{0};   // per part, into vertex_begin
    std::vector<std::uint32_t> vertex_begin{0}; // per ring, into vertices
    std::vector<TilePoint> vertices;            // world units at this zoom
    detail::BoxIndex index;                     // feature boxes in world units of this zoom

    // --- writing during the build ---
    void add_ring(const TilePath& ring) {
        vertices.insert(vertices.end(), ring.begin(), ring.end());
        vertex_begin.push_back(static_cast<std::uint32_t>(vertices.size()));
    }
    void end_part() { ring_begin.push_back(static_cast<std::uint32_t>(vertex_begin.size() - 1)); }
    void end_feature(std::uint64_t id, std::uint32_t prop, GeomType type, const core::Box& box) {
        ids.push_back(id);
        props.push_back(prop);
        types.push_back(type);
        part_begin.push_back(static_cast<std::uint32_t>(ring_begin.size() - 1));
        index.add(box);
    }
    [[nodiscard]] std::size_t open_parts() const { return ring_begin.size() - 1 - part_begin.back(); }
    [[nodiscard]] std::size_t open_rings() const { return vertex_begin.size() - 1 - ring_begin.back(); }
    void drop_open_rings() {
        vertex_begin.resize(ring_begin.back() + 1);
        vertices.resize(vertex_begin.back());
    }
};

std::int32_t to_int(double v) {
    return static_cast<std::int32_t>(std::lround(v));
}

// Layer-wide key/value id -> index in the tile's layer, valid for one
// encode() call. A generation stamp per slot avoids clearing the table for
// every tile (it has one slot per distinct value of the layer, thousands
// for grid codes, while a high-zoom tile uses a handful).
class InternMap {
  public:
    void start(std::size_t size) {
        if (m_slots.size() < size) {
            m_slots.resize(size, 0);
        }
        if (++m_generation == 0) { // wrapped: stale stamps could match again
            std::fill(m_slots.begin(), m_slots.end(), 0);
            m_generation = 1;
        }
    }
    template <typename Add> std::uint32_t get(std::uint32_t id, Add&& add) {
        std::uint64_t& slot = m_slots[id];
        if ((slot >> 32U) != m_generation) {
            slot = (std::uint64_t{m_generation} << 32U) | add();
        }
        return static_cast<std::uint32_t>(slot & 0xFFFFFFFFU);
    }

  private:
    std::vector<std::uint64_t> m_slots;
    std::uint32_t m_generation = 0;
};

TilePath quantise(const core::Path& path, double scale, bool ring) {
    TilePath out;
    out.reserve(path.size());
    for (const core::XY& p : path) {
        const TilePoint q{to_int(p.x * scale), to_int(p.y * scale)};
        if (out.empty() || out.back() != q) {
            out.push_back(q);
        }
    }
    if (ring) {
        while (out.size() > 1 && out.back() == out.front()) {
            out.pop_back();
        }
    }
    return out;
}

bool usable_ring(const TilePath& ring) {
    return ring.size() >= 3 && ring_area2(ring) != 0;
}

core::Box box_of(const TilePath& path, core::Box box = {}) {
    for (const auto& p : path) {
        box.expand(core::XY{static_cast<double>(p.x), static_cast<double>(p.y)});
    }
    return box;
}

core::Path open_ring(core::Path ring) {
    while (ring.size() > 1 && ring.back() == ring.front()) {
        ring.pop_back();
    }
    return ring;
}

// Conservative encoded size of a point feature: framing, id, type,
// geometry, tags, and its keys and values as if none were shared.
std::size_t estimated_point_bytes(const Properties& props) {
    std::size_t bytes = 24;
    for (const auto& [k, v] : props) {
        bytes += 4 + k.size() + (v.is_string() ? v.as_string().size() + 2 : 10);
    }
    return bytes;
}

} // namespace

struct LayerIndex::Impl {
    LayerOptions options;
    core::Box bounds;
    std::size_t feature_count = 0;
    std::vector<Properties> properties; // source features first, then clusters (freed after the build)
    std::vector<StoredZoom> zooms;      // index: z - min_zoom
    // Properties interned once: distinct keys and values over the layer,
    // and per property set its (key, value) index pairs into them.
    std::vector<std::string> keys;
    std::vector<Value> values;
    std::vector<std::vector<std::uint32_t>> tags;

    void intern_properties();

    void build(std::vector<SourceFeature> features);
    void build_shapes(const std::vector<SourceShape>& shapes, const std::vector<std::uint64_t>& ids);
    void build_coverage(const std::vector<SourceShape>& shapes, const std::vector<std::uint64_t>& ids);
    void build_points(const std::vector<SourceShape>& shapes, const std::vector<std::uint64_t>& ids);

    [[nodiscard]] double pixel() const { return options.pixel_tolerance * options.extent / 256.0; }
    [[nodiscard]] double scale_at(std::uint32_t z) const {
        return std::ldexp(1.0, static_cast<int>(z) - static_cast<int>(options.max_zoom));
    }
    [[nodiscard]] bool too_small(const core::Box& box, double scale) const {
        const double px = pixel();
        return px > 0 && box.width() * scale < px && box.height() * scale < px;
    }
};

void LayerIndex::Impl::build(std::vector<SourceFeature> features) {
    if (options.name.empty()) {
        throw InputError("a tile layer needs a name");
    }
    if (options.min_zoom > options.max_zoom) {
        throw InputError("layer '" + options.name + "': min_zoom is above max_zoom");
    }
    if (options.max_zoom > static_cast<std::uint32_t>(max_zoom_level)) {
        throw InputError("layer '" + options.name + "': max_zoom above " + std::to_string(max_zoom_level));
    }
    if (options.extent == 0 || options.extent > 65536) {
        throw InputError("layer '" + options.name + "': extent must be 1..65536");
    }
    feature_count = features.size();
    std::vector<SourceShape> shapes;
    std::vector<std::uint64_t> ids;
    shapes.reserve(features.size());
    ids.reserve(features.size());
    properties.reserve(features.size());
    auto to_world = [&](const core::Path& path) {
        core::Path out;
        out.reserve(path.size());
        for (const auto& p : path) {
            out.push_back(mercator_to_world(p, options.max_zoom, options.extent));
        }
        return out;
    };
    for (auto& f : features) {
        if (f.id > max_source_id) {
            throw InputError("layer '" + options.name + "': feature id " + std::to_string(f.id) + " is not below 2^52",
                             ErrorContext{{}, options.name, std::nullopt});
        }
        SourceShape shape;
        if (!f.geometry.is_null() && !f.geometry.is_empty()) {
            bounds.expand(f.geometry.bounds());
            if (auto polys = f.geometry.polygons(); !polys.empty()) {
                shape.type = GeomType::polygon;
                for (const auto& poly : polys) {
                    std::vector<core::Path> rings;
                    for (const auto& ring : poly.rings) {
                        rings.push_back(open_ring(to_world(ring)));
                    }
                    shape.parts.push_back(std::move(rings));
                }
            } else if (auto paths = f.geometry.paths(); !paths.empty()) {
                shape.type = GeomType::linestring;
                for (const auto& p : paths) {
                    shape.parts.push_back({to_world(p)});
                }
            } else {
                shape.type = GeomType::point;
                core::Path pts;
                for (const auto& p : f.geometry.points()) {
                    pts.push_back(mercator_to_world(p, options.max_zoom, options.extent));
                }
                shape.parts.push_back({std::move(pts)});
            }
            for (const auto& part : shape.parts) {
                for (const auto& ring : part) {
                    for (const auto& p : ring) {
                        shape.box.expand(p);
                    }
                }
            }
        }
        if (options.kind == LayerKind::coverage && shape.type != GeomType::polygon && shape.type != GeomType::unknown) {
            throw InputError("coverage layer '" + options.name + "' has a non-polygon feature",
                             ErrorContext{{}, options.name, static_cast<std::int64_t>(f.id)});
        }
        if (options.kind == LayerKind::points && shape.type != GeomType::point && shape.type != GeomType::unknown) {
            throw InputError("point layer '" + options.name + "' has a non-point feature",
                             ErrorContext{{}, options.name, static_cast<std::int64_t>(f.id)});
        }
        shapes.push_back(std::move(shape));
        ids.push_back(f.id);
        properties.push_back(std::move(f.properties));
        f.geometry = core::Geometry(); // release GEOS memory as we go
    }
    zooms.resize(options.max_zoom - options.min_zoom + 1);
    switch (options.kind) {
    case LayerKind::coverage: build_coverage(shapes, ids); break;
    case LayerKind::points: build_points(shapes, ids); break;
    default: build_shapes(shapes, ids); break;
    }
    for (auto& z : zooms) {
        z.index.finish();
    }
    intern_properties();
}

void LayerIndex::Impl::intern_properties() {
    std::unordered_map<std::string, std::uint32_t> key_ids;
    std::map<std::pair<int, std::string>, std::uint32_t> value_ids;
    tags.reserve(properties.size());
    for (const Properties& props : properties) {
        std::vector<std::uint32_t> t;
        t.reserve(props.size() * 2);
        for (const auto& [k, v] : props) {
            auto [kit, knew] = key_ids.try_emplace(k, static_cast<std::uint32_t>(keys.size()));
            if (knew) {
                keys.push_back(k);
            }
            // Type and exact text identify a value (to_string keeps 17 digits).
            auto [vit, vnew] = value_ids.try_emplace({static_cast<int>(v.type()), v.to_string()},
                                                     static_cast<std::uint32_t>(values.size()));
            if (vnew) {
                values.push_back(v);
            }
            t.push_back(kit->second);
            t.push_back(vit->second);
        }
        tags.push_back(std::move(t));
    }
    properties.clear();
    properties.shrink_to_fit();
}

void LayerIndex::Impl::build_shapes(const std::vector<SourceShape>& shapes, const std::vector<std::uint64_t>& ids) {
    for (std::uint32_t z = options.min_zoom; z <= options.max_zoom; ++z) {
        StoredZoom& zoom = zooms[z - options.min_zoom];
        const double scale = scale_at(z);
        const double tolerance = pixel() / scale; // in max_zoom units
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            const SourceShape& s = shapes[i];
            if (s.type == GeomType::unknown || (s.type != GeomType::point && too_small(s.box, scale))) {
                continue;
            }
            core::Box box;
            for (const auto& part : s.parts) {
                if (s.type == GeomType::polygon) {
                    for (std::size_t r = 0; r < part.size(); ++r) {
                        TilePath ring = quantise(detail::simplify_ring(part[r], tolerance), scale, true);
                        if (!usable_ring(ring)) {
                            if (r == 0) {
                                break; // exterior gone: so are its holes
                            }
                            continue;
                        }
                        if (r == 0) {
                            box = box_of(ring, box);
                        }
                        zoom.add_ring(ring);
                    }
                } else if (s.type == GeomType::linestring) {
                    TilePath line = quantise(detail::simplify_path(part[0], tolerance), scale, false);
                    if (line.size() < 2) {
                        continue;
                    }
                    box = box_of(line, box);
                    zoom.add_ring(line);
                } else {
                    TilePath pts;
                    for (const auto& p : part[0]) {
                        pts.push_back({to_int(p.x * scale), to_int(p.y * scale)});
                    }
                    box = box_of(pts, box);
                    zoom.add_ring(pts);
                }
                if (zoom.open_rings() > 0) {
                    zoom.end_part();
                }
            }
            if (zoom.open_parts() > 0) {
                zoom.end_feature(ids[i], static_cast<std::uint32_t>(i), s.type, box);
            }
        }
    }
}

void LayerIndex::Impl::build_coverage(const std::vector<SourceShape>& shapes, const std::vector<std::uint64_t>& ids) {
    std::vector<std::vector<std::vector<core::Path>>> polygons;
    polygons.reserve(shapes.size());
    for (const auto& s : shapes) {
        polygons.push_back(s.parts);
    }
    const detail::CoverageTopology topo = detail::build_coverage(polygons);
    polygons.clear();
    for (std::uint32_t z = options.min_zoom; z <= options.max_zoom; ++z) {
        StoredZoom& zoom = zooms[z - options.min_zoom];
        const double scale = scale_at(z);
        const double tolerance = pixel() / scale;
        // Each edge simplified and rounded once, used by both of its sides.
        std::vector<core::Path> edges;
        edges.reserve(topo.edges.size());
        for (const core::Path& e : topo.edges) {
            core::Path simplified;
            if (e.size() > 2 && e.front() == e.back()) {
                simplified = detail::simplify_ring(core::Path(e.begin(), e.end() - 1), tolerance);
                simplified.push_back(simplified.front());
            } else {
                simplified = detail::simplify_path(e, tolerance);
            }
            for (auto& p : simplified) {
                p = {std::round(p.x * scale), std::round(p.y * scale)};
            }
            edges.push_back(std::move(simplified));
        }
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            const SourceShape& s = shapes[i];
            if (s.type == GeomType::unknown || too_small(s.box, scale)) {
                continue;
            }
            core::Box box;
            for (const auto& part : topo.rings[i]) {
                for (std::size_t r = 0; r < part.size(); ++r) {
                    TilePath ring = quantise(detail::assemble_ring(edges, part[r]), 1.0, true);
                    if (!usable_ring(ring)) {
                        if (r == 0) {
                            break;
                        }
                        continue;
                    }
                    if (r == 0) {
                        box = box_of(ring, box);
                    }
                    zoom.add_ring(ring);
                }
                if (zoom.open_rings() > 0) {
                    zoom.end_part();
                }
            }
            if (zoom.open_parts() > 0) {
                zoom.end_feature(ids[i], static_cast<std::uint32_t>(i), GeomType::polygon, box);
            }
        }
    }
}

void LayerIndex::Impl::build_points(const std::vector<SourceShape>& shapes, const std::vector<std::uint64_t>& ids) {
    struct Pt {
        double x, y; // max_zoom world units
        std::uint32_t feature;
    };
    std::vector<Pt> points;
    for (std::uint32_t i = 0; i < shapes.size(); ++i) {
        if (shapes[i].type != GeomType::point) {
            continue;
        }
        for (const auto& p : shapes[i].parts[0][0]) {
            points.push_back({p.x, p.y, i});
        }
    }
    const auto extent = static_cast<std::int64_t>(options.extent);
    const auto buffer = static_cast<std::int64_t>(options.buffer);
    std::uint64_t next_cluster = 0;
    for (std::uint32_t z = options.max_zoom + 1; z-- > options.min_zoom;) {
        StoredZoom& zoom = zooms[z - options.min_zoom];
        const double scale = scale_at(z);
        struct Item {
            TilePoint at;
            std::size_t bytes;
            std::vector<std::uint32_t> members; // indexes into points
        };
        // Group by cell (cell == 0: every point on its own); cells divide
        // the extent, so a cluster never straddles two tiles.
        auto make_items = [&](std::int64_t cell) {
            std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::uint32_t>> groups;
            for (std::uint32_t k = 0; k < points.size(); ++k) {
                const std::int64_t x = std::llround(points[k].x * scale);
                const std::int64_t y = std::llround(points[k].y * scale);
                if (cell == 0) {
                    groups[{k, 0}].push_back(k);
                } else {
                    groups[{x >= 0 ? x / cell : -1, y >= 0 ? y / cell : -1}].push_back(k);
                }
            }
            std::vector<Item> items;
            items.reserve(groups.size());
            for (auto& [key, members] : groups) {
                double sx = 0;
                double sy = 0;
                for (auto k : members) {
                    sx += points[k].x * scale;
                    sy += points[k].y * scale;
                }
                const auto n = static_cast<double>(members.size());
                Item item{{to_int(sx / n), to_int(sy / n)}, 0, std::move(members)};
                item.bytes =
                    item.members.size() == 1 ? estimated_point_bytes(properties[points[item.members[0]].feature]) : 40;
                items.push_back(std::move(item));
            }
            return items;
        };
        // The largest count and size any tile (with its buffer) would get.
        auto fits = [&](const std::vector<Item>& items) {
            std::unordered_map<std::uint64_t, std::pair<std::size_t, std::size_t>> per_tile;
            for (const Item& item : items) {
                const std::int64_t tx0 = (item.at.x - buffer) / extent;
                const std::int64_t tx1 = (item.at.x + buffer) / extent;
                const std::int64_t ty0 = (item.at.y - buffer) / extent;
                const std::int64_t ty1 = (item.at.y + buffer) / extent;
                for (std::int64_t tx = std::max<std::int64_t>(tx0, 0); tx <= tx1; ++tx) {
                    for (std::int64_t ty = std::max<std::int64_t>(ty0, 0); ty <= ty1; ++ty) {
                        auto& [count, bytes] =
                            per_tile[(static_cast<std::uint64_t>(tx) << 32U) | static_cast<std::uint64_t>(ty)];
                        if (++count > options.max_features_per_tile) {
                            return false;
                        }
                        bytes += item.bytes;
                        if (bytes > options.max_tile_bytes) {
                            return false;
                        }
                    }
                }
            }
            return true;
        };
        std::vector<Item> items = make_items(0);
        for (std::int64_t cell = std::max<std::int64_t>(1, static_cast<std::int64_t>(pixel()));
             !fits(items) && cell <= extent; cell *= 2) {
            items = make_items(cell);
        }
        // Items come out sorted by cell: ids of clusters are deterministic.
        for (const Item& item : items) {
            zoom.add_ring({item.at});
            zoom.end_part();
            const core::Box box{static_cast<double>(item.at.x), static_cast<double>(item.at.y),
                                static_cast<double>(item.at.x), static_cast<double>(item.at.y)};
            if (item.members.size() == 1) {
                const std::uint32_t f = points[item.members[0]].feature;
                zoom.end_feature(ids[f], f, GeomType::point, box);
            } else {
                properties.push_back({{"point_count", Value(static_cast<std::uint64_t>(item.members.size()))}});
                zoom.end_feature(cluster_id_base + next_cluster++, static_cast<std::uint32_t>(properties.size() - 1),
                                 GeomType::point, box);
            }
        }
    }
}

// --- LayerIndex -------------------------------------------------------------

LayerIndex::LayerIndex(LayerOptions options, std::vector<SourceFeature> features) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    m_impl->build(std::move(features));
}

LayerIndex::~LayerIndex() = default;
LayerIndex::LayerIndex(LayerIndex&&) noexcept = default;
LayerIndex& LayerIndex::operator=(LayerIndex&&) noexcept = default;

const LayerOptions& LayerIndex::options() const noexcept {
    return m_impl->options;
}
const core::Box& LayerIndex::bounds() const noexcept {
    return m_impl->bounds;
}
std::size_t LayerIndex::feature_count() const noexcept {
    return m_impl->feature_count;
}

std::size_t LayerIndex::encode(TileBuilder& builder, const TileId& tile, const FeatureHook& hook) const {
    // A layer left without features is not serialized (TileBuilder::serialize).
    return encode(builder.add_layer(m_impl->options.name, m_impl->options.extent), tile, hook);
}

std::size_t LayerIndex::encode(LayerBuilder& layer, const TileId& tile, const FeatureHook& hook) const {
    const LayerOptions& o = m_impl->options;
    if (!tile.valid()) {
        throw InputError("tile " + tile.to_string() + " is outside the pyramid");
    }
    if (layer.extent() != o.extent) {
        throw InputError("layer extent " + std::to_string(layer.extent()) + " differs from the index's " +
                         std::to_string(o.extent));
    }
    if (tile.z < o.min_zoom) {
        return 0;
    }
    const std::uint32_t stored_z = std::min(tile.z, o.max_zoom);
    const StoredZoom& zoom = m_impl->zooms[stored_z - o.min_zoom];
    const std::int64_t s = std::int64_t{1} << (tile.z - stored_z); // over-zoom factor
    const auto extent = static_cast<std::int64_t>(o.extent);
    const auto buffer = static_cast<std::int64_t>(o.buffer);
    const std::int64_t ox = static_cast<std::int64_t>(tile.x) * extent;
    const std::int64_t oy = static_cast<std::int64_t>(tile.y) * extent;
    const auto sd = static_cast<double>(s);
    const core::Box query{static_cast<double>(ox - buffer) / sd, static_cast<double>(oy - buffer) / sd,
                          static_cast<double>(ox + extent + buffer) / sd,
                          static_cast<double>(oy + extent + buffer) / sd};
    std::size_t written = 0;
    TileGeometry g;
    // Layer key/value indexes of this tile, filled as properties are first used.
    thread_local InternMap key_map;
    thread_local InternMap value_map;
    key_map.start(m_impl->keys.size());
    value_map.start(m_impl->values.size());
    const double clip_lo = static_cast<double>(-buffer);
    const double clip_hi = static_cast<double>(extent + buffer);
    thread_local std::vector<detail::BoxIndex::Hit> candidates;
    zoom.index.query(query, candidates);
    std::size_t tag_count = 0;
    for (const auto& hit : candidates) {
        tag_count += m_impl->tags[zoom.props[hit.id]].size() / 2;
    }
    layer.reserve_values(std::min(tag_count, m_impl->values.size()));
    for (const auto& hit : candidates) {
        const std::size_t f = hit.id;
        // Reuse the buffers of the previous feature: no allocation per ring
        // once they have grown.
        g.type = zoom.types[f];
        g.points.clear();
        std::size_t lines = 0;
        std::size_t polygons = 0;
        for (std::uint32_t part = zoom.part_begin[f]; part < zoom.part_begin[f + 1]; ++part) {
            const std::uint32_t ring_count = zoom.ring_begin[part + 1] - zoom.ring_begin[part];
            TilePolygon* polygon = nullptr;
            if (g.type == GeomType::polygon) {
                if (g.polygons.size() <= polygons) {
                    g.polygons.emplace_back();
                }
                polygon = &g.polygons[polygons++];
                polygon->rings.resize(ring_count);
            }
            for (std::uint32_t r = 0; r < ring_count; ++r) {
                const std::uint32_t ring = zoom.ring_begin[part] + r;
                TilePath* path = &g.points;
                if (g.type == GeomType::linestring) {
                    if (g.lines.size() <= lines) {
                        g.lines.emplace_back();
                    }
                    path = &g.lines[lines++];
                    path->clear();
                } else if (polygon != nullptr) {
                    path = &polygon->rings[r];
                    path->clear();
                }
                for (std::uint32_t v = zoom.vertex_begin[ring]; v < zoom.vertex_begin[ring + 1]; ++v) {
                    const TilePoint& p = zoom.vertices[v];
                    path->push_back({static_cast<std::int32_t>(p.x * s - ox), static_cast<std::int32_t>(p.y * s - oy)});
                }
            }
        }
        g.lines.resize(lines);
        g.polygons.resize(polygons);
        // Features wholly inside the tile and its buffer need no clipping.
        const core::Box& b = zoom.index.box_at(hit.position);
        const bool inside =
            b.min_x * sd - static_cast<double>(ox) >= clip_lo && b.max_x * sd - static_cast<double>(ox) < clip_hi &&
            b.min_y * sd - static_cast<double>(oy) >= clip_lo && b.max_y * sd - static_cast<double>(oy) < clip_hi;
        auto feature = layer.feature(zoom.ids[f]);
        const bool drawn = inside ? feature.set_geometry(g)
                                  : feature.set_geometry(clip_geometry(g, static_cast<std::int32_t>(-buffer),
                                                                       static_cast<std::int32_t>(extent + buffer)));
        if (!drawn) {
            continue; // rolled back: nothing of it inside this tile
        }
        const std::vector<std::uint32_t>& t = m_impl->tags[zoom.props[f]];
        for (std::size_t k = 0; k < t.size(); k += 2) {
            const std::uint32_t key = key_map.get(t[k], [&] { return layer.key_index(m_impl->keys[t[k]]); });
            const std::uint32_t value =
                value_map.get(t[k + 1], [&] { return layer.value_index(m_impl->values[t[k + 1]]); });
            feature.tag(key, value);
        }
        if (hook) {
            hook(zoom.ids[f], feature);
        }
        if (feature.commit()) {
            ++written;
        }
    }
    return written;
}

IndexMemory LayerIndex::memory() const {
    IndexMemory m;
    for (const StoredZoom& z : m_impl->zooms) {
        m.stored_vertices += z.vertices.size();
        m.stored_features += z.ids.size();
        m.geometry_bytes +=
            z.vertices.capacity() * sizeof(TilePoint) +
            (z.vertex_begin.capacity() + z.ring_begin.capacity() + z.part_begin.capacity() + z.props.capacity()) *
                sizeof(std::uint32_t) +
            z.ids.capacity() * sizeof(std::uint64_t) + z.types.capacity() * sizeof(GeomType);
        m.index_bytes += z.index.memory_bytes();
    }
    for (const auto& t : m_impl->tags) {
        m.property_bytes += sizeof(t) + t.capacity() * sizeof(std::uint32_t);
    }
    for (const auto& k : m_impl->keys) {
        m.property_bytes += sizeof(k) + k.capacity();
    }
    for (const auto& v : m_impl->values) {
        m.property_bytes += sizeof(Value) + (v.is_string() ? v.as_string().capacity() : 0);
    }
    return m;
}

} // namespace geo::tile
