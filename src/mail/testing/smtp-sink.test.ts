import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

/** A bare SMTP client: one transaction, then `after` (send end-of-data or not, then close). */
async function transaction(sink: SmtpSink, body: string, after: { endOfData: boolean; close: 'end' | 'destroy' | 'quit' }): Promise<void> {
  const socket = net.connect(sink.port, '127.0.0.1');
  let buffered = '';
  const reply = (code: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        const line = buffered.split('\r\n').find((l) => /^\d{3} /.test(l));
        if (!line) return;
        buffered = '';
        socket.off('data', onData);
        if (line.startsWith(`${code} `)) resolve();
        else reject(new Error(`expected ${code}, got ${line}`));
      };
      const onData = (d: Buffer) => {
        buffered += d.toString('latin1');
        check();
      };
      socket.on('data', onData);
      check();
    });
  await reply('220');
  socket.write('EHLO client.example.org\r\n');
  await reply('250');
  socket.write('MAIL FROM:<from@example.org>\r\n');
  await reply('250');
  socket.write('RCPT TO:<Reader@Example.org>\r\n');
  await reply('250');
  socket.write('DATA\r\n');
  await reply('354');
  // Dot-stuffing: a line starting with "." goes out as "..".
  socket.write(body.replace(/^\./gm, '..') + (after.endOfData ? '.\r\n' : ''));
  if (after.close === 'quit') {
    await reply('250');
    socket.end('QUIT\r\n');
  } else if (after.close === 'end') socket.end();
  else socket.destroy();
  await new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
  // Let the server see the close and settle.
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/** A message of many lines that start with a dot: smtp-server unescapes each one on a later turn of the event loop. */
const DOTTED = `Subject: dots\r\n\r\n${Array.from({ length: 200 }, (_, i) => `.line ${i} ${'x'.repeat(60)}\r\n`).join('')}`;

describe('SMTP sink', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
  });

  it('stores a normally finished message once', async () => {
    sink = await startSmtpSink();
    await transaction(sink, DOTTED, { endOfData: true, close: 'quit' });
    expect(sink.count()).toBe(1);
    expect(sink.messages[0]!.raw.toString('latin1')).toBe(DOTTED);
    expect(sink.messages[0]!.to).toEqual(['reader@example.org']);
  });

  it('stores a message whose end-of-data arrived right before the client went away, as an MTA would', async () => {
    for (const close of ['end', 'destroy'] as const) {
      const seen: number[] = [];
      sink = await startSmtpSink({ onMessage: (_m, count) => seen.push(count) });
      await transaction(sink, DOTTED, { endOfData: true, close });
      expect(sink.count(), close).toBe(1);
      expect(seen).toEqual([1]);
      expect(sink.messages[0]!.raw.toString('latin1')).toBe(DOTTED);
      expect(sink.countsByRecipient()).toEqual(new Map([['reader@example.org', 1]]));
      await sink.close();
      sink = undefined;
    }
  });

  it('keeps nothing of a transaction whose connection dropped before end-of-data', async () => {
    sink = await startSmtpSink({ keepMessages: false });
    await transaction(sink, DOTTED, { endOfData: false, close: 'destroy' });
    await transaction(sink, `${DOTTED}\r\n.`, { endOfData: false, close: 'end' });
    expect(sink.count()).toBe(0);
  });
});
