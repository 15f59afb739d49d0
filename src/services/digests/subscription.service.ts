/**
 * Subscribing, double opt-in, preferences and unsubscribing. Every link carries a signed token
 * naming the subscription's random key; none of these use cases needs a session. The
 * confirmation mail goes through the delivery queue like a digest (durable, retried, bounce-safe).
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/config.js';
import { confirmPeriodKey } from '../../domain/digest-delivery.js';
import { AppError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { DEFAULT_WEEKDAY, firstPeriodAfter, isValidTimeZone, parseWeekday, type Clock, type Frequency, type Schedule } from '../../domain/digest-period.js';
import type { TokenPurpose } from '../../domain/signed-token.js';
import { describeList, listKey, parseSubscriptionInput, type DigestList, type SubscribingMember, type SubscriptionStatus } from '../../domain/subscription.js';
import type { Db } from '../../store/database.js';
import { withFullSync } from '../../store/delivery-durability.js';
import { enqueueDeliveries } from '../../store/delivery.repository.js';
import {
  confirmSubscription,
  countConfirmMailsToAddressSince,
  findSubscriptionByPublicKey,
  insertSubscriptionIfAbsent,
  restartSubscription,
  touchConfirmRequest,
  unsubscribe,
  updateSubscriptionSchedule,
  type StoredSubscription,
} from '../../store/subscription.repository.js';
import type { DigestLinks } from './digest-links.service.js';

/** A confirmation mail is sent at most once per this many minutes per subscription. */
const CONFIRM_RESEND_MINUTES = 5;
/**
 * Confirmation mails one address receives per day, whatever the lists: each new topic is a new
 * subscription, so without this cap anyone could mail a stranger once per topic they typed
 * (limited only per client address). Concurrent requests may each pass the count, so the cap can
 * be exceeded by the number of requests racing at that moment.
 */
export const CONFIRM_MAILS_PER_ADDRESS_PER_DAY = 5;

export interface SubscriptionView {
  email: string;
  list: DigestList;
  listName: string;
  schedule: Schedule;
  status: SubscriptionStatus;
  nextDueAt: string | null;
}

export interface SubscriptionDeps {
  db: Db;
  config: Config;
  clock: Clock;
  links: () => Promise<DigestLinks>;
  /** Called when mail was queued, so an in-process worker can send it right away. */
  notify: () => void;
}

function view(s: StoredSubscription): SubscriptionView {
  return { email: s.email, list: s.list, listName: describeList(s.list), schedule: s.schedule, status: s.status, nextDueAt: s.nextDueAt };
}

export function createSubscriptionService(deps: SubscriptionDeps) {
  const { db, clock } = deps;

  async function resolve(purpose: TokenPurpose | readonly TokenPurpose[], token: string): Promise<StoredSubscription> {
    const key = (await deps.links()).verify(purpose, token, clock());
    const sub = await findSubscriptionByPublicKey(db.kysely, key);
    if (!sub) throw new NotFoundError('subscription_not_found', 'This subscription no longer exists.');
    return sub;
  }

  return {
    /**
     * Starts (or restarts) double opt-in. The answer is the same whether or not the address was
     * already subscribed, so the form cannot be used to find out who reads what. `member` is the
     * signed-in member, if any: only they can subscribe to their own "for you" list.
     */
    async subscribe(raw: Record<string, unknown>, member: SubscribingMember | null = null): Promise<{ queued: boolean }> {
      const parsed = parseSubscriptionInput(raw, member);
      if (!parsed.ok) throw new ValidationError(parsed.problems.map((p) => p.message).join(' '), { problems: parsed.problems, field: parsed.problems[0]?.field });
      const { email, list, schedule } = parsed.value;
      const now = clock();
      const nowIso = now.toISOString();
      const queued = await db.kysely.transaction().execute(async (trx) => {
        const { subscription } = await insertSubscriptionIfAbsent(trx, { publicKey: randomBytes(16).toString('base64url'), email, listKey: listKey(list), list, schedule }, nowIso);
        if (subscription.status === 'confirmed') return false;
        const pending = subscription.status === 'pending' ? subscription : await restartSubscription(trx, subscription.id, schedule, nowIso);
        if (!pending) return false;
        if (subscription.status === 'pending') await updateSubscriptionSchedule(trx, pending.publicKey, schedule, null, nowIso);
        const throttle = new Date(now.getTime() - CONFIRM_RESEND_MINUTES * 60_000).toISOString();
        const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
        // Past the cap the answer stays the same (the form must not reveal who subscribes to what);
        // the mails already sent still confirm their lists.
        if ((await countConfirmMailsToAddressSince(trx, email, dayAgo)) >= CONFIRM_MAILS_PER_ADDRESS_PER_DAY) return false;
        if (!(await touchConfirmRequest(trx, pending.id, nowIso, throttle))) return false;
        await enqueueDeliveries(trx, [{ subscriptionId: pending.id, kind: 'confirm', periodKey: confirmPeriodKey(nowIso), notBefore: nowIso }], nowIso);
        return true;
      });
      if (queued) deps.notify();
      return { queued };
    },

    /** For GET pages: what a link refers to, without changing anything. */
    async inspect(purpose: TokenPurpose | readonly TokenPurpose[], token: string): Promise<SubscriptionView> {
      return view(await resolve(purpose, token));
    },

    async confirm(token: string): Promise<SubscriptionView> {
      const sub = await resolve('confirm', token);
      const now = clock();
      const next = firstPeriodAfter(sub.schedule, now).dueAt.toISOString();
      const confirmed = await confirmSubscription(db.kysely, sub.publicKey, next, now.toISOString());
      if (!confirmed) throw new AppError('conflict', 'This subscription was ended; subscribe again to restart it.');
      return view(confirmed);
    },

    async updatePreferences(token: string, raw: Record<string, unknown>): Promise<SubscriptionView> {
      const sub = await resolve('manage', token);
      const problems: { field: string; message: string }[] = [];
      const frequency = String(raw.frequency ?? sub.schedule.frequency) as Frequency;
      if (frequency !== 'daily' && frequency !== 'weekly') problems.push({ field: 'frequency', message: 'Choose daily or weekly.' });
      const weekdayRaw = raw.weekday ?? sub.schedule.weekday ?? DEFAULT_WEEKDAY;
      const weekday = parseWeekday(typeof weekdayRaw === 'number' ? weekdayRaw : String(weekdayRaw));
      if (weekday === null) problems.push({ field: 'weekday', message: 'Choose a day of the week.' });
      const hourText = String(raw.hour ?? sub.schedule.localHour);
      if (!/^\d{1,2}$/.test(hourText) || Number(hourText) > 23) problems.push({ field: 'hour', message: 'The hour must be between 0 and 23.' });
      const timeZone = String(raw.timeZone ?? sub.schedule.timeZone);
      if (!isValidTimeZone(timeZone)) problems.push({ field: 'timeZone', message: `Unknown time zone "${timeZone.slice(0, 64)}".` });
      if (problems.length > 0) throw new ValidationError(problems.map((p) => p.message).join(' '), { problems, field: problems[0]?.field });
      const schedule: Schedule = frequency === 'weekly' ? { frequency, localHour: Number(hourText), timeZone, weekday: weekday ?? DEFAULT_WEEKDAY } : { frequency, localHour: Number(hourText), timeZone };
      const now = clock();
      const updated = await updateSubscriptionSchedule(db.kysely, sub.publicKey, schedule, firstPeriodAfter(schedule, now).dueAt.toISOString(), now.toISOString());
      if (!updated) throw new AppError('conflict', 'This subscription was ended; subscribe again to restart it.');
      return view(updated);
    },

    /** One-click unsubscribe (the token is the credential); repeating it is harmless. */
    async unsubscribe(token: string): Promise<SubscriptionView> {
      const sub = await resolve(['unsubscribe', 'manage'], token);
      // Durable before the page says so: a power loss must not bring the digest back.
      const done = await withFullSync(db.kysely, (conn) => conn.transaction().execute((trx) => unsubscribe(trx, sub.publicKey, clock().toISOString())));
      return view(done ?? sub);
    },
  };
}

type SubscriptionService = ReturnType<typeof createSubscriptionService>;
