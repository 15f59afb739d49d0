/**
 * A real SMTP server on loopback for tests and benchmarks (smtp-server). It behaves like an MTA:
 * a message counts as received only when the whole DATA arrived (end-of-data seen), it is stored
 * before the 250 reply, and a connection that drops mid-DATA leaves nothing. It does not
 * deduplicate. Per-recipient answers (550, 451, ...) can be scripted.
 *
 * One behaviour of smtp-server is corrected to match an MTA's. When a client's connection
 * closes right after its end-of-data (a sender killed at that moment), smtp-server voids the
 * transaction if its parser had not yet worked through those bytes: it is paced by the message
 * stream's backpressure, and on close it drops what it holds. The bytes had arrived; an MTA
 * reads its connection in order and takes such a message (RFC 5321 §4.1.1.4 makes the server
 * responsible once end-of-data is received). So the sink also counts the end-of-data markers
 * each connection delivered (RawConnectionTap), and a transaction whose marker had arrived is
 * stored even though smtp-server voided it; no reply can be sent on the closed connection.
 */
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { RawConnectionTap } from './raw-connection-tap.js';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  receivedAt: Date;
}

export interface SmtpReply {
  code: number;
  message: string;
}

export interface SmtpSinkOptions {
  /** Answer for a RCPT TO; null accepts. */
  onRcpt?: (address: string) => SmtpReply | null;
  /** Answer for end-of-data; null accepts (and stores). */
  onData?: (message: ReceivedMessage) => SmtpReply | null;
  /** Runs after a message is stored, before the 250 reply is written. */
  onMessage?: (message: ReceivedMessage, count: number) => void;
  /** Keep raw bytes (tests) or only count them (benchmarks). */
  keepMessages?: boolean;
}

export interface SmtpSink {
  readonly port: number;
  readonly url: string;
  readonly messages: ReceivedMessage[];
  count(): number;
  bytes(): number;
  /** Messages received per recipient address. */
  countsByRecipient(): Map<string, number>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  parse(message: ReceivedMessage): Promise<ParsedMail>;
  close(): Promise<void>;
}

function replyError(reply: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const byRecipient = new Map<string, number>();
  let received = 0;
  let totalBytes = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const keep = options.keepMessages !== false;
  // Per connection, by the client's port (unique among open connections on loopback).
  const taps = new Map<number, RawConnectionTap>();

  /** Stores a message; false when the scripted onData refuses it (`refused` gets the reply). */
  const store = (message: ReceivedMessage, size: number, refused: (reply: SmtpReply) => void): boolean => {
    const reply = options.onData?.(message) ?? null;
    if (reply) {
      refused(reply);
      return false;
    }
    received++;
    totalBytes += size;
    if (keep) messages.push(message);
    for (const to of message.to) byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
    options.onMessage?.(message, received);
    for (const w of [...waiters]) {
      if (received >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return true;
  };

  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    // Replies fast after end-of-data, like a well-behaved MTA (RFC 1047).
    onRcptTo(address, _session, callback) {
      const reply = options.onRcpt?.(address.address.toLowerCase()) ?? null;
      callback(reply ? replyError(reply) : undefined);
    },
    onData(stream, session, callback) {
      const tap = taps.get(session.remotePort);
      const transaction = tap ? ++tap.started : 0;
      const envelope = () => ({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()) });
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (keep) chunks.push(chunk);
      });
      stream.on('error', () => {
        // The connection closed before smtp-server saw end-of-data: void, unless it had arrived.
        if (!tap || tap.markers < transaction) return;
        const raw = tap.message(transaction);
        store({ ...envelope(), raw: keep && raw ? raw : Buffer.alloc(0), receivedAt: new Date() }, raw?.length ?? size, () => undefined);
      });
      stream.on('end', () => {
        const message: ReceivedMessage = { ...envelope(), raw: keep ? Buffer.concat(chunks) : Buffer.alloc(0), receivedAt: new Date() };
        if (store(message, size, (reply) => callback(replyError(reply)))) callback(null, 'OK: queued');
      });
    },
  });
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    const tap = new RawConnectionTap(keep);
    taps.set(port, tap);
    socket.on('data', (chunk: Buffer) => tap.push(chunk));
    // The data stream's handlers keep their tap; this only forgets it (a later connection may reuse the port).
    socket.on('close', () => setImmediate(() => taps.get(port) === tap && taps.delete(port)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    count: () => received,
    bytes: () => totalBytes,
    countsByRecipient: () => new Map(byRecipient),
    waitFor(count, timeoutMs = 20_000) {
      if (received >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`SMTP sink: expected ${count} messages, got ${received} after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    parse: (message) => simpleParser(message.raw),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
