import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMessage, createDkimSigner } from './mime.js';
import { createSmtpSender, type MailSender } from './smtp.transport.js';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink.js';

async function message(to: string, sign = false): Promise<Buffer> {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  return buildMessage(
    {
      from: 'Paperboy <digest@papers.example.org>',
      to,
      subject: 'Hello ✓',
      text: 'Plain text\n.\nwith a lone dot line',
      html: '<p>HTML</p>',
      messageId: '<m1@papers.example.org>',
      date: new Date('2024-06-10T06:00:00Z'),
      headers: { 'List-Unsubscribe': '<https://papers.example.org/u/t>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    },
    sign ? createDkimSigner({ domainName: 'papers.example.org', keySelector: 's1', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }) : undefined,
  );
}

describe('SMTP sender with held-back end-of-data', () => {
  let sink: SmtpSink;
  let sender: MailSender;
  afterEach(async () => {
    sender?.close();
    await sink?.close();
  });

  it('delivers after release, with both parts, the headers and a DKIM signature', async () => {
    sink = await startSmtpSink();
    sender = createSmtpSender({ url: sink.url, maxConnections: 2, ratePerSecond: 0 });
    let releasedAt = -1;
    const outcome = await sender.send({ from: 'digest@papers.example.org', to: 'ada@example.org' }, await message('ada@example.org', true), '<m1@papers.example.org>', (decide) => {
      releasedAt = sink.count();
      decide(true);
    });
    expect(outcome).toMatchObject({ kind: 'accepted' });
    // The server had not received the message when release was asked.
    expect(releasedAt).toBe(0);
    expect(sink.count()).toBe(1);
    const parsed = await sink.parse(sink.messages[0]!);
    expect(parsed.text).toContain('with a lone dot line');
    expect(parsed.html).toContain('<p>HTML</p>');
    expect(parsed.messageId).toBe('<m1@papers.example.org>');
    const header = (key: string) => parsed.headerLines.find((h) => h.key === key)?.line ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const dkim = header('dkim-signature');
    expect(dkim).toMatch(/d=papers\.example\.org/);
    expect(dkim.toLowerCase()).toContain('list-unsubscribe-post');
  });

  it('sends nothing when release is refused or fails', async () => {
    sink = await startSmtpSink();
    sender = createSmtpSender({ url: sink.url, maxConnections: 1, ratePerSecond: 0 });
    expect(await sender.send({ from: 'a@papers.example.org', to: 'b@example.org' }, await message('b@example.org'), '<x@y>', (decide) => decide(false))).toEqual({ kind: 'withheld' });
    expect(await sender.send({ from: 'a@papers.example.org', to: 'b@example.org' }, await message('b@example.org'), '<x@y>', () => {
      throw new Error('db down');
    })).toEqual({ kind: 'withheld' });
    // The pool keeps working afterwards.
    expect((await sender.send({ from: 'a@papers.example.org', to: 'b@example.org' }, await message('b@example.org'), '<x@y>', (decide) => decide(true))).kind).toBe('accepted');
    expect(sink.count()).toBe(1);
  });

  it('reports refusals with their code, command and whether end-of-data went out', async () => {
    sink = await startSmtpSink({
      onRcpt: (address) => (address.startsWith('gone@') ? { code: 550, message: 'No such user' } : address.startsWith('busy@') ? { code: 451, message: 'Try later' } : null),
      onData: (m) => (m.to.includes('spam@example.org') ? { code: 554, message: 'Rejected as spam' } : null),
    });
    sender = createSmtpSender({ url: sink.url, maxConnections: 1, ratePerSecond: 0 });
    const send = async (to: string) => sender.send({ from: 'a@papers.example.org', to }, await message(to), '<x@y>', (decide) => decide(true));
    expect(await send('gone@example.org')).toMatchObject({ kind: 'failed', released: false, responseCode: 550, command: 'RCPT TO' });
    expect(await send('busy@example.org')).toMatchObject({ kind: 'failed', released: false, responseCode: 451 });
    expect(await send('spam@example.org')).toMatchObject({ kind: 'failed', released: true, responseCode: 554, command: 'DATA' });
    expect(sink.count()).toBe(0);
  });

  it('reports a connection failure as not released', async () => {
    sender = createSmtpSender({ url: 'smtp://127.0.0.1:1', maxConnections: 1, ratePerSecond: 0 });
    expect(await sender.send({ from: 'a@papers.example.org', to: 'x@example.org' }, await message('x@example.org'), '<x@y>', (decide) => decide(true))).toMatchObject({ kind: 'failed', released: false, responseCode: null });
  });
});
