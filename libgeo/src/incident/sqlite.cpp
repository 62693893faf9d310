#include "sqlite.hpp"

namespace geo::incident::detail {

Database::Database(const std::string& path, int flags) : m_path(path) {
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw IoError("cannot open incident store: " + msg, ErrorContext{path, {}, {}},
                      "check that the directory exists and is writable");
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database() {
    if (m_db != nullptr) {
        sqlite3_close_v2(m_db);
    }
}

void Database::exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw IoError("SQLite: " + msg + " (in: " + sql.substr(0, 80) + ")", ErrorContext{m_path, {}, {}});
    }
}

void Database::fail(const std::string& what) const {
    throw IoError("SQLite " + what + ": " + sqlite3_errmsg(m_db), ErrorContext{m_path, {}, {}});
}

Statement::Statement(Database& db, std::string_view sql) : m_db(&db) {
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        db.fail("prepare '" + std::string(sql.substr(0, 60)) + "'");
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    m_db->check(sqlite3_bind_int64(m_stmt, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    m_db->check(sqlite3_bind_double(m_stmt, index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    m_db->check(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind");
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind_blob(int index, std::span<const unsigned char> blob) {
    m_db->check(sqlite3_bind_blob64(m_stmt, index, blob.data(), blob.size(), SQLITE_TRANSIENT), "bind");
    return *this;
}

Statement& Statement::bind_null(int index) {
    m_db->check(sqlite3_bind_null(m_stmt, index), "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    sqlite3_reset(m_stmt);
    m_db->fail("step");
}

void Statement::run() {
    while (step()) {
    }
}

bool Statement::is_null(int col) const {
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}
std::int64_t Statement::int64(int col) const {
    return sqlite3_column_int64(m_stmt, col);
}
double Statement::real(int col) const {
    return sqlite3_column_double(m_stmt, col);
}

std::string Statement::text(int col) const {
    const auto* p = sqlite3_column_text(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col)))
             : std::string();
}

std::optional<std::string> Statement::optional_text(int col) const {
    if (is_null(col)) {
        return std::nullopt;
    }
    return text(col);
}

std::span<const unsigned char> Statement::blob(int col) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(m_stmt, col));
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, col))};
}

Transaction::Transaction(Database& db) : m_db(db) {
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!m_done) {
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace geo::incident::detail
