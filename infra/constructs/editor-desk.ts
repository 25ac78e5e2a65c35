import { Aws, CfnOutput, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { EDITOR_GROUP } from '../../shared/http/caller';
import type { DeskConfig } from '../../web/desk/src/shapes';
import { buildDeskSync } from '../desk/build-desk';
import { DESK_PATH, DESK_SCOPES, DESK_TOKEN_VALIDITY, deskContentSecurityPolicy } from '../desk/desk-app';
import { pageHeadersPolicy, type ReaderCdn } from './reader-cdn';

export interface EditorDeskProps {
  userPool: cognito.UserPool;
  api: apigw.HttpApi;
  /** The readers' distribution, which serves the desk at `/desk/` from its bucket. */
  cdn: ReaderCdn;
  /**
   * The desk's address (CDK context `deskUrl`): its app client's callback and sign-out URL, e.g.
   * `https://news.example/desk/` when the distribution has a name of the newsroom's. Default:
   * `https://<distribution domain>/desk/`.
   */
  deskUrl?: string;
  /**
   * The user pool domain's prefix (CDK context `authDomainPrefix`): `<prefix>.auth.<region>.amazoncognito.com`.
   * Default: the stack's name and the first part of its stack id's UUID, e.g. `newsroom-51af3dc0`,
   * unique per stack and fixed for its life (prefixes are global within a region).
   */
  domainPrefix?: string;
}

/**
 * The editor desk in AWS: where editors sign in (the user pool's Cognito domain with managed
 * login, and a public app client for the desk: authorization code with PKCE, no secret), and
 * where the desk is served (the readers' distribution at `/desk/`, from the widget bucket's `desk/`
 * prefix through the same origin access control, under a Content-Security-Policy without inline
 * script), with the `config.json` that tells the desk both.
 */
export class EditorDesk extends Construct {
  readonly domain: cognito.UserPoolDomain;
  readonly client: cognito.UserPoolClient;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the sign-in endpoints' origin. */
  readonly signInOrigin: string;
  readonly deskUrl: string;

  constructor(scope: Construct, id: string, props: EditorDeskProps) {
    super(scope, id);
    const { distribution } = props.cdn;
    this.deskUrl = props.deskUrl ?? `https://${distribution.distributionDomainName}${DESK_PATH}`;

    // Managed login (version 2) rather than the classic hosted UI: Cognito's current sign-in pages
    // (passkeys, the branding editor, accessible forms); its one extra resource is the branding,
    // here Cognito's own look, which a newsroom restyles in the console or with settings here.
    this.domain = new cognito.UserPoolDomain(this, 'SignInDomain', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: props.domainPrefix ?? derivedDomainPrefix(this) },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.signInOrigin = this.domain.baseUrl();

    this.client = new cognito.UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      userPoolClientName: 'editor-desk',
      // A browser app keeps no secret; PKCE (which the desk always sends, S256) protects the code.
      generateSecret: false,
      // What managed login signs in with (SRP for passwords), and the refresh grant.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: DESK_SCOPES.map((scope) => OAUTH_SCOPES[scope]),
        callbackUrls: [this.deskUrl],
        logoutUrls: [this.deskUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.minutes(DESK_TOKEN_VALIDITY.accessTokenMinutes),
      idTokenValidity: Duration.minutes(DESK_TOKEN_VALIDITY.idTokenMinutes),
      refreshTokenValidity: Duration.hours(DESK_TOKEN_VALIDITY.refreshTokenHours),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    new cognito.CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const headers = pageHeadersPolicy(this, 'DeskHeaders', {
      comment: 'The editor desk: no inline script, requests to the API and the sign-in domain only, no framing',
      contentSecurityPolicy: deskContentSecurityPolicy([props.api.apiEndpoint, this.signInOrigin]),
    });
    props.cdn.addPages(DESK_PATH, headers);

    // Into the distribution's two deployments (infra/constructs/reader-cdn.ts), under desk/: the
    // hashed script and styles with the widget's chunks, the page and config.json with its loader.
    const built = buildDeskSync();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const key = (name: string) => `${DESK_PATH.replace(/^\//, '')}${name}`;
    for (const [name, file] of built) {
      if (file.immutable) props.cdn.hashedFiles.addSource(s3deploy.Source.data(key(name), text(file.bytes)));
    }
    const base = this.signInOrigin;
    props.cdn.shortLivedFiles.addSource(s3deploy.Source.data(key('index.html'), text(built.get('index.html')!.bytes)));
    props.cdn.shortLivedFiles.addSource(
      s3deploy.Source.jsonData(key('config.json'), {
        api: props.api.apiEndpoint,
        editorGroup: EDITOR_GROUP,
        auth: {
          authorizeUrl: `${base}/oauth2/authorize`,
          tokenUrl: `${base}/oauth2/token`,
          revokeUrl: `${base}/oauth2/revoke`,
          logoutUrl: `${base}/logout`,
          clientId: this.client.userPoolClientId,
          redirectUri: this.deskUrl,
          scope: DESK_SCOPES.join(' '),
        },
      } satisfies DeskConfig),
    );

    const stack = Stack.of(this);
    new CfnOutput(stack, 'DeskUrl', { value: this.deskUrl, description: 'The editor desk' });
    new CfnOutput(stack, 'UserPoolDomain', {
      value: this.signInOrigin,
      description: "The user pool's sign-in domain (managed login)",
    });
  }
}

const OAUTH_SCOPES: Record<(typeof DESK_SCOPES)[number], cognito.OAuthScope> = {
  openid: cognito.OAuthScope.OPENID,
  email: cognito.OAuthScope.EMAIL,
  profile: cognito.OAuthScope.PROFILE,
};

/** Cognito refuses prefixes with these words in them. */
const RESERVED_IN_PREFIX = /aws|amazon|cognito/g;

/** `<stack name>-<first 8 hex digits of the stack id's UUID>`, e.g. `newsroom-51af3dc0`. */
function derivedDomainPrefix(scope: Construct): string {
  const { stackName } = Stack.of(scope);
  const name = Token.isUnresolved(stackName)
    ? ''
    : stackName
        .toLowerCase()
        .replace(RESERVED_IN_PREFIX, '')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40)
        .replace(/-+$/, '');
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return `${name || 'newsroom'}-${Fn.select(0, Fn.split('-', stackUuid))}`;
}

/** CDK context `authDomainPrefix`, checked as Cognito will check it; undefined when absent. */
export function domainPrefixFromContext(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new Error(
      `authDomainPrefix must be 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen; got ${JSON.stringify(value)}`,
    );
  }
  if (new RegExp(RESERVED_IN_PREFIX.source).test(value)) {
    throw new Error(
      `authDomainPrefix must not contain "aws", "amazon" or "cognito" (Cognito refuses it); got "${value}"`,
    );
  }
  return value;
}

/**
 * CDK context `deskUrl`: the desk's HTTPS address, ending in `/desk/` (the path the distribution
 * serves it at, under any name pointing at the distribution); undefined when absent.
 */
export function deskUrlFromContext(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.pathname !== DESK_PATH || url.search || url.hash) {
    throw new Error(`deskUrl must be an https:// address whose path is ${DESK_PATH}; got ${JSON.stringify(value)}`);
  }
  return url.toString();
}
