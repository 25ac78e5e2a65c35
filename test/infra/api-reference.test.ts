/**
 * The API reference as the stack deploys it, every expectation written out: `/docs/api` and
 * `/docs/api/*` on the readers' distribution from the widget bucket, through the one path function
 * the desk's behaviours use too, under a headers policy of its own (a CSP without inline script or
 * style that connects only to the API); the page and Swagger UI's files in the distribution's two
 * deployments (the page among the five-minute files, naming the API; the rest content-hashed, a
 * year); the document the page reads is the API's own route, cached by the CDN.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { API_REFERENCE_PATH, OPENAPI_DOCUMENT_PATH } from '../../infra/api-reference/api-reference';
import { PAGE_PATHS_FUNCTION } from '../../infra/constructs/reader-cdn';
import { NewsroomStack } from '../../infra/stack';
import { CACHED_READS } from '../../infra/topology/cdn';
import { topology } from '../../infra/topology';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

const app = testApp();
const stack = new NewsroomStack(app, 'Newsroom');
const template = Template.fromStack(stack);
app.synth();
const resources: Record<string, Json> = template.toJSON().Resources;
const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
const config: Json = distribution!.Properties.DistributionConfig;
const ofType = (type: string, prefix = '') =>
  Object.entries(resources).filter(([id, resource]) => resource.Type === type && id.startsWith(prefix));
const apiEndpoint = { 'Fn::GetAtt': [expect.stringMatching(/^Api/), 'ApiEndpoint'] };

describe('serving the API reference', () => {
  const behaviours = (config.CacheBehaviors as Json[]).filter((b) => b.PathPattern.startsWith('/docs/api'));
  const [functionId] = ofType('AWS::CloudFront::Function')[0]!;
  const headers = ofType('AWS::CloudFront::ResponseHeadersPolicy', 'ApiReference');

  it('serves /docs/api and /docs/api/* from the widget bucket through the pages’ path function, under its own headers', () => {
    const widgetOrigin = (config.Origins as Json[]).find((origin) => origin.S3OriginConfig)!;
    expect(headers).toHaveLength(1);
    const behaviour = {
      TargetOriginId: widgetOrigin.Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // CloudFront's managed CachingOptimized
      Compress: true,
      ResponseHeadersPolicyId: { Ref: headers[0]![0] },
      FunctionAssociations: [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ],
    };

    expect(behaviours).toEqual([
      { PathPattern: '/docs/api', ...behaviour },
      { PathPattern: '/docs/api/*', ...behaviour },
    ]);
    // One function for every page: the desk's behaviours name the same one.
    expect(ofType('AWS::CloudFront::Function')).toHaveLength(1);
    const deskBehaviour = (config.CacheBehaviors as Json[]).find((b) => b.PathPattern === '/desk/*')!;
    expect(deskBehaviour.FunctionAssociations).toEqual(behaviour.FunctionAssociations);
  });

  it('sends the page with a CSP that allows no inline script or style and connects only to the API', () => {
    expect(headers[0]![1].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: {
        ContentSecurityPolicy: {
          'Fn::Join': [
            '',
            [
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ",
              apiEndpoint,
              "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ],
          ],
        },
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
    });
  });

  it.each([
    ['/docs/api/', {}, { uri: '/docs/api/index.html' }],
    ['/docs/api/swagger-ui-bundle-ABC123.js', {}, { uri: '/docs/api/swagger-ui-bundle-ABC123.js' }],
    [
      '/docs/api',
      {},
      { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/docs/api/' } } },
    ],
  ])('the path function takes %s %j to %j', (uri, querystring, expected) => {
    // Run as CloudFront runs it: the code alone, in a context of its own.
    const handler = runInNewContext(`${PAGE_PATHS_FUNCTION}; handler`) as (event: Json) => Json;

    const result = handler({ request: { uri, querystring, headers: {} } });

    expect(result).toMatchObject(expected);
  });

  it('reads the API’s own document, on the distribution’s origin, which forwards it to the API and caches it', () => {
    const route = topology.functions.find(
      (fn) => fn.trigger.kind === 'http' && fn.trigger.method === 'GET' && fn.trigger.path === OPENAPI_DOCUMENT_PATH,
    );
    expect(route?.name).toBe('get-openapi');
    expect(CACHED_READS.map((read) => read.pathPattern)).toContain(OPENAPI_DOCUMENT_PATH);
  });

  it('outputs the page’s address', () => {
    expect(template.toJSON().Outputs.ApiReferenceUrl.Value).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^ReaderCdnDistribution/), 'DomainName'] }, '/docs/api/'],
      ],
    });
  });
});

describe('deploying the API reference’s files', () => {
  /** Every file each deployment carries, by its cache-control: key → asset directory, with its markers. */
  const deployed = Object.values(template.findResources('Custom::CDKBucketDeployment')).map((deployment) => {
    const files = new Map<string, { dir: string; markers: Json }>();
    (deployment.Properties.SourceObjectKeys as string[]).forEach((objectKey, i) => {
      const dir = join(app.outdir, `asset.${objectKey.replace(/\.zip$/, '')}`);
      const markers = (deployment.Properties.SourceMarkers as Json[] | undefined)?.[i] ?? {};
      for (const key of filesUnder(dir)) files.set(key, { dir, markers });
    });
    return { cacheControl: deployment.Properties.SystemMetadata['cache-control'] as string, files };
  });
  const hashed = deployed.find((d) => d.cacheControl === 'public, max-age=31536000, immutable')!;
  const shortLived = deployed.find((d) => d.cacheControl === 'public, max-age=300')!;
  const prefix = API_REFERENCE_PATH.slice(1);
  const underPrefix = (files: Map<string, unknown>) => [...files.keys()].filter((key) => key.startsWith(prefix)).sort();

  it('deploys the page with the five-minute files, naming the API for “Try it out”', () => {
    expect(underPrefix(shortLived.files)).toEqual([`${prefix}index.html`]);
    const { dir, markers } = shortLived.files.get(`${prefix}index.html`)!;
    const page = readFileSync(join(dir, prefix, 'index.html'), 'utf8');

    const api = /data-api="([^"]*)"/.exec(page)?.[1];
    expect(markers[api!]).toEqual(apiEndpoint);
    expect(page).toContain(`data-openapi="${OPENAPI_DOCUMENT_PATH}"`);
  });

  it('deploys with the hashed files exactly what the page names: Swagger UI’s files, unchanged, and the page’s own', () => {
    const { dir } = shortLived.files.get(`${prefix}index.html`)!;
    const page = readFileSync(join(dir, prefix, 'index.html'), 'utf8');
    const named = [...page.matchAll(/(?:src|href)="\/(docs\/api\/[^"]+)"/g)].map((match) => match[1]!).sort();

    expect(underPrefix(hashed.files)).toEqual(named);
    expect(named.map((key) => key.replace(/-[A-Z0-9]{8}\./, '-<hash>.')).sort()).toEqual([
      'docs/api/api-reference-<hash>.css',
      'docs/api/api-reference-<hash>.js',
      'docs/api/swagger-ui-<hash>.css',
      'docs/api/swagger-ui-bundle-<hash>.js',
    ]);
    const bundle = named.find((key) => key.includes('swagger-ui-bundle'))!;
    expect(sha256(join(hashed.files.get(bundle)!.dir, bundle))).toBe(
      sha256(require.resolve('swagger-ui-dist/swagger-ui-bundle.js')),
    );
  });
});

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The files under an asset directory, as bucket keys (`docs/api/index.html`). */
function filesUnder(dir: string, relative = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(join(dir, relative), { withFileTypes: true }).flatMap((entry) => {
    const key = relative ? `${relative}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, key) : [key];
  });
}
