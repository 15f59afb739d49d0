/** Ordered list of forward-only migrations; names sort in the order they must run. */
import type { Migration } from 'kysely';
import * as m001 from './001-papers.js';

export const migrations: Record<string, Migration> = {
  '001-papers': m001,
};
