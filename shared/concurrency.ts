/** What {@link runInOrderUntilFailure} reports for each task that threw. */
export interface TaskFailure<Item> {
  item: Item;
  index: number;
  error: unknown;
}

/**
 * Runs `task` on the items in their order, at most `concurrency` at a time, and starts no item
 * after the first task that throws: the stream consumers' rule (stop at the first failure, let
 * the redelivery take the rest again), with a few stories' writes in flight at once instead of
 * one. Tasks already under way finish, so more than one may fail; every failure is returned,
 * and the items after them were not started.
 */
export async function runInOrderUntilFailure<Item>(
  items: readonly Item[],
  concurrency: number,
  task: (item: Item, index: number) => Promise<void>,
): Promise<TaskFailure<Item>[]> {
  const failures: TaskFailure<Item>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (error) {
        failures.push({ item: items[index]!, index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return failures;
}
