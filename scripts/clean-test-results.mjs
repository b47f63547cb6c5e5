// Removes the previous run's JSON reports so the summary counts only this run.
import fs from 'node:fs';
import path from 'node:path';

fs.rmSync(path.resolve(import.meta.dirname, '..', '.test-results'), {
  recursive: true,
  force: true,
});
