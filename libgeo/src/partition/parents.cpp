#include "geo/partition/parents.hpp"

#include "geo/core/error.hpp"
#include "geo/core/strtree.hpp"
#include "slivers.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace geo::partition {
namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string area_text(double a) {
    std::ostringstream out;
    out.precision(a < 10 ? 3 : 0);
    out << std::fixed << a << " m²";
    return out.str();
}

} // namespace

PreparedParents prepare_parents(std::vector<ParentFeature> features, bool strict) {
    PreparedParents out;
    std::map<std::string, std::size_t> by_code;
    for (ParentFeature& f : features) {
        const std::string code = f.code ? trim(*f.code) : std::string{};
        if (code.empty()) {
            out.issues.push_back({f.fid, {}, "missing code", "skipped", true});
            continue;
        }
        if (f.geometry.is_null() || f.geometry.is_empty()) {
            out.issues.push_back({f.fid, code, "no geometry", "skipped", true});
            continue;
        }
        core::Geometry geometry = f.geometry;
        if (!geometry.is_valid()) {
            const std::string reason = geometry.invalid_reason();
            geometry = geometry.make_valid().polygonal_parts();
            out.issues.push_back({f.fid, code, "invalid geometry (" + reason + ")",
                                  "repaired with make_valid, polygonal parts kept", false});
        } else {
            geometry = geometry.polygonal_parts();
        }
        if (geometry.is_empty() || geometry.area() <= 0.0) {
            out.issues.push_back({f.fid, code, "no polygonal area", "skipped", true});
            continue;
        }
        auto found = by_code.find(code);
        if (found != by_code.end()) {
            Parent& p = out.parents[found->second];
            p.geometry = p.geometry.union_with(geometry).polygonal_parts();
            out.fids[found->second].push_back(f.fid);
            out.issues.push_back(
                {f.fid, code, "duplicate code (also feature " + std::to_string(out.fids[found->second].front()) + ")",
                 "merged into one parent", false});
            continue;
        }
        by_code.emplace(code, out.parents.size());
        out.parents.push_back({code, f.name, std::move(geometry)});
        out.fids.push_back({f.fid});
    }

    // Overlaps: cut from the later parent (input order), found with a box tree.
    core::StrTree tree;
    for (const Parent& p : out.parents) {
        tree.insert(p.geometry.bounds());
    }
    tree.build();
    std::vector<bool> emptied(out.parents.size(), false);
    for (std::size_t j = 0; j < out.parents.size(); ++j) {
        for (std::size_t i : tree.query(out.parents[j].geometry.bounds())) {
            if (i >= j || emptied[i]) {
                continue;
            }
            Parent& later = out.parents[j];
            const core::Geometry overlap = later.geometry.intersection(out.parents[i].geometry).polygonal_parts();
            const double a = overlap.is_empty() ? 0.0 : overlap.area();
            if (a <= 1e-9 * later.geometry.area()) {
                continue;
            }
            // The cut leaves slivers along the shared edge where the two boundaries differ by
            // rounding; they are dropped (a sliver parent once made grids of nothing: found by
            // tests/fuzz/targets/partition.cpp).
            later.geometry =
                detail::without_slivers(later.geometry.difference(out.parents[i].geometry).polygonal_parts());
            const bool gone = later.geometry.is_empty() || later.geometry.area() <= 0.0;
            out.issues.push_back(
                {out.fids[j].front(), later.code, "overlaps parent " + out.parents[i].code + " by " + area_text(a),
                 gone ? "skipped: nothing left after cutting the overlap" : "overlap cut from this (later) parent",
                 gone});
            if (gone) {
                emptied[j] = true;
                break;
            }
        }
    }
    for (std::size_t j = 0; j < out.parents.size(); ++j) {
        if (!emptied[j] && out.parents[j].geometry.num_geometries() > 1) {
            out.issues.push_back(
                {out.fids[j].front(), out.parents[j].code,
                 "multi-part geometry (" + std::to_string(out.parents[j].geometry.num_geometries()) + " parts)",
                 "kept; every part is divided on its own", false});
        }
    }
    if (std::any_of(emptied.begin(), emptied.end(), [](bool b) { return b; })) {
        PreparedParents kept;
        kept.issues = std::move(out.issues);
        for (std::size_t j = 0; j < out.parents.size(); ++j) {
            if (!emptied[j]) {
                kept.parents.push_back(std::move(out.parents[j]));
                kept.fids.push_back(std::move(out.fids[j]));
            }
        }
        out = std::move(kept);
    }
    if (strict) {
        std::ostringstream list;
        int skipped = 0;
        for (const ParentIssue& issue : out.issues) {
            if (issue.skipped) {
                list << (skipped++ ? "; " : "") << "feature " << issue.fid << ": " << issue.problem;
            }
        }
        if (skipped > 0) {
            throw InputError(std::to_string(skipped) + " parent feature(s) unusable: " + list.str(), {},
                             "fix the codes/geometry or run without --strict to skip them");
        }
    }
    return out;
}

} // namespace geo::partition
