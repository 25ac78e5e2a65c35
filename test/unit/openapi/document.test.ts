import { readFile } from 'node:fs/promises';
import {
  buildOpenApiDocument,
  EDITOR_SECURITY_SCHEME,
  READER_SECURITY_SCHEME,
  routeKey,
} from '../../../infra/openapi/document';
import { OPENAPI_FILE } from '../../../infra/openapi/render';
import { isHttp, topology, type Topology } from '../../../infra/topology';
import { ROUTE_CONTRACTS, openApiDocumentSchema } from '../../../shared/http/contracts';
import { bannedReaderResponses } from '../../../shared/http/contracts/readers';
import { apiEvent, lambdaContext } from '../../support/api-events';

/**
 * The OpenAPI document as generated: complete against the topology, consistent in itself, and
 * committed as generated (what `GET /openapi.json` bundles). The e2e contract test checks the
 * running API against the same contracts.
 */
const document = buildOpenApiDocument(topology);
const httpFunctions = topology.functions.filter(isHttp);
type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
const operationOf = (method: string, path: string) => document.paths[path]?.[method.toLowerCase()] as Operation;

describe('the OpenAPI document', () => {
  it('has every route of the topology, with its method, function name and access', () => {
    // Assess
    for (const fn of httpFunctions) {
      const operation = operationOf(fn.trigger.method, fn.trigger.path);
      expect({ route: routeKey(fn.trigger), operationId: operation?.operationId }).toEqual({
        route: routeKey(fn.trigger),
        operationId: fn.name,
      });
      if (fn.trigger.access === 'editor') {
        expect(operation.security).toEqual([{ [EDITOR_SECURITY_SCHEME]: [] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      } else if (fn.trigger.access === 'reader') {
        expect(operation.security).toEqual([{ [READER_SECURITY_SCHEME]: [] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401']));
        // The reader authenticator refuses a banned reader on every reader route: each route's 403
        // documents the refusal and its schema takes the refusal's body.
        const forbidden = ROUTE_CONTRACTS[routeKey(fn.trigger)]!.responses[403];
        const refusal = { error: { code: 'reader_banned', message: 'Banned' }, until: null };
        expect({
          route: routeKey(fn.trigger),
          documented: forbidden?.description.startsWith(bannedReaderResponses[403].description),
          accepted: forbidden?.schema?.safeParse(refusal).success,
        }).toEqual({ route: routeKey(fn.trigger), documented: true, accepted: true });
      } else {
        expect(operation.security).toBeUndefined();
      }
    }
    const operations = Object.values(document.paths).reduce((sum, byMethod) => sum + Object.keys(byMethod).length, 0);
    expect(operations).toBe(httpFunctions.length);
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes[EDITOR_SECURITY_SCHEME]).toMatchObject({ scheme: 'bearer' });
    expect(document.components.securitySchemes[READER_SECURITY_SCHEME]).toMatchObject({ scheme: 'bearer' });
    // The five reader writes, written out: each takes the reader from a verified token.
    expect(
      httpFunctions
        .filter((fn) => fn.trigger.access === 'reader')
        .map((fn) => routeKey(fn.trigger))
        .sort(),
    ).toEqual([
      'DELETE /comments/{commentId}',
      'POST /articles/{articleId}/comments',
      'POST /articles/{articleId}/error-reports',
      'POST /articles/{articleId}/poll/votes',
      'POST /comments/{commentId}/flags',
      'POST /comments/{commentId}/votes',
      'PUT /comments/{commentId}/text',
    ]);
  });

  it('declares every path parameter, documents a JSON body for every response but a 204, and every $ref resolves', () => {
    for (const fn of httpFunctions) {
      const operation = operationOf(fn.trigger.method, fn.trigger.path);
      const inPath = [...fn.trigger.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect({ route: routeKey(fn.trigger), path: declared.map((p) => p.name) }).toEqual({
        route: routeKey(fn.trigger),
        path: inPath,
      });
      expect(declared.every((p) => p.required)).toBe(true);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect({
          route: routeKey(fn.trigger),
          status,
          schema: typeof response.content?.['application/json']?.schema,
        }).toEqual({ route: routeKey(fn.trigger), status, schema: status === '204' ? 'undefined' : 'object' });
      }
    }
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(document.components.schemas).toHaveProperty([name]);
  });

  it('describes request fields from the handlers’ schemas: query values as the strings they arrive as, bodies strict', () => {
    const listing = operationOf('GET', '/articles/{articleId}/comments');
    const postComment = operationOf('POST', '/articles/{articleId}/comments');

    expect(listing.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'limit',
          in: 'query',
          required: false,
          schema: expect.objectContaining({ type: 'string' }),
        }),
        expect.objectContaining({
          name: 'sort',
          in: 'query',
          schema: { type: 'string', enum: ['newest', 'oldest', 'top'] },
        }),
      ]),
    );
    expect(postComment.requestBody?.content['application/json']).toMatchObject({
      // `author` is required of anonymous readers only (a signed-in reader is named by the site): the handler says so.
      schema: { type: 'object', required: ['body'], additionalProperties: false },
    });
    expect(operationOf('POST', '/articles').requestBody?.content).toHaveProperty(['text/html']);
  });

  it('refuses a route without a contract and a contract without a route', () => {
    // Prepare
    const extraRoute: Topology = {
      functions: [
        ...topology.functions,
        {
          name: 'list-widgets',
          description: 'x',
          trigger: { kind: 'http', method: 'GET', path: '/widgets', access: 'public' },
          needs: {},
        },
      ],
    };
    const withoutOpenApi: Topology = {
      functions: topology.functions.filter((fn) => fn.name !== 'get-openapi'),
    };

    // Act / Assess
    expect(() => buildOpenApiDocument(extraRoute)).toThrow('GET /widgets');
    expect(() => buildOpenApiDocument(withoutOpenApi, ROUTE_CONTRACTS)).toThrow('GET /openapi.json');
  });

  it('is committed as generated: run `npm run openapi` after changing a route or a schema', async () => {
    const committed = await readFile(OPENAPI_FILE, 'utf8');

    // Compared as data: the file's layout is prettier's, which is the script's business.
    expect(JSON.parse(committed)).toEqual(document);
  });

  it('is what GET /openapi.json serves, cacheable and in the documented shape', async () => {
    // Prepare
    const { handler } = await import('../../../functions/get-openapi/handler');

    // Act
    const result = await handler(apiEvent({ method: 'GET', path: '/openapi.json' }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers['cache-control']).toBe('public, max-age=3600');
    const served = JSON.parse(result.body as string);
    expect(served).toEqual(document);
    expect(openApiDocumentSchema.safeParse(served).success).toBe(true);
  });
});
