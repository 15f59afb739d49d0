/**
 * Digest jobs: `send_digests` runs on the DIGEST_SCHEDULE cron pattern (every five minutes by
 * default), once per slot across instances, and enqueues one delivery per due subscription and
 * period, then sends. `send_queued_mail` is each instance's own poll (and the nudge given when
 * mail is queued here) that sends confirmations and retries in between. Claims in the delivery
 * ledger are atomic, so senders in several instances never send a message twice.
 */
import { Cron } from 'croner';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import type { JobDefinition } from './job-runner.js';

export const SEND_DIGESTS_JOB = 'send_digests';
export const SEND_QUEUED_MAIL_JOB = 'send_queued_mail';

export function digestJobs(deps: { config: Config; logger: Logger; services: Services }): JobDefinition[] {
  const { config, logger } = deps;
  const digests = deps.services.digests;
  if (!config.mail.smtpUrl) logger.warn('SMTP_URL is not set: confirmations and digests go to the local outbox (paperboy mail outbox)');
  const next = new Cron(config.digest.schedule, { paused: true }).nextRun();
  logger.info({ schedule: config.digest.schedule, next: next?.toISOString() }, 'digest schedule started');
  return [
    {
      name: SEND_DIGESTS_JOB,
      schedule: { cron: config.digest.schedule },
      perform: (signal) => digests.run({ trigger: 'schedule', signal }),
    },
    {
      name: SEND_QUEUED_MAIL_JOB,
      scope: 'instance',
      schedule: { everyMs: config.digest.pollSeconds * 1000 },
      // A poll every few seconds in every instance: only failures are worth a line in the history.
      history: 'failures',
      wakeOn: (nudge) => digests.onQueued(nudge),
      async perform(signal) {
        const s = await digests.sendQueued({ signal });
        if (s.sent + s.retried + s.failed + s.bounced + s.recovered > 0) logger.info({ job: SEND_QUEUED_MAIL_JOB, ...s }, 'queued mail sent');
      },
    },
  ];
}
