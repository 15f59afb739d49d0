/**
 * `paperboy digest preview|run|runs` and `paperboy bench digest`: look at a digest before it
 * goes out, send what is due now (the same work as the scheduled job, recorded as a run), and
 * list recent runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { DigestList } from '../domain/subscription.js';
import { ExitCode } from '../domain/exit-code.js';
import type { CliContext } from './cli-context.js';

function isoInstant(value: string): Date {
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new InvalidArgumentError(`expected an ISO 8601 time, got "${value}"`);
  return t;
}

export function registerDigestCommand(program: Command, ctx: CliContext): void {
  const digest = program.command('digest').description('Email digests: preview, send what is due, list runs.');

  digest
    .command('preview')
    .description('Render the digest a list would send on a date (to stdout, or to a file with --out).')
    .option('--list <list>', 'trending or topic', 'trending')
    .option('--query <query>', 'the saved search of a topic list')
    .option('--date <date>', 'the date the digest is sent (YYYY-MM-DD); it covers the day before', new Date().toISOString().slice(0, 10))
    .option('--frequency <frequency>', 'daily or weekly (weekly covers the ISO week before)', 'daily')
    .option('--format <format>', 'html or text', 'html')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: { list: string; query?: string; date: string; frequency: string; format: string; out?: string }) => {
      if (opts.list !== 'trending' && opts.list !== 'topic') throw new InvalidArgumentError('--list must be trending or topic');
      if (opts.list === 'topic' && !opts.query) throw new InvalidArgumentError('--list topic needs --query');
      if (opts.frequency !== 'daily' && opts.frequency !== 'weekly') throw new InvalidArgumentError('--frequency must be daily or weekly');
      if (opts.format !== 'html' && opts.format !== 'text') throw new InvalidArgumentError('--format must be html or text');
      const app = await ctx.openApp();
      const list: DigestList = opts.list === 'topic' ? { kind: 'topic', query: opts.query! } : { kind: 'trending' };
      const preview = await app.services.digests.preview({ list, date: opts.date, frequency: opts.frequency });
      if (!preview) {
        ctx.stderr.write(`No papers for this digest (nothing would be sent on ${opts.date}).\n`);
        process.exitCode = ExitCode.partial;
        return;
      }
      const body = opts.format === 'html' ? preview.html : `Subject: ${preview.subject}\n\n${preview.text}`;
      if (opts.out) {
        fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
        fs.writeFileSync(opts.out, body);
        ctx.stdout.write(`${preview.subject}\n${preview.papers} papers, published from ${preview.contentWindow.from} to before ${preview.contentWindow.toExclusive} -> ${opts.out}\n`);
      } else {
        ctx.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
      }
    });

  digest
    .command('run')
    .description('Enqueue every digest that is due and send all queued mail, then exit; prints a summary.')
    .option('--now <time>', 'act as if it were this time (ISO 8601), e.g. to catch up after an outage', isoInstant)
    .option('--no-wait', 'do not wait for deliveries another (possibly stopped) sender holds')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { now?: Date; wait: boolean; json?: boolean }) => {
      const app = await ctx.openApp();
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const summary = await app.services.digests.run({ trigger: 'cli', signal: controller.signal, waitForLeases: opts.wait, ...(opts.now ? { at: opts.now } : {}) });
        if (opts.json) ctx.stdout.write(`${JSON.stringify(summary)}\n`);
        else
          ctx.stdout.write(
            `run ${summary.runId}: enqueued ${summary.enqueued}  sent ${summary.sent}  skipped ${summary.skipped}  retried ${summary.retried}  ` +
              `failed ${summary.failed}  bounced ${summary.bounced}  recovered ${summary.recovered}  in doubt ${summary.inDoubt}${summary.stopped ? `  stopped: ${summary.stopped}` : ''}\n`,
          );
        if (controller.signal.aborted) process.exitCode = ExitCode.interrupted;
        else if (summary.stopped === 'smtp_unreachable') process.exitCode = ExitCode.unavailable;
        else if (summary.failed > 0) process.exitCode = ExitCode.partial;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });

  digest
    .command('runs')
    .description('List recent digest runs.')
    .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
    .action(async (opts: { limit: number }) => {
      const app = await ctx.openApp();
      const runs = await app.services.digests.recentRuns(opts.limit);
      ctx.stdout.write('id\tstarted\ttrigger\tenqueued\tsent\tskipped\tretried\tfailed\tbounced\trecovered\tin_doubt\tnote\n');
      for (const r of runs) {
        ctx.stdout.write(`${r.id}\t${r.startedAt}\t${r.trigger}\t${r.enqueued}\t${r.sent}\t${r.skipped}\t${r.retried}\t${r.failed}\t${r.bounced}\t${r.recovered}\t${r.inDoubt}\t${r.finishedAt ? (r.error ?? '') : 'running or interrupted'}\n`);
      }
    });

  // `paperboy bench digest`, next to the other benchmarks.
  const bench = program.commands.find((c) => c.name() === 'bench') ?? digest;
  bench
    .command('digest')
    .description('Compose and send N personalized digests to a local SMTP server vs. plain nodemailer sending the same pre-rendered messages.')
    .option('--count <n>', 'number of subscribers', (v) => Number.parseInt(v, 10), 10_000)
    .option('--connections <n>', 'pooled SMTP connections', (v) => Number.parseInt(v, 10), 4)
    .option('--repeat <n>', 'runs per database (baseline and Paperboy back to back each time)', (v) => Number.parseInt(v, 10), 1)
    .option('--postgres <url>', 'also run on this PostgreSQL database (a private schema is created and dropped)')
    .action(async (opts: { count: number; connections: number; repeat: number; postgres?: string }) => {
      const { runDigestBench } = await import('../../bench/digest.bench.js');
      await runDigestBench({ count: opts.count, connections: opts.connections, repeat: opts.repeat, ...(opts.postgres ? { postgresUrl: opts.postgres } : {}), out: ctx.stdout });
    });
}
