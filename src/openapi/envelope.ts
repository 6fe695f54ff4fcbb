import { XMLBuilder } from 'fast-xml-parser';

export type Format = 'JSON' | 'XML';

const xml = new XMLBuilder({ ignoreAttributes: true, format: false, suppressEmptyNode: false });

export interface Rendered {
  status: number;
  contentType: string;
  body: string;
}

export function formatOf(value: unknown): Format {
  return typeof value === 'string' && value.toUpperCase() === 'XML' ? 'XML' : 'JSON';
}

export function renderSuccess(action: string, body: object, format: Format): Rendered {
  if (format === 'XML') {
    return {
      status: 200,
      contentType: 'text/xml;charset=utf-8',
      body: `<?xml version="1.0" encoding="UTF-8"?>${xml.build({ [`${action}Response`]: body })}`,
    };
  }
  return { status: 200, contentType: 'application/json;charset=utf-8', body: JSON.stringify(body) };
}

export interface ErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
  AccessDeniedDetail?: Record<string, unknown>;
}

export function renderError(status: number, error: ErrorBody, format: Format): Rendered {
  if (format === 'XML') {
    return {
      status,
      contentType: 'text/xml;charset=utf-8',
      body: `<?xml version="1.0" encoding="UTF-8"?>${xml.build({ Error: error })}`,
    };
  }
  return { status, contentType: 'application/json;charset=utf-8', body: JSON.stringify(error) };
}
