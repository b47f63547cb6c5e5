// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('GraphQL documents', () => {
  it('validate against schema/schema.graphql, and src/gql is what codegen makes of them', async () => {
    // Throws, naming the file and field, when an operation does not validate.
    const outputs: { filename: string; content: string }[] = await generate(
      { ...config, cwd: webDir, silent: true, verbose: false },
      false,
    );

    const stale = outputs
      .filter((o) => {
        try {
          return readFileSync(path.resolve(webDir, o.filename), 'utf8') !== o.content;
        } catch {
          return true;
        }
      })
      .map((o) => o.filename);
    expect(stale, 'run `pnpm --filter @ledgerlink/web codegen` and commit src/gql').toEqual([]);

    const expected = outputs.map((o) => path.resolve(webDir, o.filename)).sort();
    const present = readdirSync(path.join(webDir, 'src/gql'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => path.join(webDir, 'src/gql', f))
      .sort();
    expect(present).toEqual(expected);
  }, 60_000);

  it('follow the conventions: one operation per file, ids selected, userErrors on mutations', () => {
    const modules = path.join(webDir, 'src/modules');
    const files = readdirSync(modules, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.graphql'),
    );
    expect(files.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(modules, file), 'utf8');
      const operations = text.match(/^(query|mutation|subscription|fragment)\s+\w+/gm) ?? [];
      if (operations.length !== 1) problems.push(`${file}: ${operations.length} operations`);
      const kind = /\.(query|mutation|subscription|fragment)\.graphql$/.exec(file)?.[1];
      if (!kind || !operations[0]?.startsWith(kind))
        problems.push(`${file}: name it *.${operations[0]?.split(' ')[0]}.graphql`);
      if (kind === 'mutation' && !/userErrors\s*{\s*code\s+message\s+field\s*}/.test(text)) {
        problems.push(`${file}: select userErrors { code message field }`);
      }
    }
    expect(problems).toEqual([]);
  });
});
