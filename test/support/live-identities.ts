/**
 * The identities a standalone local Event API trusts in tests and benchmarks: ARNs as the local
 * stack names them, a publisher holding the live-update publisher's grant, and any other function
 * identity for a caller that must be refused.
 */
import { policyFor } from '../../infra/needs';
import type { ResourceNeeds } from '../../infra/topology/types';
import { localIdentity, type LocalIdentity } from '../../infra/local/access/identities';
import { localArns } from '../../infra/local/function-environment';

export const LIVE_TEST_ARNS = localArns({
  table: 'table',
  bucket: 'bucket',
  bus: 'bus',
  readerHashKey: 'hash-key',
  readerTokenKey: 'token-key',
  siteTokenSecret: 'site-secret',
});

/** A function's local identity with the grants its needs imply, against {@link LIVE_TEST_ARNS}. */
export function liveTestIdentity(functionName: string, needs: ResourceNeeds): LocalIdentity {
  return localIdentity(functionName, policyFor(needs, LIVE_TEST_ARNS));
}
