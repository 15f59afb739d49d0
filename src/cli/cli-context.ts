/**
 * What every CLI command receives from the composition root: a lazily built application
 * (config, database, services) and the output streams. Commands never open the database
 * or read the environment themselves.
 */
import type { Writable } from 'node:stream';
import type { App } from '../app.js';
import type { Config } from '../config/config.js';

export interface CliContext {
  /** Builds the application once (config -> db -> services) and returns it. */
  openApp(overrides?: { port?: number }): Promise<App>;
  /** The checked settings, without opening the database (for commands that must not hold it, like restore). */
  config(): Config;
  /** Path of the shared data folder (../shared/data by default), for eval and bench commands. */
  sharedDataDir(): string;
  stdout: Writable;
  stderr: Writable;
}
