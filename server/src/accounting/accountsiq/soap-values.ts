/** Reading the objects the soap package parses a request into (one element → object, many → array). */

export type Parsed = Record<string, unknown>;

export function asArray<T>(value: T | T[] | null | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return '';
  return String(value as string | number | boolean);
}

export function optStr(value: unknown): string | null {
  const s = str(value);
  return s === '' ? null : s;
}

export function obj(value: unknown): Parsed {
  return value && typeof value === 'object' ? (value as Parsed) : {};
}

/** The children of an ArrayOfX element: `{ X: [...] }` or `{ X: {...} }`. */
export function items(value: unknown, itemName: string): Parsed[] {
  return asArray(obj(value)[itemName] as Parsed | Parsed[] | undefined).map(obj);
}
