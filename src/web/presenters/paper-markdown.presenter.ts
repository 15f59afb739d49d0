/**
 * A paper as Markdown, for `GET /papers/{id}.md` (the address `huggingface_hub`'s `read_paper`
 * and `hf papers read` fetch) and for `Accept: text/markdown` on the paper page: title, authors,
 * dates, categories, links, abstract, and the discussion with replies nested as block quotes.
 * Titles and abstracts go through the one TeX converter; comments are Markdown already and are
 * quoted as their authors wrote them.
 */
import type { CommentNode } from '../../domain/comment.js';
import type { CommentThread } from '../../services/members/comment.service.js';
import type { PaperPage } from '../../services/reader/paper-page.service.js';
import { texToText } from '../../domain/tex-to-text.js';

function day(iso: string | null): string | null {
  return iso ? iso.slice(0, 10) : null;
}

/** One comment and its replies; depth d is quoted d + 1 times so the thread keeps its shape. */
function commentLines(node: CommentNode, depth: number): string[] {
  const quote = `${'> '.repeat(depth + 1)}`;
  const c = node.comment;
  const removed = c.deletedAt !== null || c.hiddenAt !== null;
  const head = removed ? `${quote}*[removed]*` : `${quote}**${c.author.displayName}** (@${c.author.handle}), ${day(c.createdAt)}${c.editedAt ? ' (edited)' : ''}:`;
  const body = removed ? [] : [quote.trimEnd(), ...c.body.split('\n').map((line) => `${quote}${line}`.trimEnd())];
  return [head, ...body, '', ...node.replies.flatMap((r) => commentLines(r, depth + 1))];
}

export function paperMarkdown(page: PaperPage, thread: CommentThread): string {
  const p = page.paper;
  const id = p.arxivId;
  const version = p.latestVersion ? `v${p.latestVersion}` : null;
  const lines: string[] = [`# ${texToText(p.title)}`, ''];
  if (p.authors.length > 0) lines.push(`**Authors:** ${p.authors.map((a) => a.name).join(', ')}`, '');
  const dates = [`**arXiv:** ${id}${version ? ` (${version})` : ''}`, day(p.publishedAt) && `**Published:** ${day(p.publishedAt)}`, day(p.updatedAt) && day(p.updatedAt) !== day(p.publishedAt) && `**Updated:** ${day(p.updatedAt)}`].filter(Boolean);
  lines.push(dates.join(' · '), '');
  if (p.categories.length > 0) lines.push(`**Categories:** ${p.categories.map((c) => (c === p.primaryCategory ? `${c} (primary)` : c)).join(', ')}`, '');
  const links = [`[Abstract](https://arxiv.org/abs/${id})`, `[PDF](https://arxiv.org/pdf/${id})`, p.doi && `[DOI](https://doi.org/${p.doi})`, p.codeUrl && `[Code](${p.codeUrl})`, p.projectUrl && `[Project page](${p.projectUrl})`].filter(Boolean);
  lines.push(`**Links:** ${links.join(' · ')}`, '');
  if (p.journalRef) lines.push(`**Journal reference:** ${p.journalRef}`, '');
  lines.push(`**Upvotes:** ${page.upvotes} · **Comments:** ${thread.count}`, '');
  lines.push('## Abstract', '', texToText(p.abstract), '');
  lines.push(`## Discussion (${thread.count})`, '');
  if (thread.nodes.length === 0) lines.push('No comments yet.', '');
  else for (const node of thread.nodes) lines.push(...commentLines(node, 0));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
