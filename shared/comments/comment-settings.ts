import { NotFoundError } from '../errors';
import type { Clock } from '../ports';
import type { CommentSettingsView } from './comment-shapes';
import type { CommentStore } from './ports';

/**
 * Closes or reopens comments on a story. The flag lives on a small item of its own beside the
 * story's, so re-ingesting the story (which rewrites its metadata) cannot reopen comments.
 */
export async function setCommentsOpen(
  deps: { comments: CommentStore; clock: Clock },
  input: { articleId: string; open: boolean; editor: string },
): Promise<CommentSettingsView> {
  if (!(await deps.comments.articleState(input.articleId))) throw new NotFoundError(`No article ${input.articleId}`);
  const at = deps.clock.now();
  await deps.comments.setCommentsOpen(input.articleId, input.open, { by: input.editor, at });
  return { articleId: input.articleId, commentsOpen: input.open, updatedAt: at.toISOString(), updatedBy: input.editor };
}
