/**
 * Vitest setup: specs may only open connections on this machine. Every TCP connection in Node
 * (http, fetch through undici, pg, SMTP) goes through `net.Socket.prototype.connect`; a spec that
 * asks for any other host fails at once with an error naming it, instead of hanging on a network
 * the CI machine does not have or, worse, passing because the internet happened to answer.
 */
import net from 'node:net';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3}|0\.0\.0\.0)$/i;

/** The host a `connect` call targets, or null for a Unix socket or an already open handle. */
function targetHost(args: unknown[]): string | null {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === 'string') return null;
    if (o.port === undefined) return null;
    return typeof o.host === 'string' && o.host !== '' ? o.host : 'localhost';
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return null; // a Unix socket path
  return typeof args[1] === 'string' && args[1] !== '' ? args[1] : 'localhost';
}

function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[|\]$/g, ''));
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function loopbackOnlyConnect(this: net.Socket, ...args: unknown[]) {
  const host = targetHost(args);
  if (host !== null && !isLoopbackHost(host)) throw new Error(`tests may only connect to loopback; this spec tried ${host}`);
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
