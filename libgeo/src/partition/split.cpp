// Balanced contiguous split of an atom graph: METIS k-way (contiguous) per
// connected component, then contiguity repair, band repair and a compactness
// local search. See docs/partition.md for why this combination.
#include "geo/partition/atoms.hpp"

#include "geo/core/error.hpp"

#include <metis.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>
#include <random>
#include <sstream>
#include <tuple>

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

// Number of grids for a component of total weight w with n atoms.
int grids_for(double w, std::size_t n, const Options& options) {
    const double min = options.band_min();
    const double max = options.band_max();
    int k = std::max(1, static_cast<int>(std::lround(w / options.target)));
    while (k > 1 && w / k < min) {
        --k;
    }
    while (w / k > max && static_cast<std::size_t>(k) < n) {
        ++k;
    }
    return std::min<int>(k, static_cast<int>(std::max<std::size_t>(1, n)));
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

// METIS k-way on the sub-graph of `members`; returns a local part per member.
std::vector<int> metis_split(const AtomSet& atoms, const std::vector<std::uint32_t>& members, int k, std::uint64_t seed,
                             double mean_shared, bool contiguous, int ufactor) {
    std::vector<idx_t> local(atoms.size(), -1);
    for (std::size_t i = 0; i < members.size(); ++i) {
        local[members[i]] = static_cast<idx_t>(i);
    }
    double total = 0.0;
    for (std::uint32_t a : members) {
        total += atoms.weight[a];
    }
    const double scale = total > 0 ? 1e7 / total : 0.0;
    std::vector<idx_t> xadj{0};
    std::vector<idx_t> adjncy;
    std::vector<idx_t> adjwgt;
    std::vector<idx_t> vwgt;
    xadj.reserve(members.size() + 1);
    vwgt.reserve(members.size());
    for (std::uint32_t a : members) {
        vwgt.push_back(static_cast<idx_t>(std::llround(atoms.weight[a] * scale)) + 1);
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
    idx_t options[METIS_NOPTIONS];
    // METIS's random generator (GKlib) is process-global: concurrent calls from
    // several threads would interleave its sequence and break determinism.
    static std::mutex metis_mutex;
    std::lock_guard lock(metis_mutex);
    for (int contig : {contiguous ? 1 : 0, 0}) {
        METIS_SetDefaultOptions(options);
        options[METIS_OPTION_SEED] = static_cast<idx_t>(seed % 2147483647ULL);
        options[METIS_OPTION_CONTIG] = contig;
        options[METIS_OPTION_NUMBERING] = 0;
        options[METIS_OPTION_UFACTOR] = static_cast<idx_t>(ufactor);
        const int rc = METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(), vwgt.data(), nullptr,
                                           adjwgt.data(), &nparts, nullptr, nullptr, options, &objval, part.data());
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
            if (state.violation(state.weight(p)) > 0) {
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
            for (std::size_t a = 0; a < atoms.size(); ++a) {
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

} // namespace

Split split_atoms(const AtomSet& atoms, const Options& options, std::uint64_t seed) {
    Split split;
    const std::size_t n = atoms.size();
    if (n == 0) {
        return split;
    }
    if (options.target <= 0) {
        throw InputError("target weight per grid must be positive");
    }
    int component_count = 0;
    const std::vector<int> component = atom_components(atoms, component_count);
    std::vector<std::vector<std::uint32_t>> members(static_cast<std::size_t>(component_count));
    for (std::size_t i = 0; i < n; ++i) {
        members[static_cast<std::size_t>(component[i])].push_back(static_cast<std::uint32_t>(i));
    }
    double mean_shared = 0.0;
    for (double s : atoms.shared_length) {
        mean_shared += s;
    }
    mean_shared = atoms.shared_length.empty() ? 1.0 : mean_shared / static_cast<double>(atoms.shared_length.size());

    std::vector<int> part(n, 0);
    int parts = 0;
    for (std::size_t c = 0; c < members.size(); ++c) {
        double w = 0.0;
        double area = 0.0;
        for (std::uint32_t a : members[c]) {
            w += atoms.weight[a];
            area += atoms.area[a];
        }
        const int k = grids_for(w, members[c].size(), options);
        if (w < options.band_min()) {
            std::ostringstream note;
            note << "a connected piece of " << std::lround(area) << " m² holds weight " << w << ", below min "
                 << options.band_min() << ": it becomes one grid under the band";
            split.notes.push_back(note.str());
        }
        if (k == 1) {
            for (std::uint32_t a : members[c]) {
                part[a] = parts;
            }
        } else {
            const std::vector<int> local = metis_split(atoms, members[c], k, seed + c, mean_shared,
                                                       options.metis_contiguous, metis_ufactor(options));
            for (std::size_t i = 0; i < members[c].size(); ++i) {
                part[members[c][i]] = parts + local[i];
            }
        }
        parts += k;
    }

    State state(atoms, std::move(part), parts, options.band_min(), options.band_max(), options.target);
    repair_contiguity(atoms, state);
    const std::vector<std::uint32_t> order = visit_order(n, seed);
    if (options.repair_band) {
        repair_band(atoms, state, order, options.max_passes);
    }
    if (options.improve) {
        improve_compactness(atoms, state, order, options.max_passes);
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
    return split;
}

} // namespace geo::partition
