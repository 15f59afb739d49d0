/**
 * The digest use cases in one object: subscriptions (double opt-in, preferences, unsubscribe),
 * scheduling (enqueue one delivery per due subscription and period), sending, previews and the
 * run history. Built by `createServices`; the SMTP pool is opened on first use.
 */
import type { Config } from '../../config/config.js';
import type { DigestRun } from '../../domain/digest-delivery.js';
import { ValidationError } from '../../domain/errors.js';
import { currentPeriod, nextDigestPeriod, periodForLocalDate, systemClock, type Clock, type Frequency } from '../../domain/digest-period.js';
import { isIsoDate } from '../../domain/civil-date.js';
import { normalizeTopicQuery, type DigestList, type SubscribingMember } from '../../domain/subscription.js';
import type { Logger } from '../../logger.js';
import { createDkimSigner } from '../../mail/mime.js';
import { createSmtpSender, type MailSender } from '../../mail/smtp.transport.js';
import { createOutboxMailSender } from '../outbox/mail-outbox.service.js';
import type { Db } from '../../store/database.js';
import { countDeliveriesByStatus, enqueueDeliveries, finishRun, listRecentRuns, startRun } from '../../store/delivery.repository.js';
import { countSubscriptionsByStatus, listDueSubscriptions, setNextDueAt } from '../../store/subscription.repository.js';
import { createDigestComposer, type ComposeDeps, type DigestSources } from './digest-compose.service.js';
import { createDigestLinks, loadLinkSecrets, type DigestLinks } from './digest-links.service.js';
import { emptySendSummary, sendQueuedDeliveries, type SendOptions, type SendSummary } from './digest-sender.service.js';
import { createSubscriptionService, type SubscriptionView } from './subscription.service.js';

export interface DigestServiceDeps extends DigestSources {
  config: Config;
  db: Db;
  logger: Logger;
  clock?: Clock;
  /** For tests: a prepared sender instead of the SMTP pool from SMTP_URL. */
  sender?: MailSender;
}

export interface RunSummary extends SendSummary {
  runId: number;
  enqueued: number;
}

export interface DigestPreview {
  subject: string;
  html: string;
  text: string;
  papers: number;
  contentWindow: { from: string; toExclusive: string };
}

export interface TimeOption {
  /** Act as if the clock showed this instant when the call started (time then runs on normally). */
  at?: Date;
}

/** A clock that starts at `at` and advances in real time. */
function shiftedClock(base: Clock, at: Date | undefined): Clock {
  if (!at) return base;
  const offset = at.getTime() - base().getTime();
  return () => new Date(base().getTime() + offset);
}

export interface DigestService {
  /** Bearer token that opens the admin page of runs (DIGEST_ADMIN_TOKEN), or null. */
  readonly adminToken: string | null;
  /** `member`: the signed-in member, who alone may subscribe to their "for you" list. */
  subscribe(input: Record<string, unknown>, member?: SubscribingMember | null): Promise<{ queued: boolean }>;
  inspectLink(purpose: 'confirm' | 'manage' | 'unsubscribe', token: string): Promise<SubscriptionView>;
  confirm(token: string): Promise<SubscriptionView>;
  updatePreferences(token: string, input: Record<string, unknown>): Promise<SubscriptionView>;
  unsubscribe(token: string): Promise<SubscriptionView>;
  /** Enqueues one delivery per confirmed subscription whose current period is due. */
  enqueueDue(options?: TimeOption): Promise<number>;
  /** Sends what is queued (confirmations, due digests, retries). */
  sendQueued(options?: SendOptions & TimeOption): Promise<SendSummary>;
  /** enqueueDue + sendQueued, recorded as a run. */
  run(options: { trigger: string } & SendOptions & TimeOption): Promise<RunSummary>;
  preview(options: { list: DigestList; date: string; frequency?: Frequency }): Promise<DigestPreview | null>;
  recentRuns(limit?: number): Promise<DigestRun[]>;
  stats(): Promise<{ subscriptions: Record<string, number>; deliveries: Record<string, number> }>;
  /** Registers a callback for "mail was queued"; returns an unregister function. */
  onQueued(listener: () => void): () => void;
  close(): Promise<void>;
}

export function createDigestService(deps: DigestServiceDeps): DigestService {
  const { config, db, logger } = deps;
  const baseClock = deps.clock ?? systemClock;
  const clock = baseClock;
  let links: Promise<DigestLinks> | undefined;
  const getLinks = () => (links ??= loadLinkSecrets(config, db).then((secrets) => createDigestLinks(config, secrets)));
  let sender: MailSender | undefined = deps.sender;
  const getSender = (): MailSender => {
    if (sender) return sender;
    // Without an SMTP server, mail goes to the local outbox for the operator to read.
    if (!config.mail.smtpUrl) return (sender = createOutboxMailSender({ db, now: () => clock() }));
    sender = createSmtpSender({ url: config.mail.smtpUrl, maxConnections: config.digest.maxConnections, ratePerSecond: config.digest.ratePerSecond });
    return sender;
  };
  const dkim = config.digest.dkim ? createDkimSigner(config.digest.dkim) : undefined;
  const compose: ComposeDeps = { config, votes: deps.votes, topicSearch: deps.topicSearch, trending: deps.trending, forYou: deps.forYou };
  const listeners = new Set<() => void>();
  const subscriptions = createSubscriptionService({ db, config, clock, links: getLinks, notify: () => listeners.forEach((l) => l()) });
  const sendDeps = (c: Clock) => ({ db, config, logger, clock: c, sender: getSender, links: getLinks, compose, dkim });

  async function enqueueDue(clock: Clock): Promise<number> {
    let enqueued = 0;
    for (;;) {
      const now = clock();
      const nowIso = now.toISOString();
      const due = await listDueSubscriptions(db.kysely, nowIso, 500);
      if (due.length === 0) return enqueued;
      enqueued += await db.kysely.transaction().execute(async (trx) => {
        const items = [];
        // Subscribers share a handful of schedules; the period math (Intl) runs once per schedule.
        const bySchedule = new Map<string, { key: string; next: string; ids: number[] }>();
        for (const sub of due) {
          const scheduleKey = `${sub.schedule.frequency}|${sub.schedule.weekday ?? ''}|${sub.schedule.localHour}|${sub.schedule.timeZone}`;
          let p = bySchedule.get(scheduleKey);
          if (!p) {
            // Only the current period: after an outage nobody gets a backlog of old digests.
            const period = currentPeriod(sub.schedule, now);
            bySchedule.set(scheduleKey, (p = { key: period.key, next: nextDigestPeriod(sub.schedule, period).dueAt.toISOString(), ids: [] }));
          }
          items.push({ subscriptionId: sub.id, kind: 'digest' as const, periodKey: p.key, notBefore: nowIso });
          p.ids.push(sub.id);
        }
        // One update per schedule rather than per subscriber (a round trip each on PostgreSQL).
        for (const p of bySchedule.values()) await setNextDueAt(trx, p.ids, p.next, nowIso);
        return enqueueDeliveries(trx, items, nowIso);
      });
    }
  }

  return {
    adminToken: config.digest.adminToken,
    subscribe: (input, member) => subscriptions.subscribe(input, member ?? null),
    inspectLink: (purpose, token) => subscriptions.inspect(purpose === 'unsubscribe' ? ['unsubscribe', 'manage'] : purpose, token),
    confirm: (token) => subscriptions.confirm(token),
    updatePreferences: (token, input) => subscriptions.updatePreferences(token, input),
    unsubscribe: (token) => subscriptions.unsubscribe(token),
    enqueueDue: (options) => enqueueDue(shiftedClock(clock, options?.at)),
    sendQueued: (options) => sendQueuedDeliveries(sendDeps(shiftedClock(clock, options?.at)), options),
    async run(options) {
      const clock = shiftedClock(baseClock, options.at);
      const runId = await startRun(db.kysely, options.trigger, clock().toISOString());
      let enqueued = 0;
      let summary = emptySendSummary();
      try {
        enqueued = await enqueueDue(clock);
        summary = await sendQueuedDeliveries(sendDeps(clock), options);
        await finishRun(db.kysely, runId, { enqueued, ...summary }, clock().toISOString(), summary.stopped);
      } catch (error) {
        await finishRun(db.kysely, runId, { enqueued, ...summary }, clock().toISOString(), (error as Error).message ?? String(error)).catch(() => undefined);
        throw error;
      }
      logger.info({ runId, enqueued, ...summary }, 'digest run finished');
      return { runId, enqueued, ...summary };
    },
    async preview(options) {
      if (!isIsoDate(options.date)) throw new ValidationError(`--date must be a YYYY-MM-DD date, got "${options.date}".`, { field: 'date' });
      const list: DigestList = options.list.kind === 'topic' ? { kind: 'topic', query: normalizeTopicQuery(options.list.query) } : options.list;
      const period = periodForLocalDate({ frequency: options.frequency ?? 'daily', localHour: 8, timeZone: 'UTC' }, options.date);
      const prepared = await createDigestComposer(compose)(list, period);
      if (!prepared) return null;
      const l = await getLinks();
      const rendered = prepared.personalize('you@example.org', { unsubscribeUrl: l.unsubscribeUrl('preview-key-0000'), preferencesUrl: l.preferencesUrl('preview-key-0000') });
      return { ...rendered, papers: prepared.entries, contentWindow: period.content };
    },
    recentRuns: (limit = 20) => listRecentRuns(db.kysely, limit),
    async stats() {
      return { subscriptions: await countSubscriptionsByStatus(db.kysely), deliveries: await countDeliveriesByStatus(db.kysely, 'digest') };
    },
    onQueued(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      sender?.close();
      sender = undefined;
    },
  };
}
