// usage: node scratch/move.mjs mapping.txt  (lines: old new), paths relative to repo root
import fs from 'node:fs'; import path from 'node:path'; import { execFileSync } from 'node:child_process';
const root = process.cwd();
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
const moves = new Map();
for (const l of lines) { const [a, b] = l.split(/\s+/); moves.set(path.resolve(root, a), path.resolve(root, b)); }
const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs', '*.cjs'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(f => path.resolve(root, f));
function resolveTarget(fromDir, spec) {
  const abs = path.resolve(fromDir, spec);
  const cands = [abs, abs.replace(/\.js$/, '.ts'), abs.replace(/\.js$/, '.tsx'), abs + '.ts', abs + '.tsx'];
  for (const c of cands) if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  return null;
}
const re = /((?:from\s+|import\s*\(\s*|import\s+|vi\.mock\(\s*|new URL\(\s*|require\(\s*)['"])(\.{1,2}\/[^'"]+)(['"])/g;
const updates = [];
for (const f of files) {
  const oldDir = path.dirname(f);
  const newF = moves.get(f) ?? f;
  const newDir = path.dirname(newF);
  const src = fs.readFileSync(f, 'utf8');
  let changed = false;
  const out = src.replace(re, (m, pre, spec, post) => {
    const t = resolveTarget(oldDir, spec);
    if (!t) return m;
    const nt = moves.get(t) ?? t;
    if (nt === t && newF === f) return m;
    const ext = path.extname(spec);
    let base = nt;
    if (t !== path.resolve(oldDir, spec)) { // spec used .js for .ts(x)
      base = nt.replace(/\.tsx?$/, ext || '');
    }
    let rel = path.relative(newDir, base).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = './' + rel;
    if (rel !== spec) changed = true;
    return pre + rel + post;
  });
  if (changed) updates.push([f, out]); 
}
for (const [f, out] of updates) fs.writeFileSync(f, out);
for (const [a, b] of moves) { fs.mkdirSync(path.dirname(b), { recursive: true }); execFileSync('git', ['mv', a, b]); }
console.log(`rewrote ${updates.length} files, moved ${moves.size}`);
