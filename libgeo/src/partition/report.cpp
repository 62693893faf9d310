#include "geo/partition/report.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace geo::partition {
namespace {

std::string num(double v, int decimals = 1) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << v;
    return out.str();
}

std::string percent(double share) {
    return num(100.0 * share, 1) + " %";
}

std::string escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

GridStats grid_stats(const std::vector<const Grid*>& grids, const Options& options) {
    GridStats stats;
    stats.grids = grids.size();
    if (grids.empty()) {
        return stats;
    }
    std::vector<double> w;
    double compact = 0.0;
    std::size_t inside = 0;
    const double eps = 1e-9 * std::max(1.0, options.target);
    for (const Grid* g : grids) {
        w.push_back(g->weight);
        compact += g->compactness;
        if (g->weight >= options.band_min() - eps && g->weight <= options.band_max() + eps) {
            ++inside;
        }
    }
    std::sort(w.begin(), w.end());
    stats.weight_min = w.front();
    stats.weight_max = w.back();
    stats.weight_median = w.size() % 2 ? w[w.size() / 2] : (w[w.size() / 2 - 1] + w[w.size() / 2]) / 2;
    stats.in_band = static_cast<double>(inside) / static_cast<double>(grids.size());
    stats.mean_compactness = compact / static_cast<double>(grids.size());
    return stats;
}

std::string markdown_report(const std::vector<ParentResult>& results, const Options& options,
                            const std::vector<ParentIssue>& issues, double seconds, const std::string& title,
                            const std::vector<PreviousGrid>& retired) {
    std::ostringstream out;
    out << "# " << title << "\n\n";
    out << "Target " << num(options.target, 0) << " per grid, band [" << num(options.band_min(), 0) << ", "
        << num(options.band_max(), 0) << "], seed " << options.seed << ", sequence width " << options.seq_width
        << ".\n\n";

    std::vector<const Grid*> all;
    double cut = 0.0;
    double cut_barrier = 0.0;
    std::size_t heavy = 0;
    std::size_t atoms = 0;
    for (const ParentResult& r : results) {
        for (const Grid& g : r.grids) {
            all.push_back(&g);
        }
        cut += r.cut_length;
        cut_barrier += r.cut_on_barriers;
        heavy += r.heavy_atoms.size();
        atoms += r.atom_count;
    }
    const GridStats total = grid_stats(all, options);
    out << "## Overall\n\n";
    out << "| parents | atoms | grids | weight min | median | max | in band | mean compactness | cut on barriers | "
           "atoms > max | time |\n";
    out << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    out << "| " << results.size() << " | " << atoms << " | " << total.grids << " | " << num(total.weight_min) << " | "
        << num(total.weight_median) << " | " << num(total.weight_max) << " | " << percent(total.in_band) << " | "
        << num(total.mean_compactness, 3) << " | " << (cut > 0 ? percent(cut_barrier / cut) : std::string("–")) << " | "
        << heavy << " | " << num(seconds, 2) << " s |\n\n";
    out << "Compactness is Polsby–Popper 4πA/P² (1 = circle, 0.785 = square). \"Cut on barriers\" is the share of "
           "the length of boundaries between grids that runs along the given barriers.\n\n";

    out << "## Per parent\n\n";
    out << "| code | name | weight | grids | min | median | max | in band | compactness | cut on barriers | "
           "atoms > max | coverage error | time |\n";
    out << "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const ParentResult& r : results) {
        std::vector<const Grid*> grids;
        for (const Grid& g : r.grids) {
            grids.push_back(&g);
        }
        const GridStats s = grid_stats(grids, options);
        std::ostringstream coverage;
        coverage << std::scientific << std::setprecision(1) << r.coverage_error;
        out << "| " << escape(r.code) << " | " << escape(r.name) << " | " << num(r.total_weight) << " | " << s.grids
            << " | " << num(s.weight_min) << " | " << num(s.weight_median) << " | " << num(s.weight_max) << " | "
            << percent(s.in_band) << " | " << num(s.mean_compactness, 3) << " | "
            << (r.cut_length > 0 ? percent(r.cut_on_barriers / r.cut_length) : std::string("–")) << " | "
            << r.heavy_atoms.size() << " | " << coverage.str() << " | " << num(r.seconds, 2) << " s |\n";
    }
    out << "\n";

    bool any_notes = false;
    for (const ParentResult& r : results) {
        if (r.notes.empty() && r.heavy_atoms.empty() && r.out_of_band.empty()) {
            continue;
        }
        if (!any_notes) {
            out << "## Where the band cannot be met\n\n";
            out << "Every grid outside [" << num(options.band_min(), 0) << ", " << num(options.band_max(), 0)
                << "] is listed with the cause the run found (docs/partition.md, \"When the band cannot be "
                   "met\").\n\n";
            any_notes = true;
        }
        out << "### " << r.code << (r.name.empty() ? "" : " " + r.name) << "\n\n";
        if (r.total_weight < options.band_min()) {
            out << "- The parent's total weight " << num(r.total_weight) << " is below min " << num(options.band_min())
                << ": it can only be one grid under the band.\n";
        }
        for (const BandShortfall& b : r.out_of_band) {
            out << "- grid " << b.code << " weighs " << num(b.weight) << " "
                << (b.weight < options.band_min() ? "< min " + num(options.band_min())
                                                  : "> max " + num(options.band_max()))
                << " — **" << to_string(b.cause) << "**: " << b.detail << "\n";
        }
        for (const std::string& note : r.notes) {
            out << "- " << note << "\n";
        }
        for (const HeavyAtom& h : r.heavy_atoms) {
            out << "- atom";
            if (!h.grid_code.empty()) {
                out << " in grid " << h.grid_code;
            }
            out << " at ";
            if (h.lonlat) {
                out << num(h.lonlat->x, 6) << ", " << num(h.lonlat->y, 6) << " (lon, lat WGS 84); ";
            }
            if (h.parents_xy && (!h.lonlat || h.parents_xy->x != h.lonlat->x || h.parents_xy->y != h.lonlat->y)) {
                out << num(h.parents_xy->x, 6) << ", " << num(h.parents_xy->y, 6) << " (parents' CRS); ";
            }
            out << num(h.centroid.x) << ", " << num(h.centroid.y) << " (local metric CRS) weighs " << num(h.weight)
                << " > max " << num(options.band_max()) << " on " << num(h.area_m2, 0)
                << " m² and cannot be split (one weight feature, or weights stacked on one spot)\n";
        }
        out << "\n";
    }

    bool repartition = !retired.empty();
    for (const ParentResult& r : results) {
        repartition = repartition || !r.kept_codes.empty() || !r.changed_codes.empty();
    }
    if (repartition) {
        out << "## Stable re-partition\n\n| parent | kept | changed (retired) | new |\n|---|---|---|---|\n";
        auto join = [](const std::vector<std::string>& codes) {
            std::string s;
            for (const std::string& c : codes) {
                s += (s.empty() ? "" : ", ") + c;
            }
            return s.empty() ? std::string("–") : s;
        };
        for (const ParentResult& r : results) {
            out << "| " << r.code << " | " << join(r.kept_codes) << " | " << join(r.changed_codes) << " | "
                << join(r.new_codes) << " |\n";
        }
        // Grids of parents that are no longer in the input: all retired.
        for (std::size_t i = 0; i < retired.size();) {
            std::vector<std::string> codes;
            std::size_t j = i;
            for (; j < retired.size() && retired[j].parent_code == retired[i].parent_code; ++j) {
                codes.push_back(retired[j].code);
            }
            out << "| " << escape(retired[i].parent_code) << " (parent gone) | – | " << join(codes) << " | – |\n";
            i = j;
        }
        out << "\n";
        if (!retired.empty()) {
            out << retired.size() << " grid(s) of the previous partition belong to parents that are not in this "
                << "input: they are retired.\n\n";
        }
    }

    if (!issues.empty()) {
        out << "## Parent problems\n\n| feature id | code | problem | action |\n|---:|---|---|---|\n";
        for (const ParentIssue& i : issues) {
            out << "| " << i.fid << " | " << escape(i.code) << " | " << escape(i.problem) << " | " << escape(i.action)
                << " |\n";
        }
        out << "\n";
    }
    return out.str();
}

} // namespace geo::partition
