// The partition rules of docs/partition.md as assertions on real boundaries:
// Tianjin's 和平区 (echarts outline) and Monaco's quarters and roads (OSM).
#include "fixtures.hpp"

#include "geo/core/error.hpp"
#include "geo/partition/atoms.hpp"
#include "geo/partition/parents.hpp"
#include "geo/partition/partition.hpp"
#include "geo/partition/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

namespace {

using geo::core::Geometry;
using namespace geo::partition;

Options options_for(double target) {
    Options o;
    o.target = target;
    o.seed = 42;
    return o;
}

// Rule 1: no gaps, no overlaps, union equals the parent, single valid polygons.
void expect_valid_coverage(const Parent& parent, const ParentResult& result) {
    ASSERT_FALSE(result.grids.empty());
    std::vector<Geometry> shapes;
    double sum = 0.0;
    for (const Grid& g : result.grids) {
        EXPECT_TRUE(g.geometry.is_valid()) << g.code << ": " << g.geometry.invalid_reason();
        EXPECT_EQ(g.geometry.type(), geo::core::GeometryType::polygon) << g.code;
        sum += g.geometry.area();
        shapes.push_back(g.geometry);
    }
    const Geometry all = Geometry::union_all(shapes);
    const double parent_area = parent.geometry.area();
    EXPECT_LT(std::abs(sum - all.area()) / parent_area, 1e-6) << "grids overlap";
    EXPECT_LT(parent.geometry.difference(all).area() / parent_area, 1e-6) << "gap inside the parent";
    EXPECT_LT(all.difference(parent.geometry).area() / parent_area, 1e-6) << "grid outside the parent";
    EXPECT_LT(result.coverage_error, 1e-6);
}

void expect_in_band(const ParentResult& result, const Options& o) {
    for (const Grid& g : result.grids) {
        EXPECT_GE(g.weight, o.band_min()) << g.code;
        EXPECT_LE(g.weight, o.band_max()) << g.code;
    }
}

struct Heping : ::testing::Test {
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
Parent* Heping::parent = nullptr;
Weights* Heping::weights = nullptr;

TEST_F(Heping, GridsCoverParentWithoutGapsOrOverlaps) {
    const Options o = options_for(300);
    const ParentResult r = partition_parent(*parent, *weights, {}, o);
    EXPECT_EQ(r.grids.size(), 20U); // round(6000 / 300)
    expect_valid_coverage(*parent, r);
}

TEST_F(Heping, EveryGridWeightIsInsideTheBand) {
    const Options o = options_for(300);
    const ParentResult r = partition_parent(*parent, *weights, {}, o);
    expect_in_band(r, o);
    double total = 0;
    for (const Grid& g : r.grids) {
        total += g.weight;
    }
    EXPECT_DOUBLE_EQ(total, 6000.0);
}

TEST_F(Heping, NarrowBandIsStillMet) {
    Options o = options_for(250);
    o.min = 225;
    o.max = 275;
    const ParentResult r = partition_parent(*parent, *weights, {}, o);
    expect_in_band(r, o);
    expect_valid_coverage(*parent, r);
}

TEST_F(Heping, CodesAreParentCodePlusPaddedSeqAndUnique) {
    Options o = options_for(300);
    o.seq_width = 4;
    const ParentResult r = partition_parent(*parent, *weights, {}, o);
    std::set<std::string> codes;
    for (std::size_t i = 0; i < r.grids.size(); ++i) {
        const Grid& g = r.grids[i];
        EXPECT_EQ(g.seq, static_cast<int>(i + 1));
        EXPECT_EQ(g.code, grid_code("120101", g.seq, 4));
        EXPECT_TRUE(std::regex_match(g.code, std::regex("120101[0-9]{4}")));
        EXPECT_EQ(g.parent_code, "120101");
        codes.insert(g.code);
    }
    EXPECT_EQ(codes.size(), r.grids.size());
}

TEST_F(Heping, SequenceRunsWestToEastThenNorthToSouthByRows) {
    const ParentResult r = partition_parent(*parent, *weights, {}, options_for(300));
    std::vector<double> heights;
    for (const Grid& g : r.grids) {
        heights.push_back(g.geometry.bounds().height());
    }
    std::sort(heights.begin(), heights.end());
    const double h = heights[heights.size() / 2];
    const double north = parent->geometry.bounds().max_y;
    long long last_row = -1;
    double last_x = -1e300;
    for (const Grid& g : r.grids) { // in seq order
        const auto c = g.geometry.centroid();
        const auto row = static_cast<long long>(std::floor((north - c.y) / h));
        ASSERT_GE(row, last_row) << g.code << " is north of the previous row";
        if (row == last_row) {
            EXPECT_GT(c.x, last_x) << g.code << " is west of its predecessor in the same row";
        }
        last_row = row;
        last_x = c.x;
    }
}

TEST_F(Heping, SameSeedGivesTheSameGridsAndThreadsDoNotMatter) {
    const Options o = options_for(300);
    const Parent other = fixtures::tianjin_district("120103");
    Weights both = *weights;
    for (const auto& p : fixtures::synthetic_points(other.geometry, 4000, 11)) {
        both.points.push_back(p);
    }
    const auto one = partition_all({*parent, other}, both, {}, o, {}, 1);
    const auto two = partition_all({*parent, other}, both, {}, o, {}, 2);
    ASSERT_EQ(one.size(), 2U);
    for (std::size_t p = 0; p < 2; ++p) {
        ASSERT_EQ(one[p].grids.size(), two[p].grids.size());
        for (std::size_t i = 0; i < one[p].grids.size(); ++i) {
            EXPECT_EQ(one[p].grids[i].code, two[p].grids[i].code);
            EXPECT_TRUE(one[p].grids[i].geometry.equals(two[p].grids[i].geometry));
            EXPECT_EQ(one[p].grids[i].weight, two[p].grids[i].weight);
        }
    }
}

TEST_F(Heping, StableRepartitionKeepsGridsStillInBand) {
    const Options o = options_for(300);
    const ParentResult first = partition_parent(*parent, *weights, {}, o);
    std::vector<PreviousGrid> previous;
    for (const Grid& g : first.grids) {
        previous.push_back({g.code, g.parent_code, g.seq, g.geometry});
    }
    // New residents pile into grid 5: it leaves the band, the others stay.
    const Grid& crowded = first.grids[4];
    Weights changed = *weights;
    for (const auto& p : fixtures::synthetic_points(crowded.geometry, 400, 99)) {
        changed.points.push_back(p);
    }
    const ParentResult second = partition_parent(*parent, changed, {}, o, previous);
    EXPECT_EQ(second.kept_codes.size(), first.grids.size() - 1);
    EXPECT_EQ(second.changed_codes, std::vector<std::string>{crowded.code});
    EXPECT_GE(second.new_codes.size(), 2U);
    const int last_old = first.grids.back().seq;
    for (const Grid& g : second.grids) {
        if (g.kept) {
            const auto old =
                std::find_if(first.grids.begin(), first.grids.end(), [&](const Grid& f) { return f.code == g.code; });
            ASSERT_NE(old, first.grids.end());
            EXPECT_TRUE(old->geometry.equals(g.geometry));
        } else {
            EXPECT_GT(g.seq, last_old) << "new grids are numbered after the largest existing seq";
        }
    }
    expect_valid_coverage(*parent, second);
    expect_in_band(second, o);
    const std::string report = markdown_report({second}, o, {}, 0.1);
    EXPECT_NE(report.find("Stable re-partition"), std::string::npos);
    EXPECT_NE(report.find(crowded.code), std::string::npos);
}

TEST_F(Heping, HeavyAtomIsReportedNotHidden) {
    Options o = options_for(300);
    Weights heavy = *weights;
    heavy.points.push_back({parent->geometry.point_on_surface(), 1000.0}); // one point > max (450)
    const ParentResult r = partition_parent(*parent, heavy, {}, o);
    ASSERT_EQ(r.heavy_atoms.size(), 1U);
    EXPECT_DOUBLE_EQ(r.heavy_atoms.front().weight >= 1000.0, true);
    expect_valid_coverage(*parent, r);
    const std::string report = markdown_report({r}, o, {}, 0.1);
    EXPECT_NE(report.find("cannot be split"), std::string::npos);
}

TEST_F(Heping, TotalBelowMinGivesOneGridAndSaysSo) {
    const Options o = options_for(10000); // band [5000, 15000], total 6000 → k = 1 in band
    const ParentResult one = partition_parent(*parent, *weights, {}, o);
    EXPECT_EQ(one.grids.size(), 1U);
    const Options too_big = options_for(20000); // band [10000, 30000]: total 6000 < min
    const ParentResult r = partition_parent(*parent, *weights, {}, too_big);
    ASSERT_EQ(r.grids.size(), 1U);
    EXPECT_TRUE(r.grids.front().geometry.equals(parent->geometry.normalized()) ||
                std::abs(r.grids.front().area_m2 - parent->geometry.area()) < 1e-6 * parent->geometry.area());
    EXPECT_FALSE(r.notes.empty());
    EXPECT_NE(markdown_report({r}, too_big, {}, 0.1).find("below min"), std::string::npos);
}

TEST_F(Heping, PolygonWeightsAreSharedByArea) {
    Weights w;
    w.polygons.push_back({parent->geometry, 3000.0});
    const Options o = options_for(300);
    const ParentResult r = partition_parent(*parent, w, {}, o);
    EXPECT_EQ(r.grids.size(), 10U);
    double total = 0;
    for (const Grid& g : r.grids) {
        total += g.weight;
        EXPECT_NEAR(g.weight, 3000.0 * g.area_m2 / parent->geometry.area(), 1e-6 * 3000);
    }
    EXPECT_NEAR(total, 3000.0, 1e-6);
    expect_in_band(r, o);
}

// --- Monaco: real quarters cut along real roads ------------------------------

struct Monaco : ::testing::Test {
    static void SetUpTestSuite() {
        quarters = new std::vector<Parent>(fixtures::monaco_quarters());
        roads = new std::vector<Geometry>(fixtures::monaco_roads());
    }
    static void TearDownTestSuite() {
        delete quarters;
        delete roads;
    }
    static const Parent& quarter(const std::string& name) {
        return *std::find_if(quarters->begin(), quarters->end(), [&](const Parent& p) { return p.name == name; });
    }
    static std::vector<Parent>* quarters;
    static std::vector<Geometry>* roads;
};
std::vector<Parent>* Monaco::quarters = nullptr;
std::vector<Geometry>* Monaco::roads = nullptr;

TEST_F(Monaco, AtomsAreTheFacesRoadsCutTheParentInto) {
    const Parent& p = quarter("Monte-Carlo");
    Weights w;
    w.points = fixtures::synthetic_points(p.geometry, 1500, 3);
    const AtomSet atoms = build_atoms(p.geometry, w, *roads, options_for(150));
    EXPECT_FALSE(atoms.lattice);
    EXPECT_GT(atoms.size(), 10U);
    EXPECT_LT(atoms.coverage_error, 1e-6);
    // Every road piece inside the quarter lies on atom boundaries.
    std::vector<Geometry> faces = atoms.geometry;
    const Geometry edges = Geometry::union_all(faces).boundary();
    std::vector<Geometry> boundaries;
    for (const Geometry& f : faces) {
        boundaries.push_back(f.boundary());
    }
    const Geometry all_edges = Geometry::union_all(boundaries);
    std::vector<Geometry> near;
    for (const Geometry& r : *roads) {
        near.push_back(r);
    }
    const Geometry inside = Geometry::collect(near).intersection(p.geometry.buffer(-1.0));
    const double off_edges = inside.difference(all_edges.buffer(0.01)).length();
    // Dangling road ends (cul-de-sacs) cut no face; everything else is an edge.
    EXPECT_LT(off_edges / inside.length(), 0.35);
    EXPECT_GT(edges.length(), 0.0);
    double barrier_shared = 0;
    for (double b : atoms.barrier_length) {
        barrier_shared += b;
    }
    EXPECT_GT(barrier_shared, 0.0);
}

TEST_F(Monaco, QuartersSplitAlongRoadsFormValidBalancedCoverage) {
    const Options o = options_for(150);
    std::vector<Parent> parents{quarter("Monte-Carlo"), quarter("La Condamine"), quarter("Fontvieille")};
    Weights w;
    std::uint64_t seed = 5;
    for (const Parent& p : parents) {
        for (const auto& pt : fixtures::synthetic_points(p.geometry, 1200, seed++)) {
            w.points.push_back(pt);
        }
    }
    const auto results = partition_all(parents, w, *roads, o, {}, 2);
    for (std::size_t i = 0; i < parents.size(); ++i) {
        const ParentResult& r = results[i];
        EXPECT_EQ(r.grids.size(), 8U) << parents[i].name;
        expect_valid_coverage(parents[i], r);
        for (const Grid& g : r.grids) {
            if (r.heavy_atoms.empty()) {
                EXPECT_GE(g.weight, o.band_min()) << parents[i].name << " " << g.code;
                EXPECT_LE(g.weight, o.band_max()) << parents[i].name << " " << g.code;
            }
            EXPECT_GE(g.boundary_on_barriers, 0.0);
            EXPECT_LE(g.boundary_on_barriers, 1.0);
        }
        // Cuts prefer roads: well over half of the cut length follows them.
        EXPECT_GT(r.cut_on_barriers / r.cut_length, 0.5) << parents[i].name;
    }
}

TEST_F(Monaco, MultiPartQuarterGetsGridsPerPartAndStaysValid) {
    // Every OSM quarter is a MultiPolygon; the split must not bridge parts.
    const Parent& p = quarter("Fontvieille");
    Weights w;
    w.points = fixtures::synthetic_points(p.geometry, 900, 8);
    const ParentResult r = partition_parent(p, w, *roads, options_for(150));
    expect_valid_coverage(p, r);
}

// --- messy parents ------------------------------------------------------------

TEST(Parents, MessyParentsAreRepairedOrSkippedAndReported) {
    std::vector<ParentFeature> raw;
    raw.push_back({1, std::string("A"), "a", Geometry::box({0, 0, 100, 100})});
    raw.push_back({2, std::nullopt, "no code", Geometry::box({200, 0, 300, 100})});
    raw.push_back({3, std::string("  "), "blank", Geometry::box({400, 0, 500, 100})});
    // A bow-tie (self-intersecting) polygon: invalid, repaired by make_valid.
    raw.push_back(
        {4, std::string("B"), "bowtie", Geometry::polygon({{{600, 0}, {700, 100}, {700, 0}, {600, 100}, {600, 0}}})});
    // Overlaps A by a 20 × 100 strip: cut from this later feature.
    raw.push_back({5, std::string("C"), "overlap", Geometry::box({80, 0, 180, 100})});
    // Same code as A, a separate part: merged.
    raw.push_back({6, std::string("A"), "a, second part", Geometry::box({0, 300, 50, 350})});
    const PreparedParents prepared = prepare_parents(raw);
    ASSERT_EQ(prepared.parents.size(), 3U);
    EXPECT_EQ(prepared.parents[0].code, "A");
    EXPECT_EQ(prepared.parents[0].geometry.num_geometries(), 2U);
    EXPECT_EQ(prepared.fids[0], (std::vector<std::int64_t>{1, 6}));
    EXPECT_TRUE(prepared.parents[1].geometry.is_valid());
    EXPECT_NEAR(prepared.parents[2].geometry.area(), 8000.0, 1e-6);
    auto has = [&](std::int64_t fid, const std::string& problem, bool skipped) {
        return std::any_of(prepared.issues.begin(), prepared.issues.end(), [&](const ParentIssue& i) {
            return i.fid == fid && i.problem.find(problem) != std::string::npos && i.skipped == skipped;
        });
    };
    EXPECT_TRUE(has(2, "missing code", true));
    EXPECT_TRUE(has(3, "missing code", true));
    EXPECT_TRUE(has(4, "invalid geometry", false));
    EXPECT_TRUE(has(5, "overlaps parent A", false));
    EXPECT_TRUE(has(6, "duplicate code", false));
    EXPECT_TRUE(has(1, "multi-part", false));
    const std::string report = markdown_report({}, options_for(100), prepared.issues, 0.0);
    EXPECT_NE(report.find("| 5 | C | overlaps parent A"), std::string::npos);
}

TEST(Parents, StrictModeStopsWithTheListOfUnusableParents) {
    std::vector<ParentFeature> raw;
    raw.push_back({1, std::string("A"), "a", Geometry::box({0, 0, 100, 100})});
    raw.push_back({7, std::nullopt, "no code", Geometry::box({200, 0, 300, 100})});
    try {
        (void)prepare_parents(raw, true);
        FAIL() << "strict mode accepted a parent without code";
    } catch (const geo::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("feature 7"), std::string::npos);
    }
}

// --- small rules ----------------------------------------------------------------

TEST(Codes, SequenceIsZeroPaddedToTheWidth) {
    EXPECT_EQ(grid_code("120116001001", 7, 3), "120116001001007");
    EXPECT_EQ(grid_code("120116001001", 123, 3), "120116001001123");
    EXPECT_EQ(grid_code("X", 5, 5), "X00005");
}

TEST(Codes, RowRuleOrdersARegularLayoutLikeText) {
    // 3 × 2 boxes given in scrambled order; rows from the north, west→east.
    std::vector<Geometry> grids;
    const std::vector<std::pair<int, int>> cells{{2, 0}, {0, 1}, {1, 0}, {2, 1}, {0, 0}, {1, 1}};
    for (auto [col, row] : cells) {
        const double x = col * 10.0;
        const double y = 20.0 - row * 10.0;
        grids.push_back(Geometry::box({x, y - 10, x + 10, y}));
    }
    const auto order = row_order(grids, 20.0);
    const std::vector<std::size_t> expected{4, 2, 0, 1, 5, 3};
    EXPECT_EQ(order, expected);
}

TEST(Compactness, PolsbyPopperOfASquareIsPiOverFour) {
    EXPECT_NEAR(polsby_popper(1.0, 4.0), std::numbers::pi / 4, 1e-12);
    EXPECT_EQ(polsby_popper(1.0, 0.0), 0.0);
}

} // namespace
