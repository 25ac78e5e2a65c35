/**
 * What a route promises, as data: the schemas its handler validates the request with and the
 * schemas of the bodies it answers with, by status. The OpenAPI document is generated from these
 * (infra/openapi) and the contract tests validate real responses against the very same schemas,
 * so the document cannot describe an API the handlers do not serve. Handlers never import
 * contracts: they import only the request schemas, which keeps response schemas out of bundles.
 */
import { errorDetailSchema } from '../error-detail';
import * as z from '../validation';

/** The API's one error shape (see shared/http/json-errors). */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.array(errorDetailSchema)),
    requestId: z.optional(z.string()),
  }),
});

export type ErrorBody = z.output<typeof errorBodySchema>;

/**
 * A 401: the handler's and the local gateway's are in the error shape, but in AWS the HTTP API's
 * JWT authorizer answers before the handler runs, with API Gateway's own `{ message }` body.
 */
export const unauthorizedBodySchema = z.union([errorBodySchema, z.strictObject({ message: z.string() })]);

export interface ResponseContract {
  description: string;
  /** The body's schema; absent for a response without a body (204). */
  schema?: z.ZodMiniType;
  /** Response headers worth documenting, by name. */
  headers?: Record<string, string>;
}

/** A body the route reads as a document of one of `mediaTypes` rather than validated JSON. */
export interface DocumentBodyContract {
  mediaTypes: readonly string[];
  description: string;
}

export interface RouteContract {
  summary: string;
  description?: string;
  request?: {
    path?: z.ZodMiniType;
    query?: z.ZodMiniType;
    headers?: z.ZodMiniType;
    body?: z.ZodMiniType | DocumentBodyContract;
  };
  /** Every status the route answers with, success and failure. */
  responses: Record<number, ResponseContract>;
  /** Tags group operations in the rendered document. */
  tags: readonly string[];
}

/** Contracts by route key, `METHOD /path` exactly as in the topology. */
export type RouteContracts = Readonly<Record<string, RouteContract>>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed; `details` names each offending field.',
  401: 'A valid bearer token is required (in AWS, API Gateway answers `{ message }` before the handler runs).',
  403: 'The caller is not an editor.',
  404: 'The resource does not exist.',
  409: 'The request conflicts with the current state.',
  413: 'The body is larger than the route accepts.',
  415: 'The body is not of a media type the route accepts.',
  422: 'The input is well-formed but cannot be processed.',
  429: 'Too many requests from this source; `Retry-After` says when to try again.',
  500: 'An internal fault; quote `requestId` when reporting it.',
};

/** Error responses, all in the one error shape; `overrides` gives route-specific descriptions. */
export function errorResponses(
  statuses: readonly number[],
  overrides: Record<number, string> = {},
): Record<number, ResponseContract> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: overrides[status] ?? ERROR_DESCRIPTIONS[status] ?? 'An error.',
        schema: status === 401 ? unauthorizedBodySchema : errorBodySchema,
        ...(status === 429 ? { headers: { 'retry-after': 'Seconds to wait before retrying.' } } : {}),
      },
    ]),
  );
}
