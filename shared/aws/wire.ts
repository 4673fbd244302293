/**
 * HTTP/1.1 on kept-alive connections, for the lean client's requests (shared/aws/lean.ts): a request is
 * written as one buffer (its head and body), and its answer is read by a small parser of the status line,
 * the headers and a body sized by `content-length` or sent in chunks.
 *
 * Why not `http.request`: on the sender every email is one request, and Node's http machinery (the
 * ClientRequest and IncomingMessage streams, the agent's bookkeeping, the header objects) costs more than
 * the request itself: measured at 0.044 ms of CPU a request against 0.019 for this (6 KiB bodies, 64 at
 * once), and what it allocates is work for the collector too (bench/cpu-per-email.ts).
 *
 * What it does as Node's agent with `keepAlive` does:
 * - at most `maxSockets` connections to the endpoint, a request waiting for a free one beyond that;
 * - TLS for `https:` (the host's name sent as SNI and checked against the certificate, the system's CAs
 *   unless `ca` is given; a new connection resumes the last session); TCP keep-alive and no Nagle delay on every connection;
 * - a connection the server closes (`connection: close`, an answer sized by the end of the stream, an
 *   HTTP/1.0 answer) is not used again; an idle one is not used after `idleMs` (a Lambda thawed after
 *   minutes finds its connections closed by the other side);
 * - errors keep their codes (`ECONNRESET`, `ECONNREFUSED` …), so the caller retries them as the SDK
 *   does; a connection closed before the whole answer came is `ECONNRESET` ("socket hang up"), one that
 *   does not answer within `timeoutMs` is a `TimeoutError`.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface WireAnswer {
  status: number;
  /** Header names in lower case; a repeated header's values joined by `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface WireOptions {
  maxSockets?: number;
  /** No answer (no byte of it) for this long: the connection is dropped and the request fails. */
  timeoutMs?: number;
  /** An idle connection older than this is closed instead of used. */
  idleMs?: number;
  /** Certificates to trust instead of the system's (tests). */
  ca?: string | Buffer;
}

/** An answer's head may not be larger (Node's default limit is 16 KiB). */
const MAX_HEAD = 64 * 1024;
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const BAD_HEADER = /[\r\n\0]/;

const hangUp = (message = 'socket hang up') => Object.assign(new Error(message), { code: 'ECONNRESET' });

interface Pending {
  head: string;
  body: Buffer;
  resolve: (a: WireAnswer) => void;
  reject: (e: unknown) => void;
}

/** What is known of the answer being read on a connection. */
interface Reading {
  status: number;
  headers: Record<string, string>;
  /** Bytes of body still expected (content-length), or 'chunked', or 'close' (to the end of the stream). */
  framing: number | 'chunked' | 'close';
  keepAlive: boolean;
  parts: Buffer[];
}

class Connection {
  readonly socket: net.Socket;
  idleSince = 0;
  private current: Pending | undefined;
  private reading: Reading | undefined;
  private buffered: Buffer | undefined;
  private done = false;

  constructor(
    private readonly pool: WirePool,
    url: URL,
    opts: WireOptions,
  ) {
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    this.socket =
      url.protocol === 'https:'
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], ca: opts.ca, session: pool.tlsSession })
        : net.connect({ host, port });
    // The server's session ticket, kept for the pool's next connections: they resume instead of a full handshake.
    this.socket.on('session', (session: Buffer) => (pool.tlsSession = session));
    this.socket.setNoDelay(true);
    this.socket.setKeepAlive(true, 1000);
    this.socket.setTimeout(opts.timeoutMs ?? 30_000);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('timeout', () => {
      if (this.current) this.fail(Object.assign(new Error('no answer in time'), { name: 'TimeoutError', code: 'TimeoutError' }));
      else this.close();
    });
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('close', () => this.fail(hangUp()));
  }

  send(p: Pending): void {
    this.current = p;
    this.socket.ref();
    this.socket.write(p.body.length ? Buffer.concat([Buffer.from(p.head, 'latin1'), p.body]) : p.head);
  }

  private onData(chunk: Buffer): void {
    if (!this.current) {
      // Bytes nobody asked for: the connection cannot be trusted with the next request.
      this.close();
      return;
    }
    const data = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    this.buffered = undefined;
    try {
      this.parse(data);
    } catch (err) {
      this.fail(err);
    }
  }

  private parse(data: Buffer): void {
    let at = 0;
    for (;;) {
      if (!this.reading) {
        const end = data.indexOf(CRLF_CRLF, at);
        if (end < 0) {
          if (data.length - at > MAX_HEAD) throw new Error('the answer\'s head is too large');
          this.buffered = data.subarray(at);
          return;
        }
        const reading = readHead(data.toString('latin1', at, end));
        at = end + 4;
        // An interim answer (100 Continue and the like) is followed by the real one.
        if (reading.status >= 100 && reading.status < 200) continue;
        this.reading = reading;
        if (reading.framing === 0) return this.finish();
      }
      const r = this.reading;
      if (typeof r.framing === 'number') {
        const take = Math.min(r.framing, data.length - at);
        if (take > 0) r.parts.push(data.subarray(at, at + take));
        r.framing -= take;
        at += take;
        if (r.framing === 0) {
          if (at < data.length) throw new Error('more bytes than the answer is long');
          return this.finish();
        }
        return;
      }
      if (r.framing === 'close') {
        if (at < data.length) r.parts.push(data.subarray(at));
        return;
      }
      // Chunked: a size line, the chunk and its CRLF, until the chunk of size 0 and the (empty) trailers.
      for (;;) {
        const lineEnd = data.indexOf('\r\n', at, 'latin1');
        if (lineEnd < 0) return void (this.buffered = data.subarray(at));
        const size = parseInt(data.toString('latin1', at, lineEnd).split(';')[0].trim(), 16);
        if (!Number.isFinite(size) || size < 0) throw new Error('a bad chunk size in the answer');
        if (size === 0) {
          // The trailers end with an empty line.
          const trailersEnd = data.indexOf('\r\n', lineEnd + 2) === lineEnd + 2 ? lineEnd + 4 : data.indexOf(CRLF_CRLF, lineEnd) + 4;
          if (trailersEnd < 4) return void (this.buffered = data.subarray(at));
          if (trailersEnd < data.length) throw new Error('more bytes than the answer is long');
          return this.finish();
        }
        if (data.length < lineEnd + 2 + size + 2) return void (this.buffered = data.subarray(at));
        if (data[lineEnd + 2 + size] !== 13 || data[lineEnd + 3 + size] !== 10) throw new Error('a chunk of the answer does not end where its size says');
        r.parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
    }
  }

  private onEnd(): void {
    if (this.reading?.framing === 'close') {
      this.reading.keepAlive = false;
      return this.finish();
    }
    this.fail(hangUp());
  }

  private finish(): void {
    const r = this.reading!;
    const p = this.current!;
    this.reading = undefined;
    this.current = undefined;
    const body = r.parts.length === 1 ? r.parts[0] : Buffer.concat(r.parts);
    if (r.keepAlive) {
      this.idleSince = Date.now();
      this.socket.unref();
      this.pool.released(this);
    } else this.close();
    p.resolve({ status: r.status, headers: r.headers, body });
  }

  /** The request in flight (if any) fails with `err`, and the connection is closed. */
  private fail(err: unknown): void {
    const p = this.current;
    this.current = undefined;
    this.reading = undefined;
    this.close();
    p?.reject(err);
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.pool.closed(this);
    this.socket.destroy();
  }
}

/** The status line and headers of an answer (latin1), and how its body is framed. */
function readHead(text: string): Reading {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!m) throw new Error(`not an HTTP/1.1 answer: ${lines[0].slice(0, 80)}`);
  const status = Number(m[2]);
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) throw new Error('a malformed header in the answer');
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const connection = (headers.connection ?? '').toLowerCase();
  let keepAlive = m[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
  let framing: Reading['framing'];
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) framing = 0;
  else if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) framing = 'chunked';
  else if (headers['content-length'] !== undefined) {
    if (!/^\d+$/.test(headers['content-length'])) throw new Error('a bad content-length in the answer');
    framing = Number(headers['content-length']);
  } else {
    framing = 'close';
    keepAlive = false;
  }
  return { status, headers, framing, keepAlive, parts: [] };
}

/** The connections to one endpoint (scheme, host and port). */
export class WirePool {
  /** The last TLS session the endpoint gave (Node's https agent keeps them likewise). */
  tlsSession: Buffer | undefined;
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly waiting: Pending[] = [];
  private readonly host: string;
  private readonly maxSockets: number;
  private readonly idleMs: number;

  constructor(
    private readonly url: URL,
    private readonly opts: WireOptions = {},
  ) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${url.protocol} is not HTTP`);
    this.host = url.host;
    this.maxSockets = opts.maxSockets ?? 64;
    this.idleMs = opts.idleMs ?? 15_000;
  }

  /** Connections open now (busy and idle). */
  get size(): number {
    return this.all.size;
  }

  /**
   * One request: `headers` (lower-case names; `host` and `content-length` are added) and `body`. Resolves
   * to the whole answer; rejects on a connection error, a malformed answer or a timeout.
   */
  request(method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<WireAnswer> {
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}\r\ncontent-length: ${body.length}\r\n`;
    for (const name in headers) {
      if (name === 'host' || name === 'content-length') continue;
      const value = headers[name];
      if (BAD_HEADER.test(value) || BAD_HEADER.test(name)) return Promise.reject(new TypeError(`the header ${name} holds a line break`));
      head += `${name}: ${value}\r\n`;
    }
    head += '\r\n';
    if (BAD_HEADER.test(path) || path.includes(' ')) return Promise.reject(new TypeError('the path holds a space or a line break'));
    return new Promise((resolve, reject) => {
      const p = { head, body, resolve, reject };
      const c = this.take();
      if (c) c.send(p);
      else this.waiting.push(p);
    });
  }

  /** An idle connection young enough, or a new one while fewer than `maxSockets` are open. */
  private take(): Connection | undefined {
    const now = Date.now();
    for (let c = this.idle.pop(); c; c = this.idle.pop()) {
      if (now - c.idleSince < this.idleMs) return c;
      c.close();
    }
    if (this.all.size >= this.maxSockets) return undefined;
    const c = new Connection(this, this.url, this.opts);
    this.all.add(c);
    return c;
  }

  /** `c` answered and may be used again: by the next waiting request, or kept idle. */
  released(c: Connection): void {
    const next = this.waiting.shift();
    if (next) c.send(next);
    else this.idle.push(c);
  }

  /** `c` is closed: it is forgotten, and a waiting request gets a new connection. */
  closed(c: Connection): void {
    this.all.delete(c);
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
    if (this.waiting.length) {
      const n = this.take();
      if (n) n.send(this.waiting.shift()!);
    }
  }

  /** Closes every connection; waiting requests fail. */
  destroy(): void {
    for (const p of this.waiting.splice(0)) p.reject(hangUp('the pool was closed'));
    for (const c of [...this.all]) c.close();
  }
}
