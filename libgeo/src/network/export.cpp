#include "geo/network/export.hpp"

#include "geo/core/error.hpp"

#include <cstdio>
#include <memory>

namespace geo::network {

namespace {

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

File open_for_writing(const std::string& path) {
    File file{std::fopen(path.c_str(), "w"), &std::fclose};
    if (!file) {
        throw IoError("cannot create file", {path, {}, {}}, "check that the directory exists and is writable");
    }
    return file;
}

void finish(File& file, const std::string& path) {
    if (std::ferror(file.get()) != 0 || std::fclose(file.release()) != 0) {
        throw IoError("writing failed", {path, {}, {}});
    }
}

} // namespace

void write_nodes_csv(const Graph& graph, const std::string& path) {
    File file = open_for_writing(path);
    std::fprintf(file.get(), "node,x,y,external_id,component\n");
    for (NodeId n = 0; n < graph.node_count(); ++n) {
        const auto p = graph.node_position(n);
        std::fprintf(file.get(), "%u,%.17g,%.17g,%lld,%u\n", n, p.x, p.y,
                     static_cast<long long>(graph.node_external_id(n)), graph.component(n));
    }
    finish(file, path);
}

void write_edges_csv(const Graph& graph, const std::string& path) {
    File file = open_for_writing(path);
    std::fprintf(file.get(), "edge,from,to,length_m,external_id\n");
    for (EdgeId e = 0; e < graph.edge_count(); ++e) {
        std::fprintf(file.get(), "%u,%u,%u,%.17g,%lld\n", e, graph.edge_from(e), graph.edge_to(e), graph.edge_length(e),
                     static_cast<long long>(graph.edge_external_id(e)));
    }
    finish(file, path);
}

void write_sources_csv(const Reach& reach, const std::string& path) {
    File file = open_for_writing(path);
    std::fprintf(file.get(), "source,edge,offset_m\n");
    for (const Source& s : reach.sources()) {
        std::fprintf(file.get(), "%u,%u,%.17g\n", s.id, s.at.edge, s.at.offset);
    }
    finish(file, path);
}

void write_distances_csv(const Reach& reach, const std::string& path) {
    File file = open_for_writing(path);
    std::fprintf(file.get(), "node,distance_m,source\n");
    const auto distances = reach.node_distances();
    for (NodeId n = 0; n < distances.size(); ++n) {
        if (distances[n] != unreachable) {
            std::fprintf(file.get(), "%u,%.17g,%u\n", n, distances[n], reach.node_source(n));
        }
    }
    finish(file, path);
}

} // namespace geo::network
