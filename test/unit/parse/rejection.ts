import { ArticleRejectedError, type RejectionCode } from '../../../shared/articles/parse';

/** Runs `act` and returns the ArticleRejectedError it throws; fails the test on any other outcome. */
export function rejectionFrom(act: () => unknown): ArticleRejectedError {
  try {
    act();
  } catch (error) {
    if (error instanceof ArticleRejectedError) return error;
    throw new Error(`Expected an ArticleRejectedError, got ${String(error)}`, { cause: error });
  }
  throw new Error('Expected an ArticleRejectedError, but nothing was thrown');
}

export function expectRejection(act: () => unknown, code: RejectionCode): ArticleRejectedError {
  const error = rejectionFrom(act);
  expect(error.code).toBe(code);
  return error;
}
