// Child process for crash tests: opens a data directory and rotates its keys, reporting
// each step on stdout so the parent can kill it (SIGKILL) at a chosen moment.
import { openCore } from '../../src/main/core';

const dataDir = process.argv[2]!;
// "parallel": the helper thread shares the AES work, as large rotations do.
const parallel = process.argv[3] === 'parallel';
const core = openCore({
  dataDir,
  rotationParallelFrom: parallel ? 1 : Number.MAX_SAFE_INTEGER,
  rotationHooks: { onStep: (s) => process.stdout.write(`step ${s}\n`) },
});
process.stdout.write('rotating\n');
core.rotation
  .rotateNow()
  .then(() => {
    process.stdout.write('done\n');
    core.close();
  })
  .catch((e: Error) => {
    process.stdout.write(`failed ${e.message}\n`);
    process.exit(1);
  });
