// Hand-made cases with known answers for the shelter model, the flow
// solvers, reachability on a tiny street line, allocation and siting.

#include "geo/core/error.hpp"
#include "geo/network/graph.hpp"
#include "geo/network/snap.hpp"
#include "geo/shelter/allocation.hpp"
#include "geo/shelter/flow.hpp"
#include "geo/shelter/model.hpp"
#include "geo/shelter/reach.hpp"
#include "geo/shelter/siting.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace geo::shelter;

namespace {

double served_at(const Allocation& a, std::uint32_t site) {
    return a.site_load.at(site);
}

} // namespace

TEST(ShelterModel, ParsesEnglishChineseAndNumericClassNames) {
    EXPECT_EQ(parse_shelter_class("Emergency"), ShelterClass::emergency);
    EXPECT_EQ(parse_shelter_class("紧急避难场所"), ShelterClass::emergency);
    EXPECT_EQ(parse_shelter_class("固定"), ShelterClass::fixed);
    EXPECT_EQ(parse_shelter_class("3"), ShelterClass::central);
    EXPECT_THROW((void)parse_shelter_class("stadium"), geo::InputError);
}

TEST(ShelterModel, CapacityIsEffectiveAreaOverPerCapitaAreaRoundedDown) {
    const ClassTable table;
    EXPECT_DOUBLE_EQ(capacity_from_area(1000.0, ShelterClass::emergency, table), 666.0); // 1000 / 1.5
    EXPECT_DOUBLE_EQ(capacity_from_area(1000.0, ShelterClass::fixed, table), 500.0);
    EXPECT_DOUBLE_EQ(capacity_from_area(-5.0, ShelterClass::fixed, table), 0.0);
}

TEST(ShelterModel, TableRejectsNonPositiveRules) {
    ClassTable table;
    EXPECT_THROW(table.set(ShelterClass::fixed, {0.0, 2.0}), geo::InputError);
    table.set(ShelterClass::central, {4000.0, 3.0});
    EXPECT_DOUBLE_EQ(table.max_walk_m(), 4000.0);
}

TEST(ShelterFlow, MinCostFlowPrefersCheapPathsButMaximisesFlowFirst) {
    // s→a (2), s→b (1); a→t cheap cap 1, a→u→t; b→t expensive.
    FlowNetwork net(4); // 0 s, 1 a, 2 b, 3 t
    net.add_arc(0, 1, 2.0);
    net.add_arc(0, 2, 1.0);
    const auto at = net.add_arc(1, 3, 1.0, 1.0);
    const auto ab = net.add_arc(1, 2, 5.0, 1.0);
    const auto bt = net.add_arc(2, 3, 2.0, 10.0);
    const auto r = net.min_cost_flow(0, 3);
    EXPECT_NEAR(r.flow, 3.0, 1e-12);
    // a sends 1 direct (1), 1 via b (1 + 10); b sends 1 (10): 22.
    EXPECT_NEAR(r.cost, 22.0, 1e-12);
    EXPECT_NEAR(net.flow(at), 1.0, 1e-12);
    EXPECT_NEAR(net.flow(ab), 1.0, 1e-12);
    EXPECT_NEAR(net.flow(bt), 2.0, 1e-12);
}

TEST(ShelterFlow, MaxFlowContinuesFromCurrentFlowAfterCapacityIncrease) {
    FlowNetwork net(3);
    net.add_arc(0, 1, 10.0);
    const auto a = net.add_arc(1, 2, 4.0);
    EXPECT_NEAR(net.max_flow(0, 2), 4.0, 1e-12);
    net.set_capacity(a, 7.5);
    EXPECT_NEAR(net.max_flow(0, 2), 3.5, 1e-12);
    EXPECT_THROW(net.add_arc(0, 9, 1.0), geo::InputError);
    EXPECT_THROW(net.add_arc(0, 1, -1.0), geo::InputError);
}

TEST(ShelterAllocation, CapacityBindsAndTheRestGoesToTheNextShelter) {
    // One unit of 100 people; shelter 0 at 100 m holds 60, shelter 1 at 300 m holds 100.
    const std::vector<double> pop{100.0};
    const std::vector<double> cap{60.0, 100.0};
    const std::vector<Link> links{{0, 0, 100.0}, {0, 1, 300.0}};
    const auto a = allocate_optimal(pop, cap, links);
    EXPECT_NEAR(a.served, 100.0, 1e-9);
    EXPECT_NEAR(served_at(a, 0), 60.0, 1e-9);
    EXPECT_NEAR(served_at(a, 1), 40.0, 1e-9);
    EXPECT_NEAR(a.person_metres, 60.0 * 100.0 + 40.0 * 300.0, 1e-6);
    ASSERT_EQ(a.assignments.size(), 2U); // split demand
}

TEST(ShelterAllocation, ServesTheMostPeopleBeforeMinimisingWalking) {
    // Unit 0 (50) can reach both shelters; unit 1 (50) only shelter 0 (cap 50).
    // Minimum walking alone would put unit 0 into shelter 0 and strand unit 1.
    const std::vector<double> pop{50.0, 50.0};
    const std::vector<double> cap{50.0, 50.0};
    const std::vector<Link> links{{0, 0, 10.0}, {0, 1, 400.0}, {1, 0, 450.0}};
    const auto a = allocate_optimal(pop, cap, links);
    EXPECT_NEAR(a.served, 100.0, 1e-9);
    EXPECT_NEAR(a.person_metres, 50.0 * 400.0 + 50.0 * 450.0, 1e-6);
}

TEST(ShelterAllocation, UnreachableDemandStaysUnserved) {
    const std::vector<double> pop{30.0, 70.0};
    const std::vector<double> cap{1000.0};
    const std::vector<Link> links{{1, 0, 200.0}};
    const auto a = allocate_optimal(pop, cap, links);
    EXPECT_NEAR(a.demand, 100.0, 1e-12);
    EXPECT_NEAR(a.reachable, 70.0, 1e-12);
    EXPECT_NEAR(a.served, 70.0, 1e-9);
    EXPECT_NEAR(a.unit_served[0], 0.0, 1e-12);
}

TEST(ShelterAllocation, NearestRuleOverloadsWhereTheOptimumDoesNot) {
    // Both units' nearest shelter is 0 (cap 80); shelter 1 has room.
    const std::vector<double> pop{60.0, 60.0};
    const std::vector<double> cap{80.0, 100.0};
    const std::vector<Link> links{{0, 0, 100.0}, {0, 1, 150.0}, {1, 0, 120.0}, {1, 1, 400.0}};
    const auto nearest = allocate_nearest(pop, cap, links);
    EXPECT_NEAR(nearest.site_load[0], 120.0, 1e-12);
    EXPECT_EQ(overloaded_sites(nearest, cap), std::vector<std::uint32_t>{0});
    EXPECT_NEAR(nearest.served, 80.0, 1e-12);
    const auto best = allocate_optimal(pop, cap, links);
    EXPECT_TRUE(overloaded_sites(best, cap).empty());
    EXPECT_NEAR(best.served, 120.0, 1e-9);
    // Unit 0 moves 40 people to shelter 1 (+50 m each is cheaper than unit 1's +280 m).
    EXPECT_NEAR(best.person_metres, 20 * 100.0 + 40 * 150.0 + 60 * 120.0, 1e-6);
}

TEST(ShelterAllocation, RejectsNegativePopulationAndBadLinks) {
    EXPECT_THROW((void)allocate_optimal({-1.0}, {1.0}, {}), geo::InputError);
    EXPECT_THROW((void)allocate_optimal({1.0}, {1.0}, {{0, 3, 1.0}}), geo::InputError);
}

TEST(ShelterReach, WalkIncludesAccessLegsPartialEdgesAndTheLimit) {
    // A straight street 0 → 1000 m along x with a junction at 500.
    geo::network::GraphBuilder builder;
    const auto n0 = builder.add_node({0, 0});
    const auto n1 = builder.add_node({500, 0});
    const auto n2 = builder.add_node({1000, 0});
    builder.add_edge(n0, n1);
    builder.add_edge(n1, n2);
    const auto graph = builder.build();
    const geo::network::Snapper snapper(graph);
    // Units: 10 m off the street at x=100 and x=900; one far away (unsnapped).
    const std::vector<geo::core::XY> units{{100, 10}, {900, 10}, {100, 5000}};
    // Shelter 20 m off the street at x=300, limit 500 m.
    const std::vector<Site> sites{{{300, -20}, 500.0}};
    const auto r = reachable_pairs(graph, snapper, units, sites);
    ASSERT_EQ(r.links.size(), 1U);
    EXPECT_EQ(r.links[0].unit, 0U);
    EXPECT_NEAR(r.links[0].distance, 10.0 + 200.0 + 20.0, 1e-9); // same edge, partial
    EXPECT_FALSE(r.unit_snaps[2].has_value());
    // With 700 m the unit at 900 (10 + 600 + 20 = 630) comes in, across the junction.
    const auto r2 = reachable_pairs(graph, snapper, units, {{{300, -20}, 700.0}});
    ASSERT_EQ(r2.links.size(), 2U);
    EXPECT_NEAR(r2.links[1].distance, 630.0, 1e-9);
}

TEST(ShelterSiting, GreedyPicksLargestMarginalGainGivenCapacities) {
    // Existing shelter 0 (cap 50) serves unit 0 (100) partly. Candidate 0
    // reaches unit 0 only (cap 100): gain 50. Candidate 1 reaches units 1+2
    // (cap 70, demand 80): gain 70. Candidate 2 reaches unit 1 (cap 30).
    const std::vector<double> pop{100.0, 40.0, 40.0};
    const std::vector<double> cap{50.0};
    const std::vector<double> cand{100.0, 70.0, 30.0};
    const std::vector<Link> links{{0, 0, 10.0}, {0, 1, 10.0}, {1, 2, 10.0}, {2, 2, 10.0}, {1, 3, 10.0}};
    const auto s = greedy_siting(pop, cap, cand, links, 3);
    EXPECT_NEAR(s.served_before, 50.0, 1e-9);
    ASSERT_EQ(s.picks.size(), 3U);
    EXPECT_EQ(s.picks[0].candidate, 1U);
    EXPECT_NEAR(s.picks[0].gain, 70.0, 1e-9);
    EXPECT_EQ(s.picks[1].candidate, 0U);
    EXPECT_NEAR(s.picks[1].gain, 50.0, 1e-9);
    // Candidate 2 adds the 10 people candidate 1 had no room for.
    EXPECT_EQ(s.picks[2].candidate, 2U);
    EXPECT_NEAR(s.picks[2].gain, 10.0, 1e-9);
    EXPECT_NEAR(s.picks[2].served_after, 180.0, 1e-9);
    EXPECT_NEAR(served_with(pop, cap, cand, links, {0, 2}), 50.0 + 50.0 + 30.0, 1e-9);
}

TEST(ShelterSiting, StopsWhenNoCandidateAddsAnyone) {
    const std::vector<double> pop{10.0};
    const std::vector<double> cap{10.0};
    const std::vector<double> cand{50.0};
    const std::vector<Link> links{{0, 0, 5.0}, {0, 1, 5.0}};
    const auto s = greedy_siting(pop, cap, cand, links, 2);
    EXPECT_TRUE(s.picks.empty());
}

TEST(ShelterSiting, GreedyCanMissTheOptimumButStaysWithinOneMinusOneOverE) {
    // Six units of one person. Candidate 0 reaches units 0-3 (cap 4),
    // candidate 1 units 0,1,4 and candidate 2 units 2,3,5 (cap 3 each).
    // K = 2: greedy opens 0 (gain 4), then 1 (gain 1) = 5; the optimum {1, 2} = 6.
    const std::vector<double> pop(6, 1.0);
    const std::vector<double> cap{};
    const std::vector<double> cand{4.0, 3.0, 3.0};
    const std::vector<Link> links{{0, 0, 1.0}, {1, 0, 1.0}, {2, 0, 1.0}, {3, 0, 1.0}, {0, 1, 1.0},
                                  {1, 1, 1.0}, {4, 1, 1.0}, {2, 2, 1.0}, {3, 2, 1.0}, {5, 2, 1.0}};
    const auto s = greedy_siting(pop, cap, cand, links, 2);
    ASSERT_EQ(s.picks.size(), 2U);
    EXPECT_EQ(s.picks[0].candidate, 0U);
    EXPECT_NEAR(s.picks[0].gain, 4.0, 1e-9);
    EXPECT_EQ(s.picks[1].candidate, 1U); // tie with 2 goes to the lower index
    EXPECT_NEAR(s.picks[1].gain, 1.0, 1e-9);
    const double optimum = served_with(pop, cap, cand, links, {1, 2});
    EXPECT_NEAR(optimum, 6.0, 1e-9);
    EXPECT_GE(s.picks[1].served_after, greedy_bound * optimum);
}
