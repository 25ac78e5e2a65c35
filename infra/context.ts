import type { App, Environment } from 'aws-cdk-lib';
import { siteSignInFromContext } from './site-sign-in';
import { NewsroomStack } from './stack';

/** The stack's name unless the CDK context `stackName` says otherwise. */
export const DEFAULT_STACK_NAME = 'Newsroom';

/**
 * The stack as the CDK context configures it (docs/configuration.md, Deploy options): the keys
 * read here, and those the stack reads itself (`deskUrl`, `authDomainPrefix`, `settings`), which
 * tests set on a test app. A test records every key read while this builds the stack and holds
 * the page to them.
 */
export function newsroomStackFromContext(app: App, env?: Environment): NewsroomStack {
  return new NewsroomStack(app, contextString(app, 'stackName') ?? DEFAULT_STACK_NAME, {
    ...(env ? { env } : {}),
    allowedOrigins: contextList(app, 'allowedOrigins'),
    editorAlertEmail: contextString(app, 'editorAlertEmail'),
    alarmEmail: contextString(app, 'alarmEmail'),
    siteSignIn: siteSignInFromContext(app.node.tryGetContext('siteSignIn')),
  });
}

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
