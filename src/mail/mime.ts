/**
 * Builds a complete RFC 5322 message (text and HTML alternatives, our headers, a fixed
 * Message-ID) as bytes, optionally DKIM-signed. Building the bytes before SMTP starts means the
 * sender only has to hold back the end-of-data marker, and DKIM covers List-Unsubscribe and
 * List-Unsubscribe-Post as RFC 8058 requires.
 */
import DKIM from 'nodemailer/lib/dkim';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** With angle brackets: `<digest.d-2024-06-01.abc@papers.example.org>`. */
  messageId: string;
  date: Date;
  /** Extra headers, used as given (already formatted). */
  headers?: Record<string, string>;
}

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

export type DkimSigner = (message: Buffer) => Promise<Buffer>;

export function createDkimSigner(options: DkimOptions): DkimSigner {
  const dkim = new DKIM({ domainName: options.domainName, keySelector: options.keySelector, privateKey: options.privateKey });
  return async (message) => {
    const chunks: Buffer[] = [];
    for await (const chunk of dkim.sign(message)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
}

export async function buildMessage(message: OutgoingMessage, sign?: DkimSigner): Promise<Buffer> {
  const headers: Record<string, { prepared: true; value: string }> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = { prepared: true, value };
  const raw = await new MailComposer({
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    date: message.date,
    headers,
    textEncoding: 'quoted-printable',
  })
    .compile()
    .build();
  return sign ? sign(raw) : raw;
}

/** The address part of `Name <addr@host>` or a bare address. */
export function addressOf(mailbox: string): string {
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(mailbox);
  return (m ? m[1]! : mailbox).trim();
}

