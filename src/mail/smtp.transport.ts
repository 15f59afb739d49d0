/**
 * Pooled SMTP sending (nodemailer's SMTP pool: connection reuse, a rate limit) for messages whose
 * end-of-data marker is held back until the caller allows it.
 *
 * An SMTP server takes responsibility for a message when it receives the final `<CRLF>.<CRLF>`;
 * if the connection drops before that, the transaction is void (RFC 5321 §4.1.1.4). The message
 * bytes are streamed after the server's 354, and only then is `release()` asked; the marker goes
 * out only if it resolves true. The caller records the delivery as handed off inside `release()`,
 * so the ledger is committed *before* the server can possibly have the message: a sender that
 * dies earlier leaves a delivery that can safely be sent again, and one that dies later leaves a
 * delivery that is recorded as sent.
 *
 * The pool is driven through its transport interface (`send(mail, callback)`) with a minimal mail
 * object, so nothing reads the message before the DATA phase and nodemailer's own requeue on a
 * dropped connection is off (`maxRequeues: 0`): retries are the ledger's job.
 */
import { Readable } from 'node:stream';
import SMTPPool from 'nodemailer/lib/smtp-pool';

export interface SmtpSenderOptions {
  /** `smtp://user:pass@host:port` or `smtps://...`. */
  url: string;
  maxConnections: number;
  /** Messages per second over the pool; 0 = unlimited. */
  ratePerSecond: number;
  socketTimeoutMs?: number;
}

export interface Envelope {
  from: string;
  to: string;
}

export type SendOutcome =
  /** The server answered 250 to end-of-data. */
  | { kind: 'accepted'; response: string }
  /** `release()` said no: end-of-data was never sent, the server has nothing. */
  | { kind: 'withheld' }
  /**
   * Anything else. `released` tells whether end-of-data went out; with a `responseCode` the
   * server answered (and refused), without one the connection failed (after release: in doubt).
   */
  | { kind: 'failed'; released: boolean; responseCode: number | null; command: string | null; message: string };

export interface MailSender {
  send(envelope: Envelope, message: Buffer, messageId: string, release: () => Promise<boolean>): Promise<SendOutcome>;
  close(): void;
}

class WithheldError extends Error {
  constructor() {
    super('end-of-data withheld by the caller');
  }
}

/** Streams the message body at once and ends it (so SMTP writes end-of-data) only after release. */
class HeldBackMessage extends Readable {
  released = false;
  withheld = false;
  private started = false;

  constructor(
    private readonly body: Buffer,
    private readonly release: () => Promise<boolean>,
  ) {
    super();
  }

  override _read(): void {
    if (this.started) return;
    this.started = true;
    this.push(this.body);
    this.release().then(
      (ok) => {
        if (this.destroyed) return; // the connection failed meanwhile: nothing more goes out
        if (ok) {
          this.released = true;
          this.push(null);
        } else {
          this.withheld = true;
          this.destroy(new WithheldError());
        }
      },
      (error: unknown) => {
        this.withheld = true;
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

export function createSmtpSender(options: SmtpSenderOptions): MailSender {
  const rate = options.ratePerSecond > 0 ? { rateLimit: Math.max(1, Math.ceil(options.ratePerSecond)), rateDelta: Math.round((1000 * Math.max(1, Math.ceil(options.ratePerSecond))) / options.ratePerSecond) } : {};
  const pool = new SMTPPool({
    url: options.url,
    maxConnections: options.maxConnections,
    maxMessages: 1000,
    maxRequeues: 0,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    greetingTimeout: 30_000,
    connectionTimeout: 30_000,
    ...rate,
  });

  return {
    send(envelope, message, messageId, release) {
      return new Promise<SendOutcome>((resolve) => {
        const stream = new HeldBackMessage(message, release);
        let handedOut = false;
        // Duck-typed MailMessage: the pool asks for the envelope, an id for its logs and the stream.
        const mail = {
          data: {},
          message: {
            getEnvelope: () => ({ from: envelope.from, to: [envelope.to] }),
            messageId: () => messageId,
            getHeader: (name: string) => (name.toLowerCase() === 'message-id' ? messageId : undefined),
            createReadStream: () => {
              if (handedOut) return Readable.from([]).destroy(new Error('message stream is single-use'));
              handedOut = true;
              return stream;
            },
          },
        };
        pool.send(mail as unknown as Parameters<SMTPPool['send']>[0], (err, info) => {
          if (!err) {
            resolve({ kind: 'accepted', response: String(info?.response ?? '250') });
            return;
          }
          if (stream.withheld && !stream.released) {
            resolve({ kind: 'withheld' });
            return;
          }
          const e = err as NodemailerError;
          const released = stream.released;
          stream.destroy();
          resolve({
            kind: 'failed',
            released,
            responseCode: typeof e.responseCode === 'number' ? e.responseCode : null,
            command: e.command ?? null,
            message: (e.response ?? e.message ?? String(err)).slice(0, 500),
          });
        });
      });
    },
    close() {
      pool.close();
    },
  };
}
