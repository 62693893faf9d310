-- wrk script for the soak test (soak.sh): what a command centre does to a tileserver.
--   ~87 % tile GETs at z10–z16 over the scenario's grids (composite static layers, grids,
--         incidents), ~5 % TileJSON, ~3 % /api/stats, ~5 % incident POSTs (a valid GeoJSON
--         Feature inside the grids, a unique external_id, the bearer token).
-- Statuses are counted per thread and merged in done(), which writes one JSON object to
-- $SOAK_WRK_JSON. POSTs stop $SOAK_POST_STOP_S seconds before the end, so that none is in
-- flight when wrk drops its connections: the store's incident count must then equal the 201s.
-- Environment: SOAK_TOKEN, SOAK_BBOX ("w,s,e,n" in degrees), SOAK_SECONDS, SOAK_RUN (id prefix).

local token = os.getenv("SOAK_TOKEN") or ""
local run_id = os.getenv("SOAK_RUN") or tostring(os.time())
local seconds = tonumber(os.getenv("SOAK_SECONDS") or "60")
local post_stop = tonumber(os.getenv("SOAK_POST_STOP_S") or "3")
local bbox = {}
for v in string.gmatch(os.getenv("SOAK_BBOX") or "117.70,39.00,117.90,39.20", "[^,]+") do
  bbox[#bbox + 1] = tonumber(v)
end
local west, south, east, north = bbox[1], bbox[2], bbox[3], bbox[4]

local tile_layers = {
  "jurisdictions,grids,coverage,service_areas,facilities,shelters", -- the page's "scenario" source
  "grids",
  "incidents",
}
local tilejson = { "/tiles/incidents.json", "/tiles/jurisdictions,grids,coverage,service_areas,facilities,shelters.json" }
local categories = { "road_damage", "noise", "garbage", "streetlight", "water_leak" }

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  -- thread_id was set by setup(); the seed differs per thread so they do not walk in step.
  math.randomseed(os.time() * 1000 + thread_id * 7919)
  started = os.time()
  sent_posts = 0
  statuses = {}
  posts_started = 0
end

local function tile_of(lon, lat, z)
  local n = 2 ^ z
  local x = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local y = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return x, y
end

local function random_point()
  return west + math.random() * (east - west), south + math.random() * (north - south)
end

function request()
  local r = math.random()
  local posting_allowed = os.time() - started < seconds - post_stop
  if r < 0.05 and posting_allowed then
    sent_posts = sent_posts + 1
    local lon, lat = random_point()
    local body = string.format(
      '{"type":"Feature","geometry":{"type":"Point","coordinates":[%.6f,%.6f]},' ..
      '"properties":{"category":"%s","external_id":"soak-%s-%d-%d","description":"soak test","synthetic":true}}',
      lon, lat, categories[math.random(#categories)], run_id, thread_id, sent_posts)
    return wrk.format("POST", "/api/incidents",
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
  elseif r < 0.10 then
    return wrk.format("GET", tilejson[math.random(#tilejson)])
  elseif r < 0.13 then
    local by = ({ "grid", "category", "status" })[math.random(3)]
    return wrk.format("GET", "/api/stats?by=" .. by .. "&window=all")
  end
  local z = math.random(10, 16)
  local lon, lat = random_point()
  local x, y = tile_of(lon, lat, z)
  return wrk.format("GET", string.format("/tiles/%s/%d/%d/%d.mvt", tile_layers[math.random(#tile_layers)], z, x, y),
    { ["Accept-Encoding"] = "gzip" })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  local parts, bad = {}, 0
  for code, n in pairs(merged) do
    parts[#parts + 1] = string.format('"%d":%d', code, n)
    if code < 200 or code >= 400 then
      bad = bad + n
    end
  end
  local e = summary.errors
  local json = string.format(
    '{"requests":%d,"duration_s":%.1f,"bytes":%d,"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"bad_status":%d,"statuses":{%s},"created":%d,"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.0f}}',
    summary.requests, summary.duration / 1e6, summary.bytes, e.connect, e.read, e.write, e.timeout, bad,
    table.concat(parts, ","), merged[201] or 0, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean)
  local path = os.getenv("SOAK_WRK_JSON")
  if path then
    local f = assert(io.open(path, "w"))
    f:write(json, "\n")
    f:close()
  end
  io.write("statuses: ", table.concat(parts, " "), "\n")
end
