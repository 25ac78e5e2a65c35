/**
 * The readers' CDN as the stack deploys it (issue 13), with every expectation written out: the
 * widget from a private bucket through origin access control, the API's public reads cached for
 * the times below with a cache key of path and query string only (never `Authorization`), no
 * `Host` header to the API, writes never through the CDN, CORS for the sites' origins with
 * `Retry-After` exposed, and the outputs a newsroom embeds from.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { NewsroomStack } from '../../infra/stack';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

const synth = (extra: Record<string, unknown> = {}) => {
  const app = testApp();
  const stack = new NewsroomStack(app, 'Newsroom', extra);
  return { stack, template: Template.fromStack(stack) };
};
const { stack, template } = synth();
const resources: Record<string, Json> = template.toJSON().Resources;
const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
const config: Json = distribution!.Properties.DistributionConfig;
/**
 * The behaviours of the API's reads: every one but the pages' from the bucket (the desk's,
 * test/infra/editor-desk.test.ts, and the API reference's, test/infra/api-reference.test.ts).
 */
const bucketOriginId = (config.Origins as Json[]).find((origin) => origin.S3OriginConfig)!.Id;
const apiBehaviours = (config.CacheBehaviors as Json[]).filter(
  (behaviour) => behaviour.TargetOriginId !== bucketOriginId,
);
const cachePolicyOf = (behaviour: Json): Json => resources[behaviour.CachePolicyId.Ref]!.Properties.CachePolicyConfig;

describe('the reader CDN', () => {
  it('caches exactly the public reads, for these times, and nothing else of the API', () => {
    const reads = apiBehaviours.map((behaviour) => {
      const policy = cachePolicyOf(behaviour);
      return [behaviour.PathPattern, policy.DefaultTTL, policy.MaxTTL, behaviour.AllowedMethods];
    });

    expect(reads).toEqual([
      ['/articles/*/poll', 1, 1, ['GET', 'HEAD', 'OPTIONS']],
      ['/articles/*/comments', 5, 5, ['GET', 'HEAD', 'OPTIONS']],
      ['/comments/*/replies', 5, 5, ['GET', 'HEAD', 'OPTIONS']],
      ['/polls/top', 30, 30, ['GET', 'HEAD', 'OPTIONS']],
      ['/articles/*', 10, 10, ['GET', 'HEAD', 'OPTIONS']],
      ['/articles', 60, 60, ['GET', 'HEAD', 'OPTIONS']],
      ['/openapi.json', 300, 300, ['GET', 'HEAD', 'OPTIONS']],
    ]);
  });

  it('keys API reads by path and query string alone, and sends the API no headers (no Host, no Authorization) and no cookies', () => {
    for (const behaviour of apiBehaviours) {
      expect(cachePolicyOf(behaviour).ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        HeadersConfig: { HeaderBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      });
      expect(resources[behaviour.OriginRequestPolicyId.Ref]!.Properties.OriginRequestPolicyConfig).toMatchObject({
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        HeadersConfig: { HeaderBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      });
      expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
    }
  });

  it('reaches the API by its own host name over HTTPS, and the widget bucket through origin access control', () => {
    const [s3Origin, apiOrigin] = [...(config.Origins as Json[])].sort((a, b) =>
      a.S3OriginConfig ? -1 : b.S3OriginConfig ? 1 : 0,
    );

    expect(apiOrigin!.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
    expect(JSON.stringify(apiOrigin!.DomainName)).toContain('ApiF70053CD');
    expect(s3Origin!.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(s3Origin!.OriginAccessControlId).toBeDefined();
    const widgetBucketId = stack.getLogicalId(stack.cdn.widgetBucket.node.defaultChild as any);
    expect(resources[widgetBucketId]!.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const grants = Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .filter((policy) => policy.Properties.Bucket.Ref === widgetBucketId)
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => statement.Effect === 'Allow');
    expect(grants).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } }),
    ]);
  });

  it('serves the widget by default, cached as its objects say (minutes for the loader, a year for hashed chunks)', () => {
    expect(config.DefaultCacheBehavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // CloudFront's managed CachingOptimized
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
    });
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')).map(
      (deployment) => deployment.Properties.SystemMetadata,
    );
    expect(deployments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ 'cache-control': 'public, max-age=31536000, immutable' }),
        expect.objectContaining({ 'cache-control': 'public, max-age=300' }),
      ]),
    );
  });

  it('answers CORS for any origin by default, or only the sites named, exposing Retry-After, with security headers', () => {
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const named = synth({ allowedOrigins: ['https://news.example'] }).template;
    const [namedPolicy] = Object.values(named.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const cors: Json = policy!.Properties.ResponseHeadersPolicyConfig.CorsConfig;

    expect(cors.AccessControlAllowOrigins).toEqual({ Items: ['*'] });
    expect(namedPolicy!.Properties.ResponseHeadersPolicyConfig.CorsConfig.AccessControlAllowOrigins).toEqual({
      Items: ['https://news.example'],
    });
    expect(cors.AccessControlExposeHeaders.Items).toContain('retry-after');
    expect(cors.AccessControlAllowCredentials).toBe(false);
    expect(policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
    });
  });

  it('outputs the distribution’s domain and the embed snippet', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.CdnDomain.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ReaderCdnDistribution/), 'DomainName'],
    });
    expect(JSON.stringify(outputs.EmbedSnippet.Value)).toContain('/widget/v1/newsroom.js\\"></script> <newsroom-story');
  });
});
