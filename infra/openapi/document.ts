/**
 * Generates the API's OpenAPI 3.1 document from the topology's HTTP routes and their contracts
 * (shared/http/contracts): request parameters and bodies from the schemas the handlers validate
 * with, responses from the schemas the contract tests check real responses against. A route
 * without a contract, or a contract without a route, is an error rather than a silent gap.
 */
import packageJson from '../../package.json';
import { ROUTE_CONTRACTS } from '../../shared/http/contracts';
import { errorBodySchema, type RouteContract, type RouteContracts } from '../../shared/http/route-contract';
import * as z from '../../shared/validation';
import { isHttp, type FunctionDeclaration, type HttpTrigger, type Topology } from '../topology';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  tags: { name: string }[];
}

export const EDITOR_SECURITY_SCHEME = 'editorJwt';
/** Reader routes: a reader token (ours or the site's), verified by the handler. */
export const READER_SECURITY_SCHEME = 'readerToken';
const ERROR_SCHEMA_NAME = 'Error';

/** `METHOD /path`, the key of a route in the contracts, the bad-input specs and API Gateway. */
export function routeKey(trigger: Pick<HttpTrigger, 'method' | 'path'>): string {
  return `${trigger.method} ${trigger.path}`;
}

export function buildOpenApiDocument(topology: Topology, contracts: RouteContracts = ROUTE_CONTRACTS): OpenApiDocument {
  const routes = topology.functions.filter(isHttp);
  const missing = routes.map((fn) => routeKey(fn.trigger)).filter((key) => !contracts[key]);
  if (missing.length > 0) throw new Error(`Routes without a contract (shared/http/contracts): ${missing.join(', ')}`);
  const declared = new Set(routes.map((fn) => routeKey(fn.trigger)));
  const orphans = Object.keys(contracts).filter((key) => !declared.has(key));
  if (orphans.length > 0) throw new Error(`Contracts for routes the topology lacks: ${orphans.join(', ')}`);

  const paths: OpenApiDocument['paths'] = {};
  for (const fn of routes) {
    const operations = (paths[fn.trigger.path] ??= {});
    operations[fn.trigger.method.toLowerCase()] = operation(fn, contracts[routeKey(fn.trigger)]!);
  }
  const tags = [...new Set(routes.flatMap((fn) => contracts[routeKey(fn.trigger)]!.tags))];
  return {
    openapi: '3.1.0',
    info: {
      title: packageJson.name,
      version: packageJson.version,
      description: packageJson.description,
      license: { name: packageJson.license, identifier: packageJson.license },
    },
    paths,
    components: {
      schemas: { [ERROR_SCHEMA_NAME]: jsonSchema(errorBodySchema, 'output') },
      securitySchemes: {
        [READER_SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A reader token from `POST /readers/anonymous`, or, for a reader signed in on the news site, the JWT the ' +
            'site signs for them (issuer, audience and key as the deployment configures; see docs/api.md, Reader ' +
            'identity). The reader is taken from the token, never from the body.',
        },
        [EDITOR_SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token of a member of the editors group.',
        },
      },
    },
    tags: tags.map((name) => ({ name })),
  };
}

function operation(fn: FunctionDeclaration & { trigger: HttpTrigger }, contract: RouteContract): Operation {
  const { request = {} } = contract;
  const parameters = [
    ...parametersOf(request.path, 'path'),
    ...parametersOf(request.query, 'query'),
    ...parametersOf(request.headers, 'header'),
  ];
  return {
    operationId: fn.name,
    summary: contract.summary,
    description: contract.description ?? fn.description,
    tags: [...contract.tags],
    ...(fn.trigger.access === 'editor' ? { security: [{ [EDITOR_SECURITY_SCHEME]: [] }] } : {}),
    ...(fn.trigger.access === 'reader' ? { security: [{ [READER_SECURITY_SCHEME]: [] }] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(request.body ? { requestBody: requestBody(request.body) } : {}),
    responses: Object.fromEntries(
      Object.entries(contract.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(response.headers).map(([name, description]) => [
                    name,
                    { description, schema: { type: 'string' } },
                  ]),
                ),
              }
            : {}),
          ...(response.schema
            ? {
                content: {
                  'application/json': {
                    schema:
                      response.schema === errorBodySchema
                        ? { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` }
                        : jsonSchema(response.schema, 'output'),
                  },
                },
              }
            : {}),
        },
      ]),
    ),
  };
}

function requestBody(body: NonNullable<NonNullable<RouteContract['request']>['body']>): Operation {
  if ('mediaTypes' in body) {
    return {
      required: true,
      description: body.description,
      content: Object.fromEntries(body.mediaTypes.map((type) => [type, { schema: { type: 'string' } }])),
    };
  }
  return { required: true, content: { 'application/json': { schema: jsonSchema(body, 'input') } } };
}

/** One parameter per property of an object schema; path parameters are always required. */
function parametersOf(schema: z.ZodMiniType | undefined, location: 'path' | 'query' | 'header'): Operation[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * The JSON Schema (2020-12, OpenAPI 3.1's dialect) of a zod schema. Requests are described as
 * the client sends them (`input`: the string a query number arrives as, before its transform);
 * responses as the handler returns them (`output`).
 */
function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}
