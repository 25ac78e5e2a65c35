import type * as z from '../validation';
import type { ErrorDetail } from '../error-detail';
import { ValidationError } from '../errors';

export type InputLocation = 'path' | 'query' | 'body' | 'header';

/**
 * Validates one part of a request against its schema. Failures become a 400 whose details
 * name each offending field (`query.limit`), which is all a client needs to fix its call.
 */
export function parseInput<S extends z.ZodMiniType>(schema: S, value: unknown, location: InputLocation): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.flatMap((issue) =>
    // An unknown field is reported at its own path, so the client sees which one to drop.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [location, ...issue.path.map(String), key].join('.'),
          message: 'Unknown field',
        }))
      : [{ path: [location, ...issue.path.map(String)].join('.'), message: issue.message }],
  );
  throw new ValidationError(`Invalid ${location}`, details);
}
