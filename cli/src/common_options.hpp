#pragma once
// Options that mean the same thing in every geogrid command that reads files.

#include "progress_bar.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace geogrid {

struct InputOptions {
    std::string crs;      ///< --crs: CRS of inputs that carry none (EPSG:4326, gcj02, WKT, PROJ string)
    std::string encoding; ///< --encoding: attribute text encoding when the file's own is wrong or missing
};

/// Adds --crs and --encoding to a subcommand with the standard help text.
inline void add_input_options(CLI::App& cmd, InputOptions& options) {
    cmd.add_option("--crs", options.crs,
                   "CRS of inputs that have none: EPSG code (EPSG:4326), WKT, PROJ string, or gcj02 / bd09");
    cmd.add_option("--encoding", options.encoding,
                   "Attribute text encoding for files whose own is missing or wrong (e.g. LATIN1, GBK, GB18030, UTF-8)");
}

} // namespace geogrid
