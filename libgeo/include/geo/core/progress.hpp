#pragma once
// Progress reporting for long steps. Library functions accept a Progress
// (possibly empty) and call it with the fraction done; the CLI draws a bar on
// stderr when it is a terminal, the server ignores it.

#include <functional>
#include <string_view>

namespace geo::core {

/// fraction in [0,1]; stage names the step ("reading", "partitioning", ...).
using Progress = std::function<void(double fraction, std::string_view stage)>;

inline void report(const Progress& progress, double fraction, std::string_view stage) {
    if (progress) {
        progress(fraction, stage);
    }
}

} // namespace geo::core
