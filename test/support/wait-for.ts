/**
 * Waiting in tests on something that happens in the background (a sweep, a stream batch, an
 * emulator notification): poll a condition until it holds, and fail with what was awaited once
 * the deadline passes, rather than sleeping a fixed time and hoping it was long enough.
 */
export interface WaitForOptions {
  /** What is awaited, in words; the failure message names it. */
  description: string;
  /**
   * Give up after this long. Default 15 s: what is awaited takes milliseconds on an idle machine,
   * but a loaded CI neighbour can slow it tenfold, and the deadline is for a hang, not for speed.
   */
  timeoutMs?: number;
  /** Pause between two checks. Default 20 ms. */
  intervalMs?: number;
}

/**
 * Resolves with the condition's first truthy result; rejects once `timeoutMs` has passed
 * without one, naming the `description` and the last error the condition threw, if any.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { description, timeoutMs = 15_000, intervalMs = 20 }: WaitForOptions,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await condition();
      if (result) return result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last check threw: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
