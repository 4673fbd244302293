/** Small HTTP helpers of the local cloud's servers. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request's JSON object body (none: `{}`), or why it is refused (to answer 400 with). */
export function jsonObjectBody(body: Buffer): Record<string, unknown> | string {
  if (!body.length) return {};
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return `The body is not valid JSON (${(err as Error).message})`;
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'The body must be a JSON object';
  return input as Record<string, unknown>;
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** Listens, with keep-alive as the SDK's agents expect; resolves once the port is bound. */
export function listen(server: Server, port: number, host: string): Promise<void> {
  server.keepAliveTimeout = 60_000;
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
}

/** Stops accepting, drops idle keep-alive connections, resolves once closed. */
export function close(server: Server): Promise<void> {
  return new Promise<void>((r) => {
    server.closeAllConnections?.();
    server.close(() => r());
  });
}
