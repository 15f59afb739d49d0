/**
 * Digest subscriptions: who gets which list, how often, at which local hour, and the rules for
 * moving between states. Double opt-in: a subscription starts `pending` and nothing but the
 * confirmation mail is sent until it is `confirmed`. A permanent SMTP failure marks it
 * `bouncing`; `unsubscribed` is final until the person subscribes again (and confirms again).
 */
import { isValidTimeZone, type Frequency, type Schedule } from './period.js';

export type DigestList = { readonly kind: 'trending' } | { readonly kind: 'topic'; readonly query: string };

export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed' | 'bouncing';

export interface Subscription {
  /** Random, URL-safe; what signed links name. Never the row id. */
  readonly publicKey: string;
  readonly email: string;
  readonly list: DigestList;
  readonly schedule: Schedule;
  readonly status: SubscriptionStatus;
  readonly createdAt: string;
  readonly confirmedAt: string | null;
  readonly unsubscribedAt: string | null;
  /** When the scheduler should next look at it (confirmed subscriptions only). */
  readonly nextDueAt: string | null;
}

export interface SubscriptionInput {
  email: string;
  list: DigestList;
  schedule: Schedule;
}

export const MAX_TOPIC_QUERY_LENGTH = 200;

/** Lower-cases and trims an address; null when it is not a plausible single address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length < 3 || email.length > 254) return null;
  // One @, no spaces or angle brackets, a dot in the domain: enough to refuse typos and header
  // injection; the confirmation mail proves the rest.
  if (!/^[^\s@<>(),;:"\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(email)) return null;
  return email;
}

export function normalizeTopicQuery(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

/** One key per list, used for uniqueness (one subscription per address and list). */
export function listKey(list: DigestList): string {
  return list.kind === 'trending' ? 'trending' : `topic:${normalizeTopicQuery(list.query).toLowerCase()}`;
}

export function describeList(list: DigestList): string {
  return list.kind === 'trending' ? 'Trending papers' : `Papers on “${list.query}”`;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Validates raw form values (strings from a form or JSON) and returns the normalized input or
 * every problem at once, each naming its field.
 */
export function parseSubscriptionInput(raw: Record<string, unknown>): { ok: true; value: SubscriptionInput } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const str = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : raw[name] === undefined ? '' : String(raw[name]));

  const email = normalizeEmail(str('email'));
  if (!email) problems.push({ field: 'email', message: 'Enter a valid email address.' });

  let list: DigestList = { kind: 'trending' };
  const listKind = str('list') || 'trending';
  if (listKind === 'topic') {
    const query = normalizeTopicQuery(str('topic'));
    if (!query) problems.push({ field: 'topic', message: 'A topic digest needs a search query.' });
    else if (query.length > MAX_TOPIC_QUERY_LENGTH) problems.push({ field: 'topic', message: `Keep the query under ${MAX_TOPIC_QUERY_LENGTH} characters.` });
    list = { kind: 'topic', query };
  } else if (listKind !== 'trending') {
    problems.push({ field: 'list', message: 'Choose "trending" or "topic".' });
  }

  const frequency = (str('frequency') || 'daily') as Frequency;
  if (frequency !== 'daily' && frequency !== 'weekly') problems.push({ field: 'frequency', message: 'Choose daily or weekly.' });

  const hourText = str('hour') || '8';
  const localHour = Number(hourText);
  if (!/^\d{1,2}$/.test(hourText) || localHour > 23) problems.push({ field: 'hour', message: 'The hour must be between 0 and 23.' });

  const timeZone = str('timeZone') || str('tz') || 'UTC';
  if (!isValidTimeZone(timeZone)) problems.push({ field: 'timeZone', message: `Unknown time zone "${timeZone.slice(0, 64)}".` });

  if (problems.length > 0 || !email) return { ok: false, problems };
  return { ok: true, value: { email, list, schedule: { frequency, localHour, timeZone } } };
}

/** Only confirmed subscriptions receive digests. */
export function receivesDigests(status: SubscriptionStatus): boolean {
  return status === 'confirmed';
}
