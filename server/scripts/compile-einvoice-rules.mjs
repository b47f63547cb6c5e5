// Compiles the vendored Schematron XSLTs (einvoice-rules/*/…xslt) into SaxonJS SEF files with
// xslt3, gzipped beside them, and records the XSLT's sha256 in einvoice-rules/manifest.json: the
// server loads the SEF (compiling a 900 KB stylesheet takes ~30 s), and a test fails when a
// vendored XSLT no longer matches the SEF compiled from it. Run after refresh-einvoice-rules.sh.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const rulesDir = path.resolve(import.meta.dirname, '..', 'einvoice-rules');
const manifestFile = path.join(rulesDir, 'manifest.json');
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const xslt3 = path.resolve(import.meta.dirname, '..', 'node_modules', 'xslt3', 'xslt3.js');

for (const rules of manifest.ruleSets) {
  const xsltFile = path.join(rulesDir, rules.xslt);
  const sha256 = crypto.createHash('sha256').update(fs.readFileSync(xsltFile)).digest('hex');
  if (rules.sha256 === sha256 && fs.existsSync(path.join(rulesDir, rules.sef))) {
    console.log(`${rules.id}: up to date`);
    continue;
  }
  const out = path.join(rulesDir, `${rules.id}.sef.json`);
  console.log(`${rules.id}: compiling ${rules.xslt} …`);
  const run = spawnSync(
    process.execPath,
    [xslt3, `-xsl:${xsltFile}`, `-export:${out}`, '-nogo', '-relocate:on'],
    {
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
  fs.writeFileSync(
    path.join(rulesDir, rules.sef),
    zlib.gzipSync(fs.readFileSync(out), { level: 9 }),
  );
  fs.rmSync(out);
  rules.sha256 = sha256;
}
fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
