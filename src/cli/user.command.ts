/** `paperboy user create [--admin] EMAIL`: creates a member (or promotes an existing one to admin). */
import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

export function registerUserCommand(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('Manage members.');
  user
    .command('create')
    .description('Create a member who can then sign in with a link sent to EMAIL; --admin makes them a moderator (an existing member is promoted).')
    .argument('<email>', 'email address the member signs in with')
    .option('--admin', 'give the member the admin (moderator) role', false)
    .option('--name <displayName>', 'display name for a new member')
    .action(async (email: string, opts: { admin: boolean; name?: string }) => {
      const app = await ctx.openApp();
      const result = await app.services.members.createMember({ email, admin: opts.admin, ...(opts.name ? { displayName: opts.name } : {}) });
      const role = result.user.role === 'admin' ? 'admin' : 'member';
      const what = result.created ? 'created' : result.promoted ? 'promoted to admin' : 'already exists';
      ctx.stdout.write(`${result.user.email}: ${what} (${role}, @${result.user.handle}). Sign in at ${app.config.publicUrl}/signin\n`);
    });
}
