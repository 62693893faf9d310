#pragma once
// Static assets held in memory: the page (web/), MapLibre GL JS from npm (vendor/) and the
// MapLibre styles (styles/). Loaded once at start-up; a URL either names a loaded file exactly
// or is not found, so no request path ever reaches the file system (no traversal possible).

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tileserver {

struct StaticFile {
    std::string content;
    std::string gzip; ///< gzip of content (text assets)
    std::string content_type;
    std::string etag;
    std::string cache_control;
};

class StaticFiles {
  public:
    /// web_dir: every regular file at its top level, served at /<name> (index.html also at /);
    /// vendor_dir: maplibre-gl.js/.css at /vendor/…; styles_dir: *.json parsed and validated as JSON.
    StaticFiles(const std::string& web_dir, const std::string& vendor_dir, const std::string& styles_dir);

    [[nodiscard]] const StaticFile* find(const std::string& url_path) const;
    /// A style by name (file stem), parsed.
    [[nodiscard]] const nlohmann::json* style(const std::string& name) const;
    [[nodiscard]] std::size_t size() const noexcept { return m_files.size(); }

  private:
    void add(const std::string& url, const std::string& file, const std::string& cache_control);
    std::map<std::string, StaticFile> m_files;
    std::map<std::string, nlohmann::json> m_styles;
};

/// Strong ETag (quoted hex of a 64-bit FNV-1a hash) of some bytes.
[[nodiscard]] std::string make_etag(const std::string& bytes);

} // namespace tileserver
