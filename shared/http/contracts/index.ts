/**
 * Every route's contract, keyed `METHOD /path` exactly as in the topology. The OpenAPI document
 * is generated from this registry and refuses a topology route that has no entry here.
 */
import { alertContracts } from './alerts';
import { articleContracts } from './articles';
import { commentContracts } from './comments';
import { reportContracts } from './error-reports';
import { pollContracts } from './polls';
import { readerContracts } from './readers';
import * as z from '../../validation';
import { errorResponses, type RouteContracts } from '../route-contract';

/** The served document: checked loosely, as its full shape is OpenAPI's, not ours. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

const apiContracts: RouteContracts = {
  'GET /openapi.json': {
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of the API, generated from the schemas the handlers validate with.',
    tags: ['meta'],
    responses: {
      200: { description: 'The OpenAPI document.', schema: openApiDocumentSchema },
      ...errorResponses([500]),
    },
  },
};

export const ROUTE_CONTRACTS: RouteContracts = {
  ...articleContracts,
  ...reportContracts,
  ...commentContracts,
  ...pollContracts,
  ...readerContracts,
  ...alertContracts,
  ...apiContracts,
};
