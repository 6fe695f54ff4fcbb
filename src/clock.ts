export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests can move forward, so expiry rules are testable without waiting. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** How far ahead of the wall clock this clock runs; a test keeps it to hand back to `restore` when it is done. */
  offset(): number {
    return this.offsetMs;
  }
  /** Puts the clock back to an offset read earlier, so a test's advance does not leak into the tests after it. */
  restore(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }
}

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}

/** Alibaba's API time format: YYYY-MM-DDTHH:mm:ssZ (no milliseconds). */
export function apiTime(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '';
}
