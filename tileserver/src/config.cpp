#include "config.hpp"

#include "geo/core/error.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>

namespace tileserver {

namespace {

template <typename T> void read_key(const nlohmann::json& object, const char* key, T& out, const std::string& file) {
    if (!object.contains(key)) {
        return;
    }
    try {
        out = object.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw geo::InputError("config key '" + std::string(key) + "' has the wrong type", {file, {}, {}},
                              "see docs/tileserver.md for the config file keys");
    }
}

void read_ms(const nlohmann::json& object, const char* key, std::chrono::milliseconds& out, const std::string& file) {
    double seconds = -1;
    read_key(object, key, seconds, file);
    if (object.contains(key)) {
        if (!(seconds > 0)) {
            throw geo::InputError("config key '" + std::string(key) + "' must be a positive number of seconds",
                                  {file, {}, {}});
        }
        out = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    }
}

std::string sanitize_name(const std::string& raw) {
    std::string name;
    for (char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0) {
            name.push_back(static_cast<char>(std::tolower(u)));
        } else if (c == '-' || c == '_') {
            name.push_back(c);
        }
    }
    return name;
}

} // namespace

ScenarioSource parse_scenario_argument(const std::string& argument) {
    ScenarioSource source;
    const auto eq = argument.find('=');
    if (eq != std::string::npos && eq > 0 && argument.find('/') > eq) {
        source.name = sanitize_name(argument.substr(0, eq));
        source.path = argument.substr(eq + 1);
    } else {
        source.path = argument;
        source.name = sanitize_name(std::filesystem::path(argument).stem().string());
    }
    if (source.name.empty()) {
        throw geo::InputError("scenario '" + argument + "' has no usable name", {argument, {}, {}},
                              "name it explicitly: NAME=PATH with NAME made of letters, digits, - or _");
    }
    return source;
}

void load_config_file(const std::string& path, ServerConfig& config) {
    std::ifstream in(path);
    if (!in) {
        throw geo::IoError("cannot read config file", {path, {}, {}});
    }
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw geo::InputError(std::string("config file is not valid JSON: ") + e.what(), {path, {}, {}});
    }
    if (!root.is_object()) {
        throw geo::InputError("config file must hold a JSON object", {path, {}, {}});
    }
    read_key(root, "bind", config.bind, path);
    read_key(root, "port", config.port, path);
    read_key(root, "token", config.token, path);
    read_key(root, "read_token", config.read_token, path);
    read_key(root, "cache_mb", config.cache_mb, path);
    read_key(root, "threads", config.threads, path);
    read_key(root, "min_zoom", config.min_zoom, path);
    read_key(root, "max_zoom", config.max_zoom, path);
    read_key(root, "web_dir", config.web_dir, path);
    read_key(root, "styles_dir", config.styles_dir, path);
    read_key(root, "vendor_dir", config.vendor_dir, path);
    read_key(root, "basemap_url", config.basemap_url, path);
    if (root.contains("scenarios")) {
        // Each entry: "PATH", "NAME=PATH", or {"path", "name", "label", "attribution", "synthetic"}.
        if (!root.at("scenarios").is_array()) {
            throw geo::InputError("config key 'scenarios' must be an array", {path, {}, {}});
        }
        for (const auto& entry : root.at("scenarios")) {
            if (entry.is_string()) {
                config.scenarios.push_back(parse_scenario_argument(entry.get<std::string>()));
                continue;
            }
            if (!entry.is_object() || !entry.contains("path") || !entry.at("path").is_string()) {
                throw geo::InputError("each scenario needs a 'path'", {path, {}, {}});
            }
            std::string name;
            read_key(entry, "name", name, path);
            ScenarioSource source = parse_scenario_argument(
                name.empty() ? entry.at("path").get<std::string>() : name + "=" + entry.at("path").get<std::string>());
            read_key(entry, "label", source.label, path);
            read_key(entry, "attribution", source.attribution, path);
            read_key(entry, "synthetic", source.synthetic, path);
            config.scenarios.push_back(std::move(source));
        }
    }
    if (root.contains("limits")) {
        const auto& limits = root.at("limits");
        if (!limits.is_object()) {
            throw geo::InputError("config key 'limits' must be an object", {path, {}, {}});
        }
        read_key(limits, "max_body_bytes", config.limits.max_body_bytes, path);
        read_key(limits, "max_header_bytes", config.limits.max_header_bytes, path);
        read_key(limits, "max_connections", config.limits.max_connections, path);
        read_ms(limits, "header_timeout_s", config.limits.header_timeout, path);
        read_ms(limits, "body_timeout_s", config.limits.body_timeout, path);
        read_ms(limits, "write_timeout_s", config.limits.write_timeout, path);
        read_ms(limits, "drain_timeout_s", config.limits.drain_timeout, path);
    }
}

} // namespace tileserver
