#include "tile_cache.hpp"

#include <algorithm>

namespace tileserver {

std::string TileKey::str() const {
    std::string s = scenario;
    s += '|';
    for (std::size_t i = 0; i < layers.size(); ++i) {
        s += (i ? "," : "") + layers[i];
    }
    s += '|' + filter + '|' + std::to_string(tile.z) + '/' + std::to_string(tile.x) + '/' + std::to_string(tile.y);
    return s;
}

std::string TileCache::address_of(const std::string& scenario, const TileId& t) {
    return scenario + '|' + std::to_string(t.z) + '/' + std::to_string(t.x) + '/' + std::to_string(t.y);
}

std::shared_ptr<const EncodedTile> TileCache::get(const TileKey& key) {
    std::lock_guard lock(m_mutex);
    const auto it = m_by_key.find(key.str());
    if (it == m_by_key.end()) {
        return nullptr;
    }
    m_lru.splice(m_lru.begin(), m_lru, it->second);
    return it->second->tile;
}

std::uint64_t TileCache::generation() const {
    std::lock_guard lock(m_mutex);
    return m_generation;
}

void TileCache::bump_generation() {
    std::lock_guard lock(m_mutex);
    ++m_generation;
}

void TileCache::put(const TileKey& key, std::shared_ptr<const EncodedTile> tile, std::uint64_t generation) {
    const std::size_t size = tile->bytes();
    std::lock_guard lock(m_mutex);
    if (generation != m_generation || size > m_budget) {
        return;
    }
    const std::string k = key.str();
    if (const auto it = m_by_key.find(k); it != m_by_key.end()) {
        erase(it->second);
    }
    m_lru.push_front(Entry{k, address_of(key.scenario, key.tile), key.scenario, key.tile, key.layers, std::move(tile)});
    m_by_key.emplace(k, m_lru.begin());
    m_by_address.emplace(m_lru.front().address, m_lru.begin());
    m_bytes += size;
    while (m_bytes > m_budget && !m_lru.empty()) {
        erase(std::prev(m_lru.end()));
    }
}

void TileCache::erase(List::iterator it) {
    auto [first, last] = m_by_address.equal_range(it->address);
    for (auto a = first; a != last; ++a) {
        if (a->second == it) {
            m_by_address.erase(a);
            break;
        }
    }
    m_by_key.erase(it->key);
    m_bytes -= it->tile->bytes();
    m_lru.erase(it);
}

std::size_t TileCache::invalidate(const std::string& scenario, const std::string& layer, const TileId& tile) {
    std::lock_guard lock(m_mutex);
    ++m_generation;
    return invalidate_locked(scenario, layer, tile);
}

std::size_t TileCache::invalidate_range(const std::string& scenario, const std::string& layer, int z,
                                        const TileRange& range) {
    std::lock_guard lock(m_mutex);
    ++m_generation;
    const std::uint64_t span =
        static_cast<std::uint64_t>(range.max_x - range.min_x + 1) * (range.max_y - range.min_y + 1);
    if (span <= m_lru.size()) {
        std::size_t n = 0;
        for (auto x = range.min_x; x <= range.max_x; ++x) {
            for (auto y = range.min_y; y <= range.max_y; ++y) {
                n += invalidate_locked(scenario, layer, TileId{z, x, y});
            }
        }
        return n;
    }
    std::vector<List::iterator> doomed;
    for (auto it = m_lru.begin(); it != m_lru.end(); ++it) {
        const auto& t = it->id;
        if (t.z == z && it->scenario == scenario && t.x >= range.min_x && t.x <= range.max_x && t.y >= range.min_y &&
            t.y <= range.max_y && std::find(it->layers.begin(), it->layers.end(), layer) != it->layers.end()) {
            doomed.push_back(it);
        }
    }
    for (auto it : doomed) {
        erase(it);
    }
    return doomed.size();
}

std::size_t TileCache::invalidate_locked(const std::string& scenario, const std::string& layer, const TileId& tile) {
    std::vector<List::iterator> doomed;
    auto [first, last] = m_by_address.equal_range(address_of(scenario, tile));
    for (auto a = first; a != last; ++a) {
        const auto& layers = a->second->layers;
        if (std::find(layers.begin(), layers.end(), layer) != layers.end()) {
            doomed.push_back(a->second);
        }
    }
    for (auto it : doomed) {
        erase(it);
    }
    return doomed.size();
}

std::size_t TileCache::bytes() const {
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

std::size_t TileCache::entries() const {
    std::lock_guard lock(m_mutex);
    return m_lru.size();
}

} // namespace tileserver
