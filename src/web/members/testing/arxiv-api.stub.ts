/**
 * A local stand-in for the arXiv API that counts every request it gets: it answers `id_list`
 * queries with a recorded arXiv response (../shared/data/arxiv/api-atom) or an empty feed.
 * Tests point ARXIV_API_URL at it for the positive case, and check it stays at zero requests
 * for everything a member must not be able to make us fetch.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { API_ATOM_DIR } from '../../../ingest/testing/arxiv-fixtures.js';

export const RECORDED_ID = '1601.00001';
const RECORDED = fs.readFileSync(path.join(API_ATOM_DIR, 'zoia_id_list-1601.00001_2020-09-04.xml'), 'utf8');
const EMPTY = `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title><opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:totalResults></feed>`;

export interface ArxivApiStub {
  readonly host: string;
  readonly baseUrl: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startArxivApiStub(): Promise<ArxivApiStub> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://stub');
    const body = url.pathname === '/api/query' && url.searchParams.get('id_list') === RECORDED_ID ? RECORDED : EMPTY;
    res.writeHead(200, { 'content-type': 'application/atom+xml; charset=utf-8' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}/api/query`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
