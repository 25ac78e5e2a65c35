import type { ReaderBans } from '../identity/reader-bans';
import type { Clock } from '../ports';
import type { ReaderRecord } from './comment-shapes';
import { toEditorView } from './comment-view';
import type { CommentTextHistory, ReaderActivity } from './ports';

export interface ReaderRecordDependencies {
  activity: ReaderActivity;
  texts: Pick<CommentTextHistory, 'replacedTexts'>;
  bans: ReaderBans;
  clock: Clock;
}

/**
 * What editors see of one reader before they decide on a ban: the ban in force and the history
 * of bans, and a page each of the reader's comments (with the texts they replaced when they
 * edited) and of their flags, newest first. An unknown reader id is an empty record, not a 404:
 * ids are opaque and a reader who has done nothing yet is still a reader.
 */
export async function readReaderRecord(
  deps: ReaderRecordDependencies,
  query: { readerId: string; limit: number; commentsCursor?: string; flagsCursor?: string },
): Promise<ReaderRecord> {
  const page = (cursor: string | undefined) => ({ limit: query.limit, ...(cursor !== undefined ? { cursor } : {}) });
  const [ban, banHistory, comments, flags] = await Promise.all([
    deps.bans.activeBan(query.readerId, deps.clock.now()),
    deps.bans.banHistory(query.readerId),
    deps.activity.comments(query.readerId, page(query.commentsCursor)),
    deps.activity.flags(query.readerId, page(query.flagsCursor)),
  ]);
  const items = await Promise.all(
    comments.items.map(async (comment) => ({
      ...toEditorView(comment),
      replacedTexts: comment.editedAt === null ? [] : await deps.texts.replacedTexts(comment.id),
    })),
  );
  return {
    readerId: query.readerId,
    ban: ban === null ? null : { until: ban.until?.toISOString() ?? null },
    banHistory,
    comments: { items, nextCursor: comments.nextCursor },
    flags,
  };
}
