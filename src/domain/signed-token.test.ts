import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from './signed-token.js';

const secret = 'a-test-secret-of-sufficient-length';
const subject = 'Q2hlY2tzdW1zQXJlRnVu';
const now = new Date('2024-06-01T00:00:00Z');

describe('signed tokens', () => {
  it('round-trips and binds the purpose', () => {
    const token = signToken(secret, 'unsubscribe', subject);
    expect(token.startsWith(`${subject}.0.`)).toBe(true); // the random subject, no expiry, then the MAC
    expect(verifyToken([secret], 'unsubscribe', token, now)).toEqual({ ok: true, subject });
    expect(verifyToken([secret], 'manage', token, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects tampering, wrong secrets and garbage', () => {
    const token = signToken(secret, 'manage', subject);
    const [s, e, m] = token.split('.');
    expect(verifyToken([secret], 'manage', `${s}X.${e}.${m}`, now).ok).toBe(false);
    expect(verifyToken([secret], 'manage', `${s}.${e}.${m!.slice(0, -1)}A`, now).ok).toBe(false);
    expect(verifyToken(['another-secret-entirely'], 'manage', token, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyToken([secret], 'manage', 'nope', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken([secret], 'manage', '../../etc.0.passwd', now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('expires when asked to, and verifies with a rotated-out secret', () => {
    const token = signToken(secret, 'confirm', subject, { expiresAt: new Date('2024-06-08T00:00:00Z') });
    expect(verifyToken(['new-secret-after-rotation', secret], 'confirm', token, now).ok).toBe(true);
    expect(verifyToken([secret], 'confirm', token, new Date('2024-06-08T00:00:01Z'))).toEqual({ ok: false, reason: 'expired' });
  });
});
