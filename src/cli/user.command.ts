/**
 * `paperboy user create [--admin] EMAIL`: creates a member (or promotes an existing one to admin)
 * and prints a one-time sign-in link for them.
 */
import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

export function registerUserCommand(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('Manage members.');
  user
    .command('create')
    .description('Create a member and print a one-time sign-in link for them; --admin makes them a moderator (an existing member is promoted).')
    .argument('<email>', 'email address the member signs in with')
    .option('--admin', 'give the member the admin (moderator) role', false)
    .option('--name <displayName>', 'display name for a new member')
    .action(async (email: string, opts: { admin: boolean; name?: string }) => {
      const app = await ctx.openApp();
      const result = await app.services.members.createMember({ email, admin: opts.admin, ...(opts.name ? { displayName: opts.name } : {}) });
      const role = result.user.role === 'admin' ? 'admin' : 'member';
      const what = result.created ? 'created' : result.promoted ? 'promoted to admin' : 'already exists';
      ctx.stdout.write(`${result.user.email}: ${what} (${role}, @${result.user.handle}).\n`);
      // A link to sign in with right away: on a fresh install without SMTP nobody could mail one.
      const link = await app.services.members.issueSignInLink(result.user.email);
      ctx.stdout.write(`One-time sign-in link (works once, for ${link.expiresInMinutes} minutes; give it only to ${result.user.email}):\n  ${link.url}\n`);
      if (app.services.mailOutbox.delivery === 'outbox') ctx.stdout.write(`This server sends no mail (SMTP_URL is not set): later sign-in links are in the outbox, \`paperboy mail outbox\`.\n`);
    });
}
