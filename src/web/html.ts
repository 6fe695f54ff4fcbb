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

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1f2329}
header{background:#1f2329;color:#fff;padding:10px 24px;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}
main{max-width:960px;margin:32px auto;background:#fff;padding:24px 32px;border-radius:6px;box-shadow:0 1px 3px #0002}
.card{max-width:380px}
label{display:block;margin:12px 0 4px;font-weight:600}
input[type=text],input[type=password],input[type=number],input[type=email],select,textarea{width:100%;padding:8px;box-sizing:border-box;border:1px solid #c9ccd0;border-radius:4px}
button{margin-top:16px;padding:8px 18px;background:#ff6a00;color:#fff;border:0;border-radius:4px;cursor:pointer;font-size:15px}
button.secondary{background:#e5e7eb;color:#1f2329}
.error{background:#fdecea;color:#a8071a;padding:8px 12px;border-radius:4px}
.notice{background:#e6f4ff;padding:8px 12px;border-radius:4px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:6px 8px;text-align:left}
.tag{display:inline-block;background:#fff1e6;color:#ff6a00;border:1px solid #ffbb96;border-radius:3px;padding:0 6px;font-size:12px}
`;

export function page(title: string, body: Raw, options: { header?: Raw; head?: Raw } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} - Gatehouse</title><style>${STYLE}</style>${options.head?.value ?? ''}</head>
<body><header><strong>Gatehouse</strong>${options.header?.value ?? ''}</header><main>${body.value}</main></body></html>`;
}
