// Worker: binlogsync's CLI path, `binlogsync parse --json FILE` (runParse), JSON lines to this process's
// stdout, which the bench sends to /dev/null.
//   node bench/workers/parse-json.mjs '{"path":"…"}'
import { args, importDist } from './common.mjs';

const { path } = args();
const { runParse } = await importDist('cli/commands/parse.js');
process.exitCode = await runParse(['--json', path], { stdout: process.stdout, stderr: process.stderr });
