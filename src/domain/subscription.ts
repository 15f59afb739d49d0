/**
 * Digest subscriptions: who gets which list, how often, at which local hour, and the rules for
 * moving between states. Double opt-in: a subscription starts `pending` and nothing but the
 * confirmation mail is sent until it is `confirmed`. A permanent SMTP failure marks it
 * `bouncing`; `unsubscribed` is final until the person subscribes again (and confirms again).
 */
import { DEFAULT_WEEKDAY, isValidTimeZone, parseWeekday, type Frequency, type Schedule } from './digest-period.js';

/**
 * Which papers a digest lists: the site's trending papers, a saved search, or papers picked for
 * one member by the recommender ("for you", members only; the subscription is tied to them).
 */
export type DigestList = { readonly kind: 'trending' } | { readonly kind: 'topic'; readonly query: string } | { readonly kind: 'for-you'; readonly memberId: number };

/** The signed-in member subscribing, when there is one: "for you" digests go to their address. */
export interface SubscribingMember {
  readonly id: number;
  readonly email: string;
}

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
  // One "for you" list per address: a member's address is theirs alone (users.email is unique).
  return list.kind === 'trending' ? 'trending' : list.kind === 'for-you' ? 'for-you' : `topic:${normalizeTopicQuery(list.query).toLowerCase()}`;
}

export function describeList(list: DigestList): string {
  return list.kind === 'trending' ? 'Trending papers' : list.kind === 'for-you' ? 'Papers picked for you' : `Papers on “${list.query}”`;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Validates raw form values (strings from a form or JSON) and returns the normalized input or
 * every problem at once, each naming its field.
 */
export function parseSubscriptionInput(raw: Record<string, unknown>, member: SubscribingMember | null = null): { ok: true; value: SubscriptionInput } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const str = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : raw[name] === undefined ? '' : String(raw[name]));
  const listKind = str('list') || 'trending';

  // A "for you" digest is learned from a member's votes, so it goes to that member's address only.
  const email = listKind === 'for-you' && member ? normalizeEmail(member.email) : normalizeEmail(str('email'));
  if (!email && !(listKind === 'for-you' && !member)) problems.push({ field: 'email', message: 'Enter a valid email address.' });

  let list: DigestList = { kind: 'trending' };
  if (listKind === 'for-you') {
    if (!member) problems.push({ field: 'list', message: 'Sign in to get papers picked for you.' });
    else list = { kind: 'for-you', memberId: member.id };
  } else if (listKind === 'topic') {
    const query = normalizeTopicQuery(str('topic'));
    if (!query) problems.push({ field: 'topic', message: 'A topic digest needs a search query.' });
    else if (query.length > MAX_TOPIC_QUERY_LENGTH) problems.push({ field: 'topic', message: `Keep the query under ${MAX_TOPIC_QUERY_LENGTH} characters.` });
    list = { kind: 'topic', query };
  } else if (listKind !== 'trending') {
    problems.push({ field: 'list', message: 'Choose "trending", "topic" or "for you".' });
  }

  const frequency = (str('frequency') || 'daily') as Frequency;
  if (frequency !== 'daily' && frequency !== 'weekly') problems.push({ field: 'frequency', message: 'Choose daily or weekly.' });

  const weekdayText = str('weekday');
  const weekday = weekdayText ? parseWeekday(weekdayText) : DEFAULT_WEEKDAY;
  if (weekday === null) problems.push({ field: 'weekday', message: 'Choose a day of the week.' });

  const hourText = str('hour') || '8';
  const localHour = Number(hourText);
  if (!/^\d{1,2}$/.test(hourText) || localHour > 23) problems.push({ field: 'hour', message: 'The hour must be between 0 and 23.' });

  const timeZone = str('timeZone') || str('tz') || 'UTC';
  if (!isValidTimeZone(timeZone)) problems.push({ field: 'timeZone', message: `Unknown time zone "${timeZone.slice(0, 64)}".` });

  if (problems.length > 0 || !email) return { ok: false, problems };
  // Only weekly schedules carry a weekday; a daily one goes out every day anyway.
  const schedule: Schedule = frequency === 'weekly' ? { frequency, localHour, timeZone, weekday: weekday ?? DEFAULT_WEEKDAY } : { frequency, localHour, timeZone };
  return { ok: true, value: { email, list, schedule } };
}

/** Only confirmed subscriptions receive digests. */
export function receivesDigests(status: SubscriptionStatus): boolean {
  return status === 'confirmed';
}
