// Rule 1 of docs/partition.md for the weight-adaptive lattice (no barriers):
// the atoms tile the parent exactly, heavy cells are split down to the rule's
// weight, empty land keeps the coarse roots, neighbours share exact vertices
// and the adjacency graph is their shared boundary, and it is deterministic.
#include "fixtures.hpp"

#include "geo/partition/atoms.hpp"
#include "geo/partition/partition.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <utility>

namespace {

using geo::core::Geometry;
using geo::core::XY;
using namespace geo::partition;

Options options_for(double target, double min = 0, double max = 0) {
    Options o;
    o.target = target;
    o.min = min;
    o.max = max;
    o.seed = 42;
    return o;
}

// A 10 km square at real Gauss–Krüger magnitudes with 20,000 people in one
// Gaussian town (σ 500 m) near its south-west corner and nobody elsewhere.
struct OneTown : ::testing::Test {
    static void SetUpTestSuite() {
        const double x0 = 500123.4;
        const double y0 = 4300456.7;
        parent = new Geometry(Geometry::box({x0, y0, x0 + 10000, y0 + 10000}));
        weights = new Weights;
        std::mt19937_64 rng(11);
        std::normal_distribution<double> n(0.0, 500.0);
        while (weights->points.size() < 20000) {
            const XY p{x0 + 2500 + n(rng), y0 + 2500 + n(rng)};
            if (p.x > x0 && p.y > y0) {
                weights->points.push_back({p, 1.0});
            }
        }
    }
    static void TearDownTestSuite() {
        delete parent;
        delete weights;
    }
    static Geometry* parent;
    static Weights* weights;
};
Geometry* OneTown::parent = nullptr;
Weights* OneTown::weights = nullptr;

struct HepingLattice : ::testing::Test {
    static void SetUpTestSuite() {
        parent = new Parent(fixtures::tianjin_district("120101"));
        weights = new Weights;
        weights->points = fixtures::synthetic_points(parent->geometry, 6000, 7);
    }
    static void TearDownTestSuite() {
        delete parent;
        delete weights;
    }
    static Parent* parent;
    static Weights* weights;
};
Parent* HepingLattice::parent = nullptr;
Weights* HepingLattice::weights = nullptr;

void expect_exact_tiling(const Geometry& parent, const AtomSet& atoms) {
    ASSERT_TRUE(atoms.lattice);
    ASSERT_EQ(atoms.cell_side.size(), atoms.size());
    double sum = 0.0;
    for (std::size_t a = 0; a < atoms.size(); ++a) {
        EXPECT_TRUE(atoms.geometry[a].is_valid()) << a;
        EXPECT_NEAR(atoms.geometry[a].area(), atoms.area[a], 1e-6 * atoms.area[a]) << a;
        sum += atoms.area[a];
    }
    const double area = parent.area();
    EXPECT_LT(std::abs(sum - area) / area, 1e-6) << "atom areas do not add up to the parent";
    const Geometry all = union_atoms(atoms.geometry);
    EXPECT_LT(parent.difference(all).area() / area, 1e-6) << "gap";
    EXPECT_LT(all.difference(parent).area() / area, 1e-6) << "atom outside the parent";
    EXPECT_LT(std::abs(all.area() - sum) / area, 1e-6) << "atoms overlap";
    EXPECT_LT(atoms.coverage_error, 1e-6);
}

TEST_F(OneTown, AtomsTileTheParentAndKeepEveryPerson) {
    const AtomSet atoms = build_atoms(*parent, *weights, {}, options_for(300));
    expect_exact_tiling(*parent, atoms);
    EXPECT_DOUBLE_EQ(atoms.total_weight(), 20000.0);
}

TEST_F(HepingLattice, AtomsOfARealOutlineTileItExactly) {
    const AtomSet atoms = build_atoms(parent->geometry, *weights, {}, options_for(300));
    expect_exact_tiling(parent->geometry, atoms);
    EXPECT_DOUBLE_EQ(atoms.total_weight(), 6000.0);
}

TEST_F(OneTown, HeavyCellsAreSplitDownToTheRuleAndEmptyLandStaysCoarse) {
    const Options o = options_for(300);
    const AtomSet atoms = build_atoms(*parent, *weights, {}, o);
    const LatticeRule rule = lattice_rule(parent->area(), parent->bounds(), 20000.0, o);
    EXPECT_DOUBLE_EQ(rule.split_weight, 20.0); // 2 · 300 / 30: the band [150, 450] is wide
    double finest = rule.root_side;
    double coarse = 0.0; // area in root cells
    for (std::size_t a = 0; a < atoms.size(); ++a) {
        // A cell heavier than the split weight is only left whole at the minimum side.
        if (atoms.weight[a] > rule.split_weight) {
            EXPECT_NEAR(atoms.cell_side[a], rule.min_side, 1e-9 * rule.min_side) << a;
        }
        finest = std::min(finest, atoms.cell_side[a]);
        coarse += atoms.cell_side[a] == rule.root_side ? atoms.area[a] : 0.0;
    }
    EXPECT_LE(finest, rule.root_side / 8) << "the town is not refined";
    EXPECT_GT(coarse, 0.8 * parent->area()) << "empty land is not kept in root cells";
    // About total / (target / atoms_per_grid) atoms, as the uniform lattice had.
    EXPECT_GT(atoms.size(), 1000U);
    EXPECT_LT(atoms.size(), 4000U);
}

TEST_F(OneTown, NarrowBandSplitsCellsToAQuarterOfItsWidth) {
    const Options o = options_for(300, 285, 315);
    const LatticeRule rule = lattice_rule(parent->area(), parent->bounds(), 20000.0, o);
    EXPECT_DOUBLE_EQ(rule.split_weight, 7.5); // (315 − 285) / 4
    const AtomSet atoms = build_atoms(*parent, *weights, {}, o);
    for (std::size_t a = 0; a < atoms.size(); ++a) {
        if (atoms.cell_side[a] > rule.min_side * (1 + 1e-9)) { // the minimum side may stay heavier
            EXPECT_LE(atoms.weight[a], 7.5) << a;
        }
    }
    expect_exact_tiling(*parent, atoms);
}

TEST_F(OneTown, EqualMinAndMaxDoNotSplitEveryCellToTheMinimum) {
    const LatticeRule rule = lattice_rule(parent->area(), parent->bounds(), 20000.0, options_for(300, 300, 300));
    EXPECT_DOUBLE_EQ(rule.split_weight, 5.0); // floor: target / atoms_per_grid / 2
}

TEST_F(OneTown, FixedCellSizeGivesAUniformLattice) {
    Options o = options_for(300);
    o.lattice_cell = 1000;
    const AtomSet atoms = build_atoms(*parent, *weights, {}, o);
    for (double side : atoms.cell_side) {
        EXPECT_DOUBLE_EQ(side, 1000.0);
    }
    expect_exact_tiling(*parent, atoms);
}

// Every pair of atoms whose boundaries share a positive length is an edge of
// the graph with that length, and nothing else is. The shared boundary's ends
// are vertices of both atoms (T-junctions of a big and a small cell included),
// which GEOS's coverage union needs. Not checked where the shared boundary
// ends on the parent's boundary: there both atoms are clipped pieces, and two
// rectangle clips may compute the same crossing a few ulps apart (as with the
// uniform lattice; union_atoms verifies the fast union and falls back).
void expect_graph_is_shared_boundary(const AtomSet& atoms, const Geometry& parent) {
    const Geometry outline = parent.boundary();
    std::set<std::pair<std::size_t, std::size_t>> edges;
    for (std::size_t a = 0; a < atoms.size(); ++a) {
        for (std::size_t e = atoms.offsets[a]; e < atoms.offsets[a + 1]; ++e) {
            edges.insert({a, atoms.adjacency[e]});
        }
    }
    std::size_t checked = 0;
    for (std::size_t a = 0; a < atoms.size(); ++a) {
        const auto box = atoms.geometry[a].bounds();
        for (std::size_t b = 0; b < atoms.size(); ++b) {
            if (b == a || !box.intersects(atoms.geometry[b].bounds())) {
                continue;
            }
            const Geometry shared = atoms.geometry[a].boundary().intersection(atoms.geometry[b].boundary());
            const double length = shared.is_empty() ? 0.0 : shared.length();
            const bool edge = edges.count({a, b}) > 0;
            if (length > 1e-6) {
                ASSERT_TRUE(edge) << a << " and " << b << " share " << length << " m but are not linked";
                double stored = 0.0;
                for (std::size_t e = atoms.offsets[a]; e < atoms.offsets[a + 1]; ++e) {
                    stored += atoms.adjacency[e] == b ? atoms.shared_length[e] : 0.0;
                }
                EXPECT_NEAR(stored, length, 1e-6 * length) << a << "–" << b;
                for (const auto& path : shared.paths()) {
                    for (const XY& end : {path.front(), path.back()}) {
                        if (outline.distance(Geometry::point(end)) < 1e-6) {
                            continue;
                        }
                        for (std::size_t atom : {a, b}) {
                            bool vertex = false;
                            for (const auto& poly : atoms.geometry[atom].polygons()) {
                                for (const auto& ring : poly.rings) {
                                    vertex = vertex || std::find(ring.begin(), ring.end(), end) != ring.end();
                                }
                            }
                            EXPECT_TRUE(vertex)
                                << "shared boundary of " << a << " and " << b << " ends off a vertex of " << atom;
                        }
                    }
                }
                ++checked;
            } else {
                EXPECT_FALSE(edge) << a << " and " << b << " are linked but share no boundary";
            }
        }
    }
    EXPECT_GT(checked, atoms.size()); // every atom has neighbours
}

TEST_F(HepingLattice, AdjacencyIsTheSharedBoundaryAndNeighboursShareVertices) {
    const AtomSet atoms = build_atoms(parent->geometry, *weights, {}, options_for(300));
    ASSERT_LT(atoms.size(), 3000U); // pairwise check below
    std::set<double> sides(atoms.cell_side.begin(), atoms.cell_side.end());
    EXPECT_GT(sides.size(), 1U) << "no cells of different sizes: the test would not see T-junctions";
    expect_graph_is_shared_boundary(atoms, parent->geometry);
}

TEST_F(HepingLattice, SameInputsGiveTheSameAtoms) {
    const AtomSet one = build_atoms(parent->geometry, *weights, {}, options_for(300, 270, 330));
    const AtomSet two = build_atoms(parent->geometry, *weights, {}, options_for(300, 270, 330));
    ASSERT_EQ(one.size(), two.size());
    EXPECT_EQ(one.weight, two.weight);
    EXPECT_EQ(one.area, two.area);
    EXPECT_EQ(one.offsets, two.offsets);
    EXPECT_EQ(one.adjacency, two.adjacency);
    EXPECT_EQ(one.shared_length, two.shared_length);
    for (std::size_t a = 0; a < one.size(); ++a) {
        EXPECT_EQ(one.geometry[a].to_wkt(), two.geometry[a].to_wkt()) << a;
    }
}

} // namespace
