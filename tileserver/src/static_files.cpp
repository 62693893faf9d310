#include "static_files.hpp"

#include "gzip.hpp"

#include "geo/core/error.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tileserver {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw geo::IoError("cannot read asset", {path.string(), {}, {}});
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string content_type_of(const fs::path& path) {
    const auto ext = path.extension().string();
    if (ext == ".html")
        return "text/html; charset=utf-8";
    if (ext == ".js")
        return "text/javascript; charset=utf-8";
    if (ext == ".css")
        return "text/css; charset=utf-8";
    if (ext == ".json")
        return "application/json";
    if (ext == ".svg")
        return "image/svg+xml";
    if (ext == ".png")
        return "image/png";
    if (ext == ".ico")
        return "image/x-icon";
    return "application/octet-stream";
}

bool is_text(const std::string& type) {
    return type.rfind("text/", 0) == 0 || type == "application/json" || type == "image/svg+xml";
}

} // namespace

std::string make_etag(const std::string& bytes) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
    return buf;
}

void StaticFiles::add(const std::string& url, const std::string& file, const std::string& cache_control) {
    StaticFile f;
    f.content = read_file(file);
    f.content_type = content_type_of(file);
    f.etag = make_etag(f.content);
    f.cache_control = cache_control;
    if (is_text(f.content_type) && f.content.size() > 512) {
        f.gzip = gzip_compress(f.content);
    }
    m_files[url] = std::move(f);
}

StaticFiles::StaticFiles(const std::string& web_dir, const std::string& vendor_dir, const std::string& styles_dir) {
    if (!fs::is_directory(web_dir) || !fs::exists(fs::path(web_dir) / "index.html")) {
        throw geo::IoError("web directory has no index.html", {web_dir, {}, {}}, "set --web-dir");
    }
    for (const auto& entry : fs::directory_iterator(web_dir)) {
        if (entry.is_regular_file()) {
            std::string url = "/";
            url.append(entry.path().filename().string());
            add(url, entry.path().string(), "no-cache");
        }
    }
    m_files["/"] = m_files.at("/index.html");
    for (const char* name : {"maplibre-gl.js", "maplibre-gl.css"}) {
        const fs::path p = fs::path(vendor_dir) / name;
        if (!fs::exists(p)) {
            throw geo::IoError(std::string("MapLibre GL asset missing: ") + name, {p.string(), {}, {}},
                               "run `npm ci` (maplibre-gl) or set --vendor-dir");
        }
        std::string url = "/vendor/";
        url.append(name);
        add(url, p.string(), "public, max-age=86400");
    }
    if (fs::is_directory(styles_dir)) {
        for (const auto& entry : fs::directory_iterator(styles_dir)) {
            if (entry.is_regular_file() && entry.path().extension() == ".json") {
                try {
                    m_styles[entry.path().stem().string()] = nlohmann::json::parse(read_file(entry.path()));
                } catch (const nlohmann::json::parse_error&) {
                    throw geo::InputError("style is not valid JSON", {entry.path().string(), {}, {}});
                }
            }
        }
    }
}

const StaticFile* StaticFiles::find(const std::string& url_path) const {
    const auto it = m_files.find(url_path);
    return it == m_files.end() ? nullptr : &it->second;
}

const nlohmann::json* StaticFiles::style(const std::string& name) const {
    const auto it = m_styles.find(name);
    return it == m_styles.end() ? nullptr : &it->second;
}

} // namespace tileserver
