import type middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { isDomainError } from '../errors';
import { errorResponse, type HttpResult } from './responses';

/**
 * Turns every failure into the API's one error shape, `{ error: { code, message, details? } }`.
 * Domain errors keep their status, code and details; anything else is an internal fault: it is
 * logged in full here and reaches the client only as a 500 with the request id, so no stack
 * trace or AWS internals ever leak.
 */
export function jsonErrors(options: { logger: Logger }): middy.MiddlewareObj<unknown, HttpResult, Error, Context> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (isDomainError(error)) {
        if (error.statusCode >= 500) options.logger.error('Request failed', { error });
        request.response = errorResponse(
          error.statusCode,
          { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
          error.headers,
          error.bodyFields,
        );
        return;
      }
      options.logger.error('Unhandled error', { error: error as Error });
      request.response = errorResponse(500, {
        code: 'internal_error',
        message: 'The request could not be completed. Quote the request id when reporting this.',
        requestId: request.context?.awsRequestId,
      });
    },
  };
}
