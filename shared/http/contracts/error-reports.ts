/**
 * The contracts of the error-report routes: request schemas (shared with the handlers) and the
 * response schemas, which the domain defines with the types it returns (error-reports/report-schema
 * and report-shapes).
 */
import { articleIdPathSchema } from '../../articles/article-schemas';
import { errorResponses, type RouteContracts } from '../route-contract';
import {
  listReportsQuerySchema,
  moveBodySchema,
  reportBodySchema,
  reportIdPathSchema,
} from '../../error-reports/input';
import { errorReportSchema } from '../../error-reports/report-schema';
import {
  errorReportWithContactSchema,
  reportPageSchema,
  submittedReportSchema,
} from '../../error-reports/report-shapes';
import { bannedReaderResponses } from './readers';

export const reportContracts: RouteContracts = {
  'POST /articles/{articleId}/error-reports': {
    summary: 'Report an error on a story',
    description: 'A repeat of the same report from the same source is the same report.',
    tags: ['error reports'],
    request: { path: articleIdPathSchema, body: reportBodySchema },
    responses: {
      202: { description: 'The report is accepted; the editors are alerted.', schema: submittedReportSchema },
      ...bannedReaderResponses,
      ...errorResponses([400, 401, 404, 413, 415, 429, 500]),
    },
  },
  'GET /error-reports': {
    summary: 'List error reports',
    description: 'The triage list by status (default `received`) and optionally story, newest first. No contacts.',
    tags: ['error reports'],
    request: { query: listReportsQuerySchema },
    responses: {
      200: { description: 'A page of reports.', schema: reportPageSchema },
      ...errorResponses([400, 401, 403, 500]),
    },
  },
  'GET /error-reports/{reportId}': {
    summary: 'Get an error report',
    description: "With its history and, until it is erased, the reader's contact.",
    tags: ['error reports'],
    request: { path: reportIdPathSchema },
    responses: {
      200: { description: 'The report.', schema: errorReportWithContactSchema },
      ...errorResponses([400, 401, 403, 404, 500]),
    },
  },
  'PATCH /error-reports/{reportId}': {
    summary: 'Move an error report forward',
    description: 'Closing it as `corrected` with a `correction` publishes the correction on the story.',
    tags: ['error reports'],
    request: { path: reportIdPathSchema, body: moveBodySchema },
    responses: {
      200: { description: 'The report as moved.', schema: errorReportSchema },
      ...errorResponses([400, 401, 403, 404, 409, 413, 415, 500], {
        409: 'The move is not forward, or the report is closed.',
      }),
    },
  },
};
