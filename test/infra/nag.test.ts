/**
 * cdk-nag's AwsSolutions checks on the stack exactly as `cdk synth` builds it (infra/app.ts): the
 * stack, its acknowledgements, the checks as a validation plugin, then a real synthesis. CDK's
 * validation stops the synthesis with a report when a check fails; the test reads that report and
 * lists each finding, so a failure says what to fix (or to acknowledge, with a reason, in
 * infra/nag-acknowledgements.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeNagFindings } from '../../infra/nag-acknowledgements';
import { NewsroomStack } from '../../infra/stack';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

/** Both optional e-mail subscriptions on, so their resources are checked too. */
const PROPS = { editorAlertEmail: 'desk@news.example', alarmEmail: 'ops@news.example' };

function newApp(outdir?: string): App {
  return testApp({ outdir });
}

interface Finding {
  rule: string;
  severity: string;
  path: string;
  description: string;
}

/** Synthesizes the app; returns the findings of the validation report CDK writes when a plugin reports any. */
function synthesizeAndReport(app: App, outdir: string): Finding[] {
  const reportFile = join(outdir, 'validation-report.json');
  try {
    app.synth();
  } catch (error) {
    if (!existsSync(reportFile)) throw error;
  }
  if (!existsSync(reportFile)) return [];
  const report: Json = JSON.parse(readFileSync(reportFile, 'utf8'));
  return (report.pluginReports as Json[]).flatMap((plugin) =>
    (plugin.violations as Json[]).flatMap((violation) =>
      (violation.violatingConstructs as Json[]).map((construct) => ({
        rule: violation.ruleName,
        severity: violation.severity,
        path: construct.constructPath,
        description: violation.description,
      })),
    ),
  );
}

describe('cdk-nag AwsSolutions checks', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'newsroom-nag-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const app = newApp(outdir);
  const stack = new NewsroomStack(app, 'Newsroom', PROPS);
  const acknowledgements = acknowledgeNagFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  // The same stack without acknowledgements: what cdk-nag finds before anything is accepted.
  const bare = new NewsroomStack(newApp(), 'Newsroom', PROPS);
  const rawFindings = new AwsSolutionsChecks().validateScope(bare).violations;

  it('reports no error that is not acknowledged', () => {
    const errors = synthesizeAndReport(app, outdir)
      .filter((finding) => finding.severity === 'error')
      .map((finding) => `${finding.rule} at ${finding.path}: ${finding.description}`);
    expect(errors).toEqual([]);
  });

  it('finds something without the acknowledgements, so the checks really ran', () => {
    expect(rawFindings.length).toBeGreaterThan(0);
  });

  it('acknowledges only findings that exist, each on the construct it concerns', () => {
    const stale = acknowledgements
      .filter(({ scope, id }) => {
        const scopePath = scope.node.path;
        return !rawFindings.some(
          (violation) =>
            violation.ruleName === id &&
            violation.violatingResources.some(
              (resource) => resource.constructPath === scopePath || resource.constructPath?.startsWith(`${scopePath}/`),
            ),
        );
      })
      .map(({ scope, id }) => `${id} on ${scope.node.path}`);
    expect(stale).toEqual([]);
  });

  it('gives every acknowledgement a written reason of its own', () => {
    for (const { scope, id, reason } of acknowledgements) {
      expect([scope.node.path, id, reason.trim().length >= 60]).toEqual([scope.node.path, id, true]);
    }
    const reasonsPerRule = new Map<string, Set<string>>();
    for (const { id, reason } of acknowledgements) {
      reasonsPerRule.set(id, (reasonsPerRule.get(id) ?? new Set()).add(reason));
    }
    // A rule acknowledged on several functions names each function in its reason.
    for (const [id, reasons] of reasonsPerRule) {
      const count = acknowledgements.filter((ack) => ack.id === id).length;
      expect([id, reasons.size]).toEqual([id, count]);
    }
  });

  it('accepts routes without an API Gateway authorizer only where the topology declares public or reader access', () => {
    const routesAcknowledged = acknowledgements
      .filter((ack) => ack.id === 'AwsSolutions-APIG4')
      .map((ack) => (ack.scope as unknown as { routeKey: string }).routeKey)
      .sort();
    const publicRoutes = [...stack.functions.values()]
      .flatMap(({ declaration: { trigger } }) =>
        // Reader routes verify the reader's token in the handler, in both hosts.
        trigger.kind === 'http' && trigger.access !== 'editor' ? [`${trigger.method} ${trigger.path}`] : [],
      )
      .sort();
    expect(routesAcknowledged).toEqual(publicRoutes);
  });

  it('holds X-Ray as the only wildcard resource of any function policy (the IAM5 Resource::* reason)', () => {
    const resources: Record<string, Json> = Template.fromStack(bare).toJSON().Resources;
    const wildcardActions = Object.entries(resources)
      .filter(([id, resource]) => resource.Type === 'AWS::IAM::Policy' && id.includes('ServiceRoleDefaultPolicy'))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => [statement.Resource].flat().includes('*'))
      .flatMap((statement) => [statement.Action].flat());
    expect(new Set(wildcardActions)).toEqual(new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
  });
});
