/**
 * The HTTP server around the web app (@hono/node-server), with the time limits of Node's own
 * server set from the request deadline: a client that sends its request too slowly is cut off
 * (requestTimeout, headersTimeout), idle keep-alive connections are closed after a few seconds.
 * `paperboy serve`, the browser specs and the web benchmark all start it here.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import { createWebApp } from './web-app.js';

export interface WebServer {
  readonly server: ServerType;
  readonly port: number;
  readonly address: string;
  /** Stops accepting, ends idle keep-alive connections, and resolves once open requests are answered. */
  close(): Promise<void>;
}

export function startWebServer(deps: { config: Pick<Config, 'port' | 'host' | 'http'>; services: Services; logger: Logger }): Promise<WebServer> {
  const web = createWebApp({ services: deps.services, logger: deps.logger, http: deps.config.http });
  const limitMs = deps.config.http.requestTimeoutMs;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: web.fetch, port: deps.config.port, hostname: deps.config.host, serverOptions: { requestTimeout: limitMs + 5_000, headersTimeout: Math.min(limitMs, 20_000), keepAliveTimeout: 5_000 } }, (info: AddressInfo) => {
      resolve({
        server,
        port: info.port,
        address: info.address,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
