/**
 * The HTML shell every page shares: landmarks (header with navigation and search, main,
 * footer), a skip link, the stylesheet, and optional extra head elements (meta tags, feeds).
 * Member pages use it too, so the whole site looks like one thing.
 */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { SITE_CSS } from './styles.js';

export interface LayoutProps {
  title: string;
  children: Child;
  /** Extra elements for <head>: meta tags, alternate links. */
  head?: Child;
  description?: string;
  /** Prefills the search box (the search page). */
  query?: string;
  /** Scripts this page enhances itself with (same-origin paths). */
  scripts?: string[];
  /** The account links (sign in, or the member's pages), shown in the header row. */
  account?: Child;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href="data:," />
        <link rel="alternate" type="application/atom+xml" title="Paperboy daily papers (Atom)" href="/feeds/daily.atom" />
        <link rel="alternate" type="application/rss+xml" title="Paperboy daily papers (RSS)" href="/feeds/daily.rss" />
        <link rel="search" type="application/opensearchdescription+xml" title="Paperboy" href="/opensearch.xml" />
        {props.head ?? null}
        <style>{raw(SITE_CSS)}</style>
      </head>
      <body>
        <a href="#main" class="skip">
          Skip to content
        </a>
        <header class="site-header">
          <a href="/" class="brand">
            Paperboy
          </a>
          <nav class="site-nav" aria-label="Main">
            <a href="/">Daily papers</a>
            <a href="/search">Search</a>
            <a href="/api/openapi.json">API</a>
          </nav>
          <form class="site-search" role="search" method="get" action="/search" data-suggest>
            <label for="site-q" class="visually-hidden">
              Search papers
            </label>
            <input id="site-q" type="search" role="combobox" name="q" value={props.query ?? ''} placeholder="Search papers" maxlength={250} autocomplete="off" aria-autocomplete="list" aria-controls="site-q-suggestions" aria-expanded="false" />
            <button type="submit">Search</button>
            <ul id="site-q-suggestions" class="suggestions" role="listbox" aria-label="Suggestions" hidden></ul>
          </form>
          {props.account ?? null}
        </header>
        <main id="main">{props.children}</main>
        <footer class="site-footer meta">
          Metadata from arXiv; thank you to arXiv for use of its open access interoperability. Paperboy is self-hosted. <a href="/feeds/daily.atom">Atom</a> · <a href="/feeds/daily.rss">RSS</a> · <a href="/api/openapi.json">API</a>
        </footer>
        <script src="/assets/search.js" defer></script>
        {(props.scripts ?? []).map((s) => (
          <script src={s} defer></script>
        ))}
      </body>
    </html>
  );
}
