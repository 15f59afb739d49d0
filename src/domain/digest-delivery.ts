/**
 * The delivery ledger's vocabulary: one delivery per (subscription, period), its states, and the
 * retry policy. How the states make sending exactly-once-observable is explained where they are
 * used (services/digest-sender.service.ts).
 */

export type DeliveryKind = 'digest' | 'confirm';

/**
 * pending  -> queued, may be claimed once `notBefore` has passed
 * sending  -> claimed under a lease; SMTP may be talking, but end-of-data has not been released
 *             as far as this ledger knows. After a process crash no commit is lost, so the row is
 *             sent again. After a power loss, a row whose release intent was recorded under an
 *             earlier boot is in doubt (its hand-off commit, written without a wait for fsync,
 *             may be what was lost) and is not resent: a missed digest rather than a double one
 * sent     -> end-of-data was released after this state was committed; `acceptedAt` is set when
 *             the server's 250 was read, `inDoubt` when the sender died before reading it
 * skipped | failed | bounced -> final
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed' | 'bounced';

export interface Delivery {
  id: number;
  subscriptionId: number;
  kind: DeliveryKind;
  periodKey: string;
  status: DeliveryStatus;
  attempts: number;
  notBefore: string;
  messageId: string | null;
  createdAt: string;
  handedOffAt: string | null;
  acceptedAt: string | null;
  inDoubt: boolean;
  smtpResponse: string | null;
  lastError: string | null;
  skipReason: string | null;
}

export interface DigestRun {
  id: number;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  enqueued: number;
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
  bounced: number;
  recovered: number;
  inDoubt: number;
  error: string | null;
}

/** Backoff for transient failures: 1, 5, 15, 60, 180 minutes, with up to 10% jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const steps = [1, 5, 15, 60, 180];
  const minutes = steps[Math.min(Math.max(attempts, 1), steps.length) - 1]!;
  return Math.round(minutes * 60_000 * (1 + 0.1 * random()));
}

/** The confirmation mail's ledger key; a new request gets a new key. */
export function confirmPeriodKey(requestedAt: string): string {
  return `confirm:${requestedAt}`;
}

/**
 * What to do after a failed send:
 * - `bounce`: the server refused the recipient or the message permanently (5xx on RCPT TO or
 *   on end-of-data); the address stops receiving mail.
 * - `retry`: a temporary refusal (4xx), or a 5xx that is about us rather than the recipient
 *   (MAIL FROM, AUTH: a configuration problem that must not mark every subscriber bouncing), or
 *   a connection failure before end-of-data was released (the server has nothing).
 * - `in_doubt`: the connection failed after end-of-data was released; the server most likely has
 *   the message, so it counts as sent and is never sent again.
 */
export function classifySendFailure(f: { released: boolean; responseCode: number | null; command: string | null }): 'bounce' | 'retry' | 'in_doubt' {
  if (f.responseCode !== null) {
    return f.responseCode >= 500 && (f.command === 'RCPT TO' || f.command === 'DATA') ? 'bounce' : 'retry';
  }
  return f.released ? 'in_doubt' : 'retry';
}
