/**
 * The contract of the editors' alerts route: its query schema (shared with the handler) and the
 * page it answers with, which the alerts domain defines (alerts/alert-shapes).
 */
import { alertPageSchema } from '../../alerts/alert-shapes';
import { alertsQuerySchema } from '../../alerts/input';
import { errorResponses, type RouteContracts } from '../route-contract';

export const alertContracts: RouteContracts = {
  'GET /editor/alerts': {
    summary: "The editors' alerts",
    description:
      'New error reports and refused ingests, newest first, from the list the editor-alert rule keeps ' +
      '(14 days). Every editor reads the same list; pass `since` (the `recordedAt` of the newest alert ' +
      'already seen: inclusive, so skip ids already shown) for what came after. No reader contact, ' +
      'token or address: an error report alert names the story, the category and an excerpt with ' +
      'e-mail addresses masked; open the report for the rest.',
    tags: ['editor alerts'],
    request: { query: alertsQuerySchema },
    responses: {
      200: { description: 'A page of alerts.', schema: alertPageSchema },
      ...errorResponses([400, 401, 403, 500]),
    },
  },
};
