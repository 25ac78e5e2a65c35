import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  API_REFERENCE_PATH,
  apiReferenceContentSecurityPolicy,
  buildApiReferenceSync,
} from '../api-reference/api-reference';
import { pageHeadersPolicy, type ReaderCdn } from './reader-cdn';

export interface ApiReferenceProps {
  /** The API the page describes, and where its "Try it out" sends requests. */
  api: apigw.HttpApi;
  /** The readers' distribution, which serves the page at `/docs/api/` from its bucket. */
  cdn: ReaderCdn;
}

/**
 * The API reference in AWS: the page of infra/api-reference/api-reference.ts on the readers'
 * distribution at `/docs/api/`, from the widget bucket's `docs/api/` prefix, through the pages'
 * shared path function, under its own headers policy, its only resource. It reads the document
 * at the distribution's `/openapi.json` (forwarded to the API, cached minutes). "Try it out" calls
 * the API directly, from the distribution's origin: the API's CORS allows that origin once the
 * stack knows it (`-c deskUrl=…`, the desk's origin, which is the same distribution's).
 */
export class ApiReference extends Construct {
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiReferenceProps) {
    super(scope, id);
    const { cdn, api } = props;
    this.url = `https://${cdn.distribution.distributionDomainName}${API_REFERENCE_PATH}`;
    const headers = pageHeadersPolicy(this, 'PageHeaders', {
      comment: 'The API reference: no inline script or style, requests to the API only, no framing',
      contentSecurityPolicy: apiReferenceContentSecurityPolicy(api.apiEndpoint),
    });
    cdn.addPages(API_REFERENCE_PATH, headers);

    // Into the distribution's two deployments: Swagger UI's files and the page's own with the
    // hashed files, the page with the five-minute ones.
    const built = buildApiReferenceSync();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const key = (name: string) => `${API_REFERENCE_PATH.replace(/^\//, '')}${name}`;
    for (const [name, file] of built.assets)
      cdn.hashedFiles.addSource(s3deploy.Source.data(key(name), text(file.bytes)));
    cdn.shortLivedFiles.addSource(s3deploy.Source.data(key('index.html'), built.page(api.apiEndpoint)));

    new CfnOutput(Stack.of(this), 'ApiReferenceUrl', {
      value: this.url,
      description: 'The API reference (the OpenAPI document, with "Try it out")',
    });
  }
}
