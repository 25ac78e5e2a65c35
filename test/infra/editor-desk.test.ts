/**
 * The editor desk as the stack deploys it (issue 15), every expectation written out: the user
 * pool's Cognito domain with managed login and its branding, the desk's public app client (code
 * flow only, the OIDC scopes, callback and sign-out URLs from the `deskUrl` context or the
 * distribution's `/desk/`), the API's JWT authorizer taking the desk's tokens, and the desk's
 * behaviours on the distribution (the bucket through origin access control, objects' own cache
 * lifetimes, a CSP without inline script) with the pages' function that serves `/desk/`.
 */
import { runInNewContext } from 'node:vm';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { deskUrlFromContext, domainPrefixFromContext } from '../../infra/constructs/editor-desk';
import { PAGE_PATHS_FUNCTION } from '../../infra/constructs/reader-cdn';
import { NewsroomStack } from '../../infra/stack';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

const synth = (context: Record<string, unknown> = {}) => {
  const stack = new NewsroomStack(testApp({ context }), 'Newsroom');
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources as Record<string, Json> };
};
const byDefault = synth();
const fromContext = synth({ deskUrl: 'https://news.example/desk/', authDomainPrefix: 'news-example-desk' });

const only = (resources: Record<string, Json>, type: string, prefix = ''): [string, Json] => {
  const found = Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0]!;
};
const [poolId] = only(byDefault.resources, 'AWS::Cognito::UserPool');
const [deskClientId, deskClient] = only(byDefault.resources, 'AWS::Cognito::UserPoolClient', 'EditorDeskClient');
const [domainId, domain] = only(byDefault.resources, 'AWS::Cognito::UserPoolDomain');
const distributionDomain = { 'Fn::GetAtt': [expect.stringMatching(/^ReaderCdnDistribution/), 'DomainName'] };
const defaultDeskUrl = { 'Fn::Join': ['', ['https://', distributionDomain, '/desk/']] };
const signInOrigin = {
  'Fn::Join': ['', ['https://', { Ref: domainId }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']],
};

describe('signing editors in', () => {
  it('gives the user pool a Cognito domain, named after the stack and its stack id, with managed login', () => {
    expect(domain.Properties).toEqual({
      UserPoolId: { Ref: poolId },
      Domain: {
        'Fn::Join': [
          '',
          [
            'newsroom-',
            {
              'Fn::Select': [
                0,
                { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] },
              ],
            },
          ],
        ],
      },
      ManagedLoginVersion: 2,
    });
  });

  it('takes the domain prefix from the authDomainPrefix context, and refuses one Cognito would', () => {
    const [, named] = only(fromContext.resources, 'AWS::Cognito::UserPoolDomain');

    expect(named.Properties.Domain).toBe('news-example-desk');
    expect(() => domainPrefixFromContext('News')).toThrow(/lowercase letters/);
    expect(() => domainPrefixFromContext('-desk')).toThrow(/lowercase letters/);
    expect(() => domainPrefixFromContext('my-aws-desk')).toThrow(/must not contain "aws"/);
    expect(domainPrefixFromContext(undefined)).toBeUndefined();
  });

  it('styles managed login for the desk’s client with Cognito’s own branding', () => {
    const [, branding] = only(byDefault.resources, 'AWS::Cognito::ManagedLoginBranding');

    expect(branding.Properties).toEqual({
      UserPoolId: { Ref: poolId },
      ClientId: { Ref: deskClientId },
      UseCognitoProvidedValues: true,
    });
  });

  it('has a public desk client: code flow only, OIDC scopes, back to the distribution’s /desk/, tokens for an hour and a shift', () => {
    expect(deskClient.Properties).toEqual({
      UserPoolId: { Ref: poolId },
      ClientName: 'editor-desk',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [defaultDeskUrl],
      LogoutURLs: [defaultDeskUrl],
      SupportedIdentityProviders: ['COGNITO'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('lets the desk at deskUrl call the API (CORS names its origin), and warns until deskUrl is known', () => {
    const [, api] = only(fromContext.resources, 'AWS::ApiGatewayV2::Api');
    const [, apiByDefault] = only(byDefault.resources, 'AWS::ApiGatewayV2::Api');
    const warnings = (stack: NewsroomStack) =>
      Annotations.fromStack(stack)
        .findWarning('*', Match.stringLikeRegexp('editor desk cannot call the API'))
        .map((entry) => JSON.stringify(entry.entry.data));

    expect(api.Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: ['https://news.example'],
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
    });
    expect(apiByDefault.Properties.CorsConfiguration).toBeUndefined();
    expect(warnings(byDefault.stack)).toEqual([expect.stringContaining('-c deskUrl=<the DeskUrl output>')]);
    expect(warnings(fromContext.stack)).toEqual([]);
  });

  it('takes the callback and sign-out URL from the deskUrl context, and refuses one the desk is not served at', () => {
    const [, client] = only(fromContext.resources, 'AWS::Cognito::UserPoolClient', 'EditorDeskClient');

    expect(client.Properties.CallbackURLs).toEqual(['https://news.example/desk/']);
    expect(client.Properties.LogoutURLs).toEqual(['https://news.example/desk/']);
    expect(() => deskUrlFromContext('http://news.example/desk/')).toThrow(/https/);
    expect(() => deskUrlFromContext('https://news.example/editors/')).toThrow(/\/desk\//);
    expect(() => deskUrlFromContext('https://news.example/desk/#x')).toThrow(/\/desk\//);
    expect(deskUrlFromContext('')).toBeUndefined();
  });

  it('lets the desk’s tokens through the editor routes’ JWT authorizer beside the web client’s', () => {
    const [webClientId] = only(byDefault.resources, 'AWS::Cognito::UserPoolClient', 'UserPoolWebClient');
    const [, authorizer] = only(byDefault.resources, 'AWS::ApiGatewayV2::Authorizer');

    // API Gateway matches `aud`, or `client_id` when a token has no `aud` (Cognito's access tokens).
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: webClientId }, { Ref: deskClientId }]);
  });

  it('outputs the desk’s address and the sign-in domain', () => {
    const outputs = byDefault.template.toJSON().Outputs;

    expect(outputs.DeskUrl).toEqual({ Description: 'The editor desk', Value: defaultDeskUrl });
    expect(outputs.UserPoolDomain).toEqual({
      Description: "The user pool's sign-in domain (managed login)",
      Value: signInOrigin,
    });
    expect(fromContext.template.toJSON().Outputs.DeskUrl.Value).toBe('https://news.example/desk/');
  });
});

describe('serving the desk', () => {
  const [, distribution] = only(byDefault.resources, 'AWS::CloudFront::Distribution');
  const config: Json = distribution.Properties.DistributionConfig;
  const deskBehaviours = (config.CacheBehaviors as Json[]).filter((b) => b.PathPattern.startsWith('/desk'));
  const [functionId, fn] = only(byDefault.resources, 'AWS::CloudFront::Function');
  const [headersId, headers] = only(byDefault.resources, 'AWS::CloudFront::ResponseHeadersPolicy', 'EditorDesk');

  it('serves /desk and /desk/* from the widget bucket, keyed without query strings, through the path function', () => {
    const widgetOrigin = (config.Origins as Json[]).find((origin) => origin.S3OriginConfig)!;
    const behaviour = {
      TargetOriginId: widgetOrigin.Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // CloudFront's managed CachingOptimized
      Compress: true,
      ResponseHeadersPolicyId: { Ref: headersId },
      FunctionAssociations: [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ],
    };

    expect(deskBehaviours).toEqual([
      { PathPattern: '/desk', ...behaviour },
      { PathPattern: '/desk/*', ...behaviour },
    ]);
    expect(widgetOrigin.OriginAccessControlId).toBeDefined();
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toBe(PAGE_PATHS_FUNCTION);
  });

  it('sends the desk’s pages with a CSP that allows no inline script and connects only to the API and the sign-in domain', () => {
    expect(headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: {
        ContentSecurityPolicy: {
          'Fn::Join': [
            '',
            [
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ",
              { 'Fn::GetAtt': [expect.stringMatching(/^Api/), 'ApiEndpoint'] },
              ' https://',
              { Ref: domainId },
              '.auth.',
              { Ref: 'AWS::Region' },
              ".amazoncognito.com; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
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

  it('deploys the desk’s config.json with the five-minute files, naming the desk client and the sign-in domain', () => {
    const deployments = Object.values(byDefault.resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
    const shortLived = deployments.filter(
      (d) => d.Properties.SystemMetadata['cache-control'] === 'public, max-age=300',
    );

    expect(deployments.map((d) => d.Properties.SystemMetadata['cache-control']).sort()).toEqual([
      'public, max-age=300',
      'public, max-age=31536000, immutable',
    ]);
    expect(shortLived).toHaveLength(1);
    const markers = JSON.stringify(shortLived[0]!.Properties.SourceMarkers);
    expect(markers).toContain(JSON.stringify({ Ref: deskClientId }));
    expect(markers).toContain(JSON.stringify({ Ref: domainId }));
  });

  it.each([
    ['/desk/', {}, { uri: '/desk/index.html' }],
    ['/desk/desk-ABC.js', {}, { uri: '/desk/desk-ABC.js' }],
    ['/desk/config.json', {}, { uri: '/desk/config.json' }],
    [
      '/desk',
      { code: { value: 'a b' } },
      {
        statusCode: 301,
        statusDescription: 'Moved Permanently',
        headers: { location: { value: '/desk/?code=a%20b' } },
      },
    ],
  ])('the path function takes %s %j to %j', (uri, querystring, expected) => {
    // Run as CloudFront runs it: the code alone, in a context of its own.
    const handler = runInNewContext(`${PAGE_PATHS_FUNCTION}; handler`) as (event: Json) => Json;

    const result = handler({ request: { uri, querystring, headers: {} } });

    expect(result).toMatchObject(expected);
  });
});
