/**
 * arXiv's hosts and endpoints, named once. Outbound requests may reach only these hosts (and
 * ones the operator adds), settings check their URLs against the same rule, the endpoints are
 * the settings' defaults, and pasted links are recognised on the same hosts.
 */

/** Hosts Paperboy fetches from; `oaipmh.arxiv.org` is where the current OAI interface may redirect. */
export const ARXIV_HOSTS: readonly string[] = Object.freeze(['arxiv.org', 'export.arxiv.org', 'oaipmh.arxiv.org']);

/** Hosts a pasted paper link may name: the ones above and the web site's other names. */
export const ARXIV_LINK_HOSTS: readonly string[] = Object.freeze([...ARXIV_HOSTS, 'www.arxiv.org', 'browse.arxiv.org']);

export const ARXIV_OAI_URL = 'https://arxiv.org/oai';
export const ARXIV_API_URL = 'https://export.arxiv.org/api/query';

/** True when the URL's host is arXiv's or one of `extraAllowedHosts` (a hostname or `host:port`). */
export function isAllowedHost(url: URL, extraAllowedHosts: readonly string[] = []): boolean {
  const allowed = [...ARXIV_HOSTS, ...extraAllowedHosts].map((h) => h.trim().toLowerCase());
  return allowed.includes(url.hostname.toLowerCase()) || allowed.includes(url.host.toLowerCase());
}
