// Server-rendered pages. Every interpolated value is escaped unless wrapped in `raw()`.

export class Raw {
  constructor(readonly value: string) {}
}

export const raw = (value: string): Raw => new Raw(value);

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function render(value: unknown): string {
  if (value instanceof Raw) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}


// The stylesheet is a static file (src/web/static/gatehouse.css): browsers keep it, so pages stay small.
export function page(title: string, body: Raw, options: { header?: Raw; head?: Raw } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} - Gatehouse</title><link rel="stylesheet" href="/static/gatehouse.css">${options.head?.value ?? ''}</head>
<body><header><strong>Gatehouse</strong>${options.header?.value ?? ''}</header><main>${body.value}</main></body></html>`;
}
