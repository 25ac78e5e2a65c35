import { CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CORS_POLICY } from '../cors';
import { CACHED_READS, STATIC_CACHE_CONTROL } from '../topology/cdn';
import type { DeployedConfig, LiveConfig } from '../../web/widget/src/shapes';
import { buildWidgetSync, WIDGET_LOADER, WIDGET_PATH } from '../widget/build-widget';

export interface ReaderCdnProps {
  api: apigw.HttpApi;
  /** Where the widget deployment's server access logs go (the stack's log bucket). */
  accessLogsBucket: s3.IBucket;
  /** The news sites' origins; none: any origin may read (the reads are public). */
  allowedOrigins: readonly string[];
  /**
   * Where pages subscribe to live updates: the Event API's real-time URL, its HTTP host (which
   * the subscription's authorization names) and the readers' subscribe-only key, public by design.
   */
  live: LiveConfig;
}

/**
 * The readers' CDN: one CloudFront distribution that serves the widget from a private bucket
 * (origin access control) and the API's public reads, cached briefly at the edge (infra/topology/
 * cdn.ts). Writes never pass through it: the widget sends them straight to the API (config.json).
 */
export class ReaderCdn extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly widgetBucket: s3.Bucket;
  /** The widget bucket as the distribution's origin (one origin access control): the desk's files are there too. */
  readonly bucketOrigin: cloudfront.IOrigin;
  /**
   * Deploys content-hashed files into the bucket (cached a year); `addSource` with full keys. The
   * widget's chunks, and the desk's script and styles.
   */
  readonly hashedFiles: s3deploy.BucketDeployment;
  /**
   * Deploys files whose name stays as their content changes (`STATIC_CACHE_CONTROL.shortLived`),
   * after the hashed ones: the widget's loader and config.json, the desk's page and config.json.
   */
  readonly shortLivedFiles: s3deploy.BucketDeployment;
  /** The viewer-request function of every page's behaviours ({@link PAGE_PATHS_FUNCTION}), made by the first. */
  private pagePaths?: cloudfront.Function;

  constructor(scope: Construct, id: string, props: ReaderCdnProps) {
    super(scope, id);
    this.widgetBucket = new s3.Bucket(this, 'WidgetBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'widget-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'ReadHeaders', {
      comment: 'CORS for the news sites, and security headers',
      corsBehavior: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: ['content-type'],
        accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
        accessControlAllowOrigins: props.allowedOrigins.length > 0 ? [...props.allowedOrigins] : ['*'],
        accessControlExposeHeaders: [...CORS_POLICY.exposeHeaders],
        accessControlMaxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    // The API's host, never the viewer's: API Gateway answers only to its own name.
    const apiOrigin = new origins.HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    });
    const apiRequests = new cloudfront.OriginRequestPolicy(this, 'ApiReadRequests', {
      comment: 'Public API reads: the query string, no headers (no Host, no Authorization), no cookies',
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.none(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    });
    const apiBehaviour = (ttlSeconds: number, name: string): cloudfront.BehaviorOptions => ({
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      cachePolicy: new cloudfront.CachePolicy(this, `${name}Cache`, {
        comment: `Public API reads cached ${ttlSeconds} s; the key is the path and query string only`,
        defaultTtl: Duration.seconds(ttlSeconds),
        minTtl: Duration.seconds(0),
        maxTtl: Duration.seconds(ttlSeconds),
        queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
        headerBehavior: cloudfront.CacheHeaderBehavior.none(),
        cookieBehavior: cloudfront.CacheCookieBehavior.none(),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      }),
      originRequestPolicy: apiRequests,
      responseHeadersPolicy: responseHeaders,
      compress: true,
    });
    this.bucketOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.widgetBucket);
    const widgetBehaviour: cloudfront.BehaviorOptions = {
      origin: this.bucketOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      // The objects' own cache-control (minutes for the loader, a year for hashed chunks) decides.
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: responseHeaders,
      compress: true,
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Newsroom reader widget and public reads',
      defaultBehavior: widgetBehaviour,
      additionalBehaviors: Object.fromEntries(
        CACHED_READS.map((read, i) => [read.pathPattern, apiBehaviour(read.ttlSeconds, `Read${i}`)]),
      ),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    });

    const built = buildWidgetSync();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const key = (name: string) => `${WIDGET_PATH.replace(/^\//, '')}${name}`;
    // Two deployments for every static file on the distribution (each costs two resources), by how
    // long its name keeps its content; keys are full, so the desk adds its files to both.
    // Content-hashed chunks: immutable for a year. Never pruned, so a page that loaded an older
    // loader still finds the chunks it names.
    this.hashedFiles = new s3deploy.BucketDeployment(this, 'WidgetChunks', {
      destinationBucket: this.widgetBucket,
      sources: [...built]
        .filter(([, file]) => file.immutable)
        .map(([name, file]) => s3deploy.Source.data(key(name), text(file.bytes))),
      cacheControl: [s3deploy.CacheControl.fromString(STATIC_CACHE_CONTROL.hashed)],
      prune: false,
    });
    // The loader and the deployment's config.json: minutes, so a deploy reaches every page soon.
    this.shortLivedFiles = new s3deploy.BucketDeployment(this, 'WidgetLoader', {
      destinationBucket: this.widgetBucket,
      sources: [
        s3deploy.Source.data(key(WIDGET_LOADER), text(built.get(WIDGET_LOADER)!.bytes)),
        s3deploy.Source.jsonData(key('config.json'), {
          api: props.api.apiEndpoint,
          reads: `https://${this.distribution.distributionDomainName}`,
          live: props.live,
        } satisfies DeployedConfig),
      ],
      cacheControl: [s3deploy.CacheControl.fromString(STATIC_CACHE_CONTROL.shortLived)],
      prune: false,
    });
    this.shortLivedFiles.node.addDependency(this.hashedFiles);

    const stack = Stack.of(this);
    new CfnOutput(stack, 'CdnDomain', { value: this.distribution.distributionDomainName });
    new CfnOutput(stack, 'EmbedSnippet', {
      value: Fn.join('', [
        '<script type="module" src="https://',
        this.distribution.distributionDomainName,
        `${WIDGET_PATH}${WIDGET_LOADER}"></script> <newsroom-story article-id="<article id>"></newsroom-story>`,
      ]),
    });
  }
  /**
   * Serves a page and its files from the widget bucket at `path` (`/desk/`, `/docs/api/`), under
   * `headers`: two behaviours, `path` without its slash and `path*`, through one viewer-request
   * function shared by every page ({@link PAGE_PATHS_FUNCTION}), so each page adds no function.
   * The files go into {@link hashedFiles} and {@link shortLivedFiles} under the same key prefix.
   */
  addPages(path: `/${string}/`, headers: cloudfront.IResponseHeadersPolicy): void {
    this.pagePaths ??= new cloudfront.Function(this, 'PagePaths', {
      comment: 'Pages from the bucket: /<page> redirects to /<page>/, which is served from <page>/index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(PAGE_PATHS_FUNCTION),
    });
    const behaviour: cloudfront.AddBehaviorOptions = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      // No query string in the key (the desk's sign-in `?code=` reaches the page, never the
      // bucket); each object's own cache-control decides how long: a year for hashed files,
      // minutes for the page.
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      compress: true,
      functionAssociations: [{ function: this.pagePaths, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    this.distribution.addBehavior(path.slice(0, -1), this.bucketOrigin, behaviour);
    this.distribution.addBehavior(`${path}*`, this.bucketOrigin, behaviour);
  }
}

/**
 * The headers of a page on the distribution (the desk, the API reference): its CSP, and the
 * security headers every page carries: no MIME sniffing, no framing, no referrer, HTTPS only.
 */
export function pageHeadersPolicy(
  scope: Construct,
  id: string,
  props: { comment: string; contentSecurityPolicy: string },
): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: props.comment,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
    },
  });
}

/**
 * Viewer-request function of the pages' behaviours (cloudfront-js-2.0): S3 has no index document
 * through origin access control, so `/<page>/` is asked of the bucket as `<page>/index.html`; a
 * path whose last part has no extension (`/desk`, `/docs/api`) redirects to itself with a slash,
 * keeping the query string; files pass as they are.
 */
export const PAGE_PATHS_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }
  if (uri.lastIndexOf('.') > uri.lastIndexOf('/')) return request;
  var query = Object.keys(request.querystring).map(function (name) {
    var parameter = request.querystring[name];
    return encodeURIComponent(name) + '=' + encodeURIComponent(parameter.value);
  }).join('&');
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: { location: { value: uri + '/' + (query ? '?' + query : '') } },
  };
}
`;
