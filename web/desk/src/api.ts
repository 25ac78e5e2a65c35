/**
 * The desk's client of the newsroom API: every editor route, called with the editor's access
 * token through `auth.fetch` (which refreshes it, and retries once on a 401). Answers are typed by
 * shapes.ts; refusals become {@link ApiError}s, which {@link describeError} turns into what the
 * desk shows in place. No DOM, so the unit tests run it in Node.
 */
import { ApiError, readReply } from '../../shared/api-reply';
import { SignInRequired } from './auth';
import type {
  AlertPage,
  CommentSettings,
  Decision,
  EditorComment,
  ErrorReport,
  ErrorReportWithContact,
  QueuePage,
  QueueStatus,
  ReaderBan,
  ReaderRecord,
  ReportPage,
  ReportStatus,
  Story,
  StoryComments,
  UndoableDecision,
} from './shapes';
import { fill, plural, strings } from './strings';

export { ApiError };

/** What the desk needs of the sign-in module: `fetch` with the editor's token. */
export interface TokenFetch {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** The queue's page size: enough to work through without paging often, small enough to load fast. */
export const QUEUE_PAGE_SIZE = 25;
export const LIST_PAGE_SIZE = 20;

export class DeskApi {
  constructor(
    private readonly base: string,
    private readonly auth: TokenFetch,
  ) {}

  queue(status: QueueStatus, cursor: string | null = null, limit = QUEUE_PAGE_SIZE): Promise<QueuePage> {
    return this.get(`/moderation/comments${query({ status, limit, cursor })}`);
  }

  decide(commentId: string, status: Decision): Promise<EditorComment> {
    return this.send('PATCH', `/comments/${encodeURIComponent(commentId)}`, { status });
  }

  /** Takes back the decision named by its status and the `moderatedAt` its answer gave. */
  undo(commentId: string, status: UndoableDecision, moderatedAt: string): Promise<EditorComment> {
    return this.send('PATCH', `/comments/${encodeURIComponent(commentId)}`, { undo: { status, moderatedAt } });
  }

  reader(
    readerId: string,
    cursors: { commentsCursor?: string | null; flagsCursor?: string | null } = {},
  ): Promise<ReaderRecord> {
    return this.get(
      `/moderation/readers/${encodeURIComponent(readerId)}${query({ limit: LIST_PAGE_SIZE, ...cursors })}`,
    );
  }

  /** `until` null: until an editor lifts it. */
  ban(readerId: string, until: Date | null, reason: string | null): Promise<ReaderBan> {
    return this.send('PUT', `/readers/${encodeURIComponent(readerId)}/ban`, {
      ...(until ? { until: until.toISOString() } : {}),
      ...(reason ? { reason } : {}),
    });
  }

  unban(readerId: string): Promise<void> {
    return this.send('DELETE', `/readers/${encodeURIComponent(readerId)}/ban`);
  }

  story(articleId: string): Promise<Story> {
    return this.get(`/articles/${encodeURIComponent(articleId)}`);
  }

  async commentsOpen(articleId: string): Promise<boolean> {
    const listing = await this.get<StoryComments>(`/articles/${encodeURIComponent(articleId)}/comments?limit=1`);
    return listing.commentsOpen;
  }

  setCommentsOpen(articleId: string, commentsOpen: boolean): Promise<CommentSettings> {
    return this.send('PATCH', `/articles/${encodeURIComponent(articleId)}/comment-settings`, { commentsOpen });
  }

  reports(
    status: ReportStatus,
    articleId: string | null = null,
    cursor: string | null = null,
    limit = LIST_PAGE_SIZE,
  ): Promise<ReportPage> {
    return this.get(`/error-reports${query({ status, articleId, limit, cursor })}`);
  }

  report(reportId: string): Promise<ErrorReportWithContact> {
    return this.get(`/error-reports/${encodeURIComponent(reportId)}`);
  }

  moveReport(
    reportId: string,
    move: { status: ReportStatus; note: string | null; correction: string | null },
  ): Promise<ErrorReport> {
    return this.send('PATCH', `/error-reports/${encodeURIComponent(reportId)}`, {
      status: move.status,
      ...(move.note ? { note: move.note } : {}),
      ...(move.correction ? { correction: move.correction } : {}),
    });
  }

  alerts(since: string | null, cursor: string | null = null, limit = 100): Promise<AlertPage> {
    return this.get(`/editor/alerts${query({ since, limit, cursor })}`);
  }

  private get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  private send<T>(method: 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = this.base.replace(/\/+$/, '') + path;
    // `cache` is typed here even where RequestInit does not name it (Node's types, in the unit tests).
    const init: RequestInit & { cache: 'no-store' } = {
      method,
      // The desk reads what is true now: never a copy the browser kept of an earlier answer.
      cache: 'no-store',
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    };
    let response: Response;
    try {
      response = await this.auth.fetch(url, init);
    } catch (error) {
      if (error instanceof SignInRequired) throw error;
      throw new ApiError(0, 'unreachable', strings.unreachable);
    }
    return readReply<T>(response);
  }
}

/** `?a=1&b=2`, leaving out empty values. */
function query(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** What the desk shows for a failed request: the API's own message and field details, or why not. */
export function describeError(error: unknown): string {
  if (error instanceof SignInRequired) return strings.sessionEnded;
  if (!(error instanceof ApiError)) return strings.unreachable;
  if (error.status === 0) return error.message;
  if (error.status === 429) {
    const wait = error.retryAfter ?? 60;
    return fill(strings.tooManyTries, {
      wait: wait < 90 ? plural(strings.seconds, wait) : plural(strings.minutes, Math.ceil(wait / 60)),
    });
  }
  if (error.status >= 500) {
    return fill(strings.serverFailed, { status: error.status, detail: error.message || error.code });
  }
  if (error.status === 403 && error.code !== 'reader_banned' && !error.message) {
    return fill(strings.notAllowed, { message: error.code });
  }
  const fields = error.details.map((detail) => `${detail.path.replace(/^(body|query|path)\./, '')}: ${detail.message}`);
  return [error.message || fill(strings.requestFailed, { status: error.status }), ...fields].join(' ');
}
