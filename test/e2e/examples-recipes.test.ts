// Every recipe in examples/recipes/ is run as a user would run it (sh, the commands on PATH under
// their installed names, a pinned world: TZ=UTC, no colour, an empty HOME) and its stdout compared
// with the expected output beside it (NAME.sh -> NAME.out). Recipes named db-* get a fresh test
// database through IPTA_DB_* variables. After a deliberate change of output:
//   IPTA_UPDATE_EXPECTED=1 node --test dist/test/e2e/examples-recipes.test.js
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, testEnv } from '../helpers/run-bin.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const DIR = join(ROOT, 'examples/recipes');
const recipes = readdirSync(DIR).filter((f) => f.endsWith('.sh')).sort();
let tmp: string;
let pathDir: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ipta-recipes-'));
  // the commands under the names package.json installs them as
  pathDir = join(tmp, 'bin');
  mkdirSync(pathDir);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const [name, file] of Object.entries(pkg.bin)) symlinkSync(join(ROOT, file), join(pathDir, name));
  mkdirSync(join(tmp, 'home'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function sh(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn('sh', [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (b) => (stdout += b));
    c.stderr.on('data', (b) => (stderr += b));
    const t = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('error', reject);
    c.on('close', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

test('there are recipes, each with its expected output', () => {
  assert.ok(recipes.length >= 8, `only ${recipes.length} recipes`);
  for (const r of recipes) assert.ok(existsSync(join(DIR, r.replace(/\.sh$/, '.out'))) || process.env.IPTA_UPDATE_EXPECTED, `${r} has no .out`);
});

for (const recipe of recipes) {
  test(`examples/recipes/${recipe}`, async () => {
    let db: TestDb | undefined;
    const env = testEnv({ PATH: `${pathDir}:${process.env.PATH}`, HOME: join(tmp, 'home'), IPTA_CONFIG: join(tmp, 'no-config') });
    for (const k of Object.keys(env)) if (/^(IPTA_DB_|MYSQL_PWD)/.test(k)) delete env[k];
    if (recipe.startsWith('db-')) {
      db = await createTestDb('ipta_test_recipe');
      Object.assign(env, { IPTA_DB_HOST: db.options.host, IPTA_DB_PORT: String(db.options.port), IPTA_DB_USER: db.options.user, IPTA_DB_PASS: db.options.password, IPTA_DB_NAME: db.name });
    }
    try {
      const r = await sh(join(DIR, recipe), env);
      assert.equal(r.code, 0, r.stderr);
      const expectedFile = join(DIR, recipe.replace(/\.sh$/, '.out'));
      if (process.env.IPTA_UPDATE_EXPECTED) writeFileSync(expectedFile, r.stdout);
      assert.equal(r.stdout, readFileSync(expectedFile, 'utf8'));
      assert.ok(r.stdout.length > 0, 'a recipe prints something');
    } finally {
      await db?.drop();
    }
  });
}
