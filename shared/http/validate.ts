import type { z } from 'zod';
import { ValidationError, type ErrorDetail } from '../errors';

export type InputLocation = 'path' | 'query' | 'body' | 'header';

/**
 * Validates one part of a request against its schema. Failures become a 400 whose details
 * name each offending field (`query.limit`), which is all a client needs to fix its call.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, location: InputLocation): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(`Invalid ${location}`, details);
}
