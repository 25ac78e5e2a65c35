import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { settingsFromContext } from '../../infra/settings';
import { NewsroomStack } from '../../infra/stack';

describe('deployment settings from the CDK context', () => {
  it('accepts the tunable settings handlers read, as an object or as JSON text', () => {
    expect(settingsFromContext({ COMMENT_FLAG_THRESHOLD: 5, RATE_LIMIT_COMMENT: '10/60' })).toEqual({
      COMMENT_FLAG_THRESHOLD: '5',
      RATE_LIMIT_COMMENT: '10/60',
    });
    expect(settingsFromContext('{"POLL_REACTIONS":"Great|Fair|Bad"}')).toEqual({ POLL_REACTIONS: 'Great|Fair|Bad' });
    expect(settingsFromContext(undefined)).toEqual({});
  });

  // RATE_LIMIT_VOTE: poll votes lost their per-source limit; a deploy still setting it is told so.
  it.each([['FAULT_INJECTION'], ['TABLE_NAME'], ['COMMENT-FLAG'], ['RATE_LIMIT_VOTE'], ['COMMENT_FLAG_THRESHOLDS']])(
    'refuses %s, which is not a tunable setting',
    (name) => {
      expect(() => settingsFromContext({ [name]: 'x' })).toThrow(/Unknown setting/);
    },
  );

  it('gives every function the settings, beside its resource names', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], settings: { COMMENT_FLAG_THRESHOLD: '5' } } });
    const template = Template.fromStack(new NewsroomStack(app, 'Settings'));

    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (resource) => resource.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties.Environment.Variables.COMMENT_FLAG_THRESHOLD).toBe('5');
  });
});
