/**
 * The lean client's HTTP/1.1 (shared/aws/wire.ts) against servers that answer byte by byte as a test
 * writes them (a raw TCP server), and against Node's own HTTP and HTTPS servers:
 * - the request as it arrives (head, host, content-length, body), and connections kept and used again;
 * - answers sized by content-length, in chunks (with and without trailers), to the end of the stream,
 *   interim 100s, 204s, cut into pieces anywhere;
 * - connections the server closes (at once, after an answer, while idle, in the middle of one), a server
 *   that does not answer, one that is not there, garbage: each an error the caller can tell and retry;
 * - at most `maxSockets` connections, idle ones not used after `idleMs`, a line break in a header refused;
 * - TLS: a certificate the client trusts, and one it does not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WirePool } from '../../shared/aws/wire.js';
import { isRetryable } from '../../shared/aws/lean.js';

const servers: Array<net.Server> = [];
const pools: WirePool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) p.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

interface RawServer {
  url: URL;
  /** Every connection made, in order. */
  connections: net.Socket[];
  /** Requests as received (head and body), in order. */
  requests: string[];
}

/**
 * A TCP server that hands each complete request (head + content-length body) to `answer` with its socket;
 * `answer` writes whatever bytes the test wants.
 */
async function rawServer(answer: (socket: net.Socket, request: string, n: number) => void): Promise<RawServer> {
  const out: RawServer = { url: new URL('http://127.0.0.1'), connections: [], requests: [] };
  const server = net.createServer((socket) => {
    out.connections.push(socket);
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const request = buf.slice(0, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        out.requests.push(request);
        answer(socket, request, out.requests.length);
      }
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  out.url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return out;
}

const pool = (url: URL, opts: ConstructorParameters<typeof WirePool>[1] = {}) => {
  const p = new WirePool(url, opts);
  pools.push(p);
  return p;
};
const post = (p: WirePool, body = '{"a":1}', headers: Record<string, string> = { 'content-type': 'application/json' }) => p.request('POST', '/v2/email/outbound-emails', headers, Buffer.from(body));
const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Writes `text` to `socket` a few bytes at a time, with pauses: an answer cut anywhere. */
async function dribble(socket: net.Socket, text: string, size = 3) {
  for (let i = 0; i < text.length; i += size) {
    socket.write(Buffer.from(text.slice(i, i + size), 'latin1'));
    await sleep(1);
  }
}

describe('HTTP/1.1 for the lean client', () => {
  it('sends the head, host, length and body as given, and uses one connection for requests one after another', async () => {
    const s = await rawServer((socket, _r, n) => socket.write(ok(`{"n":${n}}`)));
    const p = pool(s.url);
    const a = await post(p, '{"Subject":"Frokostmøte"}', { 'content-type': 'application/json', 'x-amz-target': 'T.Op', authorization: 'AWS4 x' });
    const b = await post(p);
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body.toString('utf8'))).toEqual({ n: 1 });
    expect(JSON.parse(b.body.toString('utf8'))).toEqual({ n: 2 });
    expect(a.headers['content-type']).toBe('application/json');
    expect(s.connections).toHaveLength(1);
    const [head, body] = s.requests[0].split('\r\n\r\n');
    const lines = head.split('\r\n');
    expect(lines[0]).toBe('POST /v2/email/outbound-emails HTTP/1.1');
    expect(lines).toContain(`host: ${s.url.host}`);
    expect(lines).toContain(`content-length: ${Buffer.byteLength('{"Subject":"Frokostmøte"}')}`);
    expect(lines).toContain('x-amz-target: T.Op');
    expect(lines).toContain('authorization: AWS4 x');
    expect(Buffer.from(body, 'latin1').toString('utf8')).toBe('{"Subject":"Frokostmøte"}');
  });

  it('reads an answer cut into pieces anywhere, sized by content-length, repeated headers joined', async () => {
    const text = 'HTTP/1.1 400 Bad Request\r\nX-Amzn-ErrorType: ValidationException\r\nx-multi: a\r\nx-multi: b\r\ncontent-length: 24\r\n\r\n{"message":"ikke gyldig"}'.replace('24', String(Buffer.byteLength('{"message":"ikke gyldig"}')));
    const s = await rawServer((socket) => void dribble(socket, text));
    const a = await post(pool(s.url));
    expect(a.status).toBe(400);
    expect(a.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(a.headers['x-multi']).toBe('a, b');
    expect(a.body.toString()).toBe('{"message":"ikke gyldig"}');
  });

  it('reads chunked answers, with and without trailers, cut anywhere, and keeps the connection', async () => {
    const chunked = (trailers: string) => `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"a":\r\nA;ext=1\r\n"øæå"}    \r\n0\r\n${trailers}\r\n`;
    const s = await rawServer((socket, _r, n) => void dribble(socket, n === 1 ? chunked('') : chunked('x-checksum: 1\r\n'), 4));
    const p = pool(s.url);
    const a = await post(p);
    const b = await post(p);
    // 5 + 10 bytes: the body is bytes, decoded by the caller.
    expect(a.body).toEqual(Buffer.concat([Buffer.from('{"a":'), Buffer.from('"øæå"}    ', 'latin1')]));
    expect(b.body).toEqual(a.body);
    expect(s.connections).toHaveLength(1);
  });

  it('skips an interim 100, reads a 204 without a body, and an answer sized by the end of the stream', async () => {
    const s = await rawServer((socket, _r, n) => {
      if (n === 1) socket.write('HTTP/1.1 100 Continue\r\n\r\n' + ok('{"after":"continue"}'));
      else if (n === 2) socket.write('HTTP/1.1 204 No Content\r\nx-amzn-requestid: r2\r\n\r\n');
      else {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"until":');
        setTimeout(() => socket.end('"the end"}'), 5);
      }
    });
    const p = pool(s.url);
    expect((await post(p)).body.toString()).toBe('{"after":"continue"}');
    const none = await post(p);
    expect(none.status).toBe(204);
    expect(none.body.length).toBe(0);
    expect(none.headers['x-amzn-requestid']).toBe('r2');
    expect((await post(p)).body.toString()).toBe('{"until":"the end"}');
    // The third answer closed its connection: the next request opens another.
    await post(p).catch(() => undefined);
    expect(s.connections).toHaveLength(2);
  });

  it('does not use again a connection the server said it closes (connection: close, HTTP/1.0)', async () => {
    const s = await rawServer((socket, _r, n) => {
      if (n === 1) socket.write(ok('{}', 'connection: close\r\n'));
      else if (n === 2) socket.write('HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\n{}');
      else socket.write(ok('{}'));
    });
    const p = pool(s.url);
    await post(p);
    await post(p);
    await post(p);
    await post(p);
    expect(s.connections).toHaveLength(3);
    expect(s.requests).toHaveLength(4);
  });

  it('a connection closed by the server while idle is noticed, and the next request gets a new one', async () => {
    const s = await rawServer((socket) => {
      socket.write(ok('{}'));
      setTimeout(() => socket.destroy(), 5);
    });
    const p = pool(s.url);
    await post(p);
    await sleep(50);
    expect(p.size).toBe(0);
    await post(p);
    expect(s.connections).toHaveLength(2);
  });

  it('an answer cut off by the server is ECONNRESET, retryable; so is a server that is not there (ECONNREFUSED)', async () => {
    const s = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"half":');
      setTimeout(() => socket.destroy(), 5);
    });
    const err = await post(pool(s.url)).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ECONNRESET');
    expect(isRetryable(err)).toBe(true);

    const closed = await rawServer(() => undefined);
    const port = closed.url.port;
    await new Promise((r) => servers.pop()!.close(r));
    const refused = await post(pool(new URL(`http://127.0.0.1:${port}`))).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isRetryable(refused)).toBe(true);
  });

  it('a server that does not answer in time is a TimeoutError (retryable), and its connection is dropped', async () => {
    const s = await rawServer(() => undefined);
    const p = pool(s.url, { timeoutMs: 100 });
    const err = await post(p).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(isRetryable(err)).toBe(true);
    expect(p.size).toBe(0);
  });

  it('garbage for an answer, or more bytes than it is long, is an error and the connection is not used again', async () => {
    const s = await rawServer((socket, _r, n) => {
      if (n === 1) socket.write('SMTP ready\r\n\r\n');
      else if (n === 2) socket.write(ok('{}') + 'HTTP/1.1 200 OK\r\n');
      else if (n === 3) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2x\r\n\r\n{}');
      else socket.write(ok('{"fine":true}'));
    });
    const p = pool(s.url);
    await expect(post(p)).rejects.toThrow(/not an HTTP\/1\.1 answer/);
    await expect(post(p)).rejects.toThrow(/more bytes/);
    await expect(post(p)).rejects.toThrow(/content-length/);
    expect((await post(p)).body.toString()).toBe('{"fine":true}');
    expect(s.connections).toHaveLength(4);
  });

  it('opens at most maxSockets connections; the other requests wait for one and are all answered', async () => {
    let open = 0;
    let most = 0;
    const s = await rawServer((socket) => {
      setTimeout(() => socket.write(ok('{}')), 10);
    });
    const server = servers[servers.length - 1];
    server.on('connection', (c) => {
      most = Math.max(most, ++open);
      c.on('close', () => open--);
    });
    const p = pool(s.url, { maxSockets: 3 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(p)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(s.requests).toHaveLength(20);
    expect(s.connections).toHaveLength(3);
    expect(most).toBe(3);
  });

  it('does not use an idle connection older than idleMs', async () => {
    const s = await rawServer((socket) => socket.write(ok('{}')));
    const p = pool(s.url, { idleMs: 30 });
    await post(p);
    await post(p);
    expect(s.connections).toHaveLength(1);
    await sleep(60);
    await post(p);
    expect(s.connections).toHaveLength(2);
  });

  it('refuses a header or path with a line break (no request smuggled into the connection)', async () => {
    const s = await rawServer((socket) => socket.write(ok('{}')));
    const p = pool(s.url);
    await expect(post(p, '{}', { 'x-amz-target': 'A\r\nx-evil: 1' })).rejects.toThrow(/line break/);
    await expect(p.request('POST', '/a b', {}, Buffer.alloc(0))).rejects.toThrow(/path/);
    expect(s.requests).toHaveLength(0);
  });

  it("answers as Node's own HTTP server answers, keep-alive, with a body of 1 MiB", async () => {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': 'application/json' });
        // Written in pieces without a length: Node sends it chunked.
        res.write(`{"got":${body.length},"pad":"`);
        res.write('x'.repeat(1 << 20));
        res.end('"}');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const p = pool(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    const big = 'æ'.repeat(300_000);
    for (let i = 0; i < 3; i++) {
      const a = await post(p, big);
      const json = JSON.parse(a.body.toString('utf8')) as { got: number; pad: string };
      expect(json.got).toBe(Buffer.byteLength(big));
      expect(json.pad.length).toBe(1 << 20);
    }
    expect(p.size).toBe(1);
  });

  it('speaks TLS to a server whose certificate it trusts (with SNI), and refuses one it does not', async () => {
    const dir = join(import.meta.dirname, 'fixtures', 'tls');
    const cert = readFileSync(join(dir, 'localhost-test-only.cert.pem'));
    const names: Array<string | undefined> = [];
    const server = https.createServer({ key: readFileSync(join(dir, 'localhost-test-only.key.pem')), cert }, (req, res) => {
      names.push((req.socket as import('node:tls').TLSSocket).servername || undefined);
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ secure: true })));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const trusted = pool(new URL(`https://localhost:${port}`), { ca: cert });
    expect(JSON.parse((await post(trusted)).body.toString())).toEqual({ secure: true });
    expect(JSON.parse((await post(trusted)).body.toString())).toEqual({ secure: true });
    expect(trusted.size).toBe(1);
    expect(names[0]).toBe('localhost');
    // A second connection at once resumes the first one's session.
    const resumed: boolean[] = [];
    server.on('secureConnection', (c: import('node:tls').TLSSocket) => resumed.push(c.isSessionReused()));
    await Promise.all([post(trusted), post(trusted)]);
    expect(trusted.size).toBe(2);
    expect(resumed).toContain(true);
    const err = await post(pool(new URL(`https://localhost:${port}`))).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
  });
});
