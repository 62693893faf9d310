#include "geo/incident/importer.hpp"

#include "geo/crs/transformer.hpp"
#include "geo/io/writer.hpp"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <unordered_map>

namespace geo::incident {

const char* to_string(RowProblem problem) noexcept {
    switch (problem) {
    case RowProblem::bad_geometry: return "bad geometry";
    case RowProblem::bad_time: return "unparseable time";
    case RowProblem::outside_grids: return "outside all grids";
    case RowProblem::duplicate_id: return "duplicate id in the file";
    case RowProblem::bad_text: return "bad text encoding";
    }
    return "unknown";
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The first of `candidates` that the layer has; nullopt when none.
std::optional<std::size_t> first_field(const io::Layer& layer, std::initializer_list<const char*> candidates) {
    for (const char* name : candidates) {
        if (auto i = layer.find_field(name)) {
            return i;
        }
    }
    return std::nullopt;
}

// A user-named field must exist (the error lists the fields); an unnamed one
// falls back to the defaults.
std::optional<std::size_t> pick_field(const io::Layer& layer, const std::string& given,
                                      std::initializer_list<const char*> defaults) {
    if (!given.empty()) {
        return layer.field_index(given);
    }
    return first_field(layer, defaults);
}

bool truthy(const io::Value& v) {
    if (const auto i = io::to_int64(v)) {
        return *i != 0;
    }
    const std::string s = io::to_string(v);
    return s == "true" || s == "yes" || s == "t" || s == "y";
}

std::optional<core::XY> point_of(const core::Geometry& g, std::string& why) {
    if (g.is_null()) {
        why = "no geometry";
        return std::nullopt;
    }
    if (g.is_empty()) {
        why = "empty geometry";
        return std::nullopt;
    }
    const auto type = g.type();
    if (type != core::GeometryType::point && type != core::GeometryType::multi_point) {
        why = std::string("not a point (") + core::to_string(type) + ")";
        return std::nullopt;
    }
    const auto pts = g.points();
    if (pts.size() != 1) {
        why = "multi-point with " + std::to_string(pts.size()) + " points";
        return std::nullopt;
    }
    return pts.front();
}

// 64-bit FNV-1a: small, stable across platforms and releases (the ids it makes are stored).
struct Fnv1a {
    std::uint64_t h = 14695981039346656037ULL;
    void add(std::string_view text) {
        for (const char c : text) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
    }
    void separator() { add("\x1f"); }
};

// The layer "grids" of the store would be read when the grid source names no layer.
std::string grid_layer_name(const GridSource& source) {
    if (!source.layer.empty()) {
        return source.layer;
    }
    const auto layers = io::list_layers(source.path);
    const bool has_grids =
        std::any_of(layers.begin(), layers.end(), [](const io::LayerInfo& l) { return l.name == "grids"; });
    return has_grids ? "grids" : std::string();
}

} // namespace

std::function<void(const io::FeatureError&)> UnreadRows::collector(std::size_t max_details) {
    return [this, max_details](const io::FeatureError& e) {
        (e.problem == io::FeatureProblem::text_encoding ? bad_text : bad_geometry) += 1;
        if (first.size() < max_details) {
            first.push_back(e);
        }
    };
}

std::string fid_external_id(std::int64_t fid, const NewIncident& incident, bool has_time_field) {
    Fnv1a hash;
    hash.add(has_time_field ? format_time(incident.reported_at) : std::string());
    hash.separator();
    hash.add(incident.category);
    hash.separator();
    hash.add(incident.description);
    hash.separator();
    char where[64];
    std::snprintf(where, sizeof where, "%.7f %.7f", incident.location.x, incident.location.y);
    hash.add(where);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash.h));
    return "fid:" + std::to_string(fid) + ":" + hex;
}

GridCopy keep_grids_with_store(const GridSource& grids, const std::string& store_path) {
    std::error_code ec;
    if (std::filesystem::exists(store_path, ec)) {
        const auto layers = io::list_layers(store_path);
        const bool store_has =
            std::any_of(layers.begin(), layers.end(), [](const io::LayerInfo& l) { return l.name == "grids"; });
        if (store_has) {
            const bool same = std::filesystem::equivalent(grids.path, store_path, ec) &&
                              (grids.layer.empty() || grids.layer == "grids");
            if (same) {
                return GridCopy::same_file;
            }
            auto codes = [](const std::vector<Grid>& list) {
                std::vector<std::string> out;
                out.reserve(list.size());
                for (const auto& g : list) {
                    out.push_back(g.code);
                }
                std::sort(out.begin(), out.end());
                return out;
            };
            GridSource stored{store_path, "grids", grids.code_field, grids.parent_field, {}};
            const bool equal = codes(load_grids(stored)) == codes(load_grids(grids));
            return equal ? GridCopy::store_has_grids : GridCopy::store_has_other_grids;
        }
    }
    io::ReadOptions read;
    read.crs_override = grids.crs_override;
    read.layer = grid_layer_name(grids);
    io::Layer layer = io::read_layer(grids.path, read);
    io::WriteOptions write;
    write.layer = "grids";
    write.mode = io::WriteMode::create;
    (void)io::write_layer(store_path, layer, write);
    return GridCopy::copied;
}

std::vector<Grid> load_grids(const GridSource& source) {
    io::ReadOptions read;
    read.crs_override = source.crs_override;
    read.layer = grid_layer_name(source);
    io::Layer layer = io::read_layer(source.path, read);
    const auto code = pick_field(layer, source.code_field, {"code", "grid_code"});
    if (!code) {
        throw InputError("grid layer has no code field", ErrorContext{source.path, layer.name, {}},
                         "name it with --grid-code-field (fields: code or grid_code are found automatically)");
    }
    const auto parent =
        pick_field(layer, source.parent_field, {"parent_code", "jurisdiction_code", "community_code", "parent"});
    io::transform_layer(layer, crs::Crs::wgs84());
    std::vector<Grid> grids;
    grids.reserve(layer.features.size());
    for (auto& f : layer.features) {
        Grid g;
        g.code = io::to_string(f.attributes[*code]);
        if (parent) {
            g.parent_code = io::to_string(f.attributes[*parent]);
        }
        if (f.geometry.is_null()) {
            throw InputError("grid '" + g.code + "' has no geometry", ErrorContext{source.path, layer.name, f.id});
        }
        g.geometry = std::move(f.geometry);
        grids.push_back(std::move(g));
    }
    if (grids.empty()) {
        throw InputError("the grid layer is empty", ErrorContext{source.path, layer.name, {}});
    }
    return grids;
}

ImportReport import_layer(const io::Layer& layer, const std::string& file_label, const GridAssigner& grids,
                          IncidentStore& store, const ImportOptions& options, const UnreadRows& unread) {
    ImportReport report;
    report.file = file_label;
    report.layer = layer.name;
    report.rows = layer.features.size() + unread.bad_text + unread.bad_geometry;
    report.bad_text = unread.bad_text;
    report.bad_geometry = unread.bad_geometry;
    // Rows the reader could not read (sorted in with the others at the end).
    const std::string* encoding_hint = nullptr;
    for (const auto& e : unread.first) {
        const bool text = e.problem == io::FeatureProblem::text_encoding;
        if (text && encoding_hint == nullptr && !e.hint.empty()) {
            encoding_hint = &e.hint;
        }
        if (report.issues.size() < options.max_issue_details) {
            std::string detail = e.message;
            while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.back()))) {
                detail.pop_back(); // GEOS messages end with a newline
            }
            report.issues.push_back(
                {e.feature_id, {}, text ? RowProblem::bad_text : RowProblem::bad_geometry, std::move(detail), false});
        }
    }
    if (encoding_hint != nullptr) {
        report.notes.push_back(std::to_string(report.bad_text) + (report.bad_text == 1 ? " row" : " rows") +
                               " with text that is not valid UTF-8 skipped: " + *encoding_hint);
    }

    const auto category = pick_field(layer, options.category_field, {"category"});
    const auto time = pick_field(layer, options.time_field, {"reported_at"});
    const auto id = pick_field(layer, options.id_field, {});
    const auto description = pick_field(layer, options.description_field, {"description"});
    const auto synthetic = first_field(layer, {"synthetic"});
    if (!category) {
        report.notes.push_back("no category field: every incident is 'unspecified' (use --category-field)");
    }
    const TimePoint now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!time) {
        report.notes.push_back("no time field: reported_at is the import time " + format_time(now) +
                               " (use --time-field)");
    }
    const std::string source =
        options.source.empty() ? std::filesystem::path(file_label).filename().string() : options.source;
    const crs::Transformer to_wgs84(layer.crs, crs::Crs::wgs84());
    const bool identity = to_wgs84.is_identity();

    auto issue = [&](const io::Feature& f, std::string ext, RowProblem p, std::string detail, bool kept) {
        if (report.issues.size() < options.max_issue_details) {
            report.issues.push_back({f.id, std::move(ext), p, std::move(detail), kept});
        }
    };

    const auto& grid_list = grids.grids();
    // Ids seen in this file (only with an id field: FID-based ids cannot repeat). A repeat is a
    // different row claiming the same ticket: the first wins and the repeat is reported.
    std::unordered_map<std::string, std::int64_t> first_row_with_id;
    if (id) {
        first_row_with_id.reserve(layer.features.size());
    }
    // One row of the layer into `in`; false when the row is skipped (counted
    // and listed in the report).
    auto convert = [&](const io::Feature& f, NewIncident& in) -> bool {
        if (id) {
            in.external_id = io::to_string(f.attributes[*id]);
        }
        // Without an id (no id field, or an empty value) the id is made from the FID and the
        // row's content once the row is converted (below); issues until then name no id.
        const bool fid_id = in.external_id.empty();
        if (!fid_id) {
            if (const auto [it, fresh] = first_row_with_id.emplace(in.external_id, f.id); !fresh) {
                ++report.duplicate_ids;
                issue(f, in.external_id, RowProblem::duplicate_id, "also row " + std::to_string(it->second), false);
                return false;
            }
        }
        std::string why;
        auto p = point_of(f.geometry, why);
        if (p && !identity) {
            try {
                p = to_wgs84.transform(*p);
            } catch (const CrsError& e) {
                why = std::string("cannot transform to WGS 84: ") + e.what();
                p.reset();
            }
        }
        if (p && (!std::isfinite(p->x) || !std::isfinite(p->y) || std::abs(p->x) > 180 || std::abs(p->y) > 90)) {
            why = "coordinates outside WGS 84 range";
            p.reset();
        }
        if (!p) {
            ++report.bad_geometry;
            issue(f, in.external_id, RowProblem::bad_geometry, why, false);
            return false;
        }
        in.location = *p;
        if (time) {
            const std::string text = io::to_string(f.attributes[*time]);
            const auto t = options.time_format.empty()
                               ? parse_time(text, options.utc_offset_minutes)
                               : parse_time_with_format(text, options.time_format, options.utc_offset_minutes);
            if (!t) {
                ++report.bad_time;
                issue(f, in.external_id, RowProblem::bad_time,
                      "'" + text + "'" + (options.time_format.empty() ? "" : " does not match " + options.time_format),
                      false);
                return false;
            }
            in.reported_at = *t;
        } else {
            in.reported_at = now;
        }
        in.category = category ? io::to_string(f.attributes[*category]) : std::string();
        if (in.category.empty()) {
            in.category = "unspecified";
        }
        if (description) {
            in.description = io::to_string(f.attributes[*description]);
        }
        in.synthetic = options.synthetic || (synthetic && truthy(f.attributes[*synthetic]));
        in.source = source;
        if (fid_id) {
            in.external_id = fid_external_id(f.id, in, time.has_value());
        }
        const Assignment a = grids.assign(in.location);
        if (a.grid) {
            const Grid& g = grid_list[*a.grid];
            in.grid_code = g.code;
            if (!g.parent_code.empty()) {
                in.jurisdiction_code = g.parent_code;
            }
        } else {
            in.outside = true;
            ++report.outside;
            char where[64];
            std::snprintf(where, sizeof where, "at %.6f, %.6f", in.location.x, in.location.y);
            issue(f, in.external_id, RowProblem::outside_grids, where, true);
        }
        return true;
    };

    // Fills `out` with the next `limit` usable rows (fewer only at the end).
    std::size_t next_row = 0;
    auto fill = [&](std::vector<NewIncident>& out, std::size_t limit) {
        const auto t0 = Clock::now();
        out.clear();
        while (out.size() < limit && next_row < layer.features.size()) {
            NewIncident in;
            if (convert(layer.features[next_row++], in)) {
                out.push_back(std::move(in));
            }
        }
        report.assign_seconds += seconds_since(t0);
    };
    auto progress = [&]() {
        core::report(options.progress, static_cast<double>(next_row) / static_cast<double>(report.rows), "importing");
    };
    auto tally = [&](const std::vector<AddResult>& results) {
        for (const auto& r : results) {
            (r.created ? report.added : report.already_present) += 1;
        }
    };

    const std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
    std::vector<NewIncident> batch;
    batch.reserve(std::min(batch_size, layer.features.size()));
    if (options.bulk_rows > 0 && layer.features.size() >= options.bulk_rows) {
        // One unit: the store pulls the rows batch by batch (only two batches
        // in memory) and may write them in bulk mode. While it writes one
        // batch, the next is converted and assigned on a second thread: the
        // two halves of the work overlap on two cores. Only that thread
        // touches the assigner, the transformer and the report until its
        // future is collected, so they are never used concurrently.
        std::vector<NewIncident> spare;
        spare.reserve(batch.capacity());
        std::vector<NewIncident>* ready = &batch;   // being filled
        std::vector<NewIncident>* written = &spare; // handed to the store
        std::future<void> ahead;
        auto fill_ahead = [&]() {
            ahead = std::async(std::launch::async, [&fill, ready, batch_size] { fill(*ready, batch_size); });
        };
        fill_ahead();
        double waited = 0.0;
        const auto t0 = Clock::now();
        tally(store.add_all(layer.features.size(), [&]() -> std::span<const NewIncident> {
            const auto w0 = Clock::now();
            ahead.get();
            waited += seconds_since(w0);
            std::swap(ready, written);
            progress();
            if (!written->empty()) {
                fill_ahead();
            }
            return *written;
        }));
        report.store_seconds = seconds_since(t0) - waited;
    } else {
        while (next_row < layer.features.size()) {
            fill(batch, batch_size);
            progress();
            if (!batch.empty()) {
                const auto t0 = Clock::now();
                tally(store.add_batch(batch));
                report.store_seconds += seconds_since(t0);
            }
        }
    }
    core::report(options.progress, 1.0, "importing");
    // In file order, whichever step found them.
    std::stable_sort(report.issues.begin(), report.issues.end(),
                     [](const RowIssue& a, const RowIssue& b) { return a.feature_id < b.feature_id; });
    return report;
}

ImportReport import_file(const std::string& path, const GridAssigner& grids, IncidentStore& store,
                         const ImportOptions& options) {
    const auto t0 = Clock::now();
    // Bad coordinates are one row's problem here, never the whole file's: import_layer skips and
    // names such rows ("coordinates outside WGS 84 range"), as it does every bad row. So are
    // text that is not UTF-8 and a geometry GEOS cannot hold: the reader leaves such rows out
    // and tells us, and import_layer reports them.
    io::ReadOptions read = options.read;
    read.check_coordinates = false;
    UnreadRows unread;
    read.on_feature_error = unread.collector(options.max_issue_details);
    const io::Layer layer = io::read_layer(path, read);
    const double read_seconds = seconds_since(t0);
    ImportReport report = import_layer(layer, path, grids, store, options, unread);
    report.read_seconds = read_seconds;
    return report;
}

} // namespace geo::incident
