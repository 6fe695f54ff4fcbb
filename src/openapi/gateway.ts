import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newRequestId } from '../ids.js';
import type { Principal } from '../ram/principal.js';
import type { Services } from '../services.js';
import { authenticate } from './authenticate.js';
import { PRODUCT_VERSIONS, type ActionContext, type ActionRegistry } from './define-action.js';
import { formatOf, renderError, renderSuccess, type Format, type Rendered } from './envelope.js';
import { ApiError } from '../errors.js';
import { invokeAction } from './invoke.js';
import { foldFlatLists } from './params.js';
import { readCall } from './signed-call.js';

/** Is this request an OpenAPI call? (`Action` in the query or an `x-acs-action` header; a form body is checked later.) */
export function looksLikeApiCall(request: FastifyRequest): boolean {
  if (request.headers['x-acs-action']) return true;
  const url = request.raw.url ?? '/';
  const q = url.indexOf('?');
  return q >= 0 && /(^|&)Action=/.test(url.slice(q + 1));
}

const COMMON = new Set([
  'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce',
  'SignatureType', 'Timestamp', 'SecurityToken', 'RegionId',
]);

function actionParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!COMMON.has(k)) out[k] = v;
  return foldFlatLists(out);
}

function recommend(code: string, product: string, requestId: string): string {
  return `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${encodeURIComponent(product)}&requestId=${requestId}`;
}

export interface GatewayOptions {
  registry: ActionRegistry;
  services: Services;
  /** Handles `GET /` requests that are not API calls (the web home). */
  notApiCall?: (request: FastifyRequest, reply: FastifyReply) => unknown;
}

/** The RPC OpenAPI at `/`: parse → authenticate → invokeAction (validate → resolve stored names → authorize → handle) → envelope. */
export async function openapiGateway(app: FastifyInstance, options: GatewayOptions): Promise<void> {
  const { registry, services } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));

  async function run(request: FastifyRequest, requestId: string): Promise<{ rendered: Rendered; format: Format }> {
    const call = readCall({
      method: request.method,
      url: request.raw.url ?? '/',
      headers: request.headers,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    });
    const format = formatOf(call.params.Format);
    const { action: actionName, version } = call;
    if (!actionName) throw new ApiError('MissingParameter.Action', 400, 'The input parameter "Action" that is mandatory for processing this request is not supplied.');
    if (!version) throw new ApiError('MissingParameter.Version', 400, 'The input parameter "Version" that is mandatory for processing this request is not supplied.');
    const product = PRODUCT_VERSIONS[version];
    if (!product) throw new ApiError('InvalidVersion', 400, `Specified parameter Version "${version}" is not valid.`);
    const action = registry.get(`${product}:${actionName}`);
    if (!action) throw new ApiError('InvalidAction.NotFound', 404, `Specified api "${actionName}" is not found in product ${product} version ${version}.`);

    const credential = action.anonymous ? undefined : await authenticate(call, services);
    const raw = actionParams(call.params);
    const caller = credential?.principal as Principal;
    const context: ActionContext = {
      tx: services.store.db,
      clock: services.clock,
      caller,
      accountId: caller?.accountId ?? '',
      region: services.config.region,
      requestId,
      sourceIp: request.ip,
      secureTransport: request.protocol === 'https',
      services,
      raw,
      requestContext: caller
        ? {
            'acs:SourceIp': request.ip,
            'acs:CurrentTime': services.clock.now().toISOString(),
            'acs:SecureTransport': String(request.protocol === 'https'),
            'acs:MFAPresent': 'false',
            'acs:PrincipalARN': caller.arn,
            'acs:RequestedRegion': services.config.region,
          }
        : {},
    };
    const result = await invokeAction(action, context);
    return { rendered: renderSuccess(actionName, { RequestId: requestId, ...result }, format), format };
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const requestId = newRequestId();
    const product = String(request.headers['x-acs-version'] ?? '');
    let format: Format = 'JSON';
    try {
      const url = request.raw.url ?? '/';
      if (/[?&]Format=xml/i.test(url)) format = 'XML';
      const { rendered } = await run(request, requestId);
      return reply.status(rendered.status).header('content-type', rendered.contentType).send(rendered.body);
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError('InternalError', 500, 'The request processing has failed due to some unknown error.');
      if (!(error instanceof ApiError)) request.log.error({ err: error, requestId }, 'unexpected error in an API call');
      const rendered = renderError(
        apiError.status,
        {
          RequestId: requestId,
          HostId: request.hostname,
          Code: apiError.code,
          Message: apiError.message,
          Recommend: recommend(apiError.code, PRODUCT_VERSIONS[product] ?? 'gatehouse', requestId),
          ...(apiError.detail ? { AccessDeniedDetail: apiError.detail } : {}),
        },
        format,
      );
      return reply.status(rendered.status).header('content-type', rendered.contentType).send(rendered.body);
    }
  };

  app.route({
    method: ['GET', 'POST'],
    url: '/',
    handler: async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : undefined;
      const formAction = body && /(^|&)Action=/.test(body.toString('latin1'));
      if (looksLikeApiCall(request) || formAction || request.method === 'POST') return handler(request, reply);
      if (options.notApiCall) return options.notApiCall(request, reply);
      return reply.redirect('/login.htm');
    },
  });
}
