import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { newsroomStackFromContext } from './context';
import { acknowledgeNagFindings } from './nag-acknowledgements';

/**
 * The CDK app: one `NewsroomStack`, configured by the CDK context (`infra/context.ts`; every key,
 * with its default, in docs/configuration.md).
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

const stack = newsroomStackFromContext(app, account ? { account, region } : undefined);
acknowledgeNagFindings(stack);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
