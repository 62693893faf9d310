#pragma once
// Typed exceptions thrown by libgeo. Each carries enough context (file,
// layer, feature) for the CLI to print one clear line and for the server to
// answer with a short JSON body. Nothing in libgeo prints or exits.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace geo {

/// Where in the input a problem was found. Every field is optional.
struct ErrorContext {
    std::string file;
    std::string layer;
    std::optional<std::int64_t> feature;
};

/// Base of all libgeo errors: what went wrong, where, and what to do.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what, ErrorContext context = {}, std::string hint = {});

    [[nodiscard]] const ErrorContext& context() const noexcept { return m_context; }
    [[nodiscard]] const std::string& hint() const noexcept { return m_hint; }
    [[nodiscard]] const std::string& message() const noexcept { return m_message; }

private:
    ErrorContext m_context;
    std::string m_hint;
    std::string m_message;
};

/// GEOS refused or failed an operation (invalid input, topology exception).
class GeometryError : public Error {
public:
    using Error::Error;
};

/// Bad user input: a missing field, an unknown option value, unusable data.
class InputError : public Error {
public:
    using Error::Error;
};

/// Reading or writing a dataset failed (GDAL/OGR, SQLite, files).
class IoError : public Error {
public:
    using Error::Error;
};

/// A coordinate reference system is missing, unknown, or a transform failed.
class CrsError : public Error {
public:
    using Error::Error;
};

} // namespace geo
