/**
 * Papers and what ingestion needs: versions, authors, categories, the change sequence the
 * search index follows, and the harvest checkpoint. Timestamps are ISO 8601 text on both
 * dialects so ordering and comparison behave the same everywhere.
 */
import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('papers'))
    .addColumn('arxiv_id', 'text', (c) => c.notNull().unique())
    .addColumn('latest_version', 'integer')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('abstract', 'text', (c) => c.notNull())
    .addColumn('authors_json', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('primary_category', 'text')
    .addColumn('published_at', 'text')
    .addColumn('source_updated_at', 'text')
    .addColumn('doi', 'text')
    .addColumn('journal_ref', 'text')
    .addColumn('comments', 'text')
    .addColumn('license', 'text')
    .addColumn('report_no', 'text')
    .addColumn('msc_class', 'text')
    .addColumn('acm_class', 'text')
    .addColumn('submitter', 'text')
    .addColumn('code_url', 'text')
    .addColumn('datestamp', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('change_seq', 'bigint', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('papers_change_seq_idx').on('papers').column('change_seq').execute();
  await db.schema.createIndex('papers_published_at_idx').on('papers').column('published_at').execute();

  await db.schema
    .createTable('paper_versions')
    .addColumn('paper_id', 'bigint', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('size', 'text')
    .addColumn('source_type', 'text')
    .addPrimaryKeyConstraint('paper_versions_pk', ['paper_id', 'version'])
    .execute();

  await db.schema
    .createTable('paper_authors')
    .addColumn('paper_id', 'bigint', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('keyname', 'text')
    .addColumn('forenames', 'text')
    .addColumn('suffix', 'text')
    .addColumn('affiliations', 'text')
    .addPrimaryKeyConstraint('paper_authors_pk', ['paper_id', 'position'])
    .execute();
  await db.schema.createIndex('paper_authors_name_idx').on('paper_authors').column('name').execute();

  await db.schema
    .createTable('paper_categories')
    .addColumn('paper_id', 'bigint', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_categories_pk', ['paper_id', 'category'])
    .execute();
  await db.schema.createIndex('paper_categories_category_idx').on('paper_categories').columns(['category', 'paper_id']).execute();

  await db.schema
    .createTable('ingest_state')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('resumption_token', 'text')
    .addColumn('from_date', 'text')
    .addColumn('last_datestamp', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('records', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A counter row rather than a native sequence: incrementing it takes a row lock held to commit,
  // so change_seq values become visible in commit order and a reader following the change log
  // (`change_seq > last_seen`) can never miss a row that commits late with a smaller number.
  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('counters').values({ name: 'paper_change_seq', value: 0 }).execute();
}
