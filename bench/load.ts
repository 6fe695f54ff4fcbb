// A small HTTP/1.1 client for load: keep-alive sockets, one request in flight per socket, requests given as ready
// bytes. The load generator shares the machine's cores with the server, so it does no per-request work beyond writing
// the bytes and finding the end of the response; the same client drives a baseline and the route under test.
import { connect, type Socket } from 'node:net';
import { percentile, processCpuSeconds } from './support.js';

export interface RawResponse {
  status: number;
  /** The status line and headers, as received. */
  head: string;
  body: Buffer;
  /** performance.now() when the response's first bytes arrived. */
  firstByteAt: number;
}

/** One keep-alive connection; `send` resolves with the response to the bytes written. */
export class HttpConnection {
  readonly #socket: Socket;
  readonly #ready: Promise<void>;
  #buffered: Buffer = Buffer.alloc(0);
  #firstByteAt = 0;
  #waiting?: { resolve(response: RawResponse): void; reject(error: Error): void };

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.#socket = connect({ host: hostname, port: Number(port), noDelay: true });
    this.#ready = new Promise((resolve, reject) => {
      this.#socket.once('connect', resolve);
      this.#socket.once('error', reject);
    });
    this.#socket.on('error', (error) => this.#waiting?.reject(error));
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  async send(request: Buffer): Promise<RawResponse> {
    await this.#ready;
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(request);
    });
  }

  close(): void {
    this.#socket.end();
  }

  #receive(chunk: Buffer): void {
    if (this.#buffered.length === 0) this.#firstByteAt = performance.now();
    this.#buffered = this.#buffered.length ? Buffer.concat([this.#buffered, chunk]) : chunk;
    const headerEnd = this.#buffered.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = this.#buffered.subarray(0, headerEnd).toString('latin1');
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.#waiting?.reject(new Error(`response without content-length: ${head.slice(0, 200)}`));
      return;
    }
    const total = headerEnd + 4 + Number(length[1]);
    if (this.#buffered.length < total) return;
    const body = this.#buffered.subarray(headerEnd + 4, total);
    this.#buffered = this.#buffered.subarray(total);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve({ status: Number(head.slice(9, 12)), head, body, firstByteAt: this.#firstByteAt });
  }
}

/** The values of a response header (lower-case name), e.g. every set-cookie line. */
export function headerValues(response: RawResponse, name: string): string[] {
  const values: string[] = [];
  const prefix = `\r\n${name}:`;
  const lower = response.head.toLowerCase();
  for (let at = lower.indexOf(prefix); at >= 0; at = lower.indexOf(prefix, at + 1)) {
    const end = response.head.indexOf('\r\n', at + 2);
    values.push(response.head.slice(at + prefix.length, end < 0 ? undefined : end).trim());
  }
  return values;
}

/** The bytes of a request with the given method, target and headers (and an optional body). */
export function rawRequest(method: string, target: string, headers: Record<string, string>, body = ''): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body || method === 'POST') lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  /** Responses whose status was not 2xx, with a sample of one of them. */
  non2xx: number;
  sample?: string;
  /** CPU microseconds per request: the server's process (when known) and this load generator. */
  cpuMicrosPerRequest: { server?: number; loadGenerator: number };
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** The bytes of the next request; each call may return a fresh request (a new nonce, say). */
  next(): Buffer;
  /** The server's process, to report the CPU it used per request. */
  serverPid?: number;
}

/** Sends requests on `connections` sockets for `seconds`, each socket starting the next as soon as one is answered. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  let sample: string | undefined;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const serverCpuBefore = options.serverPid ? processCpuSeconds(options.serverPid) : 0;
  const clientCpuBefore = process.cpuUsage();

  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const connection = new HttpConnection(options.url);
      try {
        while (performance.now() < deadline) {
          const sentAt = performance.now();
          const response = await connection.send(options.next());
          latencies.push(performance.now() - sentAt);
          if (response.status < 200 || response.status > 299) {
            non2xx++;
            sample ??= `${response.head}\r\n\r\n${response.body.toString('utf8').slice(0, 400)}`;
          }
        }
      } finally {
        connection.close();
      }
    }),
  );

  const elapsed = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const perRequest = (seconds: number): number => Math.round((seconds * 1e6) / Math.max(1, latencies.length));
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    reqPerSec: Math.round(latencies.length / elapsed),
    p50ms: Number(percentile(latencies, 50).toFixed(2)),
    p99ms: Number(percentile(latencies, 99).toFixed(2)),
    non2xx,
    ...(sample ? { sample } : {}),
    cpuMicrosPerRequest: {
      ...(options.serverPid ? { server: perRequest(processCpuSeconds(options.serverPid) - serverCpuBefore) } : {}),
      loadGenerator: perRequest((clientCpu.user + clientCpu.system) / 1e6),
    },
  };
}
