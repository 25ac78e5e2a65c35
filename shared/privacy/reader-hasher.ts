import { createHmac } from 'node:crypto';

/**
 * Keyed hashes of reader secrets: reader ids, source addresses, contact e-mails. The store,
 * logs and events only ever see the hash, which without the key cannot be reversed or
 * brute-forced from the small space of IPv4 addresses. The purpose is part of the input, so a
 * reader id and an address never hash alike.
 */
export class ReaderHasher {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('The reader hash key must be at least 32 bytes');
  }

  hash(purpose: 'voter' | 'source' | 'contact' | (string & {}), secret: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\u0000${secret}`).digest('base64url').slice(0, 32);
  }
}
