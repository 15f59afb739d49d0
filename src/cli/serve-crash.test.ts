/**
 * Crash safety of the two processes that write, on every enabled dialect, with SIGKILL (no
 * shutdown code runs):
 * - `paperboy import` killed while a later file is in flight keeps whole files only (one
 *   transaction per file), and running it again completes the set without a duplicate;
 * - `paperboy serve` killed while signed-in members vote and comment over real HTTP keeps every
 *   write it acknowledged (a 2xx answer), and restarts with a search index that holds every paper
 *   and a vote count that matches the votes.
 * Requests cut by the kill got no answer; they may or may not have committed, and nothing is
 * claimed about them beyond "no half-written row".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIngestFile } from '../ingest/ingest-file.reader.js';
import { insertSession } from '../store/session.repository.js';
import { insertUserIfAbsent } from '../store/user.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../store/testing/test-database.js';
import { repoRoot, sharedData } from './testing/run-cli.js';

const HARVEST = path.join(sharedData, 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09');
const FILES = fs
  .readdirSync(HARVEST)
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .slice(0, 3)
  .map((f) => path.join(HARVEST, f));

interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnCli(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli-entry.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { process: child, output: () => output, exited };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The arXiv ids of the papers in each file (deletions and duplicates aside). */
async function paperIds(file: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const reader = await readIngestFile(file);
  for await (const item of reader.items()) if (item.kind === 'paper') ids.add(item.paper.arxivId);
  return ids;
}

async function storedIds(db: TestDb): Promise<string[]> {
  return (await db.kysely.selectFrom('papers').select('arxiv_id').execute()).map((r) => r.arxiv_id);
}

async function count(db: TestDb, table: 'papers' | 'votes' | 'comments'): Promise<number> {
  const row = await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function serve(env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = spawnCli(['serve', '--port', '0'], env);
  const url = await until('the server to listen', async () => {
    if (child.process.exitCode !== null) throw new Error(`serve exited early: ${child.output()}`);
    return /running at (http:\/\/[^\s]+)/.exec(child.output())?.[1]?.replace('localhost', '127.0.0.1');
  });
  await until('the search index to load', async () => {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    return r?.ok ? ((await r.json()) as { ready: boolean }).ready : false;
  });
  return { child, url };
}

/** The lexical index's document count, from /metrics. */
async function indexedPapers(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /paperboy_search_index_documents\{side="lexical"\} (\d+)/.exec(text);
  if (!m) throw new Error(`no lexical index gauge in /metrics:\n${text.slice(0, 2000)}`);
  return Number(m[1]);
}

describe.each(enabledDialects())('SIGKILL mid-import and mid-load on %s', (dialect) => {
  let db: TestDb;
  let indexDir: string;
  const children: Child[] = [];
  beforeEach(async () => {
    db = await createTestDb(dialect);
    indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-crash-index-'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await db.destroy();
    fs.rmSync(indexDir, { recursive: true, force: true });
  });

  it('an import killed with a file in flight keeps whole files only; running it again completes the set', async () => {
    const perFile = await Promise.all(FILES.map(paperIds));
    const unionOf = (n: number) => new Set(perFile.slice(0, n).flatMap((s) => [...s]));
    const importer = spawnCli(['import', ...FILES], { DATABASE_URL: db.url });
    children.push(importer);
    // The first file's transaction has committed: kill while the second is being written.
    await until('the first file to commit', async () => (await count(db, 'papers')) > 0);
    importer.process.kill('SIGKILL');
    expect((await importer.exited).signal).toBe('SIGKILL');

    const afterKill = new Set(await storedIds(db));
    const wholeFiles = [1, 2, 3].find((n) => unionOf(n).size === afterKill.size);
    expect(wholeFiles, `${afterKill.size} papers after the kill: not a whole number of files (${perFile.map((s) => s.size).join(', ')})`).toBeDefined();
    expect([...afterKill].sort()).toEqual([...unionOf(wholeFiles!)].sort());

    const rerun = spawnCli(['import', ...FILES], { DATABASE_URL: db.url });
    children.push(rerun);
    expect((await rerun.exited).code).toBe(0);
    const ids = await storedIds(db);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.sort()).toEqual([...unionOf(3)].sort());

    // A server started on the result indexes every paper (and snapshots the index).
    const { child, url } = await serve({ DATABASE_URL: db.url, SEARCH_INDEX_DIR: indexDir, METRICS: 'on', SEARCH_DENSE: 'off' });
    children.push(child);
    expect(await indexedPapers(url)).toBe(ids.length);
    child.process.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
  });

  it('a server killed while members vote and comment keeps every acknowledged write and restarts whole', async () => {
    const seed = spawnCli(['import', FILES[0]!], { DATABASE_URL: db.url });
    children.push(seed);
    expect((await seed.exited).code).toBe(0);
    const papers = await storedIds(db);

    // Members with live sessions, written as sign-in writes them (sign-in has its own specs).
    const members: { cookie: string; csrf: string }[] = [];
    const now = new Date();
    for (let i = 0; i < 12; i++) {
      const { user } = await insertUserIfAbsent(db.kysely, { email: `reader${i}@example.org`, handle: `reader${i}`, displayName: `Reader ${i}`, role: 'member', now: now.toISOString() });
      const token = randomBytes(32).toString('base64url');
      const csrf = randomBytes(32).toString('base64url');
      await insertSession(db.kysely, { id: createHash('sha256').update(token).digest('hex'), userId: user.id, csrfToken: csrf, now: now.toISOString(), expiresAt: new Date(now.getTime() + 86_400_000).toISOString(), userAgent: 'crash test', ip: null });
      members.push({ cookie: `pb_session=${token}`, csrf });
    }

    const env = { DATABASE_URL: db.url, SEARCH_INDEX_DIR: indexDir, METRICS: 'on', SEARCH_DENSE: 'off', RATE_VOTES_PER_MINUTE: '100000', RATE_COMMENTS_PER_HOUR: '100000', API_RATE_LIMIT_PER_MINUTE: '0', TRUST_PROXY: 'true' };
    const first = await serve(env);
    children.push(first.child);

    const acknowledgedVotes = new Set<string>();
    const acknowledgedComments = new Set<string>();
    let killed = false;
    let answered = 0;
    // Each member behind the proxy from an address of their own (one address may post 120 times a minute).
    const headers = (m: { cookie: string }, w: number) => ({ 'x-forwarded-for': `10.0.0.${w + 1}`, cookie: m.cookie, accept: 'application/json', origin: first.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' });
    const writer = async (m: { cookie: string; csrf: string }, w: number) => {
      for (let n = 0; !killed; n++) {
        const paper = papers[(w * 97 + n * 13) % papers.length]!;
        try {
          if (n % 2 === 0) {
            const r = await fetch(`${first.url}/papers/${paper}/upvote`, { method: 'POST', headers: headers(m, w), body: new URLSearchParams({ _csrf: m.csrf, value: '1' }) });
            if (r.ok && ((await r.json()) as { upvoted: boolean }).upvoted) acknowledgedVotes.add(`${w}:${paper}`);
            else if (!killed) throw new Error(`upvote answered ${r.status}`);
          } else {
            const body = `Comment ${w}-${n} on ${paper}`;
            const r = await fetch(`${first.url}/papers/${paper}/comments`, { method: 'POST', headers: headers(m, w), body: new URLSearchParams({ _csrf: m.csrf, body }) });
            if (r.status === 201) acknowledgedComments.add(body);
            else if (!killed) throw new Error(`comment answered ${r.status}: ${await r.text()}`);
          }
          answered++;
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    const reader = async () => {
      for (let n = 0; !killed; n++) {
        await fetch(`${first.url}${n % 2 ? '/' : `/api/papers/search?q=${encodeURIComponent(papers[n % papers.length]!)}`}`).catch((error: unknown) => {
          if (!killed) throw error;
        });
      }
    };
    const load = Promise.all([...members.map((m, w) => writer(m, w)), reader(), reader()]);
    // A writer's failure before the kill fails the test at once.
    await Promise.race([until('writes to be under way', async () => answered >= 150), load]);
    killed = true;
    first.child.process.kill('SIGKILL');
    await load;
    expect((await first.child.exited).signal).toBe('SIGKILL');

    // Every acknowledged vote and comment is stored; nothing is stored twice.
    const votes = await db.kysely.selectFrom('votes').innerJoin('users', 'users.id', 'votes.user_id').innerJoin('papers', 'papers.id', 'votes.paper_id').select(['users.handle', 'papers.arxiv_id']).execute();
    const storedVotes = new Set(votes.map((v) => `${v.handle.replace('reader', '')}:${v.arxiv_id}`));
    expect(acknowledgedVotes.size).toBeGreaterThan(20);
    for (const v of acknowledgedVotes) expect(storedVotes.has(v), `acknowledged vote ${v} lost`).toBe(true);
    const comments = (await db.kysely.selectFrom('comments').select('body').execute()).map((c) => c.body);
    expect(acknowledgedComments.size).toBeGreaterThan(20);
    expect(comments.length).toBe(new Set(comments).size);
    const storedComments = new Set(comments);
    for (const c of acknowledgedComments) expect(storedComments.has(c), `acknowledged comment "${c}" lost`).toBe(true);

    // Restarted: the index holds every paper and search answers; the API's counts match the rows.
    const second = await serve(env);
    children.push(second.child);
    expect(await indexedPapers(second.url)).toBe(papers.length);
    const voted = votes[0]!.arxiv_id;
    const info = (await (await fetch(`${second.url}/api/papers/${voted}`)).json()) as { upvotes: number; title: string };
    expect(info.upvotes).toBe(votes.filter((v) => v.arxiv_id === voted).length);
    const hits = (await (await fetch(`${second.url}/api/papers/search?q=${encodeURIComponent(info.title)}`)).json()) as { paper: { id: string } }[];
    expect(hits.map((h) => h.paper.id)).toContain(voted);
    second.child.process.kill('SIGTERM');
    expect((await second.child.exited).code).toBe(0);
  });
});
