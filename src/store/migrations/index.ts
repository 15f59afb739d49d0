/** Ordered list of forward-only migrations; names sort in the order they must run. */
import type { Migration } from 'kysely';
import * as m001 from './001-papers.js';
import * as m010 from './010-members.js';
import * as m020 from './020-digests.js';
import * as m020b from './020-digests-partial-indexes.js';
import * as m030 from './030-digest-weekday-for-you.js';
import * as m040 from './040-job-leases.js';
import * as m050 from './050-paper-links.js';
import * as m060 from './060-api-tokens.js';
import * as m070 from './070-mail-outbox.js';

export const migrations: Record<string, Migration> = {
  '001-papers': m001,
  '010-members': m010,
  '020-digests': m020,
  '020-digests-partial-indexes': m020b,
  '030-digest-weekday-for-you': m030,
  '040-job-leases': m040,
  '050-paper-links': m050,
  '060-api-tokens': m060,
  '070-mail-outbox': m070,
};
