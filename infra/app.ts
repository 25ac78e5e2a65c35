import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeNagFindings } from './nag-acknowledgements';
import { siteSignInFromContext } from './site-sign-in';
import { NewsroomStack } from './stack';

/**
 * The CDK app: one `NewsroomStack`. Context:
 * - `stackName` (default `Newsroom`), so several copies can live in one account;
 * - `allowedOrigins`: browser origins for CORS, an array in cdk.json or a comma-separated list
 *   on the command line (`-c allowedOrigins=https://a.example,https://b.example`); none by default;
 * - `editorAlertEmail`: an address subscribed to the editors' alert topic (error reports, ingest
 *   rejections); AWS sends it a confirmation mail first. No subscription when absent.
 * - `alarmEmail`: an address subscribed to the operational alarm topic (dead letters, function
 *   errors and throttles, API 5xx), confirmed the same way. No subscription when absent.
 * - `siteSignIn`: `{ "issuer", "audience", "jwksUrl"? }`, readers signed in on the news site
 *   (infra/site-sign-in.ts); without `jwksUrl` the stack keeps a shared secret for the site to
 *   sign with. Anonymous reader tokens only when absent.
 * - `deskUrl`: the editor desk's address, `https://<a name of the distribution>/desk/`: its app
 *   client's callback and sign-out URL. Default `https://<distribution domain>/desk/`.
 * - `authDomainPrefix`: the user pool's sign-in domain, `<prefix>.auth.<region>.amazoncognito.com`.
 *   Default: the stack's name and the start of its stack id, e.g. `newsroom-51af3dc0`.
 *   (Both are read by the stack itself: infra/constructs/editor-desk.ts.)
 *
 * cdk-nag's AwsSolutions checks run on every synthesis: an unacknowledged error stops `cdk synth`
 * and `cdk deploy` with a report of the findings (accepted ones: `infra/nag-acknowledgements`).
 *
 * The stack is bound to `CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION` only when an account is
 * known. Without credentials (as on this machine) the CLI still sets the region (to
 * `us-east-1` if nothing says otherwise); binding to that alone would bake a guessed region
 * into the template, so the stack stays environment-agnostic instead.
 */
const app = new App();

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

const stack = new NewsroomStack(app, contextString(app, 'stackName') ?? 'Newsroom', {
  ...(account ? { env: { account, region } } : {}),
  allowedOrigins: contextList(app, 'allowedOrigins'),
  editorAlertEmail: contextString(app, 'editorAlertEmail'),
  alarmEmail: contextString(app, 'alarmEmail'),
  siteSignIn: siteSignInFromContext(app.node.tryGetContext('siteSignIn')),
});
acknowledgeNagFindings(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Context from cdk.json arrives as JSON; from `-c key=value` it arrives as a string. */
function contextList(app: App, key: string): string[] {
  const value: unknown = app.node.tryGetContext(key);
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}
