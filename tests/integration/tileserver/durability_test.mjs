// Durability: every incident the server acknowledged (201) survives SIGKILL right after the
// burst, because the store commits and syncs before the response is sent.
//   node durability_test.mjs PATH/TO/tileserver WORKDIR
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { assertCleanExit, makeScenario, startServer, stopServer, tempDir } from './harness.mjs';

const binary = process.argv[2];
const work = process.argv[3] ? path.join(process.argv[3], 'durability') : tempDir('ts-dur-');
const TOKEN = 'durable-token';

test('Every acknowledged incident is in the store after SIGKILL and restart', async () => {
  fs.rmSync(work, { recursive: true, force: true });
  const gpkg = makeScenario(work, 'durable');
  let server = await startServer(binary, ['--threads', '2', gpkg], { TILESERVER_TOKEN: TOKEN });
  const acknowledged = [];
  const send = async (i) => {
    const body = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [117.7005 + (i % 30) * 0.001, 39.0005 + Math.floor(i / 30) * 0.001] },
      properties: { category: i % 2 ? 'noise' : 'garbage', external_id: `burst-${i}`, synthetic: true },
    };
    try {
      const res = await fetch(`${server.base}/api/incidents`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body),
      });
      if (res.status === 201) acknowledged.push((await res.json()).incidents[0]);
    } catch { /* the kill may cut requests in flight: those were never acknowledged */ }
  };
  // 8 concurrent writers; kill the server the moment the 120th acknowledgement arrives.
  let next = 0;
  let killed = false;
  const writer = async () => {
    while (!killed && next < 400) {
      await send(next++);
      if (acknowledged.length >= 120 && !killed) {
        killed = true;
        await stopServer(server, 'SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  assert.ok(killed, 'the burst reached the kill point');
  assert.ok(acknowledged.length >= 120);

  server = await startServer(binary, ['--threads', '2', gpkg], { TILESERVER_TOKEN: TOKEN });
  let exit;
  try {
    for (const inc of acknowledged) {
      const res = await fetch(`${server.base}/api/incidents/${inc.id}`);
      assert.equal(res.status, 200, `incident ${inc.id} (${inc.external_id}) lost`);
      const stored = await res.json();
      assert.equal(stored.external_id, inc.external_id);
      assert.equal(stored.grid_code, inc.grid_code);
    }
    const stats = await (await fetch(`${server.base}/api/stats?by=category&window=all`)).json();
    assert.ok(stats.total >= acknowledged.length);
  } finally {
    exit = await stopServer(server);
  }
  assertCleanExit(server, exit, 'the restarted server');
});
