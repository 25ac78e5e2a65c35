/**
 * docs/deploying.md's outputs against the template: a deploy prints every output the stack
 * declares, so the page must explain each one and name none the stack lacks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { newsroomStackFromContext } from '../../../infra/context';
import { REPO_ROOT } from '../../../infra/constructs/news-function';
import { testApp } from '../../support/cdk-app';
import { tableHeaded } from '../../support/markdown-tables';

jest.setTimeout(120_000);

describe('docs/deploying.md', () => {
  it("lists exactly the stack's outputs, each once", () => {
    const page = readFileSync(join(REPO_ROOT, 'docs', 'deploying.md'), 'utf8');
    // With the desk's origin named, as a finished deploy has it (without, synth warns to name it).
    const stack = newsroomStackFromContext(testApp({ context: { deskUrl: 'https://news.example/desk/' } }));

    const documented = tableHeaded(page, 'Output').map(([output]) => output);
    const declared = Object.keys(Template.fromStack(stack).toJSON().Outputs as Record<string, unknown>);

    expect([...documented].sort()).toEqual([...declared].sort());
  });
});
