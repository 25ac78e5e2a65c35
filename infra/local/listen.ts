import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local endpoint's server once it listens: where it is, and how to stop it. */
export interface ListeningServer {
  /** `http://host:port`. */
  endpoint: string;
  port: number;
  /** Closes the server and the connections clients keep alive, and resolves once it is closed. */
  stop: () => Promise<void>;
}

/**
 * Starts `server` on `host` (loopback by default) and `port` (0 picks a free one), failing if it
 * cannot listen. Every local imitation of an AWS endpoint (the bus, SQS, the access guards, the
 * secrets extension) starts and stops the same way.
 */
export async function listenLocally(
  server: Server,
  options: { host?: string; port?: number } = {},
): Promise<ListeningServer> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // SDK clients keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
