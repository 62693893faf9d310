// Shared helpers for the tileserver integration tests: build the synthetic test scenario, start
// the server on a free port (--port 0, the port is read from its first stdout line), stop it.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function makeScenario(dir, name = 'testcity', origin = []) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name + '.gpkg');
  execFileSync(process.execPath, [path.join(here, 'make_scenario.js'), file, ...origin.map(String)], { stdio: 'ignore' });
  return file;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/// Start the server; resolves { proc, port, base, stderr() } once it listens.
export function startServer(binary, args, env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + err)), 20000);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/([^:]+):(\d+)\//);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[2]);
        resolve({ proc, port, base: `http://127.0.0.1:${port}`, stderr: () => err });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${err}`)); });
  });
}

/// SIGTERM (or another signal) and wait for the exit; resolves { code, signal }.
export function stopServer(server, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) {
      resolve({ code: server.proc.exitCode, signal: server.proc.signalCode });
      return;
    }
    server.proc.removeAllListeners('exit');
    server.proc.on('exit', (code, sig) => resolve({ code, signal: sig }));
    server.proc.kill(signal);
  });
}

/// A server stopped with SIGTERM must exit by itself with code 0: a crash, a sanitizer finding at
/// exit (an ASan build reports leaks when the process ends, and aborts) or a hang until SIGKILL
/// all fail. `exit` is what stopServer resolved; the message carries the end of the server's log.
export function assertCleanExit(server, exit, what = 'server') {
  if (exit.code !== 0 || exit.signal !== null) {
    throw new Error(`${what} did not exit cleanly after SIGTERM (code ${exit.code}, signal ${exit.signal}); ` +
      `end of its stderr:\n${server.stderr().slice(-4000)}`);
  }
}

/// Raw HTTP over a socket: send `text`, collect everything until the server closes or `ms` passes.
export function rawRequest(port, text, ms = 3000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let closed = false;
    const done = () => { if (!closed) { closed = true; sock.destroy(); resolve({ data, closedByServer: false }); } };
    const timer = setTimeout(done, ms);
    sock.on('connect', () => { if (text) sock.write(text); });
    sock.on('data', (d) => { data += d.toString('latin1'); });
    sock.on('end', () => { clearTimeout(timer); if (!closed) { closed = true; resolve({ data, closedByServer: true }); } });
    sock.on('error', () => { clearTimeout(timer); if (!closed) { closed = true; resolve({ data, closedByServer: true }); } });
  });
}

/// XYZ tile containing lon/lat at zoom z.
export function tileOf(lon, lat, z) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x, y };
}
