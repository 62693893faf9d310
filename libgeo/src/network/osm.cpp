#include "geo/network/osm.hpp"

#include "geo/core/error.hpp"
#include "geo/network/walkable.hpp"

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/visitor.hpp>

#include <cstdint>
#include <exception>
#include <string>
#include <unordered_map>
#include <vector>

namespace geo::network {

namespace {

using LocationIndex = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;

struct WayNode {
    std::int64_t id;
    core::XY lon_lat;
};

struct WalkableWay {
    std::int64_t id;
    std::vector<WayNode> nodes;
};

class WalkableWayCollector : public osmium::handler::Handler {
  public:
    std::vector<WalkableWay> ways;
    OsmNetworkStats stats;

    void way(const osmium::Way& way) {
        const auto& tags = way.tags();
        if (tags.get_value_by_key("highway") == nullptr) {
            return;
        }
        ++stats.ways_read;
        if (!is_walkable_way(
                [&tags](std::string_view key) { return tags.get_value_by_key(std::string(key).c_str()); })) {
            return;
        }
        ++stats.ways_walkable;
        // A way whose nodes are partly outside the extract is cut into the
        // runs that have locations.
        WalkableWay run{way.id(), {}};
        for (const auto& ref : way.nodes()) {
            if (!ref.location().valid()) {
                ++stats.missing_nodes;
                flush_run(run);
                continue;
            }
            run.nodes.push_back({ref.ref(), {ref.location().lon(), ref.location().lat()}});
        }
        flush_run(run);
    }

  private:
    void flush_run(WalkableWay& run) {
        if (run.nodes.size() >= 2) {
            ways.push_back(run);
        }
        run.nodes.clear();
    }
};

} // namespace

bool is_osm_file(const std::string& path) {
    for (const char* suffix : {".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz", ".osh.pbf"}) {
        const std::string s = suffix;
        if (path.size() > s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0) {
            return true;
        }
    }
    return false;
}

OsmNetwork read_osm_walking_network(const std::string& path, const Projector& project) {
    return read_osm_walking_network(path, [&project](const core::Box&) { return project; });
}

OsmNetwork read_osm_walking_network(const std::string& path, const std::function<Projector(const core::Box&)>& choose) {
    WalkableWayCollector collector;
    try {
        osmium::io::Reader reader{path, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way};
        LocationIndex index;
        osmium::handler::NodeLocationsForWays<LocationIndex> locations{index};
        locations.ignore_errors(); // missing nodes are counted by the collector
        osmium::apply(reader, locations, collector);
        reader.close();
    } catch (const std::exception& e) {
        throw IoError(std::string("cannot read OpenStreetMap data: ") + e.what(), {path, {}, {}},
                      "give an .osm.pbf, .osm or .osm.bz2 file");
    }
    if (collector.ways.empty()) {
        throw InputError("no walkable highway in the OpenStreetMap file", {path, {}, {}},
                         "check that the extract contains highway=* ways");
    }

    core::Box bounds;
    for (const auto& way : collector.ways) {
        for (const auto& node : way.nodes) {
            bounds.expand(node.lon_lat);
        }
    }
    const Projector project = choose(bounds);

    // A node becomes a graph node where ways meet (used more than once) or a way ends.
    std::unordered_map<std::int64_t, std::uint32_t> uses;
    for (const auto& way : collector.ways) {
        for (const auto& node : way.nodes) {
            ++uses[node.id];
        }
        uses[way.nodes.front().id] += 2;
        uses[way.nodes.back().id] += 2;
    }
    GraphBuilder builder;
    std::unordered_map<std::int64_t, NodeId> graph_node;
    auto node_for = [&](const WayNode& n) {
        const auto [it, inserted] = graph_node.try_emplace(n.id, no_node);
        if (inserted) {
            it->second = builder.add_node(project(n.lon_lat), n.id);
        }
        return it->second;
    };
    for (const auto& way : collector.ways) {
        NodeId start = node_for(way.nodes.front());
        core::Path shape{project(way.nodes.front().lon_lat)};
        for (std::size_t i = 1; i < way.nodes.size(); ++i) {
            const WayNode& n = way.nodes[i];
            shape.push_back(project(n.lon_lat));
            if (uses[n.id] > 1) {
                const NodeId end = node_for(n);
                builder.add_edge(start, end, std::move(shape), way.id);
                start = end;
                shape = core::Path{project(n.lon_lat)};
            }
        }
    }
    return {builder.build(), collector.stats};
}

} // namespace geo::network
