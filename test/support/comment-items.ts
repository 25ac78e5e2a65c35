/**
 * A comment item as the table stores it (see shared/adapters/comments/dynamo-comment-items.ts), for unit
 * tests that mock DynamoDB. One definition, so a new stored field is added to every test at once.
 */
export function storedCommentItem(articleId: string, suffix: string, overrides: Record<string, unknown> = {}) {
  const id = `${articleId}.${suffix}`;
  return {
    pk: `ARTICLE#${articleId}`,
    sk: `COMMENT#${suffix}`,
    id,
    articleId,
    threadId: id,
    parentId: null,
    author: 'Ann',
    body: 'Hello',
    createdAt: '2026-01-01T00:00:00.000Z',
    status: 'approved',
    score: 0,
    replyCount: 0,
    flagCount: 0,
    flagsAtReview: 0,
    flagReasons: { offensive: 0, abusive: 0, spam: 0, other: 0 },
    origin: 'reader',
    heldFor: null,
    moderatedBy: null,
    moderatedAt: null,
    version: 1,
    countedVisible: true,
    ...overrides,
  };
}
