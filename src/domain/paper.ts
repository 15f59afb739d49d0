/**
 * The paper as Paperboy understands it, independent of where it came from (OAI-PMH, the
 * arXiv API, RSS, a snapshot file). Titles and abstracts keep their raw TeX; rendering is
 * a presentation concern.
 */
export interface PaperAuthor {
  /** Display name, e.g. "Ileana Streinu". */
  name: string;
  keyname?: string | null;
  forenames?: string | null;
  suffix?: string | null;
  affiliations?: string[];
}

export interface PaperVersion {
  /** 1-based version number (v1, v2, ...). */
  version: number;
  /** ISO 8601 timestamp of the version's submission, when the source gives one. */
  submittedAt: string | null;
  size?: string | null;
  sourceType?: string | null;
}

export interface PaperRecord {
  /** arXiv id without version: `0704.0002`, `2401.12345`, `math/0611918`. */
  arxivId: string;
  /** Highest version the source knows about, or null when it does not say. */
  latestVersion: number | null;
  title: string;
  abstract: string;
  authors: PaperAuthor[];
  /** Categories in source order; the first is the primary one. */
  categories: string[];
  primaryCategory: string | null;
  /** First publication (v1 / `created`), ISO date or timestamp. */
  publishedAt: string | null;
  /** Last update as the source reports it, ISO date or timestamp. */
  updatedAt: string | null;
  doi: string | null;
  journalRef: string | null;
  comments: string | null;
  license: string | null;
  reportNo: string | null;
  mscClass: string | null;
  acmClass: string | null;
  submitter: string | null;
  versions: PaperVersion[];
}

/** One item a source yields: a paper, or the tombstone of a deleted record. */
export type IngestItem =
  | { kind: 'paper'; paper: PaperRecord; datestamp: string | null }
  | { kind: 'deleted'; arxivId: string; datestamp: string | null };

/** Stored paper as read back from the database. */
export interface Paper extends PaperRecord {
  /** The paper's code repository, found in its text (domain/paper-links.ts) or set by a member. */
  codeUrl?: string | null;
  /** The project's web page, found the same way or set by a member. */
  projectUrl?: string | null;
  /** True when a member set the links (a re-import then keeps them). */
  linksSetByMember?: boolean;
  changeSeq: number;
  deleted: boolean;
  firstSeenAt: string;
  modifiedAt: string;
}

/** Helper for sources: a record with every optional field empty. */
export function emptyPaperRecord(arxivId: string): PaperRecord {
  return {
    arxivId,
    latestVersion: null,
    title: '',
    abstract: '',
    authors: [],
    categories: [],
    primaryCategory: null,
    publishedAt: null,
    updatedAt: null,
    doi: null,
    journalRef: null,
    comments: null,
    license: null,
    reportNo: null,
    mscClass: null,
    acmClass: null,
    submitter: null,
    versions: [],
  };
}
