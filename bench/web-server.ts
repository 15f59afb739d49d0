/**
 * Child process of the web benchmark: starts the reader server (fresh SQLite, the 30,538
 * recorded cs papers imported) and prints one JSON line `{ "baseUrl", "papers" }` when ready,
 * so the load generator runs in another process and the two do not share an event loop.
 */
import { startReaderServer } from '../e2e/reader.server.js';

const server = await startReaderServer({ ...(process.env.PAPERBOY_SHARED_DATA ? { sharedDataDir: process.env.PAPERBOY_SHARED_DATA } : {}) });
process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl, papers: server.papers })}\n`);
const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
