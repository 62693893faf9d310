#pragma once
// Shared by the fuzz targets: reading structured values from the fuzzer's bytes, and failing
// loudly. A fuzz target reports a bug by aborting (libFuzzer saves the input as a crash); plain
// assert() is not used because release builds compile it out.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz property violated: %s %.*s\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

inline void check(bool ok, const char* what, std::string_view detail = {}) {
    if (!ok) {
        fail(what, detail);
    }
}

/// Consumes the input front to back; past the end every read returns zero, so any input is a
/// valid program for the target.
class ByteReader {
  public:
    ByteReader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    [[nodiscard]] bool empty() const noexcept { return m_pos >= m_size; }
    [[nodiscard]] std::size_t remaining() const noexcept { return empty() ? 0 : m_size - m_pos; }

    std::uint8_t byte() { return empty() ? 0 : m_data[m_pos++]; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
    /// An integer in [lo, hi].
    int range(int lo, int hi) {
        const unsigned span = static_cast<unsigned>(hi - lo) + 1U;
        return lo + static_cast<int>(u16() % span);
    }
    /// A coordinate on a coarse lattice (step metres) so that shared edges and collinear points,
    /// the cases geometry code gets wrong, come up often.
    double lattice(int cells, double step) { return range(0, cells) * step; }
    /// The rest of the input as text.
    std::string_view rest() {
        const std::size_t n = remaining();
        const std::string_view s(reinterpret_cast<const char*>(m_data + m_pos), n);
        m_pos = m_size;
        return s;
    }

  private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace fuzz
