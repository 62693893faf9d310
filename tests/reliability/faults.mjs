// Fault injection against a running tileserver, on loopback, bounded in time (issue 10, item 4):
//   1. slowloris: slow request heads and slow bodies on all but two connection slots are cut off
//      by the header/body timeouts while normal clients keep getting fast answers;
//   2. flood: 3x --max-connections sockets at once; the extras get a clean 503 or a close, never
//      a hang; afterwards the server serves and /metrics shows the connections gone;
//   3. SIGKILL during a burst of 16 concurrent writers: every acknowledged (201) incident, from
//      the client's own log, is in the store after restart, which passes PRAGMA integrity_check;
//   4. SIGTERM with requests in flight: slow POST bodies and keep-alive GETs get complete
//      responses, the process exits 0 within the drain timeout, new connections are refused.
//   node faults.mjs PATH/TO/tileserver [WORKDIR]
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeScenario, rawRequest, startServer, stopServer, tempDir, tileOf } from '../integration/tileserver/harness.mjs';

const binary = process.argv[2];
const work = process.argv[3] ? path.join(process.argv[3], 'faults') : tempDir('ts-faults-');
const TOKEN = 'faults-token-51d2';
const MAX_CONNECTIONS = 16;
const HEADER_TIMEOUT_S = 2;
const BODY_TIMEOUT_S = 2;
const SLACK_MS = 1500; // timer granularity and a loaded 2-core machine
const INSIDE = [117.715, 39.015]; // inside the 3x3 test grids

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function connect(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => resolve(sock));
    sock.once('error', reject);
  });
}

/// A raw keep-alive HTTP/1.1 connection that parses whole responses (Content-Length bodies), so
/// that a test can tell a complete response from a cut one.
class RawClient {
  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.responses = [];
    this.closed = false;
    this.closedAt = null;
    this.waiters = [];
    sock.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.parse(); });
    const onClose = () => {
      if (!this.closed) { this.closed = true; this.closedAt = Date.now(); }
      this.wake();
    };
    sock.on('end', onClose);
    sock.on('close', onClose);
    sock.on('error', onClose);
  }
  static async open(port) { return new RawClient(await connect(port)); }
  parse() {
    for (;;) {
      const head = this.buf.indexOf('\r\n\r\n');
      if (head < 0) break;
      const text = this.buf.subarray(0, head).toString('latin1');
      const status = Number((text.match(/^HTTP\/1\.1 (\d{3})/) || [])[1]);
      const length = Number((text.match(/\r\ncontent-length: *(\d+)/i) || [])[1] || 0);
      if (this.buf.length < head + 4 + length) break;
      const body = this.buf.subarray(head + 4, head + 4 + length).toString('utf8');
      this.responses.push({ status, head: text, body, close: /\r\nconnection: *close/i.test(text), at: Date.now() });
      this.buf = this.buf.subarray(head + 4 + length);
    }
    this.wake();
  }
  wake() { for (const w of this.waiters.splice(0)) w(); }
  /// Resolves when `n` responses have arrived or the connection closed.
  until(n, ms = 10000) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      const check = () => {
        if (this.responses.length >= n || this.closed) { clearTimeout(timer); resolve(true); } else this.waiters.push(check);
      };
      check();
    });
  }
  write(text) { if (!this.closed) this.sock.write(text); }
  destroy() { this.sock.destroy(); }
}

/// Send `text` one byte every `everyMs`; stops when the server closes the socket.
function dribble(client, text, everyMs) {
  let i = 0;
  const timer = setInterval(() => {
    if (client.closed || i >= text.length) { clearInterval(timer); return; }
    client.write(text[i++]);
  }, everyMs);
  return () => clearInterval(timer);
}

const incidentBody = (externalId, i) => JSON.stringify({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [117.7005 + (i % 29) * 0.001, 39.0005 + (Math.floor(i / 29) % 29) * 0.001] },
  properties: { category: i % 2 ? 'noise' : 'garbage', external_id: externalId, synthetic: true },
});

function sqlite(file, sql) {
  const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

/// One metric, read over a connection of its own that the server closes (a pooled fetch()
/// connection would count itself in tileserver_connections_active).
async function metric(port, name) {
  const { data } = await rawRequest(port, 'GET /metrics HTTP/1.1\r\nHost: m\r\nConnection: close\r\n\r\n');
  return Number((data.match(new RegExp(`^${name} (\\d+)`, 'm')) || [])[1]);
}

const limitArgs = ['--token', TOKEN, '--threads', '2', '--max-connections', String(MAX_CONNECTIONS),
  '--header-timeout', String(HEADER_TIMEOUT_S), '--body-timeout', String(BODY_TIMEOUT_S)];

test('Slowloris: slow heads and slow bodies are cut off by the timeouts without starving other clients', { timeout: 60000 }, async () => {
  const gpkg = makeScenario(path.join(work, 'slow'), 'slow');
  const server = await startServer(binary, [...limitArgs, gpkg]);
  try {
    const slow = MAX_CONNECTIONS - 2; // leave two slots: one for the normal client, one spare
    const heads = [];
    const bodies = [];
    const stops = [];
    const opened = Date.now();
    for (let i = 0; i < slow; i++) {
      const c = await RawClient.open(server.port);
      if (i % 2 === 0) {
        stops.push(dribble(c, 'GET /health HTTP/1.1\r\nHost: slow\r\nX-Padding: ' + 'a'.repeat(200) + '\r\n\r\n', 500));
        heads.push(c);
      } else {
        const body = incidentBody(`slow-${i}`, i);
        c.write(`POST /api/incidents HTTP/1.1\r\nHost: slow\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\n` +
          `Content-Length: ${body.length}\r\n\r\n`);
        stops.push(dribble(c, body, 500));
        bodies.push(c);
      }
    }
    // Meanwhile a normal client gets fast answers, tile and API alike.
    const t = tileOf(...INSIDE, 14);
    const latencies = [];
    for (let i = 0; i < 20; i++) {
      const started = Date.now();
      const res = await fetch(i % 2 ? `${server.base}/tiles/grids/${t.z}/${t.x}/${t.y}.mvt` : `${server.base}/api/stats?window=all`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      latencies.push(Date.now() - started);
    }
    assert.ok(Math.max(...latencies) < 1000, `normal requests stayed fast: ${latencies.join(',')} ms`);
    // Every slow socket is closed by the server: heads by the header timeout, bodies by
    // header + body timeout (the body clock starts when the head is complete).
    const deadline = (HEADER_TIMEOUT_S + BODY_TIMEOUT_S) * 1000 + SLACK_MS;
    await Promise.all([...heads, ...bodies].map((c) => c.until(1, deadline + 1000)));
    for (const c of heads) {
      assert.ok(c.closed, 'slow head closed by the server');
      assert.ok(c.closedAt - opened <= HEADER_TIMEOUT_S * 1000 + SLACK_MS, `slow head cut after ${c.closedAt - opened} ms`);
      assert.equal(c.responses.length, 0, 'a cut-off head gets no answer');
    }
    for (const c of bodies) {
      assert.ok(c.closed, 'slow body closed by the server');
      assert.ok(c.closedAt - opened <= deadline, `slow body cut after ${c.closedAt - opened} ms`);
      assert.equal(c.responses.length, 0, 'a cut-off body is never acted on');
    }
    stops.forEach((s) => s());
    const cut = (list) => list.map((c) => c.closedAt - opened);
    console.log(`# slowloris: ${heads.length} slow heads cut after ${Math.min(...cut(heads))}-${Math.max(...cut(heads))} ms, ` +
      `${bodies.length} slow bodies after ${Math.min(...cut(bodies))}-${Math.max(...cut(bodies))} ms; ` +
      `20 normal requests meanwhile, max ${Math.max(...latencies)} ms`);
    // Nothing of the cut-off POSTs was stored.
    const list = await (await fetch(`${server.base}/api/incidents?limit=1000`)).json();
    assert.equal(list.features.filter((f) => String(f.properties.external_id).startsWith('slow-')).length, 0);
    assert.equal((await fetch(`${server.base}/health`)).status, 200);
  } finally {
    const { code } = await stopServer(server);
    assert.equal(code, 0);
  }
});

test('Flood: 3x max-connections sockets at once; the extras get a clean 503 or a close, never a hang', { timeout: 60000 }, async () => {
  const gpkg = makeScenario(path.join(work, 'flood'), 'flood');
  const server = await startServer(binary, [...limitArgs, gpkg]);
  try {
    const results = await Promise.allSettled(Array.from({ length: 3 * MAX_CONNECTIONS }, () => RawClient.open(server.port)));
    const clients = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    // Without sending anything, the extras must hear from the server at once.
    await sleep(500);
    const refused = clients.filter((c) => c.responses.length > 0 || c.closed);
    const accepted = clients.filter((c) => c.responses.length === 0 && !c.closed);
    for (const c of refused) {
      if (c.responses.length) {
        assert.equal(c.responses[0].status, 503);
        assert.match(c.responses[0].head, /^HTTP\/1\.1 503 Service Unavailable/);
        assert.deepEqual(JSON.parse(c.responses[0].body), { error: 'too many connections' });
        // The same security headers as every routed answer (tileserver/src/response_headers.cpp).
        for (const h of [/^X-Content-Type-Options: nosniff\r?$/im, /^X-Frame-Options: DENY\r?$/im, /^Referrer-Policy: no-referrer\r?$/im]) {
          assert.match(c.responses[0].head, h);
        }
      }
    }
    const refusedCount = refused.length + (results.length - clients.length);
    assert.ok(accepted.length <= MAX_CONNECTIONS, `${accepted.length} accepted`);
    assert.ok(refusedCount >= 2 * MAX_CONNECTIONS, `${refusedCount} refused`);
    // The accepted ones are served normally.
    for (const c of accepted) c.write('GET /health HTTP/1.1\r\nHost: flood\r\n\r\n');
    await Promise.all(accepted.map((c) => c.until(1, 3000)));
    for (const c of accepted) assert.equal(c.responses[0]?.status, 200, 'an accepted connection is served');
    const rejectedMetric = await (async () => {
      for (const c of clients) c.destroy();
      await sleep(300);
      return metric(server.port, 'tileserver_connections_rejected_total');
    })();
    assert.ok(rejectedMetric >= 2 * MAX_CONNECTIONS, `metrics count ${rejectedMetric} rejections`);
    // Afterwards: normal service, and the connections are gone (only the metrics request's own).
    assert.match((await rawRequest(server.port, 'GET /health HTTP/1.1\r\nHost: f\r\nConnection: close\r\n\r\n')).data, /^HTTP\/1\.1 200/);
    let active = Infinity;
    for (let i = 0; i < 20 && active > 1; i++) {
      active = await metric(server.port, 'tileserver_connections_active');
      if (active > 1) await sleep(100);
    }
    assert.ok(active <= 1, `connections back to ~0 (${active})`);
    const got503 = refused.filter((c) => c.responses.length).length;
    console.log(`# flood: ${3 * MAX_CONNECTIONS} sockets, ${accepted.length} accepted and served, ${got503} got 503, ` +
      `${refusedCount - got503} closed/refused without a response; ${rejectedMetric} rejections counted; ${active} connection active after`);
  } finally {
    const { code } = await stopServer(server);
    assert.equal(code, 0);
  }
});

test('SIGKILL during a burst of 16 writers loses no acknowledged incident; the store passes integrity_check', { timeout: 90000 }, async () => {
  const dir = path.join(work, 'kill');
  const gpkg = makeScenario(dir, 'kill');
  const logFile = path.join(dir, 'acknowledged.jsonl'); // the client's log of 201s
  fs.rmSync(logFile, { force: true });
  let server = await startServer(binary, ['--token', TOKEN, '--threads', '2', gpkg]);
  const acked = [];
  const KILL_AFTER = 200;
  let next = 0;
  let killed = false;
  let killing = null;
  let inflight = 0;
  let inflightAtKill = 0;
  let failed = 0;
  const writer = async () => {
    while (!killed && next < 4000) {
      const i = next++;
      const externalId = `kill-${i}`;
      inflight++;
      const pending = fetch(`${server.base}/api/incidents`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: incidentBody(externalId, i),
      });
      // The kill lands mid-burst: past the 200th acknowledgement, with at least 8 writes on the
      // wire (2 ms lets this one reach the server).
      if (acked.length >= KILL_AFTER && inflight >= 8 && !killed) {
        killed = true;
        killing = new Promise((r) => setTimeout(r, 2)).then(() => { inflightAtKill = inflight; return stopServer(server, 'SIGKILL'); });
      }
      try {
        const res = await pending;
        const body = await res.json();
        if (res.status === 201) {
          // Logged synchronously before anything else happens: this is what the client was promised.
          fs.appendFileSync(logFile, JSON.stringify({ id: body.incidents[0].id, external_id: externalId }) + '\n');
          acked.push({ id: body.incidents[0].id, external_id: externalId });
        } else {
          assert.fail(`unexpected ${res.status} before the kill`);
        }
      } catch (err) {
        if (!killed) throw err;
        failed++; // cut by the kill: never acknowledged, so nothing was promised
      } finally {
        inflight--;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, writer));
  await killing;
  assert.ok(killed, 'the burst reached the kill point');
  const log = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(log.length, acked.length);

  // The file as SIGKILL left it (WAL not checkpointed): intact, and holding every acknowledgement.
  assert.equal(sqlite(gpkg, 'PRAGMA integrity_check'), 'ok');
  const stored = new Map(sqlite(gpkg, "SELECT id, external_id FROM incidents WHERE external_id LIKE 'kill-%'")
    .split('\n').filter(Boolean).map((l) => { const [id, ext] = l.split('|'); return [ext, Number(id)]; }));
  for (const a of log) assert.equal(stored.get(a.external_id), a.id, `${a.external_id} (#${a.id}) lost`);
  // At most the requests in flight at the kill (one per writer) were stored without an answer.
  assert.ok(inflightAtKill >= 1, 'the kill hit writes in flight');
  assert.ok(stored.size >= log.length && stored.size <= log.length + 16, `${stored.size} stored, ${log.length} acknowledged`);

  server = await startServer(binary, ['--token', TOKEN, '--threads', '2', gpkg]);
  try {
    for (const a of log) {
      const res = await fetch(`${server.base}/api/incidents/${a.id}`);
      assert.equal(res.status, 200, `incident ${a.id} (${a.external_id}) lost`);
      assert.equal((await res.json()).external_id, a.external_id);
    }
    const stats = await (await fetch(`${server.base}/api/stats?by=category&window=all`)).json();
    assert.equal(stats.total, stored.size, 'the restarted server holds what the file holds');
  } finally {
    const { code } = await stopServer(server);
    assert.equal(code, 0);
  }
  assert.equal(sqlite(gpkg, 'PRAGMA integrity_check'), 'ok');
  console.log(`# SIGKILL with ${inflightAtKill} POSTs in flight, ${log.length} acknowledged in the client's log: ` +
    `${failed} cut, ${stored.size} stored (${stored.size - log.length} committed but unacknowledged), 0 lost; integrity_check ok`);
});

test('SIGTERM drains: in-flight slow POSTs and keep-alive GETs complete, exit 0 in time, new connections refused', { timeout: 60000 }, async () => {
  const dir = path.join(work, 'drain');
  const gpkg = makeScenario(dir, 'drain');
  const DRAIN_S = 6;
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ limits: { drain_timeout_s: DRAIN_S, body_timeout_s: 10, header_timeout_s: 10 } }));
  const server = await startServer(binary, ['--config', config, '--token', TOKEN, '--threads', '2', gpkg]);
  const exited = new Promise((resolve) => server.proc.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  try {
    await drainScenario(server, exited, gpkg, DRAIN_S);
  } finally {
    if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
  }
});

async function drainScenario(server, exited, gpkg, DRAIN_S) {
  // 20 POSTs whose bodies arrive in 4 pieces over ~1.5 s: in flight when SIGTERM lands.
  const posts = [];
  for (let i = 0; i < 20; i++) {
    const c = await RawClient.open(server.port);
    const body = incidentBody(`drain-${i}`, i);
    c.write(`POST /api/incidents HTTP/1.1\r\nHost: drain\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    posts.push({ c, body });
  }
  const quarter = (s, k) => s.body.slice(Math.floor((k * s.body.length) / 4), Math.floor(((k + 1) * s.body.length) / 4));
  for (const p of posts) p.c.write(quarter(p, 0));
  // 4 keep-alive clients that each send GETs back to back until the server says close.
  const getters = [];
  for (let i = 0; i < 4; i++) getters.push({ c: await RawClient.open(server.port), sent: 0 });
  const t = tileOf(...INSIDE, 14);
  let getting = true;
  const loops = getters.map(async (g) => {
    while (getting && !g.c.closed) {
      g.c.write(`GET /tiles/grids/${t.z}/${t.x}/${t.y}.mvt HTTP/1.1\r\nHost: drain\r\n\r\n`);
      g.sent++;
      await g.c.until(g.sent, 5000);
      if (g.c.responses.at(-1)?.close) break;
    }
  });
  // 2 idle keep-alive connections: closed at once by the drain.
  const idle = [];
  for (let i = 0; i < 2; i++) {
    const c = await RawClient.open(server.port);
    c.write('GET /health HTTP/1.1\r\nHost: drain\r\n\r\n');
    await c.until(1);
    idle.push(c);
  }
  await sleep(300);
  for (const p of posts) p.c.write(quarter(p, 1));
  const termAt = Date.now();
  server.proc.kill('SIGTERM');
  await sleep(300);
  // The listener is closed: new connections are refused while the drain runs.
  await assert.rejects(connect(server.port), /ECONNREFUSED/, 'no new connections while draining');
  for (const k of [2, 3]) {
    for (const p of posts) p.c.write(quarter(p, k));
    await sleep(400);
  }
  await Promise.all(posts.map((p) => p.c.until(1, DRAIN_S * 1000)));
  getting = false;
  await Promise.all(loops);
  const exit = await exited;

  for (const [i, p] of posts.entries()) {
    assert.equal(p.c.responses.length, 1, `in-flight POST ${i} got a complete response`);
    assert.equal(p.c.responses[0].status, 201, `POST ${i}: ${p.c.responses[0].body}`);
    assert.ok(p.c.responses[0].close, 'responses during the drain close their connection');
    assert.equal(JSON.parse(p.c.responses[0].body).created, 1);
  }
  for (const [i, g] of getters.entries()) {
    assert.ok(g.c.closed, `keep-alive client ${i} was closed, not left hanging`);
    // Every GET sent got a complete response: the one sent as the drain began (the client cannot
    // know about it) is answered within the drain grace, with Connection: close.
    assert.ok(g.c.responses.every((r) => r.status === 200), `client ${i}: ${g.c.responses.map((r) => r.status)}`);
    assert.equal(g.c.responses.length, g.sent, `client ${i}: ${g.sent} sent, ${g.c.responses.length} answered`);
    assert.ok(g.c.responses.at(-1).close, `client ${i}: the last response said Connection: close`);
  }
  for (const c of idle) {
    assert.ok(c.closed && c.closedAt - termAt < 1000, 'idle keep-alive connections are closed at once');
  }
  assert.equal(exit.code, 0, `exit code ${exit.code} signal ${exit.signal}`);
  assert.ok(exit.at - termAt < DRAIN_S * 1000 + 1000, `exited ${exit.at - termAt} ms after SIGTERM`);
  await assert.rejects(connect(server.port), /ECONNREFUSED/, 'nothing listens after the exit');
  for (const x of [...posts.map((p) => p.c), ...getters.map((g) => g.c), ...idle]) x.destroy();
  const gets = getters.reduce((n, g) => n + g.c.responses.length, 0);
  const unanswered = getters.reduce((n, g) => n + g.sent - g.c.responses.length, 0);
  console.log(`# drain: SIGTERM with 20 POST bodies and 4 keep-alive GET loops in flight: 20/20 POSTs 201, ${gets} GETs 200, ` +
    `${unanswered} unanswered; exit 0 after ${exit.at - termAt} ms (drain timeout ${DRAIN_S} s)`);
  // Every POST answered 201 is in the file.
  assert.equal(sqlite(gpkg, "SELECT count(*) FROM incidents WHERE external_id LIKE 'drain-%'"), '20');
  assert.equal(sqlite(gpkg, 'PRAGMA integrity_check'), 'ok');
}
