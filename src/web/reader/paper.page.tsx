/**
 * The paper page: title and abstract with typeset math, authors, dates, versions, categories,
 * links (arXiv, PDF, DOI, code), upvotes, the way to the discussion, similar papers (labelled
 * with how they were chosen), "Cite" with BibTeX, and Highwire meta tags for reference managers.
 */
import type { Viewer } from '../../domain/member.js';
import { texPlain } from '../../domain/tex-segments.js';
import type { PaperPage as PaperPageData } from '../../services/reader/paper-page.service.js';
import { PaperCard, VoteCount } from '../components/paper-card.js';
import { MemberBar, UpvoteButton } from '../members/member-ui.js';
import { CitationMeta } from '../presenters/citation-meta.js';
import { excerpt, humanDate, paperLinks, paperPath } from '../presenters/paper.presenter.js';
import { Tex, TexParagraphs } from '../presenters/tex.presenter.js';
import { Layout } from '../layout/layout.js';

export function PaperPage(props: { data: PaperPageData; viewer: Viewer | null; upvoted: boolean; requestedVersion: number | null }) {
  const { paper, similar } = props.data;
  const links = paperLinks(paper, props.requestedVersion);
  const csrf = props.viewer?.csrfToken ?? null;
  const path = paperPath(paper.arxivId);
  const bibPath = `${path}.bib`;
  return (
    <Layout
      account={<MemberBar viewer={props.viewer} csrf={csrf} currentPath={path} />}
      title={`${texPlain(paper.title)} · Paperboy`}
      description={excerpt(paper, 300)}
      head={
        <>
          <link rel="canonical" href={path} />
          <CitationMeta paper={paper} />
        </>
      }
    >
      <article aria-labelledby="paper-title">
        <p class="meta">
          arXiv:{paper.arxivId}
          {props.requestedVersion ? `v${props.requestedVersion}` : ''} · {paper.primaryCategory ?? paper.categories[0] ?? 'uncategorised'}
        </p>
        <h1 id="paper-title">
          <Tex tex={paper.title} />
        </h1>
        {/* Each author links to a search for their name (until authors have pages of their own). */}
        <p class="authors">
          {paper.authors.length === 0
            ? 'Unknown authors'
            : paper.authors.map((a, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`/search?q=${encodeURIComponent(`"${a.name}"`)}&expand=0`}>{a.name}</a>
                </>
              ))}
        </p>
        <div class="links">
          {csrf ? <UpvoteButton arxivId={paper.arxivId} upvotes={props.data.upvotes} upvoted={props.upvoted} csrf={csrf} /> : <VoteCount arxivId={paper.arxivId} upvotes={props.data.upvotes} />}
          <a class="button secondary" href={links.abs} rel="noopener">
            arXiv page
          </a>
          <a class="button secondary" href={links.pdf} rel="noopener">
            PDF
          </a>
          {links.doi ? (
            <a class="button secondary" href={links.doi} rel="noopener">
              DOI
            </a>
          ) : null}
          {links.code ? (
            <a class="button secondary" href={links.code} rel="nofollow noopener">
              Code
            </a>
          ) : null}
          {links.project ? (
            <a class="button secondary" href={links.project} rel="nofollow noopener">
              Project page
            </a>
          ) : null}
          <a class="button secondary" href={`/discuss/${paper.arxivId}`}>
            Discussion ({props.data.comments})
          </a>
        </div>
        <section aria-labelledby="abstract-heading">
          <h2 id="abstract-heading">Abstract</h2>
          <div class="abstract">
            <TexParagraphs tex={paper.abstract} />
          </div>
        </section>
        <dl class="paper-meta">
          <dt>Published</dt>
          <dd>
            <time datetime={paper.publishedAt ?? undefined}>{humanDate(paper.publishedAt)}</time>
          </dd>
          {paper.updatedAt && paper.updatedAt !== paper.publishedAt ? (
            <>
              <dt>Updated</dt>
              <dd>
                <time datetime={paper.updatedAt}>{humanDate(paper.updatedAt)}</time>
              </dd>
            </>
          ) : null}
          <dt>Versions</dt>
          <dd>
            {paper.versions.length === 0
              ? paper.latestVersion
                ? `v${paper.latestVersion}`
                : 'unknown'
              : paper.versions.map((v, i) => (
                  <>
                    {i > 0 ? ', ' : ''}
                    <a href={paperLinks(paper, v.version).abs} aria-current={props.requestedVersion === v.version ? 'true' : undefined}>
                      v{v.version}
                    </a>
                    {v.submittedAt ? ` (${humanDate(v.submittedAt)})` : ''}
                  </>
                ))}
          </dd>
          <dt>Categories</dt>
          <dd>{paper.categories.join(', ') || '—'}</dd>
          {paper.comments ? (
            <>
              <dt>Comments</dt>
              <dd>{paper.comments}</dd>
            </>
          ) : null}
          {paper.journalRef ? (
            <>
              <dt>Journal ref</dt>
              <dd>{paper.journalRef}</dd>
            </>
          ) : null}
          {paper.doi ? (
            <>
              <dt>DOI</dt>
              <dd>{paper.doi}</dd>
            </>
          ) : null}
          {props.data.entry ? (
            <>
              <dt>On the feed</dt>
              <dd>
                <a href={`/date/${props.data.entry.day}`}>{humanDate(props.data.entry.day)}</a>
                {props.data.entry.submitter ? ` by @${props.data.entry.submitter.handle}` : ''}
              </dd>
            </>
          ) : null}
        </dl>
        <details>
          <summary>Cite</summary>
          <pre class="bibtex" aria-label="BibTeX entry">{props.data.bibtex}</pre>
          <p>
            <a href={bibPath} download>
              Download BibTeX
            </a>
          </p>
        </details>
      </article>
      <section aria-labelledby="similar-heading">
        <h2 id="similar-heading">{similar.basis === 'content' ? 'Similar papers' : 'More from the same category'}</h2>
        <p class="meta">
          {similar.basis === 'content'
            ? 'Nearest papers by content.'
            : `Recent papers in ${similar.category ?? 'this category'} published up to this one; content-based similar papers arrive with the search engine.`}
        </p>
        {similar.papers.length === 0 ? (
          <p>None found.</p>
        ) : (
          <ul class="cards">
            {similar.papers.map((p) => (
              <PaperCard paper={p} csrf={null} headingLevel={3} />
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
