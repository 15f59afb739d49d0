/** The HTML shell every page shares: landmarks, a skip link and the stylesheet. */
import type { Child } from 'hono/jsx';

export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <style>{`body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;color:#1d232b;background:#fbfbf9}
a{color:#1f5fa8}header,footer{padding:.5rem 0}article{border-bottom:1px solid #ddd;padding:.75rem 0}
.meta{color:#555;font-size:.9rem}@media (prefers-color-scheme:dark){body{background:#15181c;color:#e6e6e6}a{color:#8fbdf2}.meta{color:#aaa}article{border-color:#333}}`}</style>
      </head>
      <body>
        <a href="#main" class="skip">Skip to content</a>
        <header>
          <strong>
            <a href="/">Paperboy</a>
          </strong>{' '}
          — daily papers for your field
        </header>
        <main id="main">{props.children}</main>
        <footer class="meta">Metadata from arXiv. Paperboy is self-hosted.</footer>
      </body>
    </html>
  );
}
