/**
 * Pooled SMTP sending (nodemailer's SMTP pool: connection reuse, a rate limit) for messages whose
 * end-of-data marker is held back until the caller allows it.
 *
 * An SMTP server takes responsibility for a message when it receives the final `<CRLF>.<CRLF>`;
 * if the connection drops before that, the transaction is void (RFC 5321 §4.1.1.4). The message
 * is streamed after the server's 354; once all of it is in the kernel, `release` is asked, and
 * the caller commits the hand-off in its ledger and calls `decide(true)` in the same synchronous
 * block, which writes end-of-data at once. So the ledger says "sent" before the server can have
 * the message, and nothing but one socket write separates the two.
 *
 * The pool is driven through its transport interface (`send(mail, callback)`) with a minimal mail
 * object, so nothing reads the message before the DATA phase, and nodemailer's own requeue on a
 * dropped connection is off (`maxRequeues: 0`): retries are the ledger's job. Writing end-of-data
 * directly reaches into the pool's connection (`_connections`, `queueEntry`, `_socket`,
 * `_currentDataStream` of nodemailer 10.6, pinned exactly); the crash test guards it.
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

/**
 * Asked once the whole message body is in the kernel's hands; must call `decide` exactly once.
 * `decide(true)` writes end-of-data synchronously, so call it in the same synchronous block that
 * learnt the hand-off committed.
 */
export type Release = (decide: (release: boolean) => void) => void;

export interface MailSender {
  send(envelope: Envelope, message: Buffer, messageId: string, release: Release): Promise<SendOutcome>;
  close(): void;
}

class WithheldError extends Error {
  constructor() {
    super('end-of-data withheld by the caller');
  }
}

/** The parts of a pooled connection that carry outgoing bytes (nodemailer internals, pinned version). */
interface Outgoing {
  socket: { writableLength: number; destroyed: boolean; write(chunk: Buffer): boolean } | undefined;
  dataStream: { writableLength: number; readableLength: number; unpipe(destination: unknown): unknown } | undefined;
}

/** The end-of-data marker nodemailer's DataStream would append after `body`. */
function endOfDataAfter(body: Buffer): Buffer {
  const last = body[body.length - 1];
  return Buffer.from(last === 0x0a ? '.\r\n' : last === 0x0d ? '\n.\r\n' : '\r\n.\r\n');
}

/**
 * Streams the message body, waits until every byte of it has left Node's buffers for the kernel,
 * and only then asks `release`. On `decide(true)` it writes end-of-data to the socket right away,
 * in the caller's synchronous block (detaching nodemailer's data stream, whose own end-of-data
 * would otherwise wait behind other streams' work for up to a millisecond), then ends.
 * So between the caller's commit and end-of-data on the wire there is one socket write and no
 * turn of the event loop: the only instant at which a crash leaves a delivery recorded as sent
 * that the server never got.
 */
class HeldBackMessage extends Readable {
  released = false;
  withheld = false;
  private started = false;

  constructor(
    private readonly body: Buffer,
    private readonly release: Release,
    private readonly outgoing: () => Outgoing,
  ) {
    super({ highWaterMark: 64 * 1024 });
  }

  override _read(): void {
    if (this.started) return;
    this.started = true;
    this.push(this.body);
    void this.drained().then((ready) => {
      if (this.destroyed) return; // the connection failed meanwhile: nothing more goes out
      // A connection that went away is a failure (sent again later), not a refusal by the caller.
      if (!ready) return void this.destroy(new Error('connection closed before end-of-data'));
      let decided = false;
      try {
        this.release((ok) => {
          if (decided) return;
          decided = true;
          if (ok) this.endOfData();
          else this.withhold(new WithheldError());
        });
      } catch (error) {
        this.withhold(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private withhold(error: Error): void {
    this.withheld = true;
    this.destroy(error);
  }

  private endOfData(): void {
    if (this.destroyed) return; // the connection failed: reported as not released, sent again
    const { socket, dataStream } = this.outgoing();
    if (!socket || socket.destroyed) {
      // Not `withhold`: the caller's hand-off committed, and only a failure (not released) makes it retry.
      this.destroy(new Error('connection closed before end-of-data'));
      return;
    }
    if (dataStream && this.readableLength === 0 && dataStream.writableLength === 0 && dataStream.readableLength === 0) {
      dataStream.unpipe(socket);
      socket.write(endOfDataAfter(this.body));
    }
    // Otherwise (never expected) the data stream writes end-of-data itself when this stream ends.
    this.released = true;
    this.push(null);
  }

  /**
   * Resolves true once the body is out of this stream, the SMTP data stream and the socket's
   * buffer; false if the connection went away first (the socket timeout ends a stalled server).
   */
  private async drained(): Promise<boolean> {
    for (let turn = 0; ; turn++) {
      if (this.destroyed) return false;
      const { socket, dataStream } = this.outgoing();
      if (!socket || socket.destroyed || !dataStream) return false;
      if (this.readableLength === 0 && dataStream.writableLength === 0 && dataStream.readableLength === 0 && socket.writableLength === 0) return true;
      // The pipe usually empties within a few ticks; after that, wait for the kernel to take more.
      await new Promise<void>((resolve) => (turn < 4 ? process.nextTick(resolve) : setImmediate(resolve)));
    }
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
        let handedOut = false;
        // The pool resource delivering this message, found through the pool's internals.
        const outgoing = (): Outgoing => {
          const resources = (pool as unknown as { _connections: { queueEntry?: { mail: unknown }; connection?: { _socket?: Outgoing['socket']; _currentDataStream?: Outgoing['dataStream'] } }[] })._connections;
          const resource = resources.find((r) => r.queueEntry && r.queueEntry.mail === mail);
          return { socket: resource?.connection?._socket || undefined, dataStream: resource?.connection?._currentDataStream || undefined };
        };
        const stream = new HeldBackMessage(message, release, outgoing);
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
