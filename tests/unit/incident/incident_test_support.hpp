#pragma once
// Shared by the incident tests: fresh store paths and times from ISO text.

#include "geo/incident/incident.hpp"

#include <filesystem>
#include <string>
#include <unistd.h>

namespace incident_test {

/// A per-process folder for one test file's stores (`suite` keeps files apart).
inline std::filesystem::path temp_dir(const std::string& suite) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("geo_incident_" + suite + "_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

/// A store path with nothing left from an earlier run: no file, no -wal, no -shm.
inline std::filesystem::path fresh_store(const std::string& suite, const std::string& name) {
    const std::filesystem::path p = temp_dir(suite) / name;
    std::filesystem::remove(p);
    std::filesystem::remove(p.string() + "-wal");
    std::filesystem::remove(p.string() + "-shm");
    return p;
}

/// A time from ISO-8601 text known to parse.
inline geo::incident::TimePoint at(const char* iso) {
    return *geo::incident::parse_time(iso);
}

} // namespace incident_test
