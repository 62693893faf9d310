// End to end in a real browser: headless Debian chromium driven by playwright-core loads the
// command-centre page, waits for the map, checks that every layer rendered features
// (map.queryRenderedFeatures) and that a POSTed incident appears without a reload.
// The screenshot is kept at WORKDIR/browser/map.png.
//   node browser_test.mjs PATH/TO/tileserver WORKDIR [/usr/bin/chromium]
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { assertCleanExit, makeScenario, startServer, stopServer, tempDir } from './harness.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const binary = process.argv[2];
const work = process.argv[3] ? path.join(process.argv[3], 'browser') : tempDir('ts-browser-');
const executablePath = process.argv[4] || '/usr/bin/chromium';
const TOKEN = 'browser-token';

async function postIncident(base, lon, lat, category) {
  const res = await fetch(`${base}/api/incidents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { category, synthetic: true } }),
  });
  assert.equal(res.status, 201);
}

test('The command-centre page renders every layer and shows a new incident live', { timeout: 100000 }, async () => {
  fs.rmSync(work, { recursive: true, force: true });
  const gpkg = makeScenario(work, 'testcity');
  const server = await startServer(binary, ['--token', TOKEN, '--threads', '2', gpkg]);
  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const problems = [];
  let exit;
  try {
    await postIncident(server.base, 117.715, 39.015, 'road_damage');
    await postIncident(server.base, 117.705, 39.025, 'noise');
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));
    await page.goto(`${server.base}/#scenario=testcity`);
    await page.waitForFunction(() => window.mapReady === true && window.map && window.map.loaded(), null, { timeout: 30000 });

    const counts = await page.evaluate(() => {
      const out = {};
      for (const id of ['grids-fill', 'grids-line', 'jurisdictions-line', 'service-areas-fill', 'facilities-circle',
        'shelters-circle', 'incidents-points']) {
        out[id] = window.map.queryRenderedFeatures({ layers: [id] }).length;
      }
      return out;
    });
    for (const [id, n] of Object.entries(counts)) assert.ok(n > 0, `${id} rendered no features: ${JSON.stringify(counts)}`);
    const codes = await page.evaluate(() => [...new Set(window.map.queryRenderedFeatures({ layers: ['grids-fill'] }).map((f) => f.properties.code))].length);
    const sample = await page.evaluate(() => window.map.queryRenderedFeatures({ layers: ['grids-fill'] }).slice(0, 3).map((f) => [f.id, JSON.stringify(f.properties)]));
    await page.screenshot({ path: path.join(work, 'map.png') });
    assert.equal(codes, 9, JSON.stringify(sample));
    assert.match(await page.textContent('#synthetic'), /synthetic/);
    assert.equal(await page.isVisible('#synthetic'), true);

    // Service circles filter by category and level.
    const before = counts['service-areas-fill'];
    await page.selectOption('#sa-category', 'clinic');
    await page.selectOption('#sa-level', '5');
    await page.waitForFunction(() => window.map.loaded(), null, { timeout: 10000 });
    const fiveMinutes = await page.evaluate(() => window.map.queryRenderedFeatures({ layers: ['service-areas-fill'] })
      .map((f) => f.properties.minutes));
    assert.ok(fiveMinutes.length > 0 && fiveMinutes.length < before && fiveMinutes.every((m) => m === 5), JSON.stringify(fiveMinutes));
    await page.selectOption('#sa-level', '');
    await page.selectOption('#sa-category', '');
    // Category areas by default; per-facility areas (scope = facility) only when chosen.
    const scopes = async () => {
      await page.waitForFunction(() => window.map.loaded(), null, { timeout: 10000 });
      return page.evaluate(() => window.map.queryRenderedFeatures({ layers: ['service-areas-fill'] })
        .map((f) => [f.properties.scope ?? 'category', f.properties.minutes]));
    };
    const categoryAreas = await scopes();
    assert.ok(categoryAreas.length > 0 && categoryAreas.every(([s, m]) => s === 'category' && m !== 10), JSON.stringify(categoryAreas));
    await page.selectOption('#sa-scope', 'facility');
    const facilityAreas = await scopes();
    assert.ok(facilityAreas.length > 0 && facilityAreas.every(([s, m]) => s === 'facility' && m === 10), JSON.stringify(facilityAreas));
    await page.selectOption('#sa-scope', 'category');

    // A click on a grid opens a popup with its code and counts.
    const box = await page.locator('#map canvas').boundingBox();
    const gridPoint = await page.evaluate(() => window.map.project([117.713, 39.018]));
    await page.mouse.click(box.x + gridPoint.x, box.y + gridPoint.y);
    await page.waitForSelector('.maplibregl-popup-content', { timeout: 10000 });
    await page.waitForFunction(() => /incidents/.test(document.querySelector('.maplibregl-popup-content').textContent), null, { timeout: 10000 });
    const popup = await page.textContent('.maplibregl-popup-content');
    assert.match(popup, /120116001001005/);

    // A new incident arrives through the API and appears without a reload.
    await postIncident(server.base, 117.725, 39.005, 'e2e_marker');
    await page.waitForFunction(() => window.map.queryRenderedFeatures({ layers: ['incidents-points'] })
      .some((f) => f.properties.category === 'e2e_marker'), null, { timeout: 20000, polling: 250 });
    await page.waitForFunction(() => window.map.loaded(), null, { timeout: 10000 });
    await page.screenshot({ path: path.join(work, 'map.png') });
    assert.ok(fs.statSync(path.join(work, 'map.png')).size > 10000);
    assert.deepEqual(problems.filter((p) => !p.includes('favicon')), []);
  } finally {
    await context.close();
    exit = await stopServer(server);
  }
  assertCleanExit(server, exit);
});

test('Behind --read-token the page takes the token from #token= and still renders and updates live', { timeout: 100000 }, async () => {
  const READ = 'browser-read-token';
  const dir = path.join(work, 'read-token');
  fs.rmSync(dir, { recursive: true, force: true });
  const gpkg = makeScenario(dir, 'guarded');
  const server = await startServer(binary, ['--token', TOKEN, '--read-token', READ, '--threads', '2', gpkg]);
  const profile = fs.mkdtempSync(path.join(dir, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, viewport: { width: 1024, height: 700 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  let exit;
  try {
    const page = context.pages()[0] || await context.newPage();
    // Without the token the page loads (it holds no data) but the data requests are refused.
    await page.goto(`${server.base}/`);
    await page.waitForFunction(() => /401/.test(document.getElementById('status').textContent), null, { timeout: 15000 });

    const problems = [];
    page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    await page.goto(`${server.base}/#scenario=guarded&token=${READ}`);
    await page.reload(); // a fragment-only change does not reload the page
    await page.waitForFunction(() => window.mapReady === true && window.map && window.map.loaded(), null, { timeout: 30000 });
    const codes = await page.evaluate(() => new Set(window.map.queryRenderedFeatures({ layers: ['grids-fill'] }).map((f) => f.properties.code)).size);
    assert.equal(codes, 9);
    assert.match(await page.evaluate(() => location.hash), /token=/, 'switching scenario keeps the token in the fragment');
    await postIncident(server.base, 117.725, 39.005, 'guarded_marker');
    await page.waitForFunction(() => window.map.queryRenderedFeatures({ layers: ['incidents-points'] })
      .some((f) => f.properties.category === 'guarded_marker'), null, { timeout: 20000, polling: 250 });
    assert.deepEqual(problems.filter((p) => !p.includes('favicon')), []);
  } finally {
    await context.close();
    exit = await stopServer(server);
  }
  assertCleanExit(server, exit);
});
