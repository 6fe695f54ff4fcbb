// The official Alibaba Cloud SDKs, pointed at a test server. They are CommonJS: classes hang off `.default`.
import OpenApiModule from '@alicloud/openapi-client';
import UtilModule from '@alicloud/tea-util';
import RamModule from '@alicloud/ram20150501';
import ImsModule from '@alicloud/ims20190815';
import StsModule from '@alicloud/sts20150401';
import ResourceManagerModule from '@alicloud/resourcemanager20200331';

export const OpenApi = OpenApiModule as any;
export const Util = UtilModule as any;
export const Ram = RamModule as any;
export const Ims = ImsModule as any;
export const Sts = StsModule as any;
export const ResourceManager = ResourceManagerModule as any;

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface ClientOptions {
  /** 'v2' makes the SDK sign with V1 (HMAC-SHA1 in the query). */
  signatureAlgorithm?: 'v2';
}

export function sdkConfig(url: string, creds: Credentials, options: ClientOptions = {}): any {
  const config = new OpenApi.Config({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    securityToken: creds.securityToken,
    endpoint: new URL(url).host,
    protocol: 'http',
    regionId: 'cn-hangzhou',
    readTimeout: 20000,
    connectTimeout: 5000,
  });
  if (options.signatureAlgorithm) config.signatureAlgorithm = options.signatureAlgorithm;
  return config;
}

export const ramClient = (url: string, creds: Credentials, options?: ClientOptions): any => new Ram.default(sdkConfig(url, creds, options));
export const imsClient = (url: string, creds: Credentials, options?: ClientOptions): any => new Ims.default(sdkConfig(url, creds, options));
export const stsClient = (url: string, creds: Credentials, options?: ClientOptions): any => new Sts.default(sdkConfig(url, creds, options));
export const resourceManagerClient = (url: string, creds: Credentials, options?: ClientOptions): any =>
  new ResourceManager.default(sdkConfig(url, creds, options));

/** A generic RPC call through `@alicloud/openapi-client`'s callApi (params in the query), as for CloudSSO. */
export async function callApi(
  url: string,
  creds: Credentials,
  action: string,
  version: string,
  query: Record<string, string | number | boolean | undefined>,
  options: ClientOptions = {},
): Promise<any> {
  const client = new OpenApi.default(sdkConfig(url, creds, options));
  const params = new OpenApi.Params({
    action,
    version,
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) clean[k] = String(v);
  const request = new OpenApi.OpenApiRequest({ query: OpenApi.default.query ? clean : clean });
  const response = await client.callApi(params, request, new Util.RuntimeOptions({}));
  return response.body;
}

/** Runs an SDK call expected to fail and returns the error (code, statusCode, data). */
export async function expectApiError(promise: Promise<unknown>): Promise<{ code: string; statusCode: number; data: any; message: string }> {
  try {
    await promise;
  } catch (error: any) {
    return { code: error.code, statusCode: error.statusCode, data: error.data, message: error.message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
