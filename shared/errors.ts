/**
 * One error class per kind of failure the domain can report. Each carries the HTTP status and
 * a stable machine-readable code; the HTTP error middleware is the only place that turns them
 * into responses. Anything that is not a DomainError is an internal fault and reaches clients
 * only as a generic 500.
 */
import type { ErrorDetail } from './error-detail';

export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly details?: ErrorDetail[];
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers?: Record<string, string>;
  /**
   * Fields the response body carries beside `error`, for the rare refusal that also answers
   * (a second vote gets the results and the vote that stands).
   */
  readonly bodyFields?: object & { error?: never };

  constructor(message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = new.target.name;
    if (details && details.length > 0) this.details = details;
  }
}

export class ValidationError extends DomainError {
  readonly statusCode = 400;
  readonly code = 'validation_failed';
}

export class UnauthorizedError extends DomainError {
  readonly statusCode = 401;
  readonly code = 'unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly statusCode = 403;
  /** Subclasses name the refusal more precisely (`not_author`). */
  readonly code: string = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly statusCode = 404;
  readonly code = 'not_found';
}

export class ConflictError extends DomainError {
  readonly statusCode = 409;
  /** Subclasses name the conflict more precisely (`edit_window_closed`). */
  readonly code: string = 'conflict';
}

export class PayloadTooLargeError extends DomainError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
}

/** Well-formed input that the domain refuses, e.g. a page that cannot be parsed into a story. */
export class UnprocessableError extends DomainError {
  readonly statusCode = 422;
  readonly code: string;
  constructor(code: string, message: string, details?: ErrorDetail[]) {
    super(message, details);
    this.code = code;
  }
}

export class RateLimitedError extends DomainError {
  readonly statusCode = 429;
  readonly code = 'rate_limited';
  override readonly headers: Record<string, string>;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
