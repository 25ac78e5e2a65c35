/**
 * The desk's queue as it follows decisions and undos (web/desk/src/queue-state.ts): the list, the
 * selection and both counts change with each answer, and a page read while the queue's index still
 * lists a decided comment neither shows nor counts it.
 */
import { QueueState } from '../../../web/desk/src/queue-state';
import type { EditorComment, QueueItem, QueuePage } from '../../../web/desk/src/shapes';

const item = (id: string, status: 'pending' | 'flagged' = 'pending'): QueueItem => ({
  id,
  articleId: '0123456789abcdef',
  parentId: null,
  author: `Author ${id}`,
  verified: false,
  body: `Body ${id}`,
  createdAt: '2030-01-01T00:00:00.000Z',
  edited: false,
  status,
  readerId: `reader-${id}`,
  heldFor: 'link',
  flags: { count: 0, sinceReview: 0, sourcesSinceReview: 0, reasons: { offensive: 0, abusive: 0, spam: 0, other: 0 } },
  moderatedAt: null,
  undoTo: null,
  story: { headline: 'A story', canonicalUrl: null },
  parent: null,
});

const page = (items: QueueItem[], counts = { pending: items.length, flagged: 0 }, nextCursor: string | null = null) =>
  ({ items, counts, nextCursor }) satisfies QueuePage;

const answer = (shown: QueueItem, status: EditorComment['status'], undoTo: EditorComment['status'] | null) => {
  const { story: _story, parent: _parent, ...comment } = shown;
  return { ...comment, status, undoTo, moderatedAt: '2030-01-01T00:01:00.000Z' } satisfies EditorComment;
};

describe('the queue the desk works through', () => {
  it('removes a decided comment, selects the next, and counts one fewer', () => {
    const state = new QueueState('pending');
    const [a, b, c] = [item('a'), item('b'), item('c')];
    state.load(page([a, b, c]), false);
    state.move(1);

    state.decided(answer(b, 'approved', 'pending'));

    expect(state.items.map((shown) => shown.id)).toEqual(['a', 'c']);
    expect(state.current?.id).toBe('c');
    expect(state.counts).toEqual({ pending: 2, flagged: 0 });
    expect(state.lastDecision).toMatchObject({ index: 1, status: 'approved', moderatedAt: '2030-01-01T00:01:00.000Z' });
  });

  it('selects the one before when the last comment is decided, and stops at either end', () => {
    const state = new QueueState('pending');
    const [a, b] = [item('a'), item('b')];
    state.load(page([a, b]), false);

    expect(state.move(-1)).toBe(false);
    expect(state.move(1)).toBe(true);
    expect(state.move(1)).toBe(false);
    state.decided(answer(b, 'rejected', 'pending'));

    expect(state.current?.id).toBe('a');
  });

  it('puts an undone comment back where it was, selected, and counts it again', () => {
    const state = new QueueState('pending');
    const [a, b, c] = [item('a'), item('b'), item('c')];
    state.load(page([a, b, c]), false);
    state.move(1);
    state.decided(answer(b, 'hidden', 'pending'));

    state.undone(answer(b, 'pending', null));

    expect(state.items.map((shown) => shown.id)).toEqual(['a', 'b', 'c']);
    expect(state.current?.id).toBe('b');
    expect(state.counts).toEqual({ pending: 3, flagged: 0 });
    expect(state.lastDecision).toBeNull();
  });

  it('offers no undo for a delete', () => {
    const state = new QueueState('flagged');
    const a = item('a', 'flagged');
    state.load(page([a], { pending: 0, flagged: 1 }), false);

    state.decided({ ...answer(a, 'deleted', null), moderatedAt: '2030-01-01T00:01:00.000Z' });

    expect(state.lastDecision).toBeNull();
    expect(state.counts).toEqual({ pending: 0, flagged: 0 });
  });

  it('neither shows nor counts a decided comment that a later page still lists', () => {
    const state = new QueueState('pending');
    const [a, b] = [item('a'), item('b')];
    state.load(page([a, b]), false);
    state.decided(answer(a, 'approved', 'pending'));

    state.load(page([a, b], { pending: 2, flagged: 4 }), false);

    expect(state.items.map((shown) => shown.id)).toEqual(['b']);
    expect(state.counts).toEqual({ pending: 1, flagged: 4 });
  });

  it('appends the next page without repeating what is shown', () => {
    const state = new QueueState('pending');
    state.load(page([item('a'), item('b')], { pending: 3, flagged: 0 }, 'next'), false);

    state.load(page([item('b'), item('c')], { pending: 3, flagged: 0 }), true);

    expect(state.items.map((shown) => shown.id)).toEqual(['a', 'b', 'c']);
    expect(state.nextCursor).toBeNull();
  });
});
