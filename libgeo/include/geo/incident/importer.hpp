#pragma once
// Importing incidents from any OGR point dataset (GeoPackage, GeoJSON, CSV
// with lon/lat, Shapefile, OSM ...) into an IncidentStore, each with its grid
// and jurisdiction.
//
// Rules:
// - Idempotent: each row gets an external id (the --id-field value, else
//   "<file name>:<layer>:<FID>"); a row whose id is stored already adds nothing.
// - A row that cannot be used is reported with its reason and skipped; the
//   import goes on: bad geometry (none, empty, not a point, not
//   transformable to WGS 84) and unparseable time.
// - A row outside every grid is stored with no grid code and outside = true,
//   and listed in the report (kept, not dropped).
// - Coordinates are transformed to WGS 84 (EPSG:4326, GCJ-02/BD-09 included)
//   before assignment; grids are transformed the same way.

#include "geo/core/progress.hpp"
#include "geo/incident/assigner.hpp"
#include "geo/incident/store.hpp"
#include "geo/io/feature.hpp"
#include "geo/io/reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace geo::incident {

struct GridSource {
    std::string path;
    std::string layer;        ///< empty: "grids" when present, else the only layer
    std::string code_field;   ///< empty: "code", then "grid_code"
    std::string parent_field; ///< empty: "parent_code", "jurisdiction_code", "community_code", "parent" (optional)
    std::string crs_override; ///< --crs for a grid file without CRS
};

/// Read grid polygons and transform them to WGS 84 for a GridAssigner.
[[nodiscard]] std::vector<Grid> load_grids(const GridSource& source);

struct ImportOptions {
    io::ReadOptions read;          ///< layer, --crs, --encoding
    std::string category_field;    ///< empty: "category" when present, else every row is "unspecified"
    std::string time_field;        ///< empty: "reported_at" when present, else the import time
    std::string time_format;       ///< strptime(3) format; empty: ISO 8601 (see parse_time)
    std::string id_field;          ///< empty: "<file name>:<layer>:<FID>"
    std::string description_field; ///< empty: "description" when present
    /// Offset of times written without one (minutes east of UTC); 480 = Beijing.
    int utc_offset_minutes = 480;
    std::string source;             ///< stored in `source`; empty: the file name
    bool synthetic = false;         ///< mark every row synthetic (a "synthetic" field in the data does too)
    std::size_t batch_size = 20000; ///< rows per transaction
    /// A layer with at least this many rows is stored as one unit with
    /// IncidentStore::add_all (one transaction, all or nothing; rows are
    /// still converted batch_size at a time), which lets the GeoPackage store
    /// rebuild its indexes once instead of per row (its bulk mode). 0 = never:
    /// one transaction per batch_size rows.
    std::size_t bulk_rows = 100000;
    std::size_t max_issue_details = 1000; ///< row issues listed individually (all are counted)
    core::Progress progress;
};

/// duplicate_id: the --id-field value repeats an earlier row of the same file (the first is kept).
enum class RowProblem { bad_geometry, bad_time, outside_grids, duplicate_id };
[[nodiscard]] const char* to_string(RowProblem problem) noexcept;

struct RowIssue {
    std::int64_t feature_id = -1;
    std::string external_id;
    RowProblem problem = RowProblem::bad_geometry;
    std::string detail;
    bool kept = false; ///< true for outside_grids: stored, flagged
};

struct ImportReport {
    std::string file;
    std::string layer;
    std::size_t rows = 0;            ///< features read
    std::size_t added = 0;           ///< new incidents stored
    std::size_t already_present = 0; ///< rows whose external id was stored before
    std::size_t outside = 0;         ///< stored without a grid
    std::size_t bad_geometry = 0;    ///< skipped
    std::size_t bad_time = 0;        ///< skipped
    std::size_t duplicate_ids = 0;   ///< skipped: id repeats an earlier row of this file
    std::vector<RowIssue> issues;    ///< the first max_issue_details problems
    std::vector<std::string> notes;  ///< defaults taken (no time field, ...)
    double read_seconds = 0.0;
    double assign_seconds = 0.0; ///< transform + grid assignment
    /// Time in the store, without waiting for rows. In a one-unit (bulk_rows)
    /// import the assignment runs on a second thread meanwhile, so the three
    /// times add up to more than the wall time.
    double store_seconds = 0.0;
};

/// Import an already read layer (any CRS). `file_label` names the source in
/// external ids and in `source`.
ImportReport import_layer(const io::Layer& layer, const std::string& file_label, const GridAssigner& grids,
                          IncidentStore& store, const ImportOptions& options = {});

/// Read `path` with options.read and import it.
ImportReport import_file(const std::string& path, const GridAssigner& grids, IncidentStore& store,
                         const ImportOptions& options = {});

} // namespace geo::incident
