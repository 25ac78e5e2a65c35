/**
 * How the browser code (the reader widget and the editor desk) reads an answer of the API: the
 * JSON body of a success, or an {@link ApiError} with the API's own code, message, field details
 * and `Retry-After`. One definition for both bundles, which each import it.
 */

/** The API's one error shape, as the browser code reads it (held against the server's by tsc). */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: ApiError['details'] };
}

/** An API refusal: its status, the API's code and message, field details and `Retry-After`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
    readonly retryAfter: number | null = null,
    /** The whole answer, for refusals that carry state (a second vote's 409 carries the first). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The parsed body of a successful answer (undefined for 204); throws {@link ApiError} otherwise. */
export async function readReply<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: reported by its status below.
  }
  if (response.ok) return parsed as T;
  const body = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const error: { code?: unknown; message?: unknown; details?: unknown } | null =
    body.error !== null && typeof body.error === 'object' ? body.error : null;
  // API Gateway's own refusals (its authorizer, its throttling) are `{ message }`.
  const message = error?.message ?? body.message;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : `http_${response.status}`,
    // Without the API's message (a proxy's error page), the caller says the request failed.
    typeof message === 'string' ? message : '',
    Array.isArray(error?.details) ? (error.details as ApiError['details']) : [],
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    body,
  );
}
