import { describe, expect, it } from 'vitest';
import { RawConnectionTap } from './raw-connection-tap.js';

const session = [
  'EHLO client\r\n',
  'MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n',
  'Subject: one\r\n\r\n..leading dot\r\nline\r\n.\r\n',
  'MAIL FROM:<a@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n',
  '.\r\n',
  'MAIL FROM:<a@example.org>\r\nRCPT TO:<d@example.org>\r\nDATA\r\nSubject: three\r\n\r\nnot finished',
].join('');

describe('RawConnectionTap', () => {
  it('counts end-of-data markers however the bytes are split, and returns each finished message unstuffed', () => {
    for (const size of [1, 2, 3, 5, 7, 64, session.length]) {
      const tap = new RawConnectionTap(true);
      for (let i = 0; i < session.length; i += size) tap.push(Buffer.from(session.slice(i, i + size), 'latin1'));
      expect(tap.markers, `chunks of ${size}`).toBe(2);
      expect(tap.message(1)?.toString('latin1')).toBe('Subject: one\r\n\r\n.leading dot\r\nline\r\n');
      expect(tap.message(2)?.toString('latin1')).toBe('');
      // The third transaction never got its end-of-data.
      expect(tap.message(3)).toBeNull();
    }
  });

  it('only counts when the bytes are not kept', () => {
    const tap = new RawConnectionTap(false);
    tap.push(Buffer.from(session, 'latin1'));
    expect(tap.markers).toBe(2);
    expect(tap.message(1)).toBeNull();
  });
});
