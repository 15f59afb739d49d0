/**
 * arXiv identifiers: new style (`2401.12345`, `0704.0002`, with optional `vN`) and old style
 * (`math/0611918`, `math.GT/0309136`, `quant-ph/9912100v2`). Parsing accepts what people paste:
 * bare ids, `arXiv:` prefixes and arxiv.org abs/pdf/html URLs. Anything else is rejected, so a
 * user-typed value can never turn into a request to a non-arXiv host.
 */
import { ARXIV_LINK_HOSTS } from './arxiv-hosts.js';
import { ValidationError } from './errors.js';

export interface ArxivId {
  /** Id without version. */
  id: string;
  /** Version number when the input named one. */
  version: number | null;
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

/** Parses a bare id (with optional version). Returns null when it is not one. */
export function parseBareArxivId(text: string): ArxivId | null {
  const m = NEW_STYLE.exec(text) ?? OLD_STYLE.exec(text);
  if (!m || m[1] === undefined) return null;
  if (NEW_STYLE.test(text)) {
    const month = Number(text.slice(2, 4));
    if (month < 1 || month > 12) return null;
  }
  return { id: m[1], version: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * Parses whatever a user pasted: `2401.12345`, `arXiv:2401.12345v2`, `math/0611918`,
 * `https://arxiv.org/abs/2401.12345`, `https://arxiv.org/pdf/2401.12345v1.pdf`.
 * @throws ValidationError naming the problem.
 */
export function parseArxivReference(input: string): ArxivId {
  const text = input.trim();
  if (text.length === 0) throw new ValidationError('The arXiv id is empty.', { field: 'arxivId' });
  if (text.length > 300) throw new ValidationError('The arXiv id or URL is too long.', { field: 'arxivId' });

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ValidationError(`"${text}" is not a valid URL.`, { field: 'arxivId' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ValidationError(`Only arxiv.org links are accepted, not ${url.protocol} URLs.`, { field: 'arxivId' });
    }
    if (!ARXIV_LINK_HOSTS.includes(url.hostname.toLowerCase()) || url.username || url.password || (url.port && url.port !== '80' && url.port !== '443')) {
      throw new ValidationError(`Only arxiv.org links are accepted; "${url.host}" is not arXiv.`, { field: 'arxivId' });
    }
    const m = /^\/(?:abs|pdf|html|format)\/(.+?)(?:\.pdf)?\/?$/.exec(url.pathname);
    let id: string | null = null;
    if (m?.[1]) {
      try {
        id = decodeURIComponent(m[1]);
      } catch {
        throw new ValidationError(`The link "${text}" has a malformed percent-escape.`, { field: 'arxivId' });
      }
    }
    const parsed = id !== null ? parseBareArxivId(id) : null;
    if (!parsed) throw new ValidationError(`The link "${text}" does not point to an arXiv paper.`, { field: 'arxivId' });
    return parsed;
  }

  const bare = text.replace(/^arxiv:\s*/i, '');
  const parsed = parseBareArxivId(bare);
  if (!parsed) {
    throw new ValidationError(`"${text}" is not an arXiv id (expected e.g. 2401.12345, 2401.12345v2 or math/0611918).`, {
      field: 'arxivId',
    });
  }
  return parsed;
}

/** Splits `0704.0002v3` into id and version; tolerant of ids without a version. */
export function splitVersion(idWithVersion: string): ArxivId | null {
  return parseBareArxivId(idWithVersion.trim());
}

/** Canonical abstract page URL. */
export function arxivAbsUrl(id: string, version?: number | null): string {
  return `https://arxiv.org/abs/${id}${version ? `v${version}` : ''}`;
}

/** Canonical PDF URL. */
export function arxivPdfUrl(id: string, version?: number | null): string {
  return `https://arxiv.org/pdf/${id}${version ? `v${version}` : ''}`;
}
