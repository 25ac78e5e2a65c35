import { runInOrderUntilFailure } from '../../shared/concurrency';

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
      await new Promise((resolve) => setTimeout(resolve, 5));
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
      await new Promise((resolve) => setTimeout(resolve, 10));
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
