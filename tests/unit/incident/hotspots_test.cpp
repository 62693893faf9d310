// Getis–Ord Gi* on a 4×4 lattice of grids, checked against a value worked by
// hand and against a direct transcription of the general formula of Ord &
// Getis (1995) with a dense weight matrix built from lattice coordinates (no
// geometry, no code shared with the library).

#include "geo/incident/hotspots.hpp"

#include "geo/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

using geo::core::Geometry;
using namespace geo::incident;

namespace {

constexpr int side = 4;
// Counts, row 0 = south. A cluster in the south-west corner.
const std::vector<double> counts{8, 6, 1, 0, //
                                 7, 5, 1, 1, //
                                 1, 1, 0, 2, //
                                 0, 1, 2, 1};

std::vector<Geometry> lattice_polygons() {
    std::vector<Geometry> out;
    for (int r = 0; r < side; ++r) {
        for (int c = 0; c < side; ++c) {
            out.push_back(Geometry::box({double(c), double(r), c + 1.0, r + 1.0}));
        }
    }
    return out;
}

// Ord & Getis (1995): G*_i = (Σ_j w_ij x_j − x̄ Σ_j w_ij) /
//   (s sqrt((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1))), s² = Σ x²/n − x̄².
double reference_z(std::size_t i) {
    const int n = side * side;
    double mean = 0;
    for (double x : counts) {
        mean += x;
    }
    mean /= n;
    double var = 0;
    for (double x : counts) {
        var += x * x;
    }
    var = var / n - mean * mean;
    const int ri = int(i) / side;
    const int ci = int(i) % side;
    double wx = 0, w = 0, w2 = 0;
    for (int j = 0; j < n; ++j) {
        const int rj = j / side;
        const int cj = j % side;
        const double wij = (std::abs(ri - rj) <= 1 && std::abs(ci - cj) <= 1) ? 1.0 : 0.0; // queen incl. self
        wx += wij * counts[std::size_t(j)];
        w += wij;
        w2 += wij * wij;
    }
    return (wx - mean * w) / (std::sqrt(var) * std::sqrt((n * w2 - w * w) / (n - 1)));
}

} // namespace

TEST(QueenContiguity, LatticeCellsTouchByEdgeOrCorner) {
    const auto nb = queen_contiguity(lattice_polygons());
    ASSERT_EQ(nb.size(), 16u);
    EXPECT_EQ(nb[0], (std::vector<std::size_t>{1, 4, 5}));                 // corner: 3
    EXPECT_EQ(nb[1].size(), 5u);                                           // edge: 5
    EXPECT_EQ(nb[5], (std::vector<std::size_t>{0, 1, 2, 4, 6, 8, 9, 10})); // interior: 8
}

TEST(QueenContiguity, ToleranceBridgesSmallGaps) {
    std::vector<Geometry> p{Geometry::box({0, 0, 1, 1}), Geometry::box({1.001, 0, 2, 1})};
    EXPECT_TRUE(queen_contiguity(p)[0].empty());
    EXPECT_EQ(queen_contiguity(p, 0.01)[0], (std::vector<std::size_t>{1}));
}

TEST(GiStar, CornerClusterMatchesTheHandWorkedValue) {
    // By hand: n = 16, Σx = 37, Σx² = 189, x̄ = 2.3125, s² = 189/16 − x̄² =
    // 6.46484375, s = 2.5426057. Cell 0 (south-west corner) has W = 4 (itself
    // + 3 neighbours), Σ w x = 8 + 6 + 7 + 5 = 26:
    // z = (26 − 4·2.3125) / (2.5426057 · sqrt((16·4 − 16) / 15)) = 16.75 / 4.5483366 = 3.68265.
    const auto gi = getis_ord_gi_star(counts, queen_contiguity(lattice_polygons()));
    EXPECT_NEAR(gi[0].z, 3.68265, 1e-4);
    EXPECT_NEAR(gi[0].p, 2.3082e-4, 1e-7); // erfc(3.68265 / √2)
    EXPECT_EQ(gi[0].bin, 3);
}

TEST(GiStar, EveryCellMatchesTheReferenceFormula) {
    const auto gi = getis_ord_gi_star(counts, queen_contiguity(lattice_polygons()));
    ASSERT_EQ(gi.size(), counts.size());
    for (std::size_t i = 0; i < gi.size(); ++i) {
        const double z = reference_z(i);
        EXPECT_NEAR(gi[i].z, z, 1e-9) << "cell " << i;
        EXPECT_NEAR(gi[i].p, std::erfc(std::abs(z) / std::sqrt(2.0)), 1e-12) << "cell " << i;
    }
    EXPECT_LT(gi[15].z, 0.0) << "the far corner is below the mean";
}

TEST(GiStar, EqualCountsGiveNoHotspot) {
    const std::vector<double> flat(16, 3.0);
    for (const auto& g : getis_ord_gi_star(flat, queen_contiguity(lattice_polygons()))) {
        EXPECT_EQ(g.z, 0.0);
        EXPECT_EQ(g.p, 1.0);
        EXPECT_EQ(g.bin, 0);
    }
}

TEST(GiStar, MismatchedInputIsRefused) {
    EXPECT_THROW((void)getis_ord_gi_star(counts, {}), geo::InputError);
    const std::vector<double> one{1.0};
    EXPECT_THROW((void)getis_ord_gi_star(one, {{}}), geo::InputError);
}
