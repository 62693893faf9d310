#include "progress_bar.hpp"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace geogrid {

ProgressBar::ProgressBar() : m_enabled(isatty(STDERR_FILENO) == 1), m_start(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

geo::core::Progress ProgressBar::callback() {
    if (!m_enabled) {
        return {};
    }
    return [this](double fraction, std::string_view stage) { update(fraction, stage); };
}

void ProgressBar::update(double fraction, std::string_view stage) {
    if (!m_enabled) {
        return;
    }
    const int permille = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000);
    if (permille == m_last_permille && stage == m_stage) {
        return;
    }
    m_last_permille = permille;
    m_stage = stage;
    constexpr int width = 30;
    const int filled = permille * width / 1000;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    std::fprintf(stderr, "\r%-16.16s [%s%s] %5.1f%% %6.1fs", m_stage.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), permille / 10.0, seconds);
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish() {
    if (m_drawn) {
        std::fprintf(stderr, "\n");
        m_drawn = false;
    }
}

} // namespace geogrid
