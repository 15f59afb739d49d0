/**
 * Atom 1.0 (RFC 4287) and RSS 2.0 documents for lists of papers. Text is escaped and stripped
 * of characters XML 1.0 forbids; titles and summaries are plain Unicode (TeX rendered), so feed
 * readers need no MathJax. Entry ids are the paper page URLs, stable across requests.
 */
import { texPlain } from '../../domain/tex-segments.js';
import type { FeedPaper } from '../../services/reader/feed.types.js';
import { isoInstant } from '../presenters/paper.presenter.js';

export interface FeedDocument {
  title: string;
  /** Page a reader would open for the same list. */
  htmlUrl: string;
  /** This feed's own URL. */
  selfUrl: string;
  description: string;
  /** Absolute origin for paper links, e.g. `https://papers.example.org`. */
  baseUrl: string;
  papers: FeedPaper[];
}

// XML 1.0 allows tab, LF, CR and U+0020 upwards except surrogates and U+FFFE/U+FFFF.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

function paperUrl(baseUrl: string, p: FeedPaper): string {
  return `${baseUrl}/papers/${p.arxivId}`;
}

function updatedOf(p: FeedPaper): string {
  return isoInstant(p.updatedAt) ?? isoInstant(p.publishedAt) ?? isoInstant(p.modifiedAt) ?? new Date(0).toISOString();
}

function feedUpdated(papers: FeedPaper[]): string {
  return papers.map(updatedOf).sort().pop() ?? new Date(0).toISOString();
}

export function atomFeed(doc: FeedDocument): string {
  const entries = doc.papers.map((p) => {
    const url = paperUrl(doc.baseUrl, p);
    const published = isoInstant(p.publishedAt);
    return [
      '  <entry>',
      `    <title type="text">${xmlText(texPlain(p.title))}</title>`,
      `    <id>${xmlText(url)}</id>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(url)}"/>`,
      `    <link rel="related" type="application/pdf" href="https://arxiv.org/pdf/${xmlText(p.arxivId)}"/>`,
      `    <updated>${updatedOf(p)}</updated>`,
      published ? `    <published>${published}</published>` : '',
      ...(p.authors.length > 0 ? p.authors : [{ name: 'Unknown' }]).map((a) => `    <author><name>${xmlText(a.name)}</name></author>`),
      ...p.categories.map((c) => `    <category term="${xmlText(c)}"/>`),
      `    <summary type="text">${xmlText(texPlain(p.abstract))}</summary>`,
      '  </entry>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title type="text">${xmlText(doc.title)}</title>`,
    `  <subtitle type="text">${xmlText(doc.description)}</subtitle>`,
    `  <id>${xmlText(doc.selfUrl)}</id>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(doc.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(doc.htmlUrl)}"/>`,
    `  <updated>${feedUpdated(doc.papers)}</updated>`,
    '  <author><name>Paperboy</name></author>',
    '  <generator>Paperboy</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

function rssBuildDate(papers: readonly FeedPaper[]): string {
  return papers.map((p) => isoInstant(p.publishedAt) ?? updatedOf(p)).sort().pop() ?? new Date(0).toISOString();
}

export function rssFeed(doc: FeedDocument): string {
  const items = doc.papers.map((p) => {
    const url = paperUrl(doc.baseUrl, p);
    const published = isoInstant(p.publishedAt);
    return [
      '    <item>',
      `      <title>${xmlText(texPlain(p.title))}</title>`,
      `      <link>${xmlText(url)}</link>`,
      `      <guid isPermaLink="true">${xmlText(url)}</guid>`,
      published ? `      <pubDate>${new Date(published).toUTCString()}</pubDate>` : '',
      `      <dc:creator>${xmlText(p.authors.map((a) => a.name).join(', ') || 'Unknown')}</dc:creator>`,
      ...p.categories.map((c) => `      <category>${xmlText(c)}</category>`),
      `      <description>${xmlText(texPlain(p.abstract))}</description>`,
      '    </item>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${xmlText(doc.title)}</title>`,
    `    <link>${xmlText(doc.htmlUrl)}</link>`,
    `    <description>${xmlText(doc.description)}</description>`,
    '    <language>en</language>',
    // The newest item's date: RSS items carry their publication date, and a channel built later
    // than all of them (from a later arXiv version's date) reads as a mistake to feed readers.
    `    <lastBuildDate>${new Date(rssBuildDate(doc.papers)).toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${xmlText(doc.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    '    <generator>Paperboy</generator>',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
