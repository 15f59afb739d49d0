/**
 * Highwire Press `citation_*` meta tags, the ones Zotero, Mendeley and Google Scholar read to
 * save a paper from its page: title, one tag per author, dates as YYYY/MM/DD, arXiv id, PDF,
 * DOI and journal reference when known.
 */
import type { FeedPaper } from '../../services/reader/feed.types.js';
import { texPlain } from '../../domain/tex-segments.js';
import { paperLinks } from './paper.presenter.js';

function slashDate(iso: string | null): string | null {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10).replace(/-/g, '/') : null;
}

export function citationMeta(paper: FeedPaper): [string, string][] {
  const links = paperLinks(paper);
  const tags: [string, string][] = [['citation_title', texPlain(paper.title)]];
  for (const a of paper.authors) tags.push(['citation_author', a.keyname && a.forenames ? `${a.keyname}, ${a.forenames}` : a.name]);
  const date = slashDate(paper.publishedAt);
  if (date) {
    tags.push(['citation_date', date]);
    tags.push(['citation_online_date', date]);
    tags.push(['citation_publication_date', date]);
  }
  tags.push(['citation_arxiv_id', paper.arxivId]);
  tags.push(['citation_pdf_url', links.pdf]);
  tags.push(['citation_abstract_html_url', links.abs]);
  if (paper.doi) tags.push(['citation_doi', paper.doi]);
  if (paper.journalRef) tags.push(['citation_journal_title', paper.journalRef]);
  tags.push(['citation_abstract', texPlain(paper.abstract)]);
  return tags;
}

export function CitationMeta(props: { paper: FeedPaper }) {
  return (
    <>
      {citationMeta(props.paper).map(([name, content]) => (
        <meta name={name} content={content} />
      ))}
    </>
  );
}
