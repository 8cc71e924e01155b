// `npm run bench` (after `npm run build`): runs bench/main.ts, whose workers measure the built library
// in dist/. Arguments pass through, e.g. `npm run bench -- --only=decode --runs=5`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exitCode = r.status ?? 1;
