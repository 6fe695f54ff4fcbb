export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests can move forward, so expiry rules are testable without waiting. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  /** While frozen, the instant the clock reads; `advance` moves it. */
  private frozenAt: number | undefined;
  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }
  /** Stops the clock at its current reading, so a test can stand at an exact instant (e.g. one second before a lock ends). */
  freeze(): void {
    this.frozenAt = this.now().getTime();
  }
  /** Lets the clock run with real time again, keeping the offset it had before it was frozen. */
  resume(): void {
    this.frozenAt = undefined;
  }
}

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}

/** Alibaba's API time format: YYYY-MM-DDTHH:mm:ssZ (no milliseconds). */
export function apiTime(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '';
}
