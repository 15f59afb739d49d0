/**
 * The soak of `paperboy bench web --soak SECONDS`: every target mixed, with signed-in members
 * voting and commenting, at 200 concurrent clients for a minute, against the same running
 * instances as the per-target figures. Each client is one member (behind the proxy, from an
 * address of their own, as TRUST_PROXY reads it) who sends one request after the other, so the
 * last answered vote of a member on a paper is what the database must hold afterwards.
 *
 * After the soak the database is read back: a write is lost when it was answered 2xx and its
 * row is missing (or, for a vote, the row disagrees with the last answer). A write whose request
 * got no answer is counted "in doubt" and not checked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { parseDatabaseUrl } from '../src/config/config.js';
import { openDatabase } from '../src/store/database.js';
import { insertSession } from '../src/store/session.repository.js';
import { insertUserIfAbsent } from '../src/store/user.repository.js';
import { writeAlignedTable } from './aligned-table.js';

export interface SoakRow {
  setup: string;
  clients: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx/3xx, 503 included. */
  non2xx: number;
  /** 503 answers (overload, with Retry-After). */
  status503: number;
  /** Requests without an answer (connection error, or none within 10 s). */
  errors: number;
  votesAcknowledged: number;
  commentsAcknowledged: number;
  writesInDoubt: number;
  writesLost: number;
}

interface Member {
  handle: string;
  cookie: string;
  csrf: string;
  address: string;
}

export interface SoakPlan {
  /** Paths read anonymously (pages, API), picked in turn. */
  reads: readonly string[];
  /** A new uncached search path per call. */
  uncachedSearch: () => string;
  /** Papers members vote on and comment on. */
  papers: readonly string[];
}

/** Members with live sessions, written as sign-in writes them (sign-in itself has its own specs). */
async function createMembers(databaseUrl: string, count: number, tag: string): Promise<Member[]> {
  const db = openDatabase(parseDatabaseUrl(databaseUrl));
  try {
    const members: Member[] = [];
    const now = new Date();
    for (let i = 0; i < count; i++) {
      const handle = `soak${tag}${i}`;
      const { user } = await insertUserIfAbsent(db.kysely, { email: `${handle}@example.org`, handle, displayName: `Soak reader ${i}`, role: 'member', now: now.toISOString() });
      const token = randomBytes(32).toString('base64url');
      const csrf = randomBytes(32).toString('base64url');
      await insertSession(db.kysely, { id: createHash('sha256').update(token).digest('hex'), userId: user.id, csrfToken: csrf, now: now.toISOString(), expiresAt: new Date(now.getTime() + 86_400_000).toISOString(), userAgent: 'paperboy bench web --soak', ip: null });
      members.push({ handle, cookie: `pb_session=${token}`, csrf, address: `10.${Math.floor(i / 250)}.${i % 250}.1` });
    }
    return members;
  } finally {
    await db.close();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function soak(setup: string, urls: readonly string[], databaseUrl: string, plan: SoakPlan, options: { seconds: number; clients: number }, out: Writable): Promise<SoakRow> {
  const members = await createMembers(databaseUrl, options.clients, randomBytes(3).toString('hex'));
  const latencies: number[] = [];
  // Per kind of request (page or API read, uncached search, vote, comment): latencies and errors.
  const byKind = new Map<string, { latencies: number[]; errors: number; status503: number }>();
  const kindOf = (kind: string) => {
    let k = byKind.get(kind);
    if (!k) byKind.set(kind, (k = { latencies: [], errors: 0, status503: 0 }));
    return k;
  };
  // Why requests got no answer: the client's own timeout, or the connection's error code.
  const errorCauses = new Map<string, number>();
  let non2xx = 0;
  let status503 = 0;
  let errors = 0;
  let votesAcknowledged = 0;
  let writesInDoubt = 0;
  // member handle + paper -> the last answered vote state; pairs with an unanswered vote are dropped.
  const lastVote = new Map<string, boolean>();
  const doubtfulPairs = new Set<string>();
  const acknowledgedComments = new Set<string>();
  const deadline = Date.now() + options.seconds * 1000;

  async function client(member: Member, index: number): Promise<void> {
    const base = urls[index % urls.length]!;
    for (let n = 0; Date.now() < deadline; n++) {
      const roll = (index * 7 + n) % 20;
      const paper = plan.papers[(index * 131 + n * 17) % plan.papers.length]!;
      const pair = `${member.handle} ${paper}`;
      let request: { kind: string; path: string; init: RequestInit; write?: 'vote' | 'comment'; upvote?: boolean; body?: string };
      const memberHeaders = { cookie: member.cookie, 'x-forwarded-for': member.address, origin: base, 'sec-fetch-site': 'same-origin', accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
      if (roll < 3) {
        const upvote = !(lastVote.get(pair) ?? false);
        request = { kind: 'vote', path: `/papers/${paper}/upvote`, init: { method: 'POST', headers: memberHeaders, body: new URLSearchParams({ _csrf: member.csrf, value: upvote ? '1' : '0' }) }, write: 'vote', upvote };
      } else if (roll < 4) {
        const body = `Soak comment ${member.handle}-${n} on ${paper}.`;
        request = { kind: 'comment', path: `/papers/${paper}/comments`, init: { method: 'POST', headers: memberHeaders, body: new URLSearchParams({ _csrf: member.csrf, body }) }, write: 'comment', body };
      } else if (roll < 6) {
        request = { kind: 'search, uncached', path: plan.uncachedSearch(), init: { headers: { accept: 'application/json' } } };
      } else {
        request = { kind: plan.reads[(index + n) % plan.reads.length]!, path: plan.reads[(index + n) % plan.reads.length]!, init: { headers: { accept: 'text/html,application/json' } } };
      }
      const started = performance.now();
      let status = 0;
      try {
        const response = await fetch(`${base}${request.path}`, { ...request.init, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        errorCauses.set(cause, (errorCauses.get(cause) ?? 0) + 1);
        errors++;
        kindOf(request.kind).errors++;
        if (request.write) writesInDoubt++;
        if (request.write === 'vote') doubtfulPairs.add(pair);
        continue;
      }
      latencies.push(performance.now() - started);
      kindOf(request.kind).latencies.push(performance.now() - started);
      if (status === 503) {
        status503++;
        kindOf(request.kind).status503++;
      }
      if (status >= 400) {
        non2xx++;
        continue;
      }
      if (request.write === 'vote') {
        votesAcknowledged++;
        lastVote.set(pair, request.upvote!);
        // One request after the other: this answer settles any earlier unanswered vote on the pair.
        doubtfulPairs.delete(pair);
      } else if (request.write === 'comment' && status === 201) acknowledgedComments.add(request.body!);
    }
  }

  out.write(`  ${setup}: soak, ${options.clients} members for ${options.seconds} s, every target mixed with votes and comments\n`);
  const started = performance.now();
  await Promise.all(members.map((m, i) => client(m, i)));
  const elapsed = (performance.now() - started) / 1000;

  // Read back what the members were told was written.
  let writesLost = 0;
  const db = openDatabase(parseDatabaseUrl(databaseUrl));
  try {
    const handles = members.map((m) => m.handle);
    const votes = await db.kysely.selectFrom('votes').innerJoin('users', 'users.id', 'votes.user_id').innerJoin('papers', 'papers.id', 'votes.paper_id').where('users.handle', 'in', handles).select(['users.handle', 'papers.arxiv_id']).execute();
    const stored = new Set(votes.map((v) => `${v.handle} ${v.arxiv_id}`));
    for (const [pair, upvoted] of lastVote) if (!doubtfulPairs.has(pair) && stored.has(pair) !== upvoted) writesLost++;
    const comments = new Set((await db.kysely.selectFrom('comments').innerJoin('users', 'users.id', 'comments.user_id').where('users.handle', 'in', handles).select('comments.body').execute()).map((c) => c.body));
    for (const body of acknowledgedComments) if (!comments.has(body)) writesLost++;
  } finally {
    await db.close();
  }

  latencies.sort((a, b) => a - b);
  for (const [kind, k] of [...byKind].sort()) {
    k.latencies.sort((a, b) => a - b);
    out.write(`    ${kind}: ${k.latencies.length + k.errors} requests, p50 ${Math.round(percentile(k.latencies, 50))} ms, p99 ${Math.round(percentile(k.latencies, 99))} ms, 503 ${k.status503}, errors ${k.errors}\n`);
  }
  if (errorCauses.size > 0) out.write(`    no answer: ${[...errorCauses].map(([cause, n]) => `${cause} ${n}`).join(', ')}\n`);
  const row: SoakRow = {
    setup,
    clients: options.clients,
    seconds: options.seconds,
    requests: latencies.length + errors,
    requestsPerSecond: Math.round((latencies.length + errors) / elapsed),
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    non2xx,
    status503,
    errors,
    votesAcknowledged,
    commentsAcknowledged: acknowledgedComments.size,
    writesInDoubt,
    writesLost,
  };
  out.write(`  ${setup}: ${row.requests} requests (${row.requestsPerSecond}/s), p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, non-2xx ${row.non2xx} (503: ${row.status503}), errors ${row.errors}; votes ${row.votesAcknowledged} and comments ${row.commentsAcknowledged} acknowledged, ${row.writesInDoubt} in doubt, ${row.writesLost} lost\n`);
  return row;
}

export function printSoakTable(rows: readonly SoakRow[], out: Writable): void {
  const header = ['setup', 'clients', 's', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', '503', 'errors', 'votes ok', 'comments ok', 'in doubt', 'lost'];
  const table = [header, ...rows.map((r) => [r.setup, r.clients, r.seconds, r.requests, r.requestsPerSecond, r.p50Ms, r.p99Ms, r.non2xx, r.status503, r.errors, r.votesAcknowledged, r.commentsAcknowledged, r.writesInDoubt, r.writesLost].map(String))];
  writeAlignedTable(table, 1, out);
}
