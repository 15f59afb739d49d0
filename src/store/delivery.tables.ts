/**
 * Row types of the digest tables (migration 020). They are added to a Kysely instance with
 * `withTables<DigestTables>()`, so the shared schema file does not need to know about them.
 */
import type { Generated } from 'kysely';
import type { SubscriptionsTable } from './subscription.tables.js';

export interface DeliveriesTable {
  id: Generated<number>;
  subscription_id: number;
  kind: string;
  period_key: string;
  status: string;
  attempts: Generated<number>;
  not_before: string;
  lease_owner: string | null;
  lease_token: string | null;
  lease_expires_at: string | null;
  message_id: string | null;
  created_at: string;
  handed_off_at: string | null;
  accepted_at: string | null;
  finished_at: string | null;
  in_doubt: Generated<number>;
  smtp_response: string | null;
  last_error: string | null;
  skip_reason: string | null;
}

export interface DigestRunsTable {
  id: Generated<number>;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  enqueued: Generated<number>;
  sent: Generated<number>;
  skipped: Generated<number>;
  retried: Generated<number>;
  failed: Generated<number>;
  bounced: Generated<number>;
  recovered: Generated<number>;
  in_doubt: Generated<number>;
  error: string | null;
}

export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

// A type alias (not an interface) so it satisfies Kysely's `withTables` constraint.
export type DigestTables = {
  subscriptions: SubscriptionsTable;
  deliveries: DeliveriesTable;
  digest_runs: DigestRunsTable;
  app_secrets: AppSecretsTable;
};
