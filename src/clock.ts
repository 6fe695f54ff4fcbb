export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests can move forward, or hold still, so expiry rules are testable without waiting. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  /** The wall-clock reading the clock is held at, or null while it runs. */
  private frozenAtMs: number | null = null;
  now(): Date {
    return new Date((this.frozenAtMs ?? Date.now()) + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Lets a held clock run with real time again, keeping what `advance` added while it was held. */
  resume(): void {
    this.frozenAtMs = null;
  }
  /** Holds the clock at its current reading (it then moves only by `advance`), so a test can predict times exactly. */
  freeze(): Date {
    this.frozenAtMs = Date.now();
    return this.now();
  }
  /** How far ahead of the wall clock this clock runs; a test keeps it to hand back to `restore` when it is done. */
  offset(): number {
    return this.offsetMs;
  }
  /** Puts the clock back to an offset read earlier and lets it run again, so a test's changes do not leak. */
  restore(offsetMs: number): void {
    this.offsetMs = offsetMs;
    this.frozenAtMs = null;
  }
}

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}

/** Alibaba's API time format: YYYY-MM-DDTHH:mm:ssZ (no milliseconds). */
export function apiTime(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '';
}
