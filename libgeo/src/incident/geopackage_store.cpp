#include "geo/incident/geopackage_store.hpp"

#include "gpkg_geometry.hpp"
#include "rtree_bulk.hpp"
#include "sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace geo::incident {

using detail::Database;
using detail::Statement;
using detail::Transaction;

namespace {

constexpr std::int32_t wgs84_srs_id = 4326;
constexpr std::int64_t gpkg_application_id = 0x47504B47; // 'GPKG'
constexpr int gpkg_user_version = 10300;                 // GeoPackage 1.3.0

constexpr const char* wgs84_wkt =
    R"(GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],)"
    R"(AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],)"
    R"(UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],)"
    R"(AUTHORITY["EPSG","4326"]])";

// The GeoPackage core tables (OGC 12-128r18 clauses 1.1.2, 1.1.3, 2.1.5) and
// our two layers. IF NOT EXISTS / OR IGNORE: an existing scenario GeoPackage
// written by GDAL keeps its tables and gets ours added.
constexpr const char* schema_sql = R"SQL(
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE IF NOT EXISTS incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  external_id TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  description TEXT,
  reported_at DATETIME NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('reported','dispatched','handling','resolved','evaluated','rejected')),
  grid_code TEXT,
  jurisdiction_code TEXT,
  outside BOOLEAN NOT NULL DEFAULT 0,
  source TEXT,
  synthetic BOOLEAN NOT NULL DEFAULT 0,
  updated_at DATETIME NOT NULL);
CREATE TABLE IF NOT EXISTS incident_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  from_status TEXT,
  to_status TEXT NOT NULL,
  at DATETIME NOT NULL,
  note TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS rtree_incidents_geom USING rtree(id, minx, maxx, miny, maxy);
)SQL";

// Secondary indexes, apart from the schema because a bulk import drops them
// and builds them again from sorted keys (see add_all).
constexpr const char* secondary_indexes_sql = R"SQL(
CREATE INDEX IF NOT EXISTS incidents_grid_code ON incidents(grid_code);
CREATE INDEX IF NOT EXISTS incidents_reported_at ON incidents(reported_at);
CREATE INDEX IF NOT EXISTS incident_history_incident ON incident_history(incident_id);
)SQL";
constexpr const char* drop_secondary_indexes_sql = "DROP INDEX IF EXISTS incidents_grid_code; "
                                                   "DROP INDEX IF EXISTS incidents_reported_at; "
                                                   "DROP INDEX IF EXISTS incident_history_incident;";

constexpr const char* rtree_table = "rtree_incidents_geom";

// GeoPackage R-tree extension triggers (clause F.3), so that QGIS/GDAL edits
// keep the index right as well as ours. The insert trigger is apart: a bulk
// import drops it and creates it again with this same text.
constexpr const char* rtree_insert_trigger_sql = R"SQL(
CREATE TRIGGER IF NOT EXISTS rtree_incidents_geom_insert AFTER INSERT ON incidents
WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_incidents_geom VALUES (
    NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
)SQL";
constexpr const char* rtree_other_triggers_sql = R"SQL(
CREATE TRIGGER IF NOT EXISTS rtree_incidents_geom_update1 AFTER UPDATE OF geom ON incidents
WHEN OLD.id = NEW.id AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO rtree_incidents_geom VALUES (
    NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER IF NOT EXISTS rtree_incidents_geom_update2 AFTER UPDATE OF geom ON incidents
WHEN OLD.id = NEW.id AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id = OLD.id;
END;
CREATE TRIGGER IF NOT EXISTS rtree_incidents_geom_update3 AFTER UPDATE ON incidents
WHEN OLD.id != NEW.id AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id = OLD.id;
  INSERT OR REPLACE INTO rtree_incidents_geom VALUES (
    NEW.id, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom));
END;
CREATE TRIGGER IF NOT EXISTS rtree_incidents_geom_update4 AFTER UPDATE ON incidents
WHEN OLD.id != NEW.id AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id IN (OLD.id, NEW.id);
END;
CREATE TRIGGER IF NOT EXISTS rtree_incidents_geom_delete AFTER DELETE ON incidents
WHEN old.geom NOT NULL
BEGIN
  DELETE FROM rtree_incidents_geom WHERE id = OLD.id;
END;
)SQL";

// --- SQL functions the R-tree triggers need (GeoPackage clause F.3) ---------

std::span<const unsigned char> blob_arg(sqlite3_value* v) {
    const auto* p = static_cast<const unsigned char*>(sqlite3_value_blob(v));
    return {p, static_cast<std::size_t>(sqlite3_value_bytes(v))};
}

void st_is_empty(sqlite3_context* ctx, int, sqlite3_value** argv) {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int(ctx, detail::gpkg_is_empty(blob_arg(argv[0])) ? 1 : 0);
}

template <double core::Box::*member> void st_bound(sqlite3_context* ctx, int, sqlite3_value** argv) {
    const auto env =
        sqlite3_value_type(argv[0]) == SQLITE_BLOB ? detail::gpkg_envelope(blob_arg(argv[0])) : std::nullopt;
    if (!env) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_double(ctx, (*env).*member);
}

void register_functions(Database& db) {
    using Function = void (*)(sqlite3_context*, int, sqlite3_value**);
    struct Named {
        const char* name;
        Function function;
    };
    constexpr Named functions[] = {{"ST_IsEmpty", st_is_empty},
                                   {"ST_MinX", st_bound<&core::Box::min_x>},
                                   {"ST_MaxX", st_bound<&core::Box::max_x>},
                                   {"ST_MinY", st_bound<&core::Box::min_y>},
                                   {"ST_MaxY", st_bound<&core::Box::max_y>}};
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    for (const auto& f : functions) {
        db.check(sqlite3_create_function(db.handle(), f.name, 1, flags, nullptr, f.function, nullptr, nullptr),
                 "create_function");
    }
}

// GeoPackage DATETIME is "YYYY-MM-DDTHH:MM:SS.SSSZ" (clause 1.1.1.1.1);
// GDAL warns about anything else. Fixed width, so text order is time order.
std::string gpkg_time(TimePoint t) {
    std::string s = format_time(t);
    s.insert(s.size() - 1, ".000");
    return s;
}

std::int64_t pragma_int(Database& db, const char* pragma) {
    Statement s(db, std::string("PRAGMA ") + pragma);
    return s.step() ? s.int64(0) : 0;
}

TimePoint time_column(const Statement& s, int col) {
    const std::string text = s.text(col);
    if (const auto t = parse_time(text)) {
        return *t;
    }
    throw IoError("unreadable time '" + text + "' in the incident store");
}

constexpr const char* incident_columns =
    "id, geom, external_id, category, description, reported_at, status, grid_code, jurisdiction_code, outside, "
    "source, synthetic, updated_at";

Incident read_incident(const Statement& s) {
    Incident in;
    in.id = s.int64(0);
    if (const auto p = detail::decode_gpkg_point(s.blob(1))) {
        in.location = *p;
    } else {
        in.location = {std::nan(""), std::nan("")};
    }
    in.external_id = s.text(2);
    in.category = s.text(3);
    in.description = s.text(4);
    in.reported_at = time_column(s, 5);
    in.status = parse_status(s.text(6));
    in.grid_code = s.optional_text(7);
    in.jurisdiction_code = s.optional_text(8);
    in.outside = s.int64(9) != 0;
    in.source = s.text(10);
    in.synthetic = s.int64(11) != 0;
    in.updated_at = time_column(s, 12);
    return in;
}

std::string random_external_id() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[40];
    std::snprintf(buf, sizeof buf, "gen:%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()));
    return buf;
}

void validate(const NewIncident& in) {
    const ErrorContext ctx{{}, "incidents", {}};
    if (in.category.empty()) {
        throw InputError("incident '" + in.external_id + "' has no category", ctx);
    }
    if (!std::isfinite(in.location.x) || !std::isfinite(in.location.y) || std::abs(in.location.x) > 180.0 ||
        std::abs(in.location.y) > 90.0) {
        throw InputError("incident '" + in.external_id + "' has no valid WGS84 location", ctx,
                         "longitude must be in [-180, 180] and latitude in [-90, 90]");
    }
}

} // namespace

struct GeoPackageIncidentStore::Impl {
    Database db;
    Statement insert;
    Statement find_id;
    Statement insert_history;
    Statement select_status;
    Statement update_status;
    Statement select_one;
    Statement select_external;
    Statement select_history;
    Statement update_extent;
    Statement max_id;
    Statement bulk_history;
    std::size_t bulk_min_rows = 0;

    Impl(const std::string& path, int flags)
        : db(path, flags),
          insert(init(db),
                 "INSERT INTO incidents (geom, external_id, category, description, reported_at, status, grid_code, "
                 "jurisdiction_code, outside, source, synthetic, updated_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, 'reported', ?6, ?7, ?8, ?9, ?10, ?5) "
                 "ON CONFLICT(external_id) DO NOTHING"),
          find_id(db, "SELECT id FROM incidents WHERE external_id = ?1"),
          insert_history(db, "INSERT INTO incident_history (incident_id, from_status, to_status, at, note) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)"),
          select_status(db, "SELECT status, updated_at FROM incidents WHERE id = ?1"),
          update_status(db, "UPDATE incidents SET status = ?2, updated_at = ?3 WHERE id = ?1"),
          select_one(db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE id = ?1"),
          select_external(db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE external_id = ?1"),
          select_history(db, "SELECT incident_id, from_status, to_status, at, note FROM incident_history "
                             "WHERE incident_id = ?1 ORDER BY id"),
          update_extent(db, "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?1), ?1), "
                            "min_y = min(coalesce(min_y, ?2), ?2), max_x = max(coalesce(max_x, ?3), ?3), "
                            "max_y = max(coalesce(max_y, ?4), ?4), "
                            "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'incidents'"),
          max_id(db, "SELECT coalesce(max(id), 0) FROM incidents"),
          bulk_history(db, "INSERT INTO incident_history (incident_id, from_status, to_status, at, note) "
                           "SELECT id, NULL, 'reported', reported_at, NULL FROM incidents WHERE id > ?1 ORDER BY id") {}

    // Runs before the first statement is prepared: pragmas and schema.
    static Database& init(Database& db) {
        register_functions(db);
        Statement(db, "PRAGMA busy_timeout = 10000").run();
        const bool read_only = sqlite3_db_readonly(db.handle(), "main") == 1;
        if (!read_only) {
            // WAL: readers see the last commit and never wait for the writer.
            // FULL: the WAL is fsynced at every COMMIT, so a returned call
            // survives power loss, not only a process crash (NORMAL would only
            // guarantee the latter).
            Statement wal(db, "PRAGMA journal_mode = WAL");
            if (!wal.step() || wal.text(0) != "wal") {
                db.fail("cannot switch to WAL journal mode");
            }
        }
        db.exec("PRAGMA synchronous = FULL");
        // 64 MiB page cache: a 20,000-row import batch touches pages of five
        // B-trees and the R-tree; with SQLite's 2 MiB default the dirty pages
        // spill to the WAL mid-transaction and the import becomes I/O bound.
        db.exec("PRAGMA cache_size = -65536");
        // Statement journals (each INSERT fires the R-tree trigger, so SQLite
        // keeps a sub-journal to undo a half-done statement) live in memory:
        // on disk they cost ~13 pwrite calls per incident. They are not part
        // of durability: the WAL is.
        db.exec("PRAGMA temp_store = MEMORY");
        db.exec("PRAGMA foreign_keys = ON");
        if (read_only) {
            Statement check(db, "SELECT count(*) FROM sqlite_master WHERE name = 'incidents'");
            if (!check.step() || check.int64(0) == 0) {
                throw IoError("no 'incidents' layer in this GeoPackage", ErrorContext{db.path(), {}, {}},
                              "import incidents first (geogrid incidents import)");
            }
            return db;
        }
        Transaction tx(db);
        const std::int64_t app_id = pragma_int(db, "application_id");
        Statement tables(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
        const std::int64_t table_count = tables.step() ? tables.int64(0) : 0;
        if (app_id != gpkg_application_id && app_id != 0x47503130 /* 'GP10' */ && table_count > 0) {
            throw IoError("not a GeoPackage (application_id is not 'GPKG')", ErrorContext{db.path(), {}, {}},
                          "give a .gpkg file or a new file name");
        }
        if (table_count == 0) {
            db.exec("PRAGMA application_id = " + std::to_string(gpkg_application_id));
            db.exec("PRAGMA user_version = " + std::to_string(gpkg_user_version));
        }
        db.exec(schema_sql);
        db.exec(secondary_indexes_sql);
        Statement srs(db, "INSERT OR IGNORE INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, "
                          "organization_coordsys_id, definition, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        srs.bind(1, std::string_view("Undefined cartesian SRS")).bind(2, -1).bind(3, std::string_view("NONE"));
        srs.bind(4, -1).bind(5, std::string_view("undefined")).bind(6, std::string_view("undefined cartesian"));
        srs.run();
        srs.reset().bind(1, std::string_view("Undefined geographic SRS")).bind(2, 0);
        srs.bind(3, std::string_view("NONE")).bind(4, 0).bind(5, std::string_view("undefined"));
        srs.bind(6, std::string_view("undefined geographic")).run();
        srs.reset().bind(1, std::string_view("WGS 84 geodetic")).bind(2, wgs84_srs_id);
        srs.bind(3, std::string_view("EPSG")).bind(4, 4326).bind(5, std::string_view(wgs84_wkt));
        srs.bind(6, std::string_view("longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")).run();
        db.exec("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES "
                "('incidents', 'features', 'incidents', '12345 hotline incidents with their grid', 4326), "
                "('incident_history', 'attributes', 'incident_history', 'status changes of incidents', NULL)");
        db.exec("INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('incidents', 'geom', 'POINT', 4326, 0, 0)");
        db.exec("INSERT OR IGNORE INTO gpkg_extensions VALUES ('incidents', 'geom', 'gpkg_rtree_index', "
                "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')");
        db.exec(rtree_insert_trigger_sql);
        db.exec(rtree_other_triggers_sql);
        tx.commit();
        return db;
    }

    /// Insert one incident; its creation row in the history is written here
    /// unless `with_history` is false (add_batch writes them all at once).
    AddResult add_one(const NewIncident& given, bool with_history = true) {
        NewIncident generated;
        const NewIncident* in = &given;
        if (given.external_id.empty()) {
            generated = given;
            generated.external_id = random_external_id();
            in = &generated;
        }
        validate(*in);
        const auto blob = detail::encode_gpkg_point(in->location, wgs84_srs_id);
        const std::string at = gpkg_time(in->reported_at);
        insert.reset().bind_blob(1, blob).bind(2, std::string_view(in->external_id));
        insert.bind(3, std::string_view(in->category)).bind(4, std::string_view(in->description));
        insert.bind(5, std::string_view(at)).bind(6, in->grid_code).bind(7, in->jurisdiction_code);
        insert.bind(8, in->outside ? 1 : 0).bind(9, std::string_view(in->source)).bind(10, in->synthetic ? 1 : 0);
        insert.run();
        if (sqlite3_changes(db.handle()) == 0) {
            find_id.reset().bind(1, std::string_view(in->external_id));
            if (!find_id.step()) {
                db.fail("looking up an existing external_id");
            }
            const std::int64_t existing = find_id.int64(0);
            // Not left pending: a bulk import drops indexes next, which
            // SQLite refuses while a statement still reads the table.
            find_id.reset();
            return {existing, false};
        }
        const std::int64_t id = sqlite3_last_insert_rowid(db.handle());
        if (!with_history) {
            return {id, true};
        }
        insert_history.reset().bind(1, id).bind_null(2).bind(3, std::string_view("reported"));
        insert_history.bind(4, std::string_view(at)).bind_null(5).run();
        return {id, true};
    }

    // One checked status change inside the caller's transaction.
    void apply(const StatusUpdate& u, const std::string& file) {
        select_status.reset().bind(1, u.id);
        if (!select_status.step()) {
            throw NotFoundError("no incident with id " + std::to_string(u.id), ErrorContext{file, "incidents", u.id});
        }
        const Status from = parse_status(select_status.text(0));
        const TimePoint last = time_column(select_status, 1);
        select_status.reset();
        if (!is_allowed_transition(from, u.to)) {
            throw TransitionError(from, u.to, u.id);
        }
        if (u.at < last) {
            throw InputError("status change at " + format_time(u.at) + " is before the incident's last change at " +
                                 format_time(last),
                             ErrorContext{file, "incidents", u.id}, "give the time the change happened");
        }
        const std::string when = gpkg_time(u.at);
        update_status.reset().bind(1, u.id).bind(2, std::string_view(to_string(u.to))).bind(3, std::string_view(when));
        update_status.run();
        insert_history.reset().bind(1, u.id).bind(2, std::string_view(to_string(from)));
        insert_history.bind(3, std::string_view(to_string(u.to))).bind(4, std::string_view(when));
        if (u.note.empty()) {
            insert_history.bind_null(5);
        } else {
            insert_history.bind(5, std::string_view(u.note));
        }
        insert_history.run();
    }

    // Bulk mode, inside the caller's transaction: the per-row index work
    // (R-tree insert trigger, three secondary indexes) stops here and
    // end_bulk() rebuilds it in one pass. DDL is transactional in SQLite, so
    // a rollback or a crash before COMMIT restores trigger and indexes with
    // the rows: no reader or later writer ever sees them missing.
    void begin_bulk() {
        db.exec("DROP TRIGGER IF EXISTS rtree_incidents_geom_insert");
        db.exec(drop_secondary_indexes_sql);
    }

    void end_bulk() {
        // CREATE INDEX sorts the keys once instead of inserting them one by
        // one into B-trees in random order.
        db.exec(secondary_indexes_sql);
        // The R-tree is packed from every row of the table, so it matches the
        // table exactly whatever it held before.
        std::vector<detail::RtreeEntry> entries;
        Statement rows(db, "SELECT id, geom FROM incidents WHERE geom IS NOT NULL ORDER BY id");
        while (rows.step()) {
            // Same rule as the insert trigger: empty geometries are not indexed.
            if (const auto box = detail::gpkg_envelope(rows.blob(1))) {
                entries.push_back({rows.int64(0), box->min_x, box->max_x, box->min_y, box->max_y});
            }
        }
        detail::rebuild_rtree(db, rtree_table, entries);
        db.exec(rtree_insert_trigger_sql);
    }

    void grow_extent(const core::Box& box) {
        if (!box.empty()) {
            update_extent.reset().bind(1, box.min_x).bind(2, box.min_y).bind(3, box.max_x).bind(4, box.max_y).run();
        }
    }
};

GeoPackageIncidentStore::GeoPackageIncidentStore(const std::filesystem::path& path, GeoPackageOptions options)
    : m_path(path) {
    const int flags =
        (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
    m_impl = std::make_unique<Impl>(path.string(), flags);
    m_impl->bulk_min_rows = options.bulk_min_rows;
    m_impl->db.exec("PRAGMA busy_timeout = " + std::to_string(std::max(0, options.busy_timeout_ms)));
}

GeoPackageIncidentStore::~GeoPackageIncidentStore() = default;

AddResult GeoPackageIncidentStore::add(const NewIncident& incident) {
    std::lock_guard lock(m_mutex);
    Transaction tx(m_impl->db);
    const AddResult r = m_impl->add_one(incident);
    if (r.created) {
        m_impl->grow_extent(
            core::Box{incident.location.x, incident.location.y, incident.location.x, incident.location.y});
    }
    tx.commit();
    return r;
}

std::vector<AddResult> GeoPackageIncidentStore::add_batch(std::span<const NewIncident> incidents) {
    bool given = false;
    return add_all(incidents.size(), [&]() -> std::span<const NewIncident> {
        if (given) {
            return {};
        }
        given = true;
        return incidents;
    });
}

std::vector<AddResult> GeoPackageIncidentStore::add_all(std::size_t expected, const IncidentSource& next) {
    std::lock_guard lock(m_mutex);
    std::vector<AddResult> out;
    out.reserve(expected);
    core::Box extent;
    auto& im = *m_impl;
    Transaction tx(im.db);
    // Ids are AUTOINCREMENT and we hold the write lock, so the incidents this
    // batch creates are exactly those above the current maximum: their
    // creation rows go into the history with one statement (a third fewer
    // statements per incident than one INSERT each).
    im.max_id.reset();
    const std::int64_t before = im.max_id.step() ? im.max_id.int64(0) : 0;
    im.max_id.reset();
    // A large batch into a store that is not much larger than it is written
    // in bulk mode (rebuilding costs in proportion to the whole table, so a
    // small batch into a big store keeps per-row maintenance). The ids handed
    // out so far bound the number of stored incidents.
    const bool bulk_allowed =
        im.bulk_min_rows > 0 && expected >= im.bulk_min_rows && static_cast<std::int64_t>(expected) * 2 >= before;
    // Whatever happens, the connection leaves bulk mode with its CHECK
    // constraints on again (the rollback restores trigger and indexes).
    struct BulkMode {
        Database& db;
        bool on = false;         // trigger and indexes dropped
        bool checks_off = false; // CHECK constraints ignored
        explicit BulkMode(Database& d) : db(d) {}
        BulkMode(const BulkMode&) = delete;
        BulkMode& operator=(const BulkMode&) = delete;
        BulkMode(BulkMode&&) = delete;
        BulkMode& operator=(BulkMode&&) = delete;
        ~BulkMode() {
            if (checks_off) {
                sqlite3_exec(db.handle(), "PRAGMA ignore_check_constraints = OFF", nullptr, nullptr, nullptr);
            }
        }
    } bulk{im.db};
    if (bulk_allowed) {
        // The only CHECK is status IN (...), and `insert` writes the literal
        // 'reported'. SQLite evaluates that IN list by building a temporary
        // B-tree at every execution, a third of the per-row cost, even when
        // the row then conflicts. Off for this connection during the batch.
        bulk.checks_off = true;
        im.db.exec("PRAGMA ignore_check_constraints = ON");
    }
    for (auto chunk = next(); !chunk.empty(); chunk = next()) {
        for (const auto& in : chunk) {
            out.push_back(im.add_one(in, false));
            if (out.back().created) {
                extent.expand(in.location);
                // Switched on at the first new incident: a re-import that
                // adds nothing costs no rebuild.
                if (bulk_allowed && !bulk.on) {
                    bulk.on = true;
                    im.begin_bulk();
                }
            }
        }
    }
    im.bulk_history.reset().bind(1, before).run();
    if (bulk.on) {
        im.end_bulk();
    }
    im.grow_extent(extent);
    tx.commit();
    return out;
}

Incident GeoPackageIncidentStore::transition(std::int64_t id, Status to, TimePoint at, const std::string& note) {
    std::lock_guard lock(m_mutex);
    auto& im = *m_impl;
    Transaction tx(im.db);
    im.apply(StatusUpdate{id, to, at, note}, m_path.string());
    im.select_one.reset().bind(1, id);
    if (!im.select_one.step()) {
        im.db.fail("re-reading an updated incident");
    }
    Incident result = read_incident(im.select_one);
    im.select_one.reset();
    tx.commit();
    return result;
}

void GeoPackageIncidentStore::transition_batch(std::span<const StatusUpdate> updates) {
    std::lock_guard lock(m_mutex);
    auto& im = *m_impl;
    Transaction tx(im.db);
    for (const auto& u : updates) {
        im.apply(u, m_path.string());
    }
    tx.commit();
}

std::optional<Incident> GeoPackageIncidentStore::get(std::int64_t id) {
    std::lock_guard lock(m_mutex);
    auto& s = m_impl->select_one;
    s.reset().bind(1, id);
    std::optional<Incident> out;
    if (s.step()) {
        out = read_incident(s);
    }
    s.reset();
    return out;
}

std::optional<Incident> GeoPackageIncidentStore::find_external(const std::string& external_id) {
    std::lock_guard lock(m_mutex);
    auto& s = m_impl->select_external;
    s.reset().bind(1, std::string_view(external_id));
    std::optional<Incident> out;
    if (s.step()) {
        out = read_incident(s);
    }
    s.reset();
    return out;
}

namespace {
StatusChange read_change(const Statement& s) {
    StatusChange c;
    c.incident_id = s.int64(0);
    if (!s.is_null(1)) {
        c.from = parse_status(s.text(1));
    }
    c.to = parse_status(s.text(2));
    c.at = time_column(s, 3);
    c.note = s.text(4);
    return c;
}

// WHERE clause and its bindings for a filter. Text values are bound, never
// spliced into the SQL.
struct Where {
    std::string sql;
    std::vector<std::string> texts;
    std::vector<double> reals;
    std::vector<std::int64_t> ints;
};

Where where_of(const IncidentFilter& f) {
    Where w;
    std::vector<std::string> terms;
    // Parameters are numbered by kind: texts ?1.., reals ?101.., ints ?201..
    // (Appending instead of "?" + to_string(n): GCC 12 -O3 reports a false
    // -Wrestrict on the latter.)
    auto param = [](std::size_t n) {
        std::string p = "?";
        p.append(std::to_string(n));
        return p;
    };
    auto text = [&](std::string v) {
        w.texts.push_back(std::move(v));
        return param(w.texts.size());
    };
    auto real = [&](double v) {
        w.reals.push_back(v);
        return param(100 + w.reals.size());
    };
    auto integer = [&](std::int64_t v) {
        w.ints.push_back(v);
        return param(200 + w.ints.size());
    };
    if (f.bbox) {
        // The R-tree stores 32-bit floats rounded outwards: it returns a
        // superset, the exact test is done on the decoded point afterwards.
        terms.push_back("id IN (SELECT id FROM rtree_incidents_geom WHERE minx <= " + real(f.bbox->max_x) +
                        " AND maxx >= " + real(f.bbox->min_x) + " AND miny <= " + real(f.bbox->max_y) +
                        " AND maxy >= " + real(f.bbox->min_y) + ")");
    }
    if (!f.categories.empty()) {
        std::string in;
        for (const auto& c : f.categories) {
            in += (in.empty() ? "" : ", ") + text(c);
        }
        terms.push_back("category IN (" + in + ")");
    }
    if (!f.statuses.empty()) {
        std::string in;
        for (const auto s : f.statuses) {
            in += (in.empty() ? "" : ", ") + text(to_string(s));
        }
        terms.push_back("status IN (" + in + ")");
    }
    if (f.from) {
        terms.push_back("reported_at >= " + text(gpkg_time(*f.from)));
    }
    if (f.to) {
        terms.push_back("reported_at < " + text(gpkg_time(*f.to)));
    }
    if (f.grid_code) {
        terms.push_back("grid_code = " + text(*f.grid_code));
    }
    if (f.after_id) {
        terms.push_back("id > " + integer(*f.after_id));
    }
    for (std::size_t i = 0; i < terms.size(); ++i) {
        w.sql += (i == 0 ? " WHERE " : " AND ") + terms[i];
    }
    return w;
}

void bind_where(Statement& s, const Where& w) {
    for (std::size_t i = 0; i < w.texts.size(); ++i) {
        s.bind(static_cast<int>(i + 1), std::string_view(w.texts[i]));
    }
    for (std::size_t i = 0; i < w.reals.size(); ++i) {
        s.bind(static_cast<int>(101 + i), w.reals[i]);
    }
    for (std::size_t i = 0; i < w.ints.size(); ++i) {
        s.bind(static_cast<int>(201 + i), w.ints[i]);
    }
}
} // namespace

std::vector<StatusChange> GeoPackageIncidentStore::history(std::int64_t id) {
    std::lock_guard lock(m_mutex);
    auto& s = m_impl->select_history;
    s.reset().bind(1, id);
    std::vector<StatusChange> out;
    while (s.step()) {
        out.push_back(read_change(s));
    }
    return out;
}

void GeoPackageIncidentStore::for_each(const IncidentFilter& filter,
                                       const std::function<void(const Incident&)>& visit) {
    std::lock_guard lock(m_mutex);
    const Where w = where_of(filter);
    std::string sql = std::string("SELECT ") + incident_columns + " FROM incidents" + w.sql + " ORDER BY id";
    const bool exact_bbox = filter.bbox.has_value();
    // With a bbox the limit is applied after the exact test.
    if (filter.limit && !exact_bbox) {
        sql += " LIMIT " + std::to_string(*filter.limit);
    }
    Statement s(m_impl->db, sql);
    bind_where(s, w);
    std::size_t n = 0;
    // One read transaction: a consistent snapshot even while others write.
    while (s.step()) {
        Incident in = read_incident(s);
        if (exact_bbox && !filter.bbox->contains(in.location)) {
            continue;
        }
        if (filter.limit && n >= *filter.limit) {
            break;
        }
        ++n;
        visit(in);
    }
}

void GeoPackageIncidentStore::for_each_change(const std::function<void(const StatusChange&)>& visit) {
    std::lock_guard lock(m_mutex);
    Statement s(m_impl->db,
                "SELECT incident_id, from_status, to_status, at, note FROM incident_history ORDER BY incident_id, id");
    while (s.step()) {
        visit(read_change(s));
    }
}

std::size_t GeoPackageIncidentStore::count(const IncidentFilter& filter) {
    if (filter.bbox || filter.limit) {
        std::size_t n = 0;
        for_each(filter, [&](const Incident&) { ++n; });
        return n;
    }
    std::lock_guard lock(m_mutex);
    const Where w = where_of(filter);
    Statement s(m_impl->db, "SELECT count(*) FROM incidents" + w.sql);
    bind_where(s, w);
    return s.step() ? static_cast<std::size_t>(s.int64(0)) : 0;
}

std::string GeoPackageIncidentStore::integrity_check() {
    std::lock_guard lock(m_mutex);
    Statement s(m_impl->db, "PRAGMA integrity_check");
    std::string out;
    while (s.step()) {
        if (!out.empty()) {
            out.push_back('\n');
        }
        out.append(s.text(0));
    }
    return out;
}

GeoPackageIncidentStore::Durability GeoPackageIncidentStore::durability() {
    std::lock_guard lock(m_mutex);
    Durability d;
    Statement journal(m_impl->db, "PRAGMA journal_mode");
    if (journal.step()) {
        d.journal_mode = journal.text(0);
    }
    Statement sync(m_impl->db, "PRAGMA synchronous");
    if (sync.step()) {
        d.synchronous = static_cast<int>(sync.int64(0));
    }
    return d;
}

} // namespace geo::incident
