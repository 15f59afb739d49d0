/** The plain feed of recent papers (the full daily feed UI is built on top of it later). */
import type { Paper } from '../../domain/paper.js';
import { Layout } from './layout.js';

function authorLine(paper: Paper): string {
  const names = paper.authors.map((a) => a.name);
  return names.length > 4 ? `${names.slice(0, 3).join(', ')} et al.` : names.join(', ');
}

export function FeedPage(props: { papers: Paper[]; page: number; hasNext: boolean }) {
  return (
    <Layout title="Paperboy · recent papers">
      <h1>Recent papers</h1>
      {props.papers.length === 0 ? <p>No papers yet. Import some with <code>paperboy import FILE</code>.</p> : null}
      {props.papers.map((p) => (
        <article>
          <h2>
            <a href={`https://arxiv.org/abs/${p.arxivId}`}>{p.title.replace(/\s+/g, ' ')}</a>
          </h2>
          <p class="meta">
            {authorLine(p)} · {p.categories.join(', ')} · {p.publishedAt ?? 'undated'} · arXiv:{p.arxivId}
          </p>
        </article>
      ))}
      <nav aria-label="Pages">
        {props.page > 0 ? <a href={`/?page=${props.page - 1}`}>Newer</a> : null} {props.hasNext ? <a href={`/?page=${props.page + 1}`}>Older</a> : null}
      </nav>
    </Layout>
  );
}
