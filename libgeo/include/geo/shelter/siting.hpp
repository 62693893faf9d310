#pragma once
// Siting K new shelters (docs/shelter.md).
//
// f(S) = the largest population that existing shelters plus the opened
// candidates S can take in, within walking limits and capacities — the
// value of a maximum flow source → units → sites → sink, computed exactly
// (Dinic). f is monotone and submodular in S: the vectors of amounts that
// can be delivered to the sinks of a network form a polymatroid (Megiddo
// 1974), and f(S) is that polymatroid's rank of S ∪ existing. So the gain
// g(S) = f(S) − f(∅) is monotone submodular with g(∅) = 0, and the greedy
// pick of the largest marginal gain, K times, guarantees (Nemhauser, Wolsey
// & Fisher 1978)
//     g(greedy_K) ≥ (1 − 1/e) · max_{|S| = K} g(S)
// for the newly served population as computed here (up to the flow
// tolerance 1e-9 per augmentation). Lazy evaluation (re-checking stale
// gains from a priority queue) returns the same picks; ties go to the
// lowest candidate index.

#include "geo/shelter/reach.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace geo::shelter {

struct Pick {
    std::uint32_t candidate = 0; ///< index into the candidate list
    int rank = 0;                ///< 1 = first pick
    double gain = 0.0;           ///< newly served people from this pick
    double served_after = 0.0;   ///< f after the pick
};

struct Siting {
    double served_before = 0.0; ///< f(∅): existing shelters only
    std::vector<Pick> picks;    ///< in pick order; stops early when no candidate gains
    std::size_t evaluations = 0;
};

inline constexpr double greedy_bound = 0.6321205588285577; ///< 1 − 1/e

/// `links` use site indices 0..capacities.size()-1 for existing shelters
/// and capacities.size() + c for candidate c.
[[nodiscard]] Siting greedy_siting(const std::vector<double>& populations, const std::vector<double>& capacities,
                                   const std::vector<double>& candidate_capacities, const std::vector<Link>& links,
                                   std::size_t k);

/// f(S) for an explicit candidate set (the oracle tests use it).
[[nodiscard]] double served_with(const std::vector<double>& populations, const std::vector<double>& capacities,
                                 const std::vector<double>& candidate_capacities, const std::vector<Link>& links,
                                 const std::vector<std::uint32_t>& opened);

} // namespace geo::shelter
