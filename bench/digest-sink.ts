/**
 * The benchmark's SMTP server, in its own process so it does not share an event loop (or a
 * core) with the sender being measured. Counts messages and bytes; answers `stats` over IPC.
 */
import { startSmtpSink } from '../src/mail/testing/smtp-sink.js';

const sink = await startSmtpSink({ keepMessages: false });
process.send?.({ port: sink.port });
process.on('message', (message) => {
  if (message === 'stats') process.send?.({ count: sink.count(), bytes: sink.bytes() });
  if (message === 'close') void sink.close().then(() => process.exit(0));
});
