#pragma once
// How a geogrid subcommand plugs in: a file in commands/ defines a function
// that adds its CLI11 subcommand and registers it with GEOGRID_COMMAND. The
// subcommand's callback does the work; errors are thrown as geo::Error and
// turned into one line by main.cpp.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace geogrid {

/// Adds a subcommand to the app. Called once at start-up.
using CommandSetup = std::function<void(CLI::App& app)>;

struct CommandRegistration {
    std::string name;
    CommandSetup setup;
};

std::vector<CommandRegistration>& command_registry();

inline bool register_command(std::string name, CommandSetup setup) {
    command_registry().push_back({std::move(name), std::move(setup)});
    return true;
}

/// Exit status a command asks for (0 = success). Commands that find problems
/// in the data (validate) set 1; errors throw instead.
int& command_exit_code();

} // namespace geogrid

#define GEOGRID_CONCAT_INNER(a, b) a##b
#define GEOGRID_CONCAT(a, b) GEOGRID_CONCAT_INNER(a, b)
#define GEOGRID_COMMAND(name, setup)                                                                              \
    static const bool GEOGRID_CONCAT(geogrid_registered_, __LINE__) = ::geogrid::register_command(name, setup)
