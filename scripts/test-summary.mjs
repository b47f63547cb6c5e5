// Prints one closing line for the whole run ("N passed, N failed, N skipped") from the JSON
// reports each package's vitest writes to .test-results/, so CI sees the total in one place.
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve(import.meta.dirname, '..', '.test-results');
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const file of fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : []) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  lines.push(
    `  ${file.replace(/\.json$/, '').padEnd(10)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
console.log('\nTest totals by package:');
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
// Every package must have reported: a suite that died before writing its report is a failure.
const expected = ['server', 'web', 'test'];
const missing = expected.filter((name) => !fs.existsSync(path.join(dir, `${name}.json`)));
if (missing.length) console.log(`missing reports (a suite did not finish): ${missing.join(', ')}`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
