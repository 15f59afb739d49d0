/** Row types of every table, for Kysely. `*Row` types never leave `store/`. */
import type { Generated, Insertable, Selectable } from 'kysely';
import type { MemberTables } from './user.schema.js';

export interface PapersTable {
  id: Generated<number>;
  arxiv_id: string;
  latest_version: number | null;
  title: string;
  abstract: string;
  authors_json: string;
  categories: string;
  primary_category: string | null;
  published_at: string | null;
  source_updated_at: string | null;
  doi: string | null;
  journal_ref: string | null;
  comments: string | null;
  license: string | null;
  report_no: string | null;
  msc_class: string | null;
  acm_class: string | null;
  submitter: string | null;
  code_url: string | null;
  project_url: string | null;
  /** The member edit in force (paper_link_edits.id); null while the links are the extracted ones. */
  links_edit_id: number | null;
  datestamp: string | null;
  content_hash: string;
  change_seq: number;
  deleted: number;
  first_seen_at: string;
  modified_at: string;
}

export interface PaperVersionsTable {
  paper_id: number;
  version: number;
  submitted_at: string | null;
  size: string | null;
  source_type: string | null;
}

export interface PaperAuthorsTable {
  paper_id: number;
  position: number;
  name: string;
  keyname: string | null;
  forenames: string | null;
  suffix: string | null;
  affiliations: string | null;
}

export interface PaperCategoriesTable {
  paper_id: number;
  category: string;
  position: number;
}

export interface IngestStateTable {
  source: string;
  resumption_token: string | null;
  from_date: string | null;
  last_datestamp: string | null;
  status: string;
  pages: number;
  records: number;
  last_error: string | null;
  updated_at: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface PaperLinkEditsTable {
  id: Generated<number>;
  paper_id: number;
  code_url: string | null;
  project_url: string | null;
  set_by: number | null;
  set_at: string;
  reverted_by: number | null;
  reverted_at: string | null;
}

export interface MailOutboxTable {
  id: Generated<number>;
  recipient: string;
  subject: string;
  kind: string;
  text_body: string;
  created_at: string;
}

export interface Database extends MemberTables {
  mail_outbox: MailOutboxTable;
  paper_link_edits: PaperLinkEditsTable;
  papers: PapersTable;
  paper_versions: PaperVersionsTable;
  paper_authors: PaperAuthorsTable;
  paper_categories: PaperCategoriesTable;
  ingest_state: IngestStateTable;
  counters: CountersTable;
}

export type PaperRow = Selectable<PapersTable>;
export type NewPaperRow = Insertable<PapersTable>;
