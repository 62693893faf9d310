// geogrid: the planners' command line over libgeo.
//
// Every failure ends in one line on stderr, "geogrid: error: <where>: <what>
// (<what to do>)", and a non-zero exit status: 1 when a check found problems
// in the data (validate), 2 for usage errors and bad input, 3 for I/O errors.

#include "command.hpp"

#include "geo/core/error.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>

namespace geogrid {

std::vector<CommandRegistration>& command_registry() {
    static std::vector<CommandRegistration> registry;
    return registry;
}

int& command_exit_code() {
    static int code = 0;
    return code;
}

} // namespace geogrid

int main(int argc, char** argv) {
    CLI::App app{"geogrid: red-grid partition, 15-minute service circles, shelters and 12345 incidents "
                 "for city grid management (libgeo)",
                 "geogrid"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "geogrid 0.1.0");

    auto& registry = geogrid::command_registry();
    std::sort(registry.begin(), registry.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& command : registry) {
        command.setup(app);
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const geo::IoError& e) {
        std::fprintf(stderr, "geogrid: error: %s\n", e.what());
        return 3;
    } catch (const geo::Error& e) {
        std::fprintf(stderr, "geogrid: error: %s\n", e.what());
        return 2;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "geogrid: error: out of memory\n");
        return 4;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "geogrid: error: %s\n", e.what());
        return 2;
    }
    return geogrid::command_exit_code();
}
