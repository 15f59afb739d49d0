#!/usr/bin/env node
// The whole test suite in one command (`npm test`): makes sure the real services the tests need
// are there (PostgreSQL, and Chromium for browser specs), installing and starting them on a fresh
// Debian machine when it can, or stopping with the exact command to run when it cannot. Then it
// type-checks, lints the dependency direction, looks for unused code and runs every spec.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const DEFAULT_PG_URL = 'postgres://postgres:postgres@127.0.0.1:5432/test';
const pgUrl = process.env.PAPERBOY_TEST_PG_URL ?? DEFAULT_PG_URL;
const dialects = process.env.PAPERBOY_TEST_DIALECTS ?? 'sqlite,postgres';
const isRoot = process.getuid?.() === 0;

function log(msg) {
  process.stderr.write(`[test] ${msg}\n`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
}

function giveUp(message, command) {
  log(message);
  if (command) log(`Run this, then "npm test" again:\n    ${command}`);
  process.exit(1);
}

async function canConnect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function aptInstall(packages) {
  if (!has('apt-get')) return false;
  const asRoot = (args) => (isRoot ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]]);
  if (!isRoot && !(has('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0)) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    run(...asRoot(['update', '-qq']), { env });
    run(...asRoot(['install', '-y', '-qq', '--no-install-recommends', ...packages]), { env });
    return true;
  } catch {
    return false;
  }
}

function startPostgresClusters() {
  if (!has('pg_lsclusters')) return;
  const out = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  for (const line of out.split('\n').filter(Boolean)) {
    const [version, name, , status] = line.trim().split(/\s+/);
    if (status !== 'online') {
      try {
        run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start']);
      } catch {
        log(`could not start PostgreSQL cluster ${version}/${name}`);
      }
    }
  }
}

function asPostgresUser(sqlText) {
  // A fresh Debian install only trusts the postgres OS user over the socket.
  const args = ['-u', 'postgres', 'psql', '-v', 'ON_ERROR_STOP=1', '-c', sqlText];
  if (isRoot && has('runuser')) run('runuser', args);
  else run('sudo', ['-n', ...args]);
}

async function ensurePostgres() {
  if (!dialects.includes('postgres')) return;
  if (await canConnect(pgUrl)) return log(`PostgreSQL is up (${redact(pgUrl)})`);
  log('PostgreSQL is not reachable; trying to start or install it');
  startPostgresClusters();
  if (!(await canConnect(pgUrl)) && !has('pg_ctlcluster')) {
    if (!aptInstall(['postgresql'])) giveUp('PostgreSQL is needed for the integration specs and could not be installed automatically.', 'sudo apt-get install -y postgresql && sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
    startPostgresClusters();
  }
  if (await canConnect(pgUrl)) return log('PostgreSQL is up');
  if (pgUrl === DEFAULT_PG_URL) {
    // Fresh server: give the postgres role the password the default URL uses and create the db.
    try {
      asPostgresUser("ALTER USER postgres PASSWORD 'postgres'");
      const exists = spawnSync('runuser', ['-u', 'postgres', '--', 'psql', '-tAc', "select 1 from pg_database where datname='test'"], { encoding: 'utf8' });
      if (!exists.stdout?.includes('1')) asPostgresUser('CREATE DATABASE test');
    } catch {
      /* reported below */
    }
    if (await canConnect(pgUrl)) return log('PostgreSQL is up');
  }
  giveUp(`PostgreSQL is not reachable at ${redact(pgUrl)}.`, 'set PAPERBOY_TEST_PG_URL=postgres://USER:PASSWORD@HOST:5432/DB (or PAPERBOY_TEST_DIALECTS=sqlite to skip PostgreSQL)');
}

function ensureChromium() {
  const needsBrowser = fs.existsSync('e2e') && fs.readdirSync('e2e').some((f) => f.endsWith('.test.ts'));
  if (!needsBrowser) return;
  const candidates = [process.env.PAPERBOY_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  if (candidates.some((c) => fs.existsSync(c))) return log('Chromium is installed');
  log('Chromium is needed for the browser specs; installing Debian\'s package');
  if (!aptInstall(['chromium', 'fonts-dejavu-core'])) giveUp('Chromium could not be installed automatically.', 'sudo apt-get install -y chromium');
}

function redact(url) {
  return url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
}

await ensurePostgres();
ensureChromium();

const env = { ...process.env, PAPERBOY_TEST_PG_URL: pgUrl, PAPERBOY_TEST_DIALECTS: dialects };
const bin = (name) => path.join('node_modules', '.bin', name);
const steps = [
  ['type-check', bin('tsc'), ['--noEmit', '-p', '.']],
  ['dependency direction', bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs']],
  // Unused files, exports and dependencies (knip.json): code kept alive by nothing fails the suite.
  ['unused code', bin('knip'), ['--no-progress']],
  ['specs', bin('vitest'), ['run', ...process.argv.slice(2)]],
];
for (const [name, cmd, args] of steps) {
  log(`${name}…`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    log(`${name} failed`);
    process.exit(result.status ?? 1);
  }
}
log('all green');
