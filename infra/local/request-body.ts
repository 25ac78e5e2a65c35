import type { IncomingMessage } from 'node:http';

/**
 * The body of a request to a local AWS endpoint (the bus, SQS) as text, or undefined past
 * `maxBytes`: reading stops there, so an oversized body costs no more memory than the limit.
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
