/**
 * `paperboy mail outbox [--to EMAIL] [--limit N] [--show ID]`: what Paperboy would have mailed
 * when no SMTP server is set (sign-in links, digest confirmations, digests), newest first.
 */
import type { Command } from 'commander';
import { ValidationError } from '../domain/errors.js';
import type { CliContext } from './cli-context.js';

export function registerMailCommand(program: Command, ctx: CliContext): void {
  const mail = program.command('mail').description('Mail that Paperboy sends.');
  mail
    .command('outbox')
    .description('List the local outbox (mail kept instead of sent while SMTP_URL is not set), newest first; --show prints one mail.')
    .option('--to <email>', 'only mail to this address')
    .option('--limit <n>', 'how many to list', '20')
    .option('--show <id>', 'print this mail in full')
    .action(async (opts: { to?: string; limit: string; show?: string }) => {
      const app = await ctx.openApp();
      const outbox = app.services.mailOutbox;
      if (opts.show !== undefined) {
        const m = await outbox.get(Number(opts.show));
        ctx.stdout.write(`#${m.id} ${m.createdAt} (${m.kind})\nTo: ${m.recipient}\nSubject: ${m.subject}\n\n${m.text}\n`);
        return;
      }
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ValidationError('--limit must be an integer from 1 to 1000.', { field: 'limit' });
      const mails = await outbox.list({ limit, ...(opts.to ? { recipient: opts.to } : {}) });
      if (outbox.delivery === 'smtp') ctx.stdout.write('SMTP_URL is set: mail is sent, not kept. Older outbox mail follows.\n');
      if (mails.length === 0) {
        ctx.stdout.write('The outbox is empty.\n');
        return;
      }
      for (const m of mails) {
        // The links in each mail, so a sign-in link can be passed on without opening the mail.
        const links = [...new Set(m.text.match(/https?:\/\/[^\s<>"]+/g) ?? [])].filter((u) => /\/signin\/verify|\/digest\/confirm/.test(u));
        ctx.stdout.write(`#${m.id}  ${m.createdAt}  ${m.kind}  to ${m.recipient}  "${m.subject}"\n${links.map((u) => `    ${u}\n`).join('')}`);
      }
      ctx.stdout.write('`paperboy mail outbox --show ID` prints a mail in full.\n');
    });
}
