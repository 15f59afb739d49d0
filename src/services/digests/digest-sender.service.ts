/**
 * The sending worker: claims queued deliveries under a lease, renders them, sends them over the
 * pooled SMTP transport and settles each one in the ledger.
 *
 * Never a duplicate; at most the messages in flight are in doubt after a crash. A message is
 * delivered when the server receives end-of-data (`<CRLF>.<CRLF>`); a connection that drops
 * before it voids the transaction. So the
 * worker streams the whole message first, then commits the hand-off (`sending -> sent`, only for
 * the lease holder and only while the subscription still wants mail), and puts end-of-data on the
 * wire in the same synchronous block as the commit (mail/smtp.transport.ts, HandOffQueue below).
 * After a crash:
 * - `sending`: the server never got end-of-data; recovery puts it back in the queue and it is
 *   sent once by whoever claims it next. No loss, no duplicate.
 * - `sent`: never sent again. If the 250 was not read it is flagged in doubt and counted as sent.
 * What remains undecidable is a crash in the few microseconds between the commit and the socket
 * write (a miss, never a duplicate), instead of the usual "the server accepted, we died before
 * recording it" window of a network round trip plus two commits (a duplicate on every such crash).
 *
 * Cost. On SQLite the hand-off commit no longer waits for its own fsync: with synchronous=FULL
 * that fsync (1-10 ms on a busy disk, on the event loop) was most of a run's time, and it also
 * widened the window above, since a WAL commit survives a process crash as soon as it is
 * written, before the fsync returns. Instead a *release intent* is recorded a little ahead of
 * sending, for a group of deliveries at once, and made durable by one fsync off the event loop;
 * end-of-data waits for it (IntentRecorder). A power loss can then lose a hand-off commit, but
 * recovery finds the intent, sees it was recorded under an earlier boot, and counts the delivery
 * in doubt instead of sending it again (store/delivery.repository.ts): after a power loss a few
 * subscribers may miss one digest, none gets two. The per-message statements are prepared once on
 * a connection of their own (store/delivery-durability.ts).
 * A second worker, a retry or a restart cannot send twice: claims are atomic, every later
 * transition needs the claim's token, and (subscription, period) is unique.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/config.js';
import { classifySendFailure, retryDelayMs, type Delivery } from '../../domain/digest-delivery.js';
import { periodFromKey, type Clock, type Period } from '../../domain/digest-period.js';
import { listKey, receivesDigests, type SubscriptionStatus } from '../../domain/subscription.js';
import type { Logger } from '../../logger.js';
import { renderConfirmationEmail, type RenderedEmail } from '../../mail/digest.email.js';
import { addressOf, buildMessage, type DkimSigner } from '../../mail/mime.js';
import type { MailSender, SendOutcome } from '../../mail/smtp.transport.js';
import type { Db } from '../../store/database.js';
import {
  type PreparedHandOff,
  claimDeliveries,
  finishDelivery,
  markInDoubt,
  queueState,
  recoverExpiredLeases,
  retryDelivery,
} from '../../store/delivery.repository.js';
import { openLedgerSync, type LedgerSync } from '../../store/delivery-durability.js';
import { findSubscriptionsByIds, markEmailBouncing, type StoredSubscription } from '../../store/subscription.repository.js';
import { createDigestComposer, type ComposeDeps } from './digest-compose.service.js';
import { messageIdFor, type DigestLinks } from './digest-links.service.js';

export interface SendDeps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  sender: () => MailSender;
  links: () => Promise<DigestLinks>;
  compose: ComposeDeps;
  dkim: DkimSigner | undefined;
}

export interface SendSummary {
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
  bounced: number;
  /** Deliveries a dead sender had claimed and that went back to the queue. */
  recovered: number;
  /** End-of-data released but no answer read (counted as sent, never resent). */
  inDoubt: number;
  /** Why the run stopped early, if it did. */
  stopped: string | null;
}

export interface SendOptions {
  /** Wait for deliveries leased by other (possibly dead) senders until they settle or are recovered. */
  waitForLeases?: boolean;
  signal?: AbortSignal;
}

export function emptySendSummary(): SendSummary {
  return { sent: 0, skipped: 0, retried: 0, failed: 0, bounced: 0, recovered: 0, inDoubt: 0, stopped: null };
}

function eligible(kind: Delivery['kind'], status: SubscriptionStatus): boolean {
  return kind === 'confirm' ? status === 'pending' : receivesDigests(status);
}

/**
 * Release intents for one claimed batch, recorded a little ahead of sending: when the sender
 * starts on the batch's i-th delivery, intents for the next `ahead` ones are written in one
 * statement and made durable by one WAL fsync (store/delivery-durability.ts), off the event loop,
 * while earlier messages render and stream. A message's end-of-data waits for its intent to be
 * on disk; recorded ahead like this, it almost always already is. Only a power loss makes the
 * intent matter: recovery then counts a `sending` row with an intent from an earlier boot in
 * doubt instead of resending it, so at most `ahead` plus the messages in flight may be missed,
 * and none sent twice. With durable commits (PostgreSQL) there is nothing to record.
 */
class IntentRecorder {
  private recordedUpTo = 0;
  private readonly durable = new Map<number, Promise<boolean>>();

  constructor(
    private readonly ledger: LedgerSync,
    private readonly lease: { owner: string; token: string },
    private readonly ids: readonly number[],
    private readonly ahead: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Called as the sender starts on `ids[index]`; resolves true once its end-of-data may be
   * released, false if the row is no longer this lease's `sending` (cancelled meanwhile), and
   * rejects if the intent could not be recorded.
   */
  forIndex(index: number): Promise<boolean> {
    if (this.ledger.mode === 'none') return Promise.resolve(true);
    // Top up once half of the look-ahead is used, so each write covers about ahead/2 deliveries.
    if (index >= this.recordedUpTo || this.recordedUpTo - index <= this.ahead / 2) this.record(this.recordedUpTo, Math.min(this.ids.length, Math.max(index + 1, index + this.ahead)));
    return this.durable.get(this.ids[index]!) ?? Promise.resolve(false);
  }

  private record(from: number, to: number): void {
    if (to <= from) return;
    this.recordedUpTo = to;
    const ids = this.ids.slice(from, to);
    const group = (async () => {
      const recorded = await this.ledger.recordReleaseIntents({ ids, token: this.lease.token, owner: this.lease.owner });
      await this.ledger.sync();
      return recorded;
    })();
    group.catch((error: unknown) => this.logger.warn({ err: error, deliveries: ids.length }, 'could not record release intents; end-of-data withheld, sent again later'));
    for (const id of ids) {
      const ready = group.then((recorded) => recorded.has(id));
      ready.catch(() => undefined); // handled where it is awaited; a delivery that is never sent does not await it
      this.durable.set(id, ready);
    }
  }
}

/**
 * Hands deliveries off one at a time: commit `sending -> sent`, then at once (same synchronous
 * block) let that message's end-of-data go out, then the next. Never two committed hand-offs
 * waiting for their end-of-data: a process crash can catch at most the one being released, in the
 * few microseconds between its commit being issued and its socket write. (Committing several
 * together and then releasing them one by one would let a crash, or a preemption in favour of the
 * SMTP server right after the first write, catch the rest of the group recorded as sent.)
 * What takes time happens before, concurrently for several messages: the release intent is made
 * durable (IntentRecorder; what a power loss needs, as the commit itself does not wait for an
 * fsync on SQLite), and on PostgreSQL the UPDATE runs in an open transaction (prepareHandOff),
 * so only the COMMIT is left for the queue.
 */
class HandOffQueue {
  private chain: Promise<void> = Promise.resolve();
  private acks: Promise<void>[] = [];
  readonly failed = new Set<number>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly ledger: LedgerSync,
  ) {}

  /**
   * `decide` is called synchronously right after the commit (see Release in mail/smtp.transport),
   * and not before `intent` resolved true.
   */
  request(item: { id: number; messageId: string; token: string }, intent: Promise<boolean>, decide: (ok: boolean) => void): void {
    void (async () => {
      let prepared: PreparedHandOff;
      try {
        // Refused (the subscription ended meanwhile, or the lease was lost): the server gets nothing.
        if (!(await intent)) return decide(false);
        prepared = await this.ledger.prepareHandOff(item, item.token, this.clock().toISOString());
      } catch (error) {
        this.logger.warn({ err: error, delivery: item.id }, 'hand-off could not be prepared; end-of-data withheld');
        this.failed.add(item.id);
        decide(false);
        return;
      }
      this.chain = this.chain.then(() => this.handOff(prepared, item, decide));
    })();
  }

  /** Resolves when every hand-off so far is committed and on disk. */
  async durable(): Promise<void> {
    await this.chain;
    await Promise.all(this.acks.splice(0));
    await this.ledger.sync();
  }

  private async handOff(prepared: PreparedHandOff, item: { id: number }, decide: (ok: boolean) => void): Promise<void> {
    let decided = false;
    let markDecided: () => void = () => undefined;
    const decision = new Promise<void>((resolve) => (markDecided = resolve));
    const once = (ok: boolean) => {
      if (decided) return;
      decided = true;
      markDecided();
      try {
        decide(ok);
      } catch {
        // A decision callback never throws; a broken one must not stop the queue.
      }
    };
    // `once` runs synchronously right after the commit is issued: nothing may run in between.
    const done = prepared.commit(once).then(() => undefined, (error: unknown) => {
      this.logger.warn({ err: error, delivery: item.id }, 'hand-off failed; end-of-data withheld unless it was already released');
      if (!decided) this.failed.add(item.id);
      once(false);
    });
    // The next hand-off may start once this one's end-of-data is out (its acknowledgement is
    // awaited in durable()).
    this.acks.push(done);
    await Promise.race([decision, done]);
  }
}

/**
 * Records 250 answers in groups soon after they arrive, so that after a crash only the
 * genuinely unanswered deliveries are reported in doubt. Bookkeeping only: not on any critical
 * path, and written without waiting for an fsync (a lost mark only makes a sent row look in doubt).
 */
class AcceptMarker {
  private pending: { id: number; response: string }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ledger: LedgerSync,
    private readonly token: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  add(id: number, response: string): void {
    this.pending.push({ id, response });
    if (this.pending.length >= 16) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 10);
  }

  drain(): Promise<void> {
    this.flush();
    return this.chain;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.pending.splice(0);
    if (items.length === 0) return;
    this.chain = this.chain.then(() => this.ledger.markAccepted(items, this.token, this.clock().toISOString())).catch((error: unknown) => this.logger.warn({ err: error }, 'could not record accepted deliveries'));
  }
}

interface RenderedDelivery {
  delivery: Delivery;
  subscription: StoredSubscription;
  raw: Buffer;
  messageId: string;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

export async function sendQueuedDeliveries(deps: SendDeps, options: SendOptions = {}): Promise<SendSummary> {
  const { db, config, logger, clock } = deps;
  const summary = emptySendSummary();
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const batchSize = Math.max(32, config.digest.maxConnections * 16);
  const leaseMs = config.digest.leaseSeconds * 1000;
  const compose = createDigestComposer(deps.compose);
  const fromAddress = addressOf(config.mail.from);
  const site = { name: 'Paperboy', publicUrl: config.publicUrl };
  const links = await deps.links();
  const waitDeadline = Date.now() + leaseMs + 5_000;

  // Period math goes through Intl; thousands of subscribers share a handful of (key, zone, hour).
  const periods = new Map<string, Period>();
  const period = (sub: StoredSubscription, key: string): Period => {
    const cacheKey = `${key}|${sub.schedule.timeZone}|${sub.schedule.localHour}`;
    let p = periods.get(cacheKey);
    if (!p) periods.set(cacheKey, (p = periodFromKey(sub.schedule, key)));
    return p;
  };

  const render = async (delivery: Delivery, sub: StoredSubscription, now: Date): Promise<RenderedDelivery | null> => {
    let email: RenderedEmail;
    let headers: Record<string, string>;
    if (delivery.kind === 'confirm') {
      email = renderConfirmationEmail({ email: sub.email, list: sub.list, schedule: sub.schedule, confirmUrl: links.confirmUrl(sub.publicKey, now), site });
      headers = { 'Auto-Submitted': 'auto-generated' };
    } else {
      const prepared = await compose(sub.list, period(sub, delivery.periodKey));
      if (!prepared) return null;
      const unsubscribeUrl = links.unsubscribeUrl(sub.publicKey);
      email = prepared.personalize(sub.email, { unsubscribeUrl, preferencesUrl: links.preferencesUrl(sub.publicKey) });
      const listId = listKey(sub.list).replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/-+$/, '');
      headers = {
        'List-Unsubscribe': links.listUnsubscribeHeader(sub.publicKey, unsubscribeUrl),
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Id': `Paperboy digest <${listId}.digest.${fromAddress.slice(fromAddress.lastIndexOf('@') + 1)}>`,
        'Auto-Submitted': 'auto-generated',
      };
    }
    const messageId = messageIdFor(delivery.kind, delivery.periodKey, sub.publicKey, fromAddress);
    const raw = await buildMessage({ from: config.mail.from, to: sub.email, subject: email.subject, text: email.text, html: email.html, messageId, date: now, headers }, deps.dkim);
    return { delivery, subscription: sub, raw, messageId };
  };

  const ledger = await openLedgerSync(db.kysely);
  try {
    return await sendLoop();
  } finally {
    await ledger.close();
  }

  async function sendLoop(): Promise<SendSummary> {
    // Up to `slots` messages are in flight at once, across batches: while the last messages of
    // one batch are on the wire the next batch is already claimed and rendering.
    const slots = config.digest.maxConnections * 3;
    const handOffs = new HandOffQueue(clock, logger, ledger);
    const inFlight = new Set<Promise<void>>();
    const batches: Promise<void>[] = [];
    let stop: string | null = null;

    while (!options.signal?.aborted && stop === null) {
      const now = clock();
      const recovered = await recoverExpiredLeases(db.kysely, now.toISOString(), ledger.bootId);
      if (recovered.requeued + recovered.inDoubt > 0) logger.warn({ ...recovered }, 'recovered deliveries left by a stopped sender');
      summary.recovered += recovered.requeued;
      summary.inDoubt += recovered.inDoubt;

      const token = randomBytes(12).toString('base64url');
      // Relaxed: a claim lost to a power loss only puts rows back in the queue.
      const batch = await ledger.relaxed((conn) => claimDeliveries(conn, { owner, token, now: now.toISOString(), leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), limit: batchSize }));
      if (batch.length === 0) {
        if (inFlight.size > 0 || batches.length > 0) {
          // Let the running batches settle (they may queue retries), then look again.
          await Promise.all([...inFlight, ...batches.splice(0)]);
          continue;
        }
        if (!options.waitForLeases || Date.now() > waitDeadline) break;
        const state = await queueState(db.kysely, clock().toISOString());
        if (state.due > 0) continue;
        if (state.leased === 0) break;
        const untilExpiry = state.earliestLeaseExpiry ? Date.parse(state.earliestLeaseExpiry) - clock().getTime() + 25 : 500;
        await sleep(Math.min(Math.max(untilExpiry, 50), 1_000), options.signal);
        continue;
      }

      const settle = async (d: Delivery, status: 'skipped' | 'failed' | 'bounced', reason: string) => {
        if (await finishDelivery(db.kysely, { id: d.id, token, status, reason, now: clock().toISOString() })) summary[status]++;
      };
      const retry = async (d: Delivery, error: string) => {
        if (d.attempts >= config.digest.maxAttempts) return settle(d, 'failed', `gave up after ${d.attempts} attempts: ${error}`);
        const notBefore = new Date(clock().getTime() + retryDelayMs(d.attempts)).toISOString();
        if (await retryDelivery(db.kysely, { id: d.id, token, notBefore, error })) summary.retried++;
      };

      const subscriptions = await findSubscriptionsByIds(db.kysely, [...new Set(batch.map((d) => d.subscriptionId))]);
      const sendable: { delivery: Delivery; sub: StoredSubscription }[] = [];
      for (const delivery of batch) {
        const sub = subscriptions.get(delivery.subscriptionId);
        if (!sub || !eligible(delivery.kind, sub.status)) await settle(delivery, 'skipped', 'not_subscribed');
        else sendable.push({ delivery, sub });
      }

      const accepted = new AcceptMarker(ledger, token, clock, logger);
      const intents = new IntentRecorder(ledger, { owner, token }, sendable.map((x) => x.delivery.id), slots * 2, logger);
      let acceptedCount = 0;
      let unreachable = 0;
      const sender = deps.sender();
      const tasks: Promise<void>[] = [];
      for (const [index, { delivery: d, sub }] of sendable.entries()) {
        while (inFlight.size >= slots) await Promise.race(inFlight);
        const intent = intents.forIndex(index);
        const task = (async () => {
          let rendered: RenderedDelivery | null;
          try {
            rendered = await render(d, sub, clock());
          } catch (error) {
            logger.error({ err: error, delivery: d.id }, 'could not compose a digest; will retry');
            await retry(d, `compose failed: ${(error as Error).message}`);
            return;
          }
          if (!rendered) {
            await settle(d, 'skipped', 'empty');
            return;
          }
          const outcome: SendOutcome = await sender.send({ from: fromAddress, to: sub.email }, rendered.raw, rendered.messageId, (decide) => handOffs.request({ id: d.id, messageId: rendered.messageId, token }, intent, decide));
          if (outcome.kind === 'accepted') {
            accepted.add(d.id, outcome.response);
            acceptedCount++;
            summary.sent++;
            return;
          }
          if (outcome.kind === 'withheld') {
            // The hand-off was refused (the subscription ended meanwhile, or another sender holds
            // the row) or could not be committed; either way the server has nothing.
            if (handOffs.failed.has(d.id)) await retry(d, 'hand-off commit failed');
            else await settle(d, 'skipped', 'not_subscribed');
            return;
          }
          const verdict = classifySendFailure(outcome);
          const reason = `${outcome.command ?? 'SMTP'}: ${outcome.message}`;
          if (verdict === 'bounce') {
            logger.info({ delivery: d.id, code: outcome.responseCode }, 'permanent SMTP failure; address marked bouncing');
            await settle(d, 'bounced', reason);
            await markEmailBouncing(db.kysely, sub.email, reason, clock().toISOString());
          } else if (verdict === 'in_doubt') {
            logger.warn({ delivery: d.id, messageId: rendered.messageId, err: outcome.message }, 'connection lost after end-of-data; counted as sent');
            if (await markInDoubt(db.kysely, { id: d.id, token, error: reason, now: clock().toISOString() })) summary.inDoubt++;
          } else {
            if (outcome.responseCode === null) unreachable++;
            if (outcome.responseCode !== null && outcome.responseCode >= 500) logger.error({ delivery: d.id, reason }, 'the SMTP server refuses our sender or credentials; check SMTP_URL and MAIL_FROM');
            await retry(d, reason);
          }
        })().catch((error: unknown) => {
          // Settling failed (database gone?): the lease expires and recovery takes over.
          logger.error({ err: error, delivery: d.id }, 'could not settle a delivery');
        });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
        tasks.push(task);
      }
      batches.push(
        Promise.all(tasks).then(async () => {
          await handOffs.durable();
          await accepted.drain();
          logger.debug({ claimed: batch.length, sent: acceptedCount }, 'digest batch done');
          if (acceptedCount === 0 && unreachable > 0 && stop === null) {
            stop = 'smtp_unreachable';
            logger.warn({ failures: unreachable }, 'SMTP server unreachable; stopping this run (queued mail is retried with backoff)');
          }
        }),
      );
      // Keep at most two batches open: the one sending and the one being prepared.
      if (batches.length > 1) await batches.shift();
    }
    await Promise.all([...inFlight, ...batches]);
    summary.stopped = stop;
    return summary;
  }
}
