/**
 * Deterministic randomness and calendar helpers for the demo seeder. Everything the seeder
 * invents comes from one seeded generator, so the same `today` gives the same data. The chaos
 * simulation, the crash test and the benchmark draw their plans from the same generator.
 */

/** mulberry32: small, fast, good enough for demo data. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** The items in a random order (a new array; `items` is left as it was). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** `count` distinct items (fewer if the list is shorter). */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, count);
  }

  /** A child generator whose sequence depends only on this seed and the label, not on call order. */
  fork(label: string): Rng {
    let h = this.seed >>> 0;
    for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return new Rng(h);
  }

  /** A 32-bit seed for something else (a fault spec, a worker). */
  seedFor(label: string): number {
    return this.fork(label).int(1, 0xfffffffe);
  }

  /** A money amount between min and max (whole cents), as a decimal string. */
  cents(min: number, max: number): string {
    const c = this.int(Math.round(min * 100), Math.round(max * 100));
    return (c / 100).toFixed(2);
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---- calendar dates ('YYYY-MM-DD', UTC arithmetic) ----

const DAY_MS = 86_400_000;

function parse(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return iso(new Date(parse(date).getTime() + days * DAY_MS));
}

/** First day of the month `months` away from the month of `date`. */
export function monthStart(date: string, months = 0): string {
  const d = parse(date);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)));
}

export function monthEnd(date: string, months = 0): string {
  const d = parse(date);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 0)));
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

export function isWeekend(date: string): boolean {
  const wd = parse(date).getUTCDay();
  return wd === 0 || wd === 6;
}

/** The date itself, or the Monday after it when it falls on a weekend. */
export function nextWeekday(date: string): string {
  let d = date;
  while (isWeekend(d)) d = addDays(d, 1);
  return d;
}

/** A moment on `date` at hh:mm (UTC). */
export function at(date: string, hour: number, minute = 0, second = 0): Date {
  return new Date(parse(date).getTime() + ((hour * 60 + minute) * 60 + second) * 1000);
}

/** A moment during office hours in Helsinki/Stockholm (06:00-14:59 UTC) on `date`. */
export function officeTime(rng: Rng, date: string): Date {
  return at(date, rng.int(6, 14), rng.int(0, 59), rng.int(0, 59));
}

export function plusMinutes(moment: Date, minutes: number): Date {
  return new Date(moment.getTime() + minutes * 60_000);
}

export function plusSeconds(moment: Date, seconds: number): Date {
  return new Date(moment.getTime() + seconds * 1000);
}

export function dateOf(moment: Date): string {
  return iso(moment);
}

export function todayIso(): string {
  return iso(new Date());
}
