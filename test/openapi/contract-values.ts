// Values of an exact length for a row of the contract table, valid in every other respect (characters, form).
import type { ContractLimit } from './contract-limits.js';

/** The characters of a RegExp class body such as `A-Za-z0-9@_.-`. */
export function expandChars(body: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      for (let c = body.charCodeAt(i); c <= body.charCodeAt(i + 2); c++) out.add(String.fromCharCode(c));
      i += 2;
    } else {
      out.add(body[i] as string);
    }
  }
  return out;
}

const POLICY = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });

/** `seq` makes the value unique (for names that must be); the tail holds it, the head pads to `length`. */
export function valueOf(row: Pick<ContractLimit, 'param'>, length: number, seq = 0): string {
  const token = seq.toString(36);
  const pad = (head: string, tail: string): string => head.repeat(Math.max(0, length - tail.length)).slice(0, Math.max(0, length - tail.length)) + tail;
  if (length <= 0) return '';
  if (/Email$/.test(row.param)) return pad('a', `${token}@example.com`);
  if (row.param === 'Password') return pad('x', `Aa1!${token}`);
  if (/PolicyDocument$/.test(row.param)) return POLICY.padEnd(length, ' ');
  return pad('a', token).slice(-length);
}
