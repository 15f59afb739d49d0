import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('specs reach loopback only', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lets fetch and sockets reach a server on 127.0.0.1 and localhost', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    const socket = net.connect({ host: 'localhost', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.destroy();
  });

  it('refuses any other host at once, naming it', async () => {
    expect(() => net.connect({ host: '192.0.2.1', port: 80 })).toThrow(/only connect to loopback; this spec tried 192\.0\.2\.1/);
    expect(() => net.connect(443, 'export.arxiv.org')).toThrow(/export\.arxiv\.org/);
    await expect(fetch('http://192.0.2.1/')).rejects.toThrow();
  });
});
