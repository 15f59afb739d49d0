/** The local outbox (migration 070): mail kept for the operator when no SMTP server is set. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

export interface OutboxMail {
  id: number;
  recipient: string;
  subject: string;
  kind: string;
  text: string;
  createdAt: string;
}

/** Mails kept at most; older ones go as new ones come (an outbox is for reading, not archiving). */
export const OUTBOX_KEEP = 2_000;

function toMail(r: { id: number; recipient: string; subject: string; kind: string; text_body: string; created_at: string }): OutboxMail {
  return { id: Number(r.id), recipient: r.recipient, subject: r.subject, kind: r.kind, text: r.text_body, createdAt: r.created_at };
}

export async function insertOutboxMail(db: Executor, mail: Omit<OutboxMail, 'id'>): Promise<number> {
  const row = await db
    .insertInto('mail_outbox')
    .values({ recipient: mail.recipient, subject: mail.subject, kind: mail.kind, text_body: mail.text, created_at: mail.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  if (id > OUTBOX_KEEP) await db.deleteFrom('mail_outbox').where('id', '<=', id - OUTBOX_KEEP).execute();
  return id;
}

export async function listOutboxMail(db: Executor, options: { limit: number; recipient?: string }): Promise<OutboxMail[]> {
  let q = db.selectFrom('mail_outbox').selectAll();
  if (options.recipient) q = q.where('recipient', '=', options.recipient.toLowerCase());
  return (await q.orderBy('id', 'desc').limit(options.limit).execute()).map(toMail);
}

export async function findOutboxMail(db: Executor, id: number): Promise<OutboxMail | null> {
  const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMail(row) : null;
}
