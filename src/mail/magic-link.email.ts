/**
 * The sign-in email: a text and an HTML part with the one-time link, how long it works, and
 * what to do if you did not ask for it. Nothing in it is taken from user input but the address.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface MagicLinkMessage {
  to: string;
  url: string;
  expiresInMinutes: number;
  siteName?: string;
}

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function composeMagicLinkEmail(message: MagicLinkMessage): ComposedMail {
  const site = message.siteName ?? 'Paperboy';
  const subject = `Your ${site} sign-in link`;
  const text = [
    `Hello,`,
    ``,
    `Open this link to sign in to ${site}:`,
    ``,
    message.url,
    ``,
    `The link works once and expires in ${message.expiresInMinutes} minutes.`,
    `If you did not ask to sign in, ignore this email: nobody can sign in without the link.`,
    ``,
  ].join('\n');
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1d232b;max-width:36rem">
<p>Hello,</p>
<p>Open this link to sign in to ${escapeHtml(site)}:</p>
<p><a href="${escapeHtml(message.url)}" style="display:inline-block;padding:.6rem 1rem;background:#1f5fa8;color:#ffffff;border-radius:4px;text-decoration:none">Sign in to ${escapeHtml(site)}</a></p>
<p style="font-size:.9rem;color:#555">Or paste this address into your browser:<br><span style="word-break:break-all">${escapeHtml(message.url)}</span></p>
<p style="font-size:.9rem;color:#555">The link works once and expires in ${message.expiresInMinutes} minutes. If you did not ask to sign in, ignore this email: nobody can sign in without the link.</p>
</body></html>`;
  return { subject, text, html };
}

export interface MagicLinkMailer {
  send(message: MagicLinkMessage): Promise<void>;
  close(): void;
}

/** Sends sign-in links over SMTP (nodemailer); `smtpUrl` like `smtp://user:pass@host:587`. */
export function createSmtpMagicLinkMailer(options: { smtpUrl: string; from: string }): MagicLinkMailer {
  let transport: Transporter | undefined;
  return {
    async send(message) {
      transport ??= nodemailer.createTransport(options.smtpUrl);
      const mail = composeMagicLinkEmail(message);
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // Transactional mail: out-of-office replies should not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}
