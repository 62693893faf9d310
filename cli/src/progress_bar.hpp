#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal
// (pipes and CI logs stay clean).

#include "geo/core/progress.hpp"

#include <chrono>
#include <string>

namespace geogrid {

class ProgressBar {
public:
    ProgressBar();
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    /// The callback to hand to library functions.
    [[nodiscard]] geo::core::Progress callback();
    void update(double fraction, std::string_view stage);
    void finish();

private:
    bool m_enabled;
    bool m_drawn = false;
    std::string m_stage;
    int m_last_permille = -1;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace geogrid
