#include "incidents.hpp"

#include "geo/core/error.hpp"

#include <algorithm>
#include <chrono>

namespace tileserver {

namespace inc = geo::incident;

bool IncidentQuery::matches(const inc::Incident& incident) const {
    if (!categories.empty() && std::find(categories.begin(), categories.end(), incident.category) == categories.end()) {
        return false;
    }
    if (since && incident.reported_at < *since) {
        return false;
    }
    if (until && !(incident.reported_at < *until)) {
        return false;
    }
    return true;
}

std::string IncidentQuery::canonical() const {
    if (empty()) {
        return {};
    }
    auto cats = categories;
    std::sort(cats.begin(), cats.end());
    std::string s = "c=";
    for (std::size_t i = 0; i < cats.size(); ++i) {
        s += (i ? "," : "") + cats[i];
    }
    s += ";s=" + (since ? std::to_string(since->time_since_epoch().count()) : std::string());
    s += ";u=" + (until ? std::to_string(until->time_since_epoch().count()) : std::string());
    return s;
}

namespace {

std::unique_ptr<inc::GridAssigner> make_assigner(const Layer* grids) {
    if (grids == nullptr || grids->kind() != GeometryKind::polygon) {
        return nullptr;
    }
    const auto code = grids->field_index("code");
    if (!code) {
        return nullptr;
    }
    std::optional<std::size_t> parent;
    for (const char* name : {"parent_code", "parent", "jurisdiction_code", "community_code"}) {
        if ((parent = grids->field_index(name))) {
            break;
        }
    }
    std::vector<inc::Grid> list;
    list.reserve(grids->features().size());
    for (const auto& f : grids->features()) {
        inc::Grid g;
        g.code = geo::io::to_string(f.attributes[*code]);
        if (parent) {
            g.parent_code = geo::io::to_string(f.attributes[*parent]);
        }
        g.geometry = f.mercator;
        list.push_back(std::move(g));
    }
    return std::make_unique<inc::GridAssigner>(std::move(list));
}

} // namespace

IncidentService::IncidentService(const std::string& path, const Layer* grids)
    : m_store(std::make_unique<inc::GeoPackageIncidentStore>(path)), m_assigner(make_assigner(grids)) {
    std::unique_lock lock(m_mutex);
    m_store->for_each({}, [this](const inc::Incident& i) { publish(i); });
}

IncidentService::~IncidentService() = default;

std::uint64_t IncidentService::bucket_of(const geo::core::XY& m) {
    const auto r = tiles_covering({m.x, m.y, m.x, m.y}, incident_bucket_zoom);
    return (static_cast<std::uint64_t>(r.min_x) << 32U) | r.min_y;
}

void IncidentService::publish(const inc::Incident& incident) {
    const auto m = lonlat_to_mercator(incident.location.x, incident.location.y);
    if (const auto it = m_by_id.find(incident.id); it != m_by_id.end()) {
        m_incidents[it->second].incident = incident; // a status change: location and grid stay
    } else {
        const std::size_t index = m_incidents.size();
        m_incidents.push_back({incident, m});
        m_by_id.emplace(incident.id, index);
        m_buckets[bucket_of(m)].push_back(index);
        if (incident.grid_code) {
            ++m_grid_counts[*incident.grid_code];
        }
        m_max_id = std::max(m_max_id, incident.id);
    }
    ++m_version;
}

std::vector<IncidentService::Added> IncidentService::add(std::vector<inc::NewIncident> incidents) {
    std::lock_guard write(m_write_mutex);
    for (auto& n : incidents) {
        if (m_assigner) {
            const auto m = lonlat_to_mercator(n.location.x, n.location.y);
            const auto a = m_assigner->assign(m);
            n.outside = a.outside();
            if (a.grid) {
                const auto& grid = m_assigner->grids()[*a.grid];
                n.grid_code = grid.code;
                if (!grid.parent_code.empty()) {
                    n.jurisdiction_code = grid.parent_code;
                }
            }
        }
    }
    const auto results = m_store->add_batch(incidents); // durable when it returns
    std::vector<Added> out;
    out.reserve(results.size());
    for (const auto& r : results) {
        auto stored = m_store->get(r.id);
        if (!stored) {
            throw geo::IoError("incident vanished after it was stored");
        }
        out.push_back({*stored, r.created});
    }
    std::unique_lock lock(m_mutex);
    for (const auto& a : out) {
        publish(a.incident);
    }
    return out;
}

inc::Incident IncidentService::transition(std::int64_t id, inc::Status to, const std::string& note) {
    std::lock_guard write(m_write_mutex);
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (const auto current = m_store->get(id); current && now < current->updated_at) {
        now = current->updated_at; // clock skew must not make a valid move fail
    }
    auto updated = m_store->transition(id, to, now, note);
    std::unique_lock lock(m_mutex);
    publish(updated);
    return updated;
}

void IncidentService::visit(const geo::core::Box& box, const IncidentQuery& query,
                            const std::function<void(const LiveIncident&)>& fn) const {
    std::shared_lock lock(m_mutex);
    const auto range = tiles_covering(box, incident_bucket_zoom);
    const std::uint64_t cells =
        static_cast<std::uint64_t>(range.max_x - range.min_x + 1) * (range.max_y - range.min_y + 1);
    auto take = [&](std::size_t index) {
        const auto& live = m_incidents[index];
        if (box.contains(live.mercator) && query.matches(live.incident)) {
            fn(live);
        }
    };
    if (cells > m_buckets.size()) {
        for (const auto& [key, list] : m_buckets) {
            const auto x = static_cast<std::uint32_t>(key >> 32U);
            const auto y = static_cast<std::uint32_t>(key & 0xffffffffU);
            if (x >= range.min_x && x <= range.max_x && y >= range.min_y && y <= range.max_y) {
                for (auto index : list) {
                    take(index);
                }
            }
        }
        return;
    }
    for (auto x = range.min_x; x <= range.max_x; ++x) {
        for (auto y = range.min_y; y <= range.max_y; ++y) {
            const auto it = m_buckets.find((static_cast<std::uint64_t>(x) << 32U) | y);
            if (it != m_buckets.end()) {
                for (auto index : it->second) {
                    take(index);
                }
            }
        }
    }
}

void IncidentService::visit_all(const IncidentQuery& query, const std::function<void(const LiveIncident&)>& fn) const {
    std::shared_lock lock(m_mutex);
    for (const auto& live : m_incidents) {
        if (query.matches(live.incident)) {
            fn(live);
        }
    }
}

std::optional<LiveIncident> IncidentService::get(std::int64_t id) const {
    std::shared_lock lock(m_mutex);
    const auto it = m_by_id.find(id);
    if (it == m_by_id.end()) {
        return std::nullopt;
    }
    return m_incidents[it->second];
}

std::int64_t IncidentService::count_in_grid(const std::string& grid_code) const {
    std::shared_lock lock(m_mutex);
    const auto it = m_grid_counts.find(grid_code);
    return it == m_grid_counts.end() ? 0 : it->second;
}

std::size_t IncidentService::size() const {
    std::shared_lock lock(m_mutex);
    return m_incidents.size();
}

std::uint64_t IncidentService::version() const {
    std::shared_lock lock(m_mutex);
    return m_version;
}

std::int64_t IncidentService::max_id() const {
    std::shared_lock lock(m_mutex);
    return m_max_id;
}

} // namespace tileserver
