/**
 * Starts the real reader stack in-process for browser specs and benchmarks: a fresh SQLite
 * database in a temp directory, migrated; real arXiv records imported through
 * `services.importFiles` (the recorded OAI-PMH cs harvest, 30,538 papers for all 31 pages);
 * and the Hono web app served by @hono/node-server on a random loopback port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../src/app.js';
import { buildConfig } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { startWebServer } from '../src/web/web-server.js';

const DEFAULT_SHARED_DATA = process.env.PAPERBOY_SHARED_DATA ?? path.join(import.meta.dirname, '../../shared/data');
const HARVEST = 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09';

export interface ReaderServer {
  baseUrl: string;
  app: App;
  papers: number;
  close(): Promise<void>;
}

/** All recorded harvest pages, or the first `pages` of them. */
export function harvestPages(sharedDataDir: string, pages?: number): string[] {
  const dir = path.resolve(sharedDataDir, HARVEST);
  const files = fs.readdirSync(dir).filter((f) => /^page-\d+\.xml$/.test(f)).sort();
  return files.slice(0, pages ?? files.length).map((f) => path.join(dir, f));
}

export async function startReaderServer(options: { pages?: number; sharedDataDir?: string } = {}): Promise<ReaderServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-e2e-'));
  const file = path.join(dir, 'paperboy.db');
  const logger = createLogger('silent');
  const config = buildConfig({ database: { dialect: 'sqlite', file, url: `sqlite:${file}` }, logLevel: 'silent', port: 0 });
  const app = await createApp(config, { logger });
  const summary = await app.services.importFiles(harvestPages(options.sharedDataDir ?? DEFAULT_SHARED_DATA, options.pages));
  if (summary.failed.length > 0) throw new Error(`import failed: ${JSON.stringify(summary.failed)}`);
  const web = await startWebServer({ config: { ...config, host: '127.0.0.1', port: 0 }, services: app.services, logger });
  const server = web.server;
  return {
    baseUrl: `http://127.0.0.1:${web.port}`,
    app,
    papers: await app.services.countPapers(),
    close: async () => {
      // Keep-alive sockets from the browser would hold close() open.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
