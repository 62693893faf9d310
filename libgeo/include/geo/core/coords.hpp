#pragma once
// Plain coordinate types: how geometry crosses the library boundary without
// exposing GEOS. They are small value types, cheap to copy and to compare.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace geo::core {

/// One coordinate pair. x is easting/longitude, y is northing/latitude.
struct XY {
    double x = 0.0;
    double y = 0.0;
    friend bool operator==(const XY&, const XY&) = default;
};

/// An open or closed sequence of coordinates (a line, or a ring when closed).
using Path = std::vector<XY>;

/// A polygon as rings: rings[0] is the exterior, the rest are holes. Rings
/// are closed (first point == last point).
struct PolygonRings {
    std::vector<Path> rings;
};

/// An axis-aligned box. A default-constructed box is empty and grows with
/// expand().
struct Box {
    double min_x = std::numeric_limits<double>::infinity();
    double min_y = std::numeric_limits<double>::infinity();
    double max_x = -std::numeric_limits<double>::infinity();
    double max_y = -std::numeric_limits<double>::infinity();

    [[nodiscard]] bool empty() const noexcept { return min_x > max_x || min_y > max_y; }
    [[nodiscard]] double width() const noexcept { return empty() ? 0.0 : max_x - min_x; }
    [[nodiscard]] double height() const noexcept { return empty() ? 0.0 : max_y - min_y; }
    [[nodiscard]] XY center() const noexcept { return {(min_x + max_x) / 2, (min_y + max_y) / 2}; }

    void expand(const XY& p) noexcept {
        min_x = std::min(min_x, p.x);
        min_y = std::min(min_y, p.y);
        max_x = std::max(max_x, p.x);
        max_y = std::max(max_y, p.y);
    }
    void expand(const Box& other) noexcept {
        if (other.empty()) {
            return;
        }
        expand(XY{other.min_x, other.min_y});
        expand(XY{other.max_x, other.max_y});
    }
    [[nodiscard]] bool intersects(const Box& o) const noexcept {
        return !empty() && !o.empty() && min_x <= o.max_x && o.min_x <= max_x && min_y <= o.max_y &&
               o.min_y <= max_y;
    }
    [[nodiscard]] bool contains(const XY& p) const noexcept {
        return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
    }
    [[nodiscard]] Box buffered(double d) const noexcept {
        return empty() ? *this : Box{min_x - d, min_y - d, max_x + d, max_y + d};
    }
    friend bool operator==(const Box&, const Box&) = default;
};

} // namespace geo::core
