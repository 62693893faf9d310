#!/usr/bin/env bash
# Encode the same tiles with libgeo (LayerIndex) and with PostGIS
# (ST_AsMVTGeom + ST_AsMVT, one query per tile with all four layers), on the
# SYNTHETIC demo-scale layers of bench/tile/synthetic_layers.hpp. Starts a
# throw-away PostgreSQL 15 + PostGIS 3 cluster (Debian postgresql-15-postgis-3)
# on a Unix socket in a temporary directory, and removes it afterwards.
#
# usage: bench/tile/tile_vs_postgis.sh [build dir, default: build]   (KEEP=1 keeps the work directory)
# prints per zoom: tiles, ms per tile (libgeo, PostGIS, ratio), bytes per tile,
# and how the decoded contents compare (feature ids per layer).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
bench=$build/bin/bench_tile
pgbin=/usr/lib/postgresql/15/bin
[ -x "$bench" ] || { echo "build bench_tile first: cmake --build $build --target bench_tile" >&2; exit 1; }
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL 15 is missing: apt-get install postgresql-15-postgis-3" >&2; exit 1; }
[ -e /usr/share/postgresql/15/extension/postgis.control ] || { echo "PostGIS is missing: apt-get install postgresql-15-postgis-3" >&2; exit 1; }

work=$(mktemp -d /tmp/tile-vs-postgis.XXXXXX)
port=55433
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$work/db" -m fast stop >/dev/null 2>&1 || true
  if [ -n "${KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres "$work"

echo "== exporting the SYNTHETIC layers and the tile list" >&2
"$bench" --export="$work/data" >&2
"$bench" --write-tiles="$work/ours" >&2
chmod -R a+rX "$work"

echo "== starting PostgreSQL + PostGIS in $work" >&2
as_pg "$pgbin/initdb" -D "$work/db" -A trust -U postgres >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/db" -w -l "$work/db.log" \
  -o "-k $work -p $port -c listen_addresses='' -c shared_buffers=512MB -c work_mem=64MB -c max_parallel_workers_per_gather=0 -c jit=off" \
  start >/dev/null
psql=(psql -h "$work" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1)
"${psql[@]}" -c "create extension postgis" >/dev/null
for layer in grids jurisdictions service_areas incidents; do
  "${psql[@]}" <<SQL
create table $layer (id bigint primary key, geom geometry, props jsonb);
\copy $layer from '$work/data/$layer.csv'
update $layer set geom = ST_SetSRID(geom, 3857);
create index on $layer using gist (geom);
analyze $layer;
SQL
done
"${psql[@]}" <<SQL
create table tiles (z int, x int, y int);
\copy tiles from '$work/data/tiles.csv'
create table out_tiles (z int, x int, y int, round int, data bytea, ms double precision);
SQL

echo "== PostGIS: ST_AsMVT for every tile (2 rounds)" >&2
"${psql[@]}" <<'SQL'
create function layer_mvt(name text, t record) returns bytea language plpgsql as $$
declare result bytea;
begin
  execute format('select ST_AsMVT(q, %L, 4096, ''geom'', ''id'') from (
      select id, props, ST_AsMVTGeom(geom, ST_TileEnvelope($1, $2, $3), 4096, 64, true) as geom
      from %I where geom && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)) q', name, name)
    into result using t.z, t.x, t.y;
  return coalesce(result, ''::bytea);
end $$;
do $$
declare t record; started timestamptz; d bytea;
begin
  for r in 1..2 loop
    for t in select * from tiles order by z, x, y loop
      started := clock_timestamp();
      d := layer_mvt('jurisdictions', t) || layer_mvt('grids', t) || layer_mvt('service_areas', t)
           || layer_mvt('incidents', t);
      insert into out_tiles values (t.z, t.x, t.y, r, d,
                                    extract(epoch from clock_timestamp() - started) * 1000);
    end loop;
  end loop;
end $$;
SQL
mkdir -p "$work/postgis"
"${psql[@]}" -A -t -F $'\t' -c "select z, x, y, translate(encode(data, 'base64'), E'\\n', '') from out_tiles where round = 2" \
  > "$work/postgis/tiles.tsv"
"${psql[@]}" -A -t -F $'\t' -c "select z, avg(best), avg(bytes) from (select z, x, y, min(ms) as best,
  max(length(data)) as bytes from out_tiles group by z, x, y) t group by z order by z" > "$work/postgis.tsv"

echo "== libgeo: the same tiles (best of 3 rounds)" >&2
"$bench" --time-tiles > "$work/ours.tsv"

echo "== comparing" >&2
/usr/bin/node "$root/bench/tile/compare_tiles.mjs" "$work/ours" "$work/postgis/tiles.tsv" "$work/ours.tsv" \
  "$work/postgis.tsv"
