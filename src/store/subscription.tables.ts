/** Row type of the `subscriptions` table (migrations 020 and 030); stays inside `store/`. */
import type { Generated } from 'kysely';

export interface SubscriptionsTable {
  id: Generated<number>;
  public_key: string;
  email: string;
  list_key: string;
  list_kind: string;
  topic_query: string | null;
  frequency: string;
  local_hour: number;
  time_zone: string;
  status: string;
  next_due_at: string | null;
  created_at: string;
  updated_at: string;
  confirm_requested_at: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  bounced_at: string | null;
  bounce_reason: string | null;
  /** ISO weekday of a weekly digest; null = Monday (030). */
  weekday: number | null;
  /** The member a "for you" list belongs to (030). */
  member_id: number | null;
}
