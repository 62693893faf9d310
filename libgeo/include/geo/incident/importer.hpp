#pragma once
// Importing incidents from any OGR point dataset (GeoPackage, GeoJSON, CSV
// with lon/lat, Shapefile, OSM ...) into an IncidentStore, each with its grid
// and jurisdiction.
//
// Rules:
// - Idempotent: each row gets an external id (the --id-field value, else
//   fid_external_id(): the FID and a hash of the row's content, see there);
//   a row whose id is stored already adds nothing.
// - A row that cannot be used is reported with its reason and skipped; the
//   import goes on: bad text encoding (text that is not valid UTF-8 after
//   decoding with the file's or --encoding's code page), bad geometry (none,
//   empty, broken, not a point, not transformable to WGS 84) and unparseable
//   time.
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
#include <functional>
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
    std::string id_field;          ///< empty: fid_external_id()
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
/// bad_text: an attribute is not valid UTF-8 after decoding (the row is not read at all).
enum class RowProblem { bad_geometry, bad_time, outside_grids, duplicate_id, bad_text };
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
    std::size_t rows = 0;            ///< features in the file (read or skipped while reading)
    std::size_t added = 0;           ///< new incidents stored
    std::size_t already_present = 0; ///< rows whose external id was stored before
    std::size_t outside = 0;         ///< stored without a grid
    std::size_t bad_geometry = 0;    ///< skipped
    std::size_t bad_time = 0;        ///< skipped
    std::size_t duplicate_ids = 0;   ///< skipped: id repeats an earlier row of this file
    std::size_t bad_text = 0;        ///< skipped: text not valid UTF-8 (wrong or missing --encoding)
    std::vector<RowIssue> issues;    ///< the first max_issue_details problems
    std::vector<std::string> notes;  ///< defaults taken (no time field, ...)
    double read_seconds = 0.0;
    double assign_seconds = 0.0; ///< transform + grid assignment
    /// Time in the store, without waiting for rows. In a one-unit (bulk_rows)
    /// import the assignment runs on a second thread meanwhile, so the three
    /// times add up to more than the wall time.
    double store_seconds = 0.0;
};

/// External id of a row without an id field: "fid:<FID>:<h>", h = 16 hex digits of the 64-bit
/// FNV-1a hash of the row's content as stored: reported_at (UTC, "YYYY-MM-DDTHH:MM:SSZ"; empty
/// when the file has no time field, so that re-imports do not depend on the import time),
/// category, description, and the WGS 84 location with 7 decimals (~1 cm), separated by U+001F.
/// Not the file's name or path: the same file re-imported after it was renamed or moved adds
/// nothing, while two different files whose rows share a FID (two exports both called
/// "incidents.csv") no longer collide. Two rows of the same FID with identical content are the
/// same incident. A row whose content changed (a corrected description) is a new incident.
[[nodiscard]] std::string fid_external_id(std::int64_t fid, const NewIncident& incident, bool has_time_field);

/// Rows the reader left out (io::ReadOptions::on_feature_error), as import_layer takes them.
struct UnreadRows {
    std::size_t bad_text = 0;
    std::size_t bad_geometry = 0;
    std::vector<io::FeatureError> first; ///< the first ImportOptions::max_issue_details, in file order
    /// An on_feature_error callback that fills this object (keep it alive while reading).
    [[nodiscard]] std::function<void(const io::FeatureError&)> collector(std::size_t max_details);
};

/// Import an already read layer (any CRS). `file_label` names the source in `source`.
/// `unread` are the rows the reader left out: they are counted, listed first and noted (with
/// the --encoding hint for text) like the rows this function skips.
ImportReport import_layer(const io::Layer& layer, const std::string& file_label, const GridAssigner& grids,
                          IncidentStore& store, const ImportOptions& options = {}, const UnreadRows& unread = {});

/// Read `path` with options.read and import it. Rows the reader cannot read (text that is not
/// valid UTF-8, a geometry that cannot be converted) are reported and skipped, not fatal.
ImportReport import_file(const std::string& path, const GridAssigner& grids, IncidentStore& store,
                         const ImportOptions& options = {});

/// How keep_grids_with_store() went.
enum class GridCopy {
    copied,                ///< the grid layer was written into the store as layer "grids"
    same_file,             ///< the grids are already the store's layer "grids"
    store_has_grids,       ///< the store has a "grids" layer with the same grid codes (an earlier copy)
    store_has_other_grids, ///< the store has a "grids" layer with other codes: left alone
};

/// Keep the grids an import is assigned against in the store's GeoPackage as layer "grids"
/// (all fields, the file's CRS), so that later commands (hotspots, statistics by grid, the tile
/// server) find them in the scenario without being told. Call before opening the store (GDAL
/// writes the layer; the file is created when missing). Never overwrites a "grids" layer.
GridCopy keep_grids_with_store(const GridSource& grids, const std::string& store_path);

} // namespace geo::incident
