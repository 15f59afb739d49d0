import { describe, expect, it } from 'vitest';
import { classifySendFailure, retryDelayMs } from './digest-delivery.js';

describe('delivery policy', () => {
  it('classifies SMTP failures', () => {
    expect(classifySendFailure({ released: false, responseCode: 550, command: 'RCPT TO' })).toBe('bounce');
    expect(classifySendFailure({ released: true, responseCode: 554, command: 'DATA' })).toBe('bounce');
    expect(classifySendFailure({ released: false, responseCode: 451, command: 'RCPT TO' })).toBe('retry');
    expect(classifySendFailure({ released: true, responseCode: 452, command: 'DATA' })).toBe('retry');
    // Our own sender or credentials are refused: not the subscriber's fault.
    expect(classifySendFailure({ released: false, responseCode: 553, command: 'MAIL FROM' })).toBe('retry');
    expect(classifySendFailure({ released: false, responseCode: 535, command: 'AUTH PLAIN' })).toBe('retry');
    expect(classifySendFailure({ released: false, responseCode: null, command: 'CONN' })).toBe('retry');
    expect(classifySendFailure({ released: true, responseCode: null, command: null })).toBe('in_doubt');
  });

  it('backs off', () => {
    expect(retryDelayMs(1, () => 0)).toBe(60_000);
    expect(retryDelayMs(3, () => 0)).toBe(15 * 60_000);
    expect(retryDelayMs(99, () => 1)).toBe(Math.round(180 * 60_000 * 1.1));
  });
});
