/**
 * The local outbox, used instead of SMTP when SMTP_URL is not set: sign-in links, digest
 * confirmations and digests are kept in the database for the operator to read
 * (`paperboy mail outbox`, `/admin/outbox`). A newcomer's install can then sign in, and the
 * pages say where the mail went instead of claiming it was sent.
 *
 * The digest worker's hand-off protocol is kept: the message is stored only once the worker
 * releases it, so the ledger's "never a duplicate" holds here too (a crash between release and
 * the insert loses that one outbox copy; the delivery counts as sent).
 */
import { simpleParser } from 'mailparser';
import { AppError } from '../../domain/errors.js';
import { composeMagicLinkEmail, type MagicLinkMailer } from '../../mail/magic-link.email.js';
import type { MailSender, SendOutcome } from '../../mail/smtp.transport.js';
import type { Db } from '../../store/database.js';
import { findOutboxMail, insertOutboxMail, listOutboxMail, type OutboxMail } from '../../store/mail-outbox.repository.js';

export type { OutboxMail } from '../../store/mail-outbox.repository.js';

export interface MailOutbox {
  /** Where a mail goes: `smtp` (sent) or `outbox` (kept here for the operator). */
  readonly delivery: 'smtp' | 'outbox';
  list(options?: { limit?: number; recipient?: string }): Promise<OutboxMail[]>;
  /** @throws AppError `not_found` */
  get(id: number): Promise<OutboxMail>;
}

export function createOutboxMagicLinkMailer(deps: { db: Db; now: () => Date }): MagicLinkMailer {
  return {
    async send(message) {
      const mail = composeMagicLinkEmail(message);
      await insertOutboxMail(deps.db.kysely, { recipient: message.to.toLowerCase(), subject: mail.subject, kind: 'sign-in', text: mail.text, createdAt: deps.now().toISOString() });
    },
    close() {},
  };
}

export function createOutboxMailSender(deps: { db: Db; now: () => Date }): MailSender {
  return {
    async send(envelope, message, _messageId, release): Promise<SendOutcome> {
      const released = await new Promise<boolean>((resolve) => release(resolve));
      if (!released) return { kind: 'withheld' };
      try {
        const parsed = await simpleParser(message);
        await insertOutboxMail(deps.db.kysely, {
          recipient: envelope.to.toLowerCase(),
          subject: parsed.subject ?? '(no subject)',
          kind: 'digest',
          text: parsed.text ?? '',
          createdAt: deps.now().toISOString(),
        });
        return { kind: 'accepted', response: '250 kept in the local outbox' };
      } catch (error) {
        return { kind: 'failed', released: true, responseCode: null, command: null, message: error instanceof Error ? error.message : String(error) };
      }
    },
    close() {},
  };
}

export function createMailOutbox(deps: { db: Db; smtpConfigured: boolean }): MailOutbox {
  return {
    delivery: deps.smtpConfigured ? 'smtp' : 'outbox',
    list: (options = {}) => listOutboxMail(deps.db.kysely, { limit: options.limit ?? 50, ...(options.recipient ? { recipient: options.recipient } : {}) }),
    async get(id) {
      const mail = Number.isSafeInteger(id) && id > 0 ? await findOutboxMail(deps.db.kysely, id) : null;
      if (!mail) throw new AppError('not_found', `There is no mail ${id} in the outbox.`);
      return mail;
    },
  };
}
