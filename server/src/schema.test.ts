import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSchemaSdl, SCHEMA_FILE } from './schema.js';

describe('schema/schema.graphql', () => {
  it('matches the schema the server builds (run `pnpm schema:emit` and commit it)', async () => {
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed).toBe(await printSchemaSdl());
  });
});
