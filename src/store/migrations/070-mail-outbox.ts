/**
 * The local outbox: without SMTP_URL, every mail Paperboy would send (sign-in links, digest
 * confirmations, digests) is kept here for the operator to read (`paperboy mail outbox`, the
 * admin page), instead of being dropped or only logged.
 */
import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('mail_outbox'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // sign-in | confirm | digest
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_outbox_recipient_idx').on('mail_outbox').columns(['recipient', 'id']).execute();
}
