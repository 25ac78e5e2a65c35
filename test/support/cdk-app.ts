/**
 * The app the CDK tests synthesize: cdk.json's context (its feature flags, so the template under
 * test is the one that would deploy), with asset bundling skipped.
 *
 * Every `cdk synth` runs CloudFormation's own template validation (a WebAssembly rules engine),
 * and cdk.json's `@aws-cdk/core:validateAgainstDefaultRules` makes its findings errors rather than
 * warnings. It costs about 5–8 s of CPU a synthesis, so the tests leave it to the one that
 * synthesizes the fullest stack (`cloudformation-limits.test.ts`, `validateTemplates: true`) and
 * turn it off elsewhere: the context flag alone only downgrades findings to warnings while the
 * engine still runs, so the app's `builtinCloudFormationValidation` is what turns it off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { REPO_ROOT } from '../../infra/constructs/news-function';

export const VALIDATE_TEMPLATES_FLAG = '@aws-cdk/core:validateAgainstDefaultRules';

/** cdk.json's context, as `cdk synth` reads it. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'),
).context;

export interface TestAppOptions {
  /** Context on top of cdk.json's (e.g. `settings`). */
  context?: Record<string, unknown>;
  /** Runs CloudFormation's template validation during synthesis, as `cdk synth` does. */
  validateTemplates?: boolean;
  outdir?: string;
}

export function testApp({ context = {}, validateTemplates = false, outdir }: TestAppOptions = {}): App {
  return new App({
    ...(outdir ? { outdir } : {}),
    builtinCloudFormationValidation: validateTemplates,
    context: {
      ...CDK_JSON_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      [VALIDATE_TEMPLATES_FLAG]: validateTemplates,
      ...context,
    },
  });
}
