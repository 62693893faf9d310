#pragma once
// Plain-text export of a Graph and of Dijkstra results, for independent
// checks (the networkx oracle test) and for users who want the graph in
// another tool. Numbers are written with 17 significant digits so that a
// reader gets back exactly the doubles we used.
//
//   nodes.csv      node,x,y,external_id,component
//   edges.csv      edge,from,to,length_m,external_id
//   sources.csv    source,edge,offset_m      (one row per source of a run)
//   distances.csv  node,distance_m,source    (reached nodes only)

#include "geo/network/dijkstra.hpp"
#include "geo/network/graph.hpp"

#include <string>

namespace geo::network {

void write_nodes_csv(const Graph& graph, const std::string& path);
void write_edges_csv(const Graph& graph, const std::string& path);
void write_sources_csv(const Reach& reach, const std::string& path);
void write_distances_csv(const Reach& reach, const std::string& path);

} // namespace geo::network
