#pragma once
// Internal RAII wrappers over the sqlite3 C API: a connection, a prepared
// statement (reset on reuse, finalized on destruction) and a transaction that
// rolls back unless committed. Every failure becomes geo::IoError with the
// SQLite message and the file name.

#include "geo/core/error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace geo::incident::detail {

class Database {
  public:
    Database(const std::string& path, int flags);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&&) = delete;
    Database& operator=(Database&&) = delete;

    [[nodiscard]] sqlite3* handle() const noexcept { return m_db; }
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    /// Run SQL without results (may hold several statements).
    void exec(const std::string& sql);
    [[noreturn]] void fail(const std::string& what) const;
    void check(int rc, const char* what) const {
        if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
            fail(what);
        }
    }

  private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
  public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)) {}
    Statement& operator=(Statement&&) = delete;

    /// Reset and clear bindings so the statement can be run again.
    Statement& reset();
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::optional<std::string>& text);
    Statement& bind_blob(int index, std::span<const unsigned char> blob);
    Statement& bind_null(int index);

    /// true when a row is available, false when done.
    bool step();
    /// Run to completion (for statements without rows).
    void run();

    [[nodiscard]] bool is_null(int col) const;
    [[nodiscard]] std::int64_t int64(int col) const;
    [[nodiscard]] double real(int col) const;
    [[nodiscard]] std::string text(int col) const;
    [[nodiscard]] std::optional<std::string> optional_text(int col) const;
    [[nodiscard]] std::span<const unsigned char> blob(int col) const;

  private:
    Database* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted.
/// IMMEDIATE takes the write lock at once, so read-check-write sequences
/// (status transitions) cannot interleave with another writer.
class Transaction {
  public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction(Transaction&&) = delete;
    Transaction& operator=(Transaction&&) = delete;
    /// COMMIT; with synchronous=FULL it returns after the WAL is on disk.
    void commit();

  private:
    Database& m_db;
    bool m_done = false;
};

} // namespace geo::incident::detail
