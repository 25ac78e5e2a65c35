import { Agent, request } from 'node:http';

/** A request sent exactly as written: the path is not normalized or re-encoded, the body is bytes. */
export interface RawRequest {
  method: string;
  /** Path and query as they go on the request line, e.g. `/articles/..%2F/comments?limit=0`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A minimal HTTP client for hostile requests. `fetch` resolves `..` in paths, re-encodes
 * characters and refuses some headers, which would hide exactly the input under test.
 */
export function rawClient(baseUrl: string, options: { maxSockets?: number } = {}) {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  return {
    send(req: RawRequest): Promise<RawReply> {
      const body = req.body ?? Buffer.alloc(0);
      return new Promise((resolve, reject) => {
        const outgoing = request(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method: req.method,
            path: req.path,
            headers: { ...(req.headers ?? {}), 'content-length': String(body.length) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                text: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            res.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}
