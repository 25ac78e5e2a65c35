import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The process-wide structured logger (JSON lines, Powertools conventions). Service name and
 * level come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL, set per function by the
 * CDK construct and by the local stack alike.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'newsroom' });
