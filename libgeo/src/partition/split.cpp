// Balanced contiguous split of an atom graph: METIS k-way (contiguous) per
// connected component, then contiguity repair, band repair and a compactness
// local search. See docs/partition.md for why this combination.
#include "geo/partition/atoms.hpp"

#include "geo/core/error.hpp"

#include <metis.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <iomanip>
#include <limits>
#include <mutex>
#include <numbers>
#include <random>
#include <sstream>
#include <tuple>
#include <unordered_set>

namespace geo::partition {
namespace {

// Barrier edges count this much of their length in the objective perimeter
// (so the local search does not drag cuts off roads for a tiny gain) ...
constexpr double objective_barrier_factor = 0.5;
// ... and this much in METIS edge weights (cutting along a barrier is cheap).
constexpr double metis_barrier_factor = 0.2;

// Deterministic Fisher–Yates (std::shuffle's algorithm is unspecified).
std::vector<std::uint32_t> visit_order(std::size_t n, std::uint64_t seed) {
    std::vector<std::uint32_t> order(n);
    for (std::size_t i = 0; i < n; ++i) {
        order[i] = static_cast<std::uint32_t>(i);
    }
    std::mt19937_64 rng(seed);
    for (std::size_t i = n; i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(rng() % i);
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

class State {
  public:
    State(const AtomSet& atoms, std::vector<int> part, int parts, double min, double max, double target)
        : m_atoms(atoms), m_part(std::move(part)), m_min(min), m_max(max), m_target(target), m_stamp(atoms.size(), 0) {
        const std::size_t n = atoms.size();
        m_eff_perimeter.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            double p = atoms.outer_length[i];
            for (std::size_t e = atoms.offsets[i]; e < atoms.offsets[i + 1]; ++e) {
                p += eff(e);
            }
            m_eff_perimeter[i] = p;
        }
        resize(parts);
        recompute();
    }

    [[nodiscard]] int part(std::size_t a) const { return m_part[a]; }
    [[nodiscard]] int parts() const { return static_cast<int>(m_weight.size()); }
    [[nodiscard]] double weight(int p) const { return m_weight[static_cast<std::size_t>(p)]; }
    [[nodiscard]] std::size_t count(int p) const { return m_count[static_cast<std::size_t>(p)]; }
    [[nodiscard]] const std::vector<int>& assignment() const { return m_part; }

    [[nodiscard]] double violation(double w) const { return std::max(0.0, m_min - w) + std::max(0.0, w - m_max); }
    /// A part's band violation; a part emptied by a merge has none (it is no grid).
    [[nodiscard]] double part_violation(int p) const { return count(p) == 0 ? 0.0 : violation(weight(p)); }

    /// A new, empty part; its id is returned.
    int add_part() {
        m_weight.push_back(0.0);
        m_area.push_back(0.0);
        m_perimeter.push_back(0.0);
        m_count.push_back(0);
        return parts() - 1;
    }

    void resize(int parts) {
        const auto k = static_cast<std::size_t>(parts);
        m_weight.assign(k, 0.0);
        m_area.assign(k, 0.0);
        m_perimeter.assign(k, 0.0);
        m_count.assign(k, 0);
    }

    void recompute() {
        std::fill(m_weight.begin(), m_weight.end(), 0.0);
        std::fill(m_area.begin(), m_area.end(), 0.0);
        std::fill(m_perimeter.begin(), m_perimeter.end(), 0.0);
        std::fill(m_count.begin(), m_count.end(), 0);
        for (std::size_t i = 0; i < m_part.size(); ++i) {
            const auto p = static_cast<std::size_t>(m_part[i]);
            m_weight[p] += m_atoms.weight[i];
            m_area[p] += m_atoms.area[i];
            m_perimeter[p] += m_eff_perimeter[i];
            m_count[p] += 1;
            for (std::size_t e = m_atoms.offsets[i]; e < m_atoms.offsets[i + 1]; ++e) {
                if (m_part[m_atoms.adjacency[e]] == m_part[i]) {
                    m_perimeter[p] -= eff(e); // counted from both sides: 2× per internal edge
                }
            }
        }
    }

    // Would part p stay connected without atom a?
    bool connected_without(std::uint32_t a) {
        const int p = m_part[a];
        std::uint32_t start = a;
        int inside = 0;
        for (std::size_t e = m_atoms.offsets[a]; e < m_atoms.offsets[a + 1]; ++e) {
            if (m_part[m_atoms.adjacency[e]] == p) {
                start = m_atoms.adjacency[e];
                ++inside;
            }
        }
        if (inside <= 1) {
            return true; // a leaf (or isolated, which cannot happen for count > 1)
        }
        ++m_current;
        m_stamp[a] = m_current;
        m_stamp[start] = m_current;
        m_stack.clear();
        m_stack.push_back(start);
        std::size_t reached = 1;
        while (!m_stack.empty()) {
            const std::uint32_t u = m_stack.back();
            m_stack.pop_back();
            for (std::size_t e = m_atoms.offsets[u]; e < m_atoms.offsets[u + 1]; ++e) {
                const std::uint32_t v = m_atoms.adjacency[e];
                if (m_part[v] == p && m_stamp[v] != m_current) {
                    m_stamp[v] = m_current;
                    ++reached;
                    m_stack.push_back(v);
                }
            }
        }
        return reached == count(p) - 1;
    }

    // All neighbours in the atom's own part: it cannot move anywhere.
    [[nodiscard]] bool interior(std::uint32_t a) const {
        for (std::size_t e = m_atoms.offsets[a]; e < m_atoms.offsets[a + 1]; ++e) {
            if (m_part[m_atoms.adjacency[e]] != m_part[a]) {
                return false;
            }
        }
        return true;
    }

    struct Neighbour {
        int part;
        double eff_shared;
        double shared;
    };

    // Parts adjacent to atom a (its own part included) with the shared lengths.
    const std::vector<Neighbour>& neighbours(std::uint32_t a) {
        m_neighbours.clear();
        for (std::size_t e = m_atoms.offsets[a]; e < m_atoms.offsets[a + 1]; ++e) {
            const int q = m_part[m_atoms.adjacency[e]];
            auto it =
                std::find_if(m_neighbours.begin(), m_neighbours.end(), [q](const Neighbour& n) { return n.part == q; });
            if (it == m_neighbours.end()) {
                m_neighbours.push_back({q, eff(e), m_atoms.shared_length[e]});
            } else {
                it->eff_shared += eff(e);
                it->shared += m_atoms.shared_length[e];
            }
        }
        return m_neighbours;
    }

    [[nodiscard]] double objective(double area, double perimeter) const {
        return perimeter > 0 ? 4.0 * std::numbers::pi * area / (perimeter * perimeter) : 0.0;
    }

    // Change of Σ compactness when a moves from its part to q.
    [[nodiscard]] double compactness_gain(std::uint32_t a, int q, double shared_own, double shared_q) const {
        const auto p = static_cast<std::size_t>(m_part[a]);
        const auto uq = static_cast<std::size_t>(q);
        const double area_a = m_atoms.area[a];
        const double per_a = m_eff_perimeter[a];
        const double p_after = m_perimeter[p] - per_a + 2 * shared_own;
        const double q_after = m_perimeter[uq] + per_a - 2 * shared_q;
        return objective(m_area[p] - area_a, p_after) + objective(m_area[uq] + area_a, q_after) -
               objective(m_area[p], m_perimeter[p]) - objective(m_area[uq], m_perimeter[uq]);
    }

    void move(std::uint32_t a, int q, double shared_own, double shared_q) {
        const auto p = static_cast<std::size_t>(m_part[a]);
        const auto uq = static_cast<std::size_t>(q);
        m_weight[p] -= m_atoms.weight[a];
        m_weight[uq] += m_atoms.weight[a];
        m_area[p] -= m_atoms.area[a];
        m_area[uq] += m_atoms.area[a];
        m_perimeter[p] += -m_eff_perimeter[a] + 2 * shared_own;
        m_perimeter[uq] += m_eff_perimeter[a] - 2 * shared_q;
        m_count[p] -= 1;
        m_count[uq] += 1;
        m_part[a] = q;
    }

    void assign(std::uint32_t a, int q) { m_part[a] = q; }

    [[nodiscard]] double eff(std::size_t e) const {
        return m_atoms.shared_length[e] - (1.0 - objective_barrier_factor) * m_atoms.barrier_length[e];
    }

    [[nodiscard]] double min() const { return m_min; }
    [[nodiscard]] double max() const { return m_max; }
    [[nodiscard]] double target() const { return m_target; }

  private:
    const AtomSet& m_atoms;
    std::vector<int> m_part;
    double m_min;
    double m_max;
    double m_target;
    std::vector<double> m_eff_perimeter;
    std::vector<double> m_weight;
    std::vector<double> m_area;
    std::vector<double> m_perimeter;
    std::vector<std::size_t> m_count;
    std::vector<std::uint32_t> m_stamp;
    std::uint32_t m_current = 0;
    std::vector<std::uint32_t> m_stack;
    std::vector<Neighbour> m_neighbours;
};

// Weights are sums of doubles: compare with the band with this slack.
double band_eps(const Options& options) {
    return 1e-9 * std::max(1.0, options.target);
}

// METIS's allowed imbalance (thousandths above the mean part weight). METIS's
// default of 30 balances parts to 3 %, far tighter than any band, and pays for
// it in shape: on the Binhai benchmark a ufactor that uses the band's upper
// headroom raised the final mean Polsby–Popper from 0.669 to 0.724 at
// [150, 450] and from 0.644 to 0.681 at [270, 330], all grids still in band.
// Parts METIS leaves outside the band are what the band repair is for.
int metis_ufactor(const Options& options) {
    if (options.metis_ufactor > 0) {
        return options.metis_ufactor;
    }
    const double headroom = options.band_max() / options.target - 1.0;
    return static_cast<int>(std::clamp(std::lround(1000.0 * headroom), 30L, 1000L));
}

// METIS k-way on the sub-graph of `members`; returns a local part per member. An atom heavier
// than the band maximum is a grid over max whatever else it holds, and k already counts it as a
// grid of its own: METIS sees it with the target weight, so that it balances the light atoms
// over the other parts instead of treating the heavy atom's excess as weight to share.
std::vector<int> metis_split(const AtomSet& atoms, const std::vector<std::uint32_t>& members, int k, std::uint64_t seed,
                             double mean_shared, const Options& options) {
    const bool contiguous = options.metis_contiguous;
    const int ufactor = metis_ufactor(options);
    const auto vertex_weight = [&](std::uint32_t a) {
        return atoms.weight[a] > options.band_max() ? options.target : atoms.weight[a];
    };
    std::vector<idx_t> local(atoms.size(), -1);
    for (std::size_t i = 0; i < members.size(); ++i) {
        local[members[i]] = static_cast<idx_t>(i);
    }
    double total = 0.0;
    for (std::uint32_t a : members) {
        total += vertex_weight(a);
    }
    const double scale = total > 0 ? 1e7 / total : 0.0;
    std::vector<idx_t> xadj{0};
    std::vector<idx_t> adjncy;
    std::vector<idx_t> adjwgt;
    std::vector<idx_t> vwgt;
    xadj.reserve(members.size() + 1);
    vwgt.reserve(members.size());
    for (std::uint32_t a : members) {
        vwgt.push_back(static_cast<idx_t>(std::llround(vertex_weight(a) * scale)) + 1);
        for (std::size_t e = atoms.offsets[a]; e < atoms.offsets[a + 1]; ++e) {
            const idx_t v = local[atoms.adjacency[e]];
            if (v < 0) {
                continue;
            }
            const double len = atoms.shared_length[e] - (1.0 - metis_barrier_factor) * atoms.barrier_length[e];
            adjncy.push_back(v);
            adjwgt.push_back(std::max<idx_t>(1, static_cast<idx_t>(std::llround(100.0 * len / mean_shared))));
        }
        xadj.push_back(static_cast<idx_t>(adjncy.size()));
    }
    idx_t nvtxs = static_cast<idx_t>(members.size());
    idx_t ncon = 1;
    idx_t nparts = k;
    idx_t objval = 0;
    std::vector<idx_t> part(members.size(), 0);
    idx_t metis_options[METIS_NOPTIONS];
    // METIS's random generator (GKlib) is process-global: concurrent calls from
    // several threads would interleave its sequence and break determinism.
    static std::mutex metis_mutex;
    std::lock_guard lock(metis_mutex);
    for (int contig : {contiguous ? 1 : 0, 0}) {
        METIS_SetDefaultOptions(metis_options);
        metis_options[METIS_OPTION_SEED] = static_cast<idx_t>(seed % 2147483647ULL);
        metis_options[METIS_OPTION_CONTIG] = contig;
        metis_options[METIS_OPTION_NUMBERING] = 0;
        metis_options[METIS_OPTION_UFACTOR] = static_cast<idx_t>(ufactor);
        const int rc =
            METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(), vwgt.data(), nullptr, adjwgt.data(), &nparts,
                                nullptr, nullptr, metis_options, &objval, part.data());
        if (rc == METIS_OK) {
            return {part.begin(), part.end()};
        }
    }
    throw GeometryError("METIS could not split a component of " + std::to_string(members.size()) + " atoms into " +
                        std::to_string(k) + " parts");
}

// Every part connected: pieces cut off from a part join the neighbouring part
// they share most boundary with.
void repair_contiguity(const AtomSet& atoms, State& state) {
    const std::size_t n = atoms.size();
    std::vector<int> piece(n, -1);
    for (int round = 0; round < 100; ++round) {
        // Label pieces: connected runs of atoms of the same part.
        std::fill(piece.begin(), piece.end(), -1);
        std::vector<double> piece_weight;
        std::vector<std::size_t> piece_size;
        std::vector<int> piece_part;
        std::vector<std::uint32_t> stack;
        for (std::size_t s = 0; s < n; ++s) {
            if (piece[s] >= 0) {
                continue;
            }
            const int id = static_cast<int>(piece_weight.size());
            piece_weight.push_back(0.0);
            piece_size.push_back(0);
            piece_part.push_back(state.part(s));
            piece[s] = id;
            stack.push_back(static_cast<std::uint32_t>(s));
            while (!stack.empty()) {
                const std::uint32_t u = stack.back();
                stack.pop_back();
                piece_weight.back() += atoms.weight[u];
                piece_size.back() += 1;
                for (std::size_t e = atoms.offsets[u]; e < atoms.offsets[u + 1]; ++e) {
                    const std::uint32_t v = atoms.adjacency[e];
                    if (piece[v] < 0 && state.part(v) == state.part(u)) {
                        piece[v] = id;
                        stack.push_back(v);
                    }
                }
            }
        }
        // The main piece of each part: heaviest, then largest, then first found.
        std::vector<int> main_piece(static_cast<std::size_t>(state.parts()), -1);
        for (std::size_t id = 0; id < piece_weight.size(); ++id) {
            int& m = main_piece[static_cast<std::size_t>(piece_part[id])];
            if (m < 0 ||
                std::tie(piece_weight[id], piece_size[id]) >
                    std::tie(piece_weight[static_cast<std::size_t>(m)], piece_size[static_cast<std::size_t>(m)])) {
                m = static_cast<int>(id);
            }
        }
        // Stray pieces: longest shared boundary with another part wins.
        std::vector<int> target(piece_weight.size(), -1);
        std::vector<double> best(piece_weight.size(), 0.0);
        std::vector<std::pair<int, double>> tally;
        bool stray = false;
        for (std::size_t id = 0; id < piece_weight.size(); ++id) {
            stray = stray || main_piece[static_cast<std::size_t>(piece_part[id])] != static_cast<int>(id);
        }
        if (!stray) {
            return;
        }
        // Shared length from each stray piece to each neighbouring part.
        std::vector<std::vector<std::pair<int, double>>> touch(piece_weight.size());
        for (std::size_t u = 0; u < n; ++u) {
            const auto id = static_cast<std::size_t>(piece[u]);
            if (main_piece[static_cast<std::size_t>(piece_part[id])] == static_cast<int>(id)) {
                continue;
            }
            for (std::size_t e = atoms.offsets[u]; e < atoms.offsets[u + 1]; ++e) {
                const int q = state.part(atoms.adjacency[e]);
                if (q == piece_part[id]) {
                    continue;
                }
                auto& t = touch[id];
                auto it = std::find_if(t.begin(), t.end(), [q](const auto& x) { return x.first == q; });
                if (it == t.end()) {
                    t.emplace_back(q, atoms.shared_length[e]);
                } else {
                    it->second += atoms.shared_length[e];
                }
            }
        }
        for (std::size_t id = 0; id < touch.size(); ++id) {
            for (const auto& [q, len] : touch[id]) {
                if (len > best[id] || (len == best[id] && target[id] >= 0 && q < target[id])) {
                    best[id] = len;
                    target[id] = q;
                }
            }
        }
        for (std::size_t u = 0; u < n; ++u) {
            const int t = target[static_cast<std::size_t>(piece[u])];
            if (t >= 0) {
                state.assign(static_cast<std::uint32_t>(u), t);
            }
        }
        state.recompute();
    }
}

// Boundary moves that reduce band violation (phase A), and when stuck, moves
// that keep the violation but even out weights around violating parts (phase
// B) so that weight can travel towards parts with room.
void repair_band(const AtomSet& atoms, State& state, const std::vector<std::uint32_t>& order, int max_passes) {
    const double t = state.target();
    auto any_violation = [&] {
        for (int p = 0; p < state.parts(); ++p) {
            if (state.part_violation(p) > 0) {
                return true;
            }
        }
        return false;
    };
    std::vector<char> near_violation(static_cast<std::size_t>(state.parts()), 0);
    for (int pass = 0; pass < max_passes * 4 && any_violation(); ++pass) {
        const bool spread = pass % 2 == 1;
        if (spread) {
            std::fill(near_violation.begin(), near_violation.end(), 0);
            for (std::uint32_t a : order) {
                const int p = state.part(a);
                if (state.violation(state.weight(p)) > 0) {
                    near_violation[static_cast<std::size_t>(p)] = 1;
                    for (std::size_t e = atoms.offsets[a]; e < atoms.offsets[a + 1]; ++e) {
                        near_violation[static_cast<std::size_t>(state.part(atoms.adjacency[e]))] = 1;
                    }
                }
            }
        }
        bool moved = false;
        for (std::uint32_t a : order) {
            const int p = state.part(a);
            if (state.count(p) <= 1) {
                continue;
            }
            const double wa = atoms.weight[a];
            const double wp = state.weight(p);
            const auto& nbs = state.neighbours(a);
            double own = 0.0;
            for (const auto& nb : nbs) {
                if (nb.part == p) {
                    own = nb.eff_shared;
                }
            }
            int best = -1;
            double best_dv = 0.0;
            double best_shared = 0.0;
            double best_eff = 0.0;
            for (const auto& nb : nbs) {
                if (nb.part == p) {
                    continue;
                }
                const double wq = state.weight(nb.part);
                const double dv =
                    state.violation(wp - wa) + state.violation(wq + wa) - state.violation(wp) - state.violation(wq);
                bool ok = dv < -1e-9;
                if (!ok && spread && dv <= 1e-9 &&
                    (near_violation[static_cast<std::size_t>(p)] ||
                     near_violation[static_cast<std::size_t>(nb.part)])) {
                    const double before = (wp - t) * (wp - t) + (wq - t) * (wq - t);
                    const double after = (wp - wa - t) * (wp - wa - t) + (wq + wa - t) * (wq + wa - t);
                    ok = after < before - 1e-9 && wa > 0;
                }
                if (ok && (best < 0 || dv < best_dv - 1e-12 ||
                           (std::abs(dv - best_dv) <= 1e-12 && nb.shared > best_shared))) {
                    best = nb.part;
                    best_dv = dv;
                    best_shared = nb.shared;
                    best_eff = nb.eff_shared;
                }
            }
            if (best >= 0 && state.connected_without(a)) {
                state.move(a, best, own, best_eff);
                moved = true;
            }
        }
        if (!moved && spread) {
            break;
        }
    }
}

// AZP-style local search: move boundary atoms to a neighbouring part when
// that raises Σ compactness, keeping every part contiguous and never making a
// part's band violation worse.
void improve_compactness(const AtomSet& atoms, State& state, const std::vector<std::uint32_t>& order, int max_passes) {
    for (int pass = 0; pass < max_passes; ++pass) {
        std::size_t moves = 0;
        for (std::uint32_t a : order) {
            const int p = state.part(a);
            if (state.count(p) <= 1 || state.interior(a)) {
                continue;
            }
            const auto& nbs = state.neighbours(a);
            double own = 0.0;
            for (const auto& nb : nbs) {
                if (nb.part == p) {
                    own = nb.eff_shared;
                }
            }
            const double wa = atoms.weight[a];
            const double wp = state.weight(p);
            int best = -1;
            double best_gain = 1e-9;
            double best_eff = 0.0;
            for (const auto& nb : nbs) {
                if (nb.part == p) {
                    continue;
                }
                const double wq = state.weight(nb.part);
                if (state.violation(wp - wa) > state.violation(wp) + 1e-9 ||
                    state.violation(wq + wa) > state.violation(wq) + 1e-9) {
                    continue;
                }
                const double gain = state.compactness_gain(a, nb.part, own, nb.eff_shared);
                if (gain > best_gain) {
                    best_gain = gain;
                    best = nb.part;
                    best_eff = nb.eff_shared;
                }
            }
            if (best >= 0 && state.connected_without(a)) {
                state.move(a, best, own, best_eff);
                ++moves;
            }
        }
        if (moves == 0) {
            break;
        }
    }
}

// --- where boundary moves are not enough ------------------------------------------------------

// A connected component of the atom graph: it is split on its own.
struct Piece {
    std::vector<std::uint32_t> members; // ascending atom ids
    std::vector<std::uint32_t> order;   // the members in the seeded visit order
    std::vector<std::uint32_t> heavy;   // members heavier than max
    double weight = 0.0;
    double area = 0.0;
    double light = 0.0; // weight of the members of at most max
    std::uint64_t seed = 0;
    GridCount count;
    std::vector<int> tried; // grid counts METIS split it into
    int attempts = 1;       // METIS splits of the whole piece
    enum class Exact { not_run, impossible, budget, found } exact = Exact::not_run;

    [[nodiscard]] int heavy_count() const { return static_cast<int>(heavy.size()); }
};

// How far a piece is from the band: grids outside it, then their summed shortfall.
struct BandScore {
    std::size_t bad = 0;
    double violation = 0.0;
    [[nodiscard]] bool better_than(const BandScore& o) const {
        return bad < o.bad || (bad == o.bad && violation < o.violation - 1e-9);
    }
};

std::string fmt(double value) {
    std::ostringstream out;
    out << std::setprecision(10) << value;
    return out.str();
}

std::string join(const std::vector<int>& values) {
    std::string out;
    for (int v : values) {
        out += (out.empty() ? "" : ", ") + std::to_string(v);
    }
    return out;
}

// Exhaustive search for a split of a small piece (at most 64 atoms, weights ≥ 0) into k
// contiguous groups, each weighing within [min, max]. Atoms of weight 0 only connect: the search
// covers the weighted atoms with k disjoint connected groups, and the zero atoms left over are
// joined to a neighbouring group afterwards (the piece is connected, so every one has a path to a
// group; the groups stay connected and keep their weights). The group holding the lowest
// weighted atom left is enumerated as a connected set (include/forbid branching on its frontier,
// so each set is seen once; never extended beyond max; a set just grown by a zero atom is not
// tried, the smaller set was), and the rest is split recursively, pruned by its connected
// components (each with weight W needs ⌈W/max⌉ … ⌊W/min⌋ groups) and by remembered failures. It
// finds a split, proves there is none, or gives up after `budget` steps.
class ExactSplit {
  public:
    enum class Result { found, impossible, budget };

    ExactSplit(std::vector<std::uint64_t> neighbours, std::vector<double> weight, double min, double max, double eps,
               std::size_t budget)
        : m_nbr(std::move(neighbours)), m_w(std::move(weight)), m_min(min), m_max(max), m_eps(eps), m_budget(budget) {
        for (std::size_t i = 0; i < m_w.size(); ++i) {
            if (m_w[i] > 0.0) {
                m_weighted |= bit(static_cast<int>(i));
            }
        }
    }

    /// On success `group` holds a group index 0..k-1 per atom.
    Result solve(int k, std::vector<int>& group) {
        m_steps = 0;
        m_out_of_budget = false;
        m_groups.clear();
        m_failed.assign(static_cast<std::size_t>(std::max(k, 0)) + 1, {});
        const std::size_t n = m_w.size();
        const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
        if (!split(all, k)) {
            return m_out_of_budget ? Result::budget : Result::impossible;
        }
        group.assign(n, -1);
        std::uint64_t placed = 0;
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            for (std::uint64_t m = m_groups[g]; m; m &= m - 1) {
                group[static_cast<std::size_t>(low(m))] = static_cast<int>(g);
            }
            placed |= m_groups[g];
        }
        // Zero atoms left over join a neighbouring group, in waves from the groups outwards.
        for (bool grew = true; grew && placed != all;) {
            grew = false;
            for (std::uint64_t m = all & ~placed; m; m &= m - 1) {
                const int v = low(m);
                const std::uint64_t next = m_nbr[static_cast<std::size_t>(v)] & placed;
                if (next) {
                    group[static_cast<std::size_t>(v)] = group[static_cast<std::size_t>(low(next))];
                    placed |= bit(v);
                    grew = true;
                }
            }
        }
        return placed == all ? Result::found : Result::impossible;
    }

  private:
    static int low(std::uint64_t mask) { return std::countr_zero(mask); }
    static std::uint64_t bit(int i) { return std::uint64_t{1} << i; }

    [[nodiscard]] double weight_of(std::uint64_t mask) const {
        double w = 0.0;
        for (mask &= m_weighted; mask; mask &= mask - 1) {
            w += m_w[static_cast<std::size_t>(low(mask))];
        }
        return w;
    }

    [[nodiscard]] std::uint64_t component(std::uint64_t rest, int start) const {
        std::uint64_t seen = bit(start);
        std::uint64_t frontier = seen;
        while (frontier) {
            std::uint64_t next = 0;
            for (std::uint64_t f = frontier; f; f &= f - 1) {
                next |= m_nbr[static_cast<std::size_t>(low(f))];
            }
            next &= rest & ~seen;
            seen |= next;
            frontier = next;
        }
        return seen;
    }

    bool split(std::uint64_t rest, int groups) {
        if ((rest & m_weighted) == 0) {
            return groups == 0;
        }
        if (groups <= 0 || ++m_steps > m_budget) {
            m_out_of_budget = m_out_of_budget || m_steps > m_budget;
            return false;
        }
        // Each connected component of the rest holding weight is split on its own: count its
        // groups (components of zero atoms only are left over).
        int lo = 0;
        int hi = 0;
        std::uint64_t single = 0;
        for (std::uint64_t left = rest & m_weighted; left;) {
            const std::uint64_t c = component(rest, low(left));
            left &= ~c;
            const double w = weight_of(c);
            const int c_lo = std::max(1, static_cast<int>(std::ceil((w - m_eps) / m_max)));
            const int c_hi = static_cast<int>(std::floor((w + m_eps) / m_min));
            if (c_lo > c_hi) {
                return false;
            }
            lo += c_lo;
            hi += c_hi;
            single = c;
        }
        if (groups < lo || groups > hi) {
            return false;
        }
        if (groups == 1) { // one component, its weight in the band
            m_groups.push_back(single);
            return true;
        }
        // The same rest is reached through different first groups: remember the failures.
        auto& failed = m_failed[static_cast<std::size_t>(groups)];
        if (failed.count(rest) != 0) {
            return false;
        }
        const int r = low(rest & m_weighted);
        if (grow(bit(r), m_w[static_cast<std::size_t>(r)], true, m_nbr[static_cast<std::size_t>(r)] & rest, 0, rest,
                 groups)) {
            return true;
        }
        if (!m_out_of_budget && failed.size() < max_memo) {
            failed.insert(rest);
        }
        return false;
    }

    bool grow(std::uint64_t set, double w, bool try_it, std::uint64_t frontier, std::uint64_t forbidden,
              std::uint64_t rest, int groups) {
        if (m_out_of_budget) {
            return false;
        }
        if (try_it && w >= m_min - m_eps && split(rest & ~set, groups - 1)) {
            m_groups.push_back(set);
            return true;
        }
        while (frontier) {
            const int v = low(frontier);
            frontier &= frontier - 1;
            const double wv = w + m_w[static_cast<std::size_t>(v)];
            if (wv <= m_max + m_eps) {
                const std::uint64_t grown = frontier | (m_nbr[static_cast<std::size_t>(v)] & rest & ~set & ~forbidden);
                if (grow(set | bit(v), wv, (m_weighted & bit(v)) != 0, grown & ~bit(v), forbidden, rest, groups)) {
                    return true;
                }
            }
            forbidden |= bit(v);
            if (m_out_of_budget || ++m_steps > m_budget) {
                m_out_of_budget = true;
                return false;
            }
        }
        return false;
    }

    static constexpr std::size_t max_memo = 500'000;
    std::vector<std::uint64_t> m_nbr;
    std::vector<double> m_w;
    double m_min;
    double m_max;
    double m_eps;
    std::size_t m_budget;
    std::uint64_t m_weighted = 0; ///< atoms of positive weight
    std::size_t m_steps = 0;
    bool m_out_of_budget = false;
    std::vector<std::uint64_t> m_groups;
    std::vector<std::unordered_set<std::uint64_t>> m_failed; ///< per number of groups: rests with no split
};

// After METIS and the band repair, the band is fixed where it is still missed, piece by piece:
// an under-min part merges into a neighbour (or is spread over its neighbours) within max, an
// over-max part is cut in two, and when that is not enough the piece is split again with the
// other feasible grid counts, nearest first. Every step is kept only when it lowers the band
// violation of the piece, so a fix never makes another grid leave the band.
class BandFixer {
  public:
    BandFixer(const AtomSet& atoms, State& state, const Options& options, double mean_shared)
        : m_atoms(atoms), m_state(state), m_options(options), m_mean_shared(mean_shared), m_eps(band_eps(options)) {}

    void settle(Piece& piece) {
        if (!needs_fix(piece)) {
            return;
        }
        local_fixes(piece);
        const int k0 = piece.tried.front();
        const int now = static_cast<int>(parts_of(piece).size());
        // (k, METIS seed round) to split the piece with afresh, in this order.
        std::vector<std::pair<int, std::uint64_t>> attempts;
        // A merge or a cut changed the number of grids: a fresh split into that many usually
        // has better shapes than the patched one, so it is tried first and kept when it meets
        // the band at least as well.
        if (now != k0) {
            attempts.emplace_back(now, 0);
        }
        // Still outside the band: the first k with other METIS seeds (a different first split
        // often leaves the repair an easier band to meet), then the other feasible k, nearest
        // first, each with a few seeds. One METIS run on a large piece costs seconds and there a
        // different k rarely helps a local shortfall: one try only.
        if (needs_fix(piece) && piece.count.feasible) {
            const bool large = piece.members.size() > 50000;
            const int seeds = large ? 1 : 6;
            std::vector<int> ks;
            for (int k = piece.heavy_count() + piece.count.lo; k <= piece.heavy_count() + piece.count.hi; ++k) {
                if (k != k0 && k >= 1 && static_cast<std::size_t>(k) <= piece.members.size()) {
                    ks.push_back(k);
                }
            }
            std::stable_sort(ks.begin(), ks.end(), [k0](int a, int b) { return std::abs(a - k0) < std::abs(b - k0); });
            ks.resize(std::min<std::size_t>(ks.size(), large ? 1 : 4));
            if (!large) {
                ks.insert(ks.begin(), k0);
            }
            for (int k : ks) {
                for (int r = k == k0 ? 1 : 0; r < seeds; ++r) {
                    if (!(k == now && r == 0 && now != k0)) {
                        attempts.emplace_back(k, static_cast<std::uint64_t>(r));
                    }
                }
            }
        }
        BandScore best = score(piece);
        std::vector<int> best_parts = snapshot(piece);
        for (const auto& [k, round] : attempts) {
            resplit(piece, k, round);
            const BandScore s = score(piece);
            if (s.better_than(best) || (k == now && round == 0 && !best.better_than(s))) {
                best = s;
                best_parts = snapshot(piece);
            }
            if (!needs_fix(piece)) {
                break;
            }
        }
        restore(piece, best_parts);
        if (needs_fix(piece)) {
            exact(piece);
        }
    }

    // Every part of the piece still outside the band, with the cause.
    void diagnose(const Piece& piece, std::vector<BandProblem>& problems) {
        const double min = m_options.band_min();
        const double max = m_options.band_max();
        for (int p : parts_of(piece)) {
            if (m_state.part_violation(p) <= m_eps) {
                continue;
            }
            BandProblem problem;
            problem.part = p;
            problem.weight = m_state.weight(p);
            std::ostringstream detail;
            for (std::uint32_t a : piece.heavy) {
                if (m_state.part(a) == p) {
                    problem.heavy_atoms.push_back(a);
                }
            }
            if (!problem.heavy_atoms.empty()) {
                problem.cause = BandCause::heavy_atom;
                detail << "it holds " << problem.heavy_atoms.size() << " indivisible atom"
                       << (problem.heavy_atoms.size() > 1 ? "s" : "") << " heavier than max " << fmt(max) << ":";
                for (std::uint32_t a : problem.heavy_atoms) {
                    detail << " weight " << fmt(m_atoms.weight[a]) << " (" << std::lround(m_atoms.area[a]) << " m²)";
                }
            } else if (piece.weight < min - m_eps) {
                problem.cause = BandCause::piece_below_min;
                detail << "its connected piece (" << std::lround(piece.area) << " m², "
                       << piece.members.size() << " atoms) weighs " << fmt(piece.weight) << " < min " << fmt(min)
                       << ": it is one grid";
            } else if (!piece.count.feasible) {
                problem.cause = BandCause::no_grid_count;
                detail << "its connected piece weighs " << fmt(piece.light)
                       << (piece.heavy.empty() ? "" : " without its atoms heavier than max") << ": " << piece.count.lo
                       << " grids are needed to stay at or below max " << fmt(max) << " but at most " << piece.count.hi
                       << " stay at or above min " << fmt(min) << "; " << piece.tried.front() - piece.heavy_count()
                       << " grids were made";
            } else {
                problem.cause = BandCause::atom_granularity;
                describe_granularity(piece, p, detail);
            }
            problem.detail = detail.str();
            problems.push_back(std::move(problem));
        }
    }

  private:
    [[nodiscard]] std::vector<int> parts_of(const Piece& piece) const {
        std::vector<int> parts;
        for (std::uint32_t a : piece.members) {
            parts.push_back(m_state.part(a));
        }
        std::sort(parts.begin(), parts.end());
        parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
        return parts;
    }

    [[nodiscard]] bool holds_heavy(const Piece& piece, int p) const {
        return std::any_of(piece.heavy.begin(), piece.heavy.end(),
                           [&](std::uint32_t a) { return m_state.part(a) == p; });
    }

    [[nodiscard]] BandScore score(const Piece& piece) const {
        BandScore s;
        for (int p : parts_of(piece)) {
            const double v = m_state.part_violation(p);
            if (v > m_eps) {
                s.bad += 1;
                s.violation += v;
            }
        }
        return s;
    }

    // A part outside the band that no hard cause explains (heavy atom, light piece).
    [[nodiscard]] bool needs_fix(const Piece& piece) const {
        if (piece.weight < m_options.band_min() - m_eps) {
            return false;
        }
        for (int p : parts_of(piece)) {
            if (m_state.part_violation(p) > m_eps && !holds_heavy(piece, p)) {
                return true;
            }
        }
        return false;
    }

    [[nodiscard]] std::vector<int> snapshot(const Piece& piece) const {
        std::vector<int> parts;
        parts.reserve(piece.members.size());
        for (std::uint32_t a : piece.members) {
            parts.push_back(m_state.part(a));
        }
        return parts;
    }

    void restore(const Piece& piece, const std::vector<int>& parts) {
        for (std::size_t i = 0; i < piece.members.size(); ++i) {
            m_state.assign(piece.members[i], parts[i]);
        }
        m_state.recompute();
    }

    // Shared boundary from part p to each neighbouring part.
    [[nodiscard]] std::vector<std::pair<int, double>> touching(const Piece& piece, int p) const {
        std::vector<std::pair<int, double>> out;
        for (std::uint32_t a : piece.members) {
            if (m_state.part(a) != p) {
                continue;
            }
            for (std::size_t e = m_atoms.offsets[a]; e < m_atoms.offsets[a + 1]; ++e) {
                const int q = m_state.part(m_atoms.adjacency[e]);
                if (q == p) {
                    continue;
                }
                auto it = std::find_if(out.begin(), out.end(), [q](const auto& x) { return x.first == q; });
                if (it == out.end()) {
                    out.emplace_back(q, m_atoms.shared_length[e]);
                } else {
                    it->second += m_atoms.shared_length[e];
                }
            }
        }
        return out;
    }

    // Under-min part p joins the neighbour it shares most boundary with among those that stay
    // within max: the two are adjacent, so the union is contiguous.
    bool merge(const Piece& piece, int p) {
        const double max = m_options.band_max();
        int best = -1;
        double best_shared = 0.0;
        for (const auto& [q, shared] : touching(piece, p)) {
            if (m_state.weight(p) + m_state.weight(q) <= max + m_eps &&
                (best < 0 || shared > best_shared || (shared == best_shared && q < best))) {
                best = q;
                best_shared = shared;
            }
        }
        if (best < 0) {
            return false;
        }
        for (std::uint32_t a : piece.members) {
            if (m_state.part(a) == p) {
                m_state.assign(a, best);
            }
        }
        m_state.recompute();
        return true;
    }

    // Under-min part p handed out atom by atom to neighbours with room below max; undone
    // unless p empties completely.
    bool spread(const Piece& piece, int p) {
        const double max = m_options.band_max();
        const std::vector<int> before = snapshot(piece);
        for (bool moved = true; moved && m_state.count(p) > 0;) {
            moved = false;
            for (std::uint32_t a : piece.order) {
                if (m_state.part(a) != p) {
                    continue;
                }
                const auto& nbs = m_state.neighbours(a);
                double own = 0.0;
                int best = -1;
                double best_shared = 0.0;
                double best_eff = 0.0;
                for (const auto& nb : nbs) {
                    if (nb.part == p) {
                        own = nb.eff_shared;
                    } else if (m_state.weight(nb.part) + m_atoms.weight[a] <= max + m_eps &&
                               (best < 0 || nb.shared > best_shared)) {
                        best = nb.part;
                        best_shared = nb.shared;
                        best_eff = nb.eff_shared;
                    }
                }
                if (best >= 0) {
                    m_state.move(a, best, own, best_eff);
                    moved = true;
                }
            }
        }
        if (m_state.count(p) > 0) {
            restore(piece, before);
            return false;
        }
        return true;
    }

    // Over-max part p (no heavy atom) cut in two by METIS; kept when the piece's band
    // violation drops after the band repair.
    bool bisect(Piece& piece, int p) {
        const BandScore was = score(piece);
        const std::vector<int> before = snapshot(piece);
        std::vector<std::uint32_t> members;
        for (std::uint32_t a : piece.members) {
            if (m_state.part(a) == p) {
                members.push_back(a);
            }
        }
        const std::vector<int> half = metis_split(m_atoms, members, 2, piece.seed, m_mean_shared, m_options);
        const int q = m_state.add_part();
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (half[i] == 1) {
                m_state.assign(members[i], q);
            }
        }
        m_state.recompute();
        repair_contiguity(m_atoms, m_state);
        repair_band(m_atoms, m_state, piece.order, m_options.max_passes);
        if (score(piece).better_than(was)) {
            return true;
        }
        restore(piece, before);
        return false;
    }

    void local_fixes(Piece& piece) {
        const double min = m_options.band_min();
        const double max = m_options.band_max();
        for (int round = 0; round < 8; ++round) {
            bool changed = false;
            std::vector<int> parts = parts_of(piece);
            std::sort(parts.begin(), parts.end(), [&](int a, int b) {
                return std::make_pair(m_state.weight(a), a) < std::make_pair(m_state.weight(b), b);
            });
            for (int p : parts) {
                if (m_state.count(p) > 0 && m_state.weight(p) < min - m_eps) {
                    changed = merge(piece, p) || spread(piece, p) || changed;
                }
            }
            for (int p : parts_of(piece)) {
                if (m_state.count(p) >= 2 && m_state.weight(p) > max + m_eps && !holds_heavy(piece, p)) {
                    changed = bisect(piece, p) || changed;
                }
            }
            if (!changed) {
                break;
            }
            repair_band(m_atoms, m_state, piece.order, m_options.max_passes);
        }
    }

    // The piece split afresh into k parts (new part ids), then repaired and fixed.
    void resplit(Piece& piece, int k, std::uint64_t round) {
        if (std::find(piece.tried.begin(), piece.tried.end(), k) == piece.tried.end()) {
            piece.tried.push_back(k);
        }
        piece.attempts += 1;
        const std::vector<int> local =
            metis_split(m_atoms, piece.members, k, piece.seed + 7919 * round, m_mean_shared, m_options);
        std::vector<int> ids(static_cast<std::size_t>(k));
        for (int& id : ids) {
            id = m_state.add_part();
        }
        for (std::size_t i = 0; i < piece.members.size(); ++i) {
            m_state.assign(piece.members[i], ids[static_cast<std::size_t>(local[i])]);
        }
        m_state.recompute();
        repair_contiguity(m_atoms, m_state);
        repair_band(m_atoms, m_state, piece.order, m_options.max_passes);
        local_fixes(piece);
    }

    // The heuristics failed: a small piece without heavy atoms is searched exhaustively for a
    // split in band, for each feasible k nearest the first; a split found replaces the current
    // one (the compactness search polishes it later), else the piece is proven impossible.
    void exact(Piece& piece) {
        constexpr std::size_t budget = 5'000'000; // ~0.1 s
        const std::size_t n = piece.members.size();
        if (n > 64 || !piece.heavy.empty() || !piece.count.feasible) {
            return;
        }
        std::vector<std::int32_t> local(m_atoms.size(), -1);
        for (std::size_t i = 0; i < n; ++i) {
            local[piece.members[i]] = static_cast<std::int32_t>(i);
        }
        std::vector<std::uint64_t> nbr(n, 0);
        std::vector<double> w(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t a = piece.members[i];
            w[i] = m_atoms.weight[a];
            if (w[i] < 0) {
                return; // the pruning needs weights ≥ 0
            }
            for (std::size_t e = m_atoms.offsets[a]; e < m_atoms.offsets[a + 1]; ++e) {
                const std::int32_t j = local[m_atoms.adjacency[e]];
                if (j >= 0) {
                    nbr[i] |= std::uint64_t{1} << j;
                }
            }
        }
        ExactSplit search(std::move(nbr), std::move(w), m_options.band_min(), m_options.band_max(), m_eps, budget);
        const int k0 = piece.tried.front();
        std::vector<int> ks;
        for (int k = piece.count.lo; k <= piece.count.hi && static_cast<std::size_t>(k) <= n; ++k) {
            ks.push_back(k);
        }
        std::stable_sort(ks.begin(), ks.end(), [k0](int a, int b) { return std::abs(a - k0) < std::abs(b - k0); });
        piece.exact = Piece::Exact::impossible;
        for (int k : ks) {
            std::vector<int> group;
            const ExactSplit::Result result = search.solve(k, group);
            if (result == ExactSplit::Result::budget) {
                piece.exact = Piece::Exact::budget;
            } else if (result == ExactSplit::Result::found) {
                piece.exact = Piece::Exact::found;
                std::vector<int> ids(static_cast<std::size_t>(k));
                for (int& id : ids) {
                    id = m_state.add_part();
                }
                for (std::size_t i = 0; i < n; ++i) {
                    m_state.assign(piece.members[i], ids[static_cast<std::size_t>(group[i])]);
                }
                m_state.recompute();
                return;
            }
        }
    }

    // The facts behind "atom granularity": the part, its neighbours, and what was tried.
    void describe_granularity(const Piece& piece, int p, std::ostringstream& out) {
        const double max = m_options.band_max();
        auto makeup = [&](int q) {
            double heaviest = 0.0;
            for (std::uint32_t a : piece.members) {
                if (m_state.part(a) == q) {
                    heaviest = std::max(heaviest, m_atoms.weight[a]);
                }
            }
            std::ostringstream m;
            m << m_state.count(q) << " atom" << (m_state.count(q) > 1 ? "s" : "") << ", heaviest " << fmt(heaviest);
            return m.str();
        };
        const int lo = piece.heavy_count() + piece.count.lo;
        const int hi = piece.heavy_count() + piece.count.hi;
        const std::string ks = lo == hi ? std::to_string(lo) : std::to_string(lo) + "–" + std::to_string(hi);
        if (piece.exact == Piece::Exact::impossible) {
            out << "no split of its piece (" << piece.members.size() << " atoms, total " << fmt(piece.weight)
                << ") into k = " << ks << " contiguous grids puts every grid in the band (exhaustive search)";
        } else {
            out << "the repair found no fix for its piece (" << piece.members.size() << " atoms, total "
                << fmt(piece.weight) << "): merges, cuts in two, atom moves and k = " << join(piece.tried) << " ("
                << piece.attempts << " METIS splits) all left it outside";
            if (piece.exact == Piece::Exact::budget) {
                out << "; the exhaustive search ran out of its step budget";
            } else if (!piece.heavy.empty()) {
                out << "; no exhaustive search (the piece has atoms heavier than max)";
            } else if (piece.members.size() > 64) {
                out << "; no exhaustive search (more than 64 atoms)";
            } else {
                out << "; no exhaustive search";
            }
        }
        out << "; the grid is " << makeup(p);
        const auto nbs = touching(piece, p);
        if (!nbs.empty()) {
            out << "; its neighbours weigh";
            for (std::size_t i = 0; i < nbs.size(); ++i) {
                const int q = nbs[i].first;
                out << (i ? ", " : " ") << fmt(m_state.weight(q)) << " (" << makeup(q) << ")";
            }
            if (m_state.weight(p) < m_options.band_min()) {
                double lightest = std::numeric_limits<double>::infinity();
                for (const auto& nb : nbs) {
                    lightest = std::min(lightest, m_state.weight(nb.first));
                }
                out << "; a merge with the lightest would weigh " << fmt(m_state.weight(p) + lightest) << " > max "
                    << fmt(max);
            }
        }
    }

    const AtomSet& m_atoms;
    State& m_state;
    const Options& m_options;
    double m_mean_shared;
    double m_eps;
};

} // namespace

const char* to_string(BandCause cause) noexcept {
    switch (cause) {
    case BandCause::heavy_atom: return "indivisible heavy atom";
    case BandCause::piece_below_min: return "piece below min";
    case BandCause::no_grid_count: return "no whole number of grids fits the band";
    case BandCause::atom_granularity: return "atom granularity";
    }
    return "?";
}

GridCount grid_count(double light, int heavy, const Options& options) {
    const double min = options.band_min();
    const double max = options.band_max();
    const double eps = band_eps(options);
    GridCount g;
    if (light <= eps) {
        g.lo = g.hi = 0;
        g.k = std::max(1, heavy);
        return g;
    }
    g.lo = std::max(1, static_cast<int>(std::ceil((light - eps) / max)));
    g.hi = static_cast<int>(std::floor((light + eps) / min));
    g.feasible = g.lo <= g.hi;
    const int want = std::max(1, static_cast<int>(std::lround(light / options.target)));
    int k = 0;
    if (g.feasible) {
        k = std::clamp(want, g.lo, g.hi);
    } else if (heavy > 0 && light < min) {
        k = 0; // the light atoms join the heavy atoms' grids (over max anyway)
    } else {
        // No k puts every grid in the band: the one with the smaller total shortfall.
        const double short_lo = g.lo * min - light;
        const double short_hi = g.hi > 0 ? light - g.hi * max : std::numeric_limits<double>::infinity();
        k = short_lo <= short_hi ? g.lo : g.hi;
    }
    g.k = std::max(1, heavy + k);
    return g;
}

Split split_atoms(const AtomSet& atoms, const Options& options, std::uint64_t seed) {
    Split split;
    const std::size_t n = atoms.size();
    if (n == 0) {
        return split;
    }
    if (options.target <= 0) {
        throw InputError("target weight per grid must be positive");
    }
    const double max = options.band_max();
    int component_count = 0;
    const std::vector<int> component = atom_components(atoms, component_count);
    std::vector<Piece> pieces(static_cast<std::size_t>(component_count));
    for (std::size_t i = 0; i < n; ++i) {
        Piece& piece = pieces[static_cast<std::size_t>(component[i])];
        piece.members.push_back(static_cast<std::uint32_t>(i));
        piece.weight += atoms.weight[i];
        piece.area += atoms.area[i];
        if (atoms.weight[i] > max) {
            piece.heavy.push_back(static_cast<std::uint32_t>(i));
        } else {
            piece.light += atoms.weight[i];
        }
    }
    double mean_shared = 0.0;
    for (double s : atoms.shared_length) {
        mean_shared += s;
    }
    mean_shared = atoms.shared_length.empty() ? 1.0 : mean_shared / static_cast<double>(atoms.shared_length.size());

    std::vector<int> part(n, 0);
    int parts = 0;
    for (std::size_t c = 0; c < pieces.size(); ++c) {
        Piece& piece = pieces[c];
        piece.seed = seed + c;
        piece.count = grid_count(piece.light, piece.heavy_count(), options);
        const int k = std::min(piece.count.k, static_cast<int>(piece.members.size()));
        piece.tried.push_back(k);
        if (k == 1) {
            for (std::uint32_t a : piece.members) {
                part[a] = parts;
            }
        } else {
            const std::vector<int> local = metis_split(atoms, piece.members, k, piece.seed, mean_shared, options);
            for (std::size_t i = 0; i < piece.members.size(); ++i) {
                part[piece.members[i]] = parts + local[i];
            }
        }
        parts += k;
    }

    State state(atoms, std::move(part), parts, options.band_min(), options.band_max(), options.target);
    repair_contiguity(atoms, state);
    const std::vector<std::uint32_t> order = visit_order(n, seed);
    for (std::uint32_t a : order) {
        pieces[static_cast<std::size_t>(component[a])].order.push_back(a);
    }
    BandFixer fixer(atoms, state, options, mean_shared);
    if (options.repair_band) {
        repair_band(atoms, state, order, options.max_passes);
        for (Piece& piece : pieces) {
            fixer.settle(piece);
        }
    }
    if (options.improve) {
        improve_compactness(atoms, state, order, options.max_passes);
    }
    for (const Piece& piece : pieces) {
        fixer.diagnose(piece, split.problems);
    }
    // Number the non-empty parts by their lowest atom id.
    std::vector<int> renumber(static_cast<std::size_t>(state.parts()), -1);
    split.part.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        int& r = renumber[static_cast<std::size_t>(state.part(i))];
        if (r < 0) {
            r = split.parts++;
        }
        split.part[i] = r;
    }
    for (BandProblem& problem : split.problems) {
        problem.part = renumber[static_cast<std::size_t>(problem.part)];
    }
    return split;
}

} // namespace geo::partition
