/**
 * CloudFormation's per-stack limits, kept with margin: 500 resources and a 1 MB template body
 * (as uploaded through S3), 200 outputs. The stack is synthesized with every optional part on
 * (CORS origins, both alert e-mails), and every template of the assembly is checked, nested
 * stacks included, so a split into nested stacks is checked the same way. When a stack nears a
 * margin, move a group of constructs (alarms, the edge, the reader features) into a nested stack.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { NewsroomStack } from '../../infra/stack';
import { CDK_JSON_CONTEXT, testApp, VALIDATE_TEMPLATES_FLAG } from '../support/cdk-app';

const MAX_RESOURCES = 450;
const MAX_TEMPLATE_BYTES = 800 * 1024;
const MAX_OUTPUTS = 150;

interface TemplateFile {
  path: string;
  bytes: number;
  Resources: Record<string, { Type: string }>;
  Outputs?: Record<string, unknown>;
}

/** Every template the app synthesizes: its stacks' and their nested stacks'. */
function templatesOf(app: App): TemplateFile[] {
  const assembly = app.synth();
  // Nested stack templates are written beside the stacks', as `<id>.nested.template.json`.
  const files = readdirSync(assembly.directory)
    .filter((file) => file.endsWith('.template.json'))
    .sort((a, b) => Number(a.includes('.nested.')) - Number(b.includes('.nested.')) || a.localeCompare(b))
    .map((file) => join(assembly.directory, file));
  return files.map(
    (path) =>
      ({ path, bytes: statSync(path).size, ...(JSON.parse(readFileSync(path, 'utf8')) as object) }) as TemplateFile,
  );
}

function newsroomApp(): App {
  // CloudFormation's own rules run here, on the fullest stack, as they do in every `cdk synth`.
  const app = testApp({ validateTemplates: true });
  new NewsroomStack(app, 'Newsroom', {
    allowedOrigins: ['https://news.example', 'https://www.news.example'],
    editorAlertEmail: 'desk@news.example',
    alarmEmail: 'ops@news.example',
  });
  return app;
}

const templates = templatesOf(newsroomApp());

it('reads nested stacks too, so a split is checked the same way', () => {
  const app = new App();
  const parent = new Stack(app, 'Parent');
  new Topic(new NestedStack(parent, 'Alarms'), 'AlarmTopic');
  const found = templatesOf(app);
  expect(found.map((template) => Object.values(template.Resources).map((resource) => resource.Type))).toEqual([
    ['AWS::CloudFormation::Stack'],
    ['AWS::SNS::Topic'],
  ]);
});

describe("CloudFormation's own template rules", () => {
  it('run in every `cdk synth` (cdk.json), and the templates above were synthesized under them', () => {
    expect(CDK_JSON_CONTEXT[VALIDATE_TEMPLATES_FLAG]).toBe(true);
  });

  it('stop a synthesis whose template CloudFormation would refuse', () => {
    const app = testApp({ validateTemplates: true });
    new CfnResource(new Stack(app, 'Broken'), 'Queue', {
      type: 'AWS::SQS::Queue',
      properties: { VisibilityTimeout: 'thirty seconds' },
    });
    expect(() => app.synth()).toThrow(/VisibilityTimeout: 'thirty seconds' is not of type 'integer'/);
  });
});

it('finds the stack template', () => {
  expect(templates.length).toBeGreaterThanOrEqual(1);
  expect(Object.keys(templates[0]!.Resources).length).toBeGreaterThan(100);
});

it.each(templates.map((template) => [template.path.slice(template.path.lastIndexOf('/') + 1), template] as const))(
  '%s stays within CloudFormation limits with margin',
  (_name, template) => {
    const figures = {
      resources: Object.keys(template.Resources).length,
      kilobytes: Math.round(template.bytes / 1024),
      outputs: Object.keys(template.Outputs ?? {}).length,
    };
    expect({
      ...figures,
      resourcesWithinMargin: figures.resources <= MAX_RESOURCES,
      sizeWithinMargin: template.bytes <= MAX_TEMPLATE_BYTES,
      outputsWithinMargin: figures.outputs <= MAX_OUTPUTS,
    }).toEqual({ ...figures, resourcesWithinMargin: true, sizeWithinMargin: true, outputsWithinMargin: true });
  },
);
