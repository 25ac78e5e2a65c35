import { runInOrderUntilFailure } from '../../shared/concurrency';

/**
 * Keeps a task under way until the event loop's next turn: by then every task that could start
 * in this turn has started, and every failure already thrown has been seen. The tests rest on
 * that order of events, not on a timer being long enough.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runInOrderUntilFailure', () => {
  it('runs every item in order with at most the given number at a time', async () => {
    // Prepare
    const started: number[] = [];
    let running = 0;
    let mostAtOnce = 0;

    // Act
    const failures = await runInOrderUntilFailure([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      started.push(item);
      mostAtOnce = Math.max(mostAtOnce, ++running);
      await nextTurn();
      running--;
    });

    // Assess
    expect(failures).toEqual([]);
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(mostAtOnce).toBe(3);
  });

  it('starts nothing after the first failure, lets tasks under way finish, and returns every failure', async () => {
    // Prepare: item 2 fails at once while 1 and 3 are still running; 3 fails too.
    const finished: number[] = [];
    const boom = new Error('boom');

    // Act
    const failures = await runInOrderUntilFailure([1, 2, 3, 4, 5], 3, async (item) => {
      if (item === 2) throw boom;
      await nextTurn();
      if (item === 3) throw boom;
      finished.push(item);
    });

    // Assess
    expect(finished).toEqual([1]);
    expect(failures).toEqual([
      { item: 2, index: 1, error: boom },
      { item: 3, index: 2, error: boom },
    ]);
  });
});
