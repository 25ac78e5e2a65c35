import { revisionOf, type StatedVersion } from '../../../shared/articles/revision';

const at = (iso: string) => new Date(iso);
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const stated = (version: string | null, versionCreated: string | null): StatedVersion => ({ version, versionCreated });

describe('revisions of a wire item, by the version it states', () => {
  it('orders versions as numbers: 10 is newer than 9', () => {
    const nine = revisionOf(at('2026-03-05T12:00:00Z'), HASH_A, stated('9', '2026-03-05T10:00:00.000Z'));
    const ten = revisionOf(at('2026-03-05T11:00:00Z'), HASH_B, stated('10', '2026-03-05T09:00:00.000Z'));

    // Ten is newer although it was created and received earlier.
    expect(nine < ten).toBe(true);
  });

  it('orders the same version (or none) by the version-created time, then by when it was received', () => {
    const earlier = revisionOf(at('2026-03-05T12:00:00Z'), HASH_A, stated(null, '2026-03-05T10:00:00.000Z'));
    const later = revisionOf(at('2026-03-05T11:00:00Z'), HASH_B, stated(null, '2026-03-05T10:30:00.000Z'));
    const resent = revisionOf(at('2026-03-05T12:30:00Z'), HASH_B, stated(null, '2026-03-05T10:30:00.000Z'));

    expect(earlier < later).toBe(true);
    expect(later < resent).toBe(true);
  });

  it('reads leading zeros as the same number', () => {
    const padded = revisionOf(at('2026-03-05T12:00:00Z'), HASH_A, stated('007', null));
    const plain = revisionOf(at('2026-03-05T12:00:00Z'), HASH_A, stated('7', null));

    expect(padded).toBe(plain);
  });

  it('puts any stated version after every received-time revision', () => {
    const page = revisionOf(at('9999-12-31T23:59:59Z'), HASH_A);
    const item = revisionOf(at('2026-03-05T12:00:00Z'), HASH_A, stated(null, null));

    expect(page < item).toBe(true);
  });
});
