/**
 * Sign-in through the news site: where the site's reader JWTs come from, as a deployment
 * configures it (CDK context `siteSignIn`) and the local stack imitates it. Absent: anonymous
 * reader tokens only.
 */
export interface SiteSignIn {
  /** The `iss` the site's tokens carry. */
  issuer: string;
  /** The `aud` they carry. */
  audience: string;
  /** The site's key set (RS256/ES256); without it the site signs with a shared secret (HS256) the stack keeps. */
  jwksUrl?: string;
}

/**
 * Reads the CDK context `siteSignIn`: an object (cdk.json) or its JSON text (`-c siteSignIn=…`),
 * `{ "issuer", "audience", "jwksUrl"? }`. Anything else fails the synth, naming the field.
 */
export function siteSignInFromContext(context: unknown): SiteSignIn | undefined {
  if (context === undefined || context === null || context === '') return undefined;
  const parsed: unknown = typeof context === 'string' ? (JSON.parse(context) as unknown) : context;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The CDK context "siteSignIn" must be an object: { "issuer", "audience", "jwksUrl"? }');
  }
  const fields = new Map<string, unknown>(Object.entries(parsed));
  for (const name of fields.keys()) {
    if (!['issuer', 'audience', 'jwksUrl'].includes(name)) throw new Error(`Unknown field siteSignIn.${name}`);
  }
  const text = (name: string, required: boolean): string | undefined => {
    const value = fields.get(name);
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value.trim() === '')
      throw new Error(`siteSignIn.${name} must be a non-empty string`);
    return value.trim();
  };
  const jwksUrl = text('jwksUrl', false);
  if (jwksUrl !== undefined && !/^https:\/\//.test(jwksUrl)) throw new Error('siteSignIn.jwksUrl must be an https URL');
  return {
    issuer: text('issuer', true)!,
    audience: text('audience', true)!,
    ...(jwksUrl !== undefined ? { jwksUrl } : {}),
  };
}
