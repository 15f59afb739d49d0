/**
 * The production install path, as a server is deployed: the checked-out files in a fresh
 * directory, `npm ci --omit=dev` (no dev dependency, so no @types, vitest, autocannon or tsx),
 * then `npm start`, which must serve `/healthz` from a new SQLite file. npm runs offline, from
 * the cache the suite's own `npm ci` filled, so the test never reaches the registry.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..');
const INSTALL_TIMEOUT_MS = 600_000;
/** A server's shell, not this test runner's: npm's own `npm_config_*` variables would change how npm ci behaves. */
const SERVER_ENV = { PATH: process.env.PATH, HOME: process.env.HOME };

function copyCheckout(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(REPO, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(from, path.join(to, file));
  }
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
}

describe('production install', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-prod-'));
  let server: ChildProcess | undefined;

  afterAll(async () => {
    // npm start runs the server as a child of npm: end the whole process group, and wait until
    // every member has exited, since the server writes its search index snapshot on the way out.
    if (server?.pid !== undefined) {
      const group = -server.pid;
      const alive = () => {
        try {
          process.kill(group, 0);
          return true;
        } catch {
          return false;
        }
      };
      if (alive()) process.kill(group, 'SIGTERM');
      for (let waited = 0; alive() && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      if (alive()) process.kill(group, 'SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }, 60_000);

  it(
    'npm ci --omit=dev builds the CLI without dev dependencies, and npm start serves /healthz',
    async () => {
      copyCheckout(dir);
      // Asynchronous: a blocking install would starve the test worker's own messaging for minutes.
      await promisify(execFile)('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], { cwd: dir, env: SERVER_ENV, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
      expect(fs.existsSync(path.join(dir, 'dist/src/cli-entry.js'))).toBe(true);
      for (const devOnly of ['vitest', 'tsx', 'autocannon', '@types/node']) expect(fs.existsSync(path.join(dir, 'node_modules', devOnly)), devOnly).toBe(false);

      server = spawn('npm', ['start', '--silent'], {
        cwd: dir,
        env: { ...SERVER_ENV, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite:./data/paperboy.db' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const base = await waitForUrl(server);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect(fs.existsSync(path.join(dir, 'data/paperboy.db'))).toBe(true);
    },
    INSTALL_TIMEOUT_MS + 60_000,
  );
});
