/**
 * The one stylesheet of the reader pages: a calm, readable column, system fonts, colours that
 * pass WCAG AA contrast in light and dark (prefers-color-scheme), and a layout that holds at
 * phone width. Served inline (it is small) so a page is one request.
 */
export const SITE_CSS = `
:root{--bg:#fbfbf9;--fg:#1d232b;--muted:#50595f;--line:#dfe2e5;--card:#ffffff;--link:#1f5fa8;--accent:#1f5fa8;--mark:#fde9a6;--bar:#8fb3d9;--bar-on:#1f5fa8;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#15181c;--fg:#e6e6e6;--muted:#b0b6bd;--line:#333a42;--card:#1c2026;--link:#8fbdf2;--accent:#8fbdf2;--mark:#5c4a12;--bar:#4a6a8f;--bar-on:#8fbdf2}}
*{box-sizing:border-box}
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:54rem;margin:0 auto;padding:0 1rem 2rem;color:var(--fg);background:var(--bg)}
a{color:var(--link)}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:var(--card);padding:.25rem .5rem;z-index:2}
.site-header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem;padding:.9rem 0 .6rem;border-bottom:1px solid var(--line);margin-bottom:1rem}
.site-header .member-bar{padding:0;margin-left:auto}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--fg)}
.site-nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.95rem}
.site-search{margin-left:auto;display:flex;gap:.35rem;flex:1 1 14rem;max-width:22rem;position:relative}
input[type=search],input[type=date],select{font:inherit;padding:.35rem .5rem;border:1px solid #8a949e;border-radius:6px;background:var(--card);color:var(--fg);min-width:0}
.site-search input{flex:1}
button,.button{font:inherit;padding:.35rem .8rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--bg);cursor:pointer;text-decoration:none;display:inline-block}
.button.secondary,button.secondary{background:transparent;color:var(--link)}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
h1{font-size:1.6rem;line-height:1.25;margin:.4rem 0 .3rem}
h2{font-size:1.15rem;line-height:1.3}
.muted,.meta{color:var(--muted);font-size:.92rem}
.notice{border-left:4px solid var(--accent);padding:.5rem .75rem;background:color-mix(in srgb,var(--accent) 8%,transparent);border-radius:0 6px 6px 0}
.feed-head{display:flex;flex-wrap:wrap;align-items:flex-end;justify-content:space-between;gap:.5rem 1rem}
.period-tabs,.sort-tabs{display:flex;gap:.2rem;flex-wrap:wrap;font-size:.92rem}
.period-tabs a,.sort-tabs a{padding:.15rem .6rem;border:1px solid var(--line);border-radius:999px;text-decoration:none}
.period-tabs a[aria-current],.sort-tabs a[aria-current]{background:var(--accent);color:var(--bg);border-color:var(--accent)}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0;flex-wrap:wrap}
.cards{list-style:none;padding:0;margin:0}
.card{display:grid;grid-template-columns:3.2rem 1fr;gap:.75rem;padding:.85rem 0;border-bottom:1px solid var(--line)}
.card.no-votes{grid-template-columns:1fr}
.card h2,.card h3{margin:0 0 .2rem;font-size:1.08rem;font-weight:600}
.card h2 a,.card h3 a{text-decoration:none;color:var(--fg)}.card h2 a:hover,.card h3 a:hover{text-decoration:underline}
.votes{display:flex;flex-direction:column;align-items:center;font-size:.85rem;color:var(--muted);padding-top:.15rem}
.votes .count{font-size:1.05rem;font-weight:700;color:var(--fg)}
.excerpt{margin:.25rem 0 .3rem;overflow-wrap:anywhere}
.tags{display:flex;flex-wrap:wrap;gap:.3rem .6rem;font-size:.85rem;color:var(--muted);align-items:center}
.tag{border:1px solid var(--line);border-radius:4px;padding:0 .35rem;color:var(--muted);text-decoration:none}
.chart{margin:.5rem 0 1rem}.chart svg{width:100%;max-width:34rem;height:auto;display:block}
.chart .bar{fill:var(--bar)}.chart .bar.on{fill:var(--bar-on)}.chart text{fill:var(--muted);font-size:10px}
.chart a:focus-visible .bar{outline:none;stroke:var(--fg);stroke-width:2}
.paper-meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.95rem;margin:1rem 0}
.paper-meta dt{color:var(--muted)}.paper-meta dd{margin:0}
.links{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}
.abstract{font-size:1.02rem;overflow-wrap:anywhere}
math{font-size:1.05em}.tex-fallback{font-style:italic}
pre.bibtex{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--card);border:1px solid var(--line);padding:.75rem;border-radius:6px;font-size:.85rem}
details summary{cursor:pointer;font-weight:600}
mark{background:var(--mark);color:inherit;padding:0 .1em;border-radius:2px}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.5rem 0 1rem;font-size:.92rem}
.filters label{display:flex;flex-direction:column;gap:.15rem;font-weight:600;margin:0}
.filters label.check{flex-direction:row;align-items:center;gap:.35rem}
.suggestions{position:absolute;top:100%;left:0;right:0;z-index:3;list-style:none;margin:.2rem 0 0;padding:.25rem 0;background:var(--card);border:1px solid var(--line);border-radius:6px;box-shadow:0 4px 14px rgba(0,0,0,.12)}
.suggestions[hidden]{display:none}
.suggestions a{display:block;padding:.3rem .6rem;text-decoration:none;color:var(--fg);font-size:.92rem}
.suggestions a:hover,.suggestions a[aria-selected=true]{background:color-mix(in srgb,var(--accent) 14%,transparent)}
.site-footer{margin-top:2rem;padding-top:.75rem;border-top:1px solid var(--line)}
@media (max-width:560px){body{padding:0 .75rem 1.5rem}.site-search{margin-left:0;max-width:none;flex-basis:100%}.card{grid-template-columns:2.6rem 1fr;gap:.5rem}.card.no-votes{grid-template-columns:1fr}h1{font-size:1.35rem}.paper-meta{grid-template-columns:1fr}.paper-meta dt{margin-top:.3rem}}
`;
