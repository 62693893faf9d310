#pragma once
// In-memory LRU of encoded tiles with a byte budget, indexed by tile address so that a changed
// incident can evict exactly the tiles that show it (and nothing else).

#include "tile_math.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace tileserver {

/// One encoded tile in both transfer encodings; immutable once cached.
struct EncodedTile {
    std::string raw;  ///< MVT bytes (empty = no features: answered with 204)
    std::string gzip; ///< gzip of raw (empty when raw is empty)
    std::string etag; ///< strong validator of raw, quoted
    [[nodiscard]] std::size_t bytes() const { return raw.size() + gzip.size() + etag.size() + 128; }
};

struct TileKey {
    std::string scenario;
    std::vector<std::string> layers; ///< as requested (composite tiles list several)
    std::string filter;              ///< canonical query filter ("" = none)
    TileId tile;
    [[nodiscard]] std::string str() const;
};

class TileCache {
  public:
    explicit TileCache(std::size_t budget_bytes) : m_budget(budget_bytes) {}

    /// A cached tile or nullptr; a hit moves the entry to the front.
    [[nodiscard]] std::shared_ptr<const EncodedTile> get(const TileKey& key);

    /// Generation to pass back to put(): a tile encoded before an invalidation must not be cached.
    [[nodiscard]] std::uint64_t generation() const;

    /// Insert unless an invalidation happened since `generation`; evicts least recently used.
    void put(const TileKey& key, std::shared_ptr<const EncodedTile> tile, std::uint64_t generation);

    /// Evict every cached tile of `scenario` at `tile` whose layer list includes `layer`.
    std::size_t invalidate(const std::string& scenario, const std::string& layer, const TileId& tile);
    /// The same for every tile of zoom z in `range` (walks the range or the cache, whichever is smaller).
    std::size_t invalidate_range(const std::string& scenario, const std::string& layer, int z, const TileRange& range);

    /// Count an invalidation pass (bumps the generation even if nothing was cached).
    void bump_generation();

    [[nodiscard]] std::size_t bytes() const;
    [[nodiscard]] std::size_t entries() const;

  private:
    struct Entry {
        std::string key;
        std::string address;
        std::string scenario;
        TileId id;
        std::vector<std::string> layers;
        std::shared_ptr<const EncodedTile> tile;
    };
    using List = std::list<Entry>;

    void erase(List::iterator it);
    std::size_t invalidate_locked(const std::string& scenario, const std::string& layer, const TileId& tile);
    static std::string address_of(const std::string& scenario, const TileId& t);

    mutable std::mutex m_mutex;
    std::size_t m_budget;
    std::size_t m_bytes = 0;
    std::uint64_t m_generation = 0;
    List m_lru; // front = most recently used
    std::unordered_map<std::string, List::iterator> m_by_key;
    std::unordered_multimap<std::string, List::iterator> m_by_address;
};

} // namespace tileserver
