/**
 * The alerts an editor has not seen (web/desk/src/alerts-seen.ts): the route counts `since` in, so
 * the alerts seen at exactly that time are remembered and left out; the mark is per editor.
 */
import { markSeen, readSeen, unseen } from '../../../web/desk/src/alerts-seen';
import type { EditorAlert } from '../../../web/desk/src/shapes';

const alert = (id: string, recordedAt: string): EditorAlert => ({
  kind: 'ingest-rejected',
  id,
  recordedAt,
  sourceKey: `drop/${id}.txt`,
  reason: { code: 'unparseable', message: 'No headline' },
});

class Storage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
}

describe("the editor's alerts mark", () => {
  it('shows everything before the first mark, then only what came after or at it unseen', () => {
    const storage = new Storage();
    const first = [alert('b', '2030-01-01T10:00:00.000Z'), alert('a', '2030-01-01T09:00:00.000Z')];

    const mark = markSeen(storage, 'editor-1', first, readSeen(storage, 'editor-1'));
    // `since` is inclusive: the same second's other alert is new, the seen one is not.
    const next = [
      alert('d', '2030-01-01T11:00:00.000Z'),
      alert('c', '2030-01-01T10:00:00.000Z'),
      alert('b', '2030-01-01T10:00:00.000Z'),
    ];

    expect(unseen(first, null)).toEqual(first);
    expect(mark).toEqual({ since: '2030-01-01T10:00:00.000Z', ids: ['b'] });
    expect(readSeen(storage, 'editor-1')).toEqual(mark);
    expect(unseen(next, readSeen(storage, 'editor-1')).map((shown) => shown.id)).toEqual(['d', 'c']);
    expect(readSeen(storage, 'editor-2')).toBeNull();
  });

  it('keeps the ids seen at the same time across marks, and ignores a broken entry', () => {
    const storage = new Storage();
    const at = '2030-01-01T10:00:00.000Z';
    const first = markSeen(storage, 'editor-1', [alert('a', at)], null);

    const second = markSeen(storage, 'editor-1', [alert('b', at)], first);
    storage.setItem('newsroom-desk:alerts-seen:editor-2', '{not json');

    expect(second).toEqual({ since: at, ids: ['a', 'b'] });
    expect(readSeen(storage, 'editor-2')).toBeNull();
    expect(markSeen(storage, 'editor-1', [], second)).toBe(second);
  });
});
