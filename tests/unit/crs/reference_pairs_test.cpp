// Table-driven checks against published reference pairs (PROJ gie style):
// tests/data/crs/*_pairs.txt hold one case per line with its source, so a
// planner can read the cases and add one without touching C++.

#include "geo/crs/crs.hpp"
#include "geo/crs/transformer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using geo::core::XY;
using geo::crs::Crs;
using geo::crs::Transformer;

struct PairCase {
    std::string file;
    int line = 0;
    std::string from;
    std::string to;
    XY input;
    XY expected;
    double tolerance = 0.0;
    std::string source;
};

std::vector<PairCase> load_pairs(const std::string& name) {
    const std::string path = std::string(GEO_TEST_DATA_DIR) + "/crs/" + name;
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    std::vector<PairCase> cases;
    std::string text;
    int line_no = 0;
    while (std::getline(in, text)) {
        ++line_no;
        const auto first = text.find_first_not_of(" \t\r");
        if (first == std::string::npos || text[first] == '#') {
            continue;
        }
        std::istringstream fields(text);
        PairCase c;
        c.file = name;
        c.line = line_no;
        if (!(fields >> c.from >> c.to >> c.input.x >> c.input.y >> c.expected.x >> c.expected.y >> c.tolerance)) {
            throw std::runtime_error(path + ":" + std::to_string(line_no) + ": malformed case");
        }
        std::getline(fields >> std::ws, c.source);
        if (c.source.empty()) {
            throw std::runtime_error(path + ":" + std::to_string(line_no) + ": a case must name its source");
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

void check_pairs(const std::string& name, std::size_t minimum_cases) {
    const std::vector<PairCase> cases = load_pairs(name);
    ASSERT_GE(cases.size(), minimum_cases) << name;
    for (const PairCase& c : cases) {
        SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + " " + c.from + " -> " + c.to + " [" + c.source + "]");
        const Transformer t(Crs::parse(c.from), Crs::parse(c.to));
        const XY got = t.transform(c.input);
        EXPECT_LE(std::abs(got.x - c.expected.x), c.tolerance) << "x got " << got.x << " expected " << c.expected.x;
        EXPECT_LE(std::abs(got.y - c.expected.y), c.tolerance) << "y got " << got.y << " expected " << c.expected.y;
    }
}

} // namespace

TEST(CrsReferencePairs, Gcj02AndBd09MatchPublishedPairs) {
    check_pairs("gcj02_pairs.txt", 30);
}

TEST(CrsReferencePairs, ProjectionsMatchPublishedExamples) {
    check_pairs("projection_pairs.txt", 6);
}
