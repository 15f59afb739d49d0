/**
 * Digest jobs for `serve`: `send_digests` runs on a cron schedule (croner, every five minutes by
 * default) and enqueues one delivery per due subscription and period, then sends; a short poll
 * (and an in-process nudge when mail is queued) sends confirmations and retries in between.
 * Several instances may run these at once: claims in the ledger are atomic.
 */
import { Cron } from 'croner';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';

export const SEND_DIGESTS_JOB = 'send_digests';

export function startDigestJobs(deps: { config: Config; logger: Logger; services: Services }): () => void {
  const { config, logger } = deps;
  const digests = deps.services.digests;
  if (!config.mail.smtpUrl) {
    logger.info('digest mail is off (set SMTP_URL to send confirmations and digests)');
    return () => undefined;
  }
  const controller = new AbortController();
  let busy = false;

  const once = async (work: () => Promise<unknown>) => {
    if (busy || controller.signal.aborted) return;
    busy = true;
    try {
      await work();
    } catch (error) {
      logger.error({ err: error, job: SEND_DIGESTS_JOB }, 'digest job failed; it runs again at the next tick');
    } finally {
      busy = false;
    }
  };

  const schedule = new Cron(config.digest.schedule, { name: SEND_DIGESTS_JOB, protect: true, unref: true }, () => once(() => digests.run({ trigger: 'schedule', signal: controller.signal })));
  const sendQueued = () =>
    once(async () => {
      const s = await digests.sendQueued({ signal: controller.signal });
      if (s.sent + s.retried + s.failed + s.bounced + s.recovered > 0) logger.info({ job: SEND_DIGESTS_JOB, ...s }, 'queued mail sent');
    });
  const poll = setInterval(() => void sendQueued(), config.digest.pollSeconds * 1000);
  poll.unref();
  const unsubscribe = digests.onQueued(() => setImmediate(() => void sendQueued()));
  logger.info({ schedule: config.digest.schedule, next: schedule.nextRun()?.toISOString() }, 'digest schedule started');

  return () => {
    controller.abort();
    schedule.stop();
    clearInterval(poll);
    unsubscribe();
  };
}
