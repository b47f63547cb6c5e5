/** A seed from the environment (replay) or from the clock. */
export function seedFrom(envName: string): number {
  const raw = process.env[envName];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
      throw new Error(`${envName} must be an integer from 0 to 4294967295, got "${raw}"`);
    return n;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}
