import type { UserConsoleLog } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

// Values the suite treats as secret: every generated API key value, and every test value
// marked CANARY-. None may ever reach console output, whatever the test does.
const SECRET_PATTERNS: [string, RegExp][] = [
  ['API key value', /cfk_[A-Za-z0-9_-]{43}/],
  ['CANARY secret value', /CANARY-[A-Za-z0-9-]+/],
];

/**
 * Scans everything tests and the code under test write to the console for secret values,
 * fails the run when one appears (naming the test and the kind, not the value), and ends
 * with a plain "N passed, N failed" line.
 */
export default class LeakReporter implements Reporter {
  private leaks: string[] = [];

  onUserConsoleLog(log: UserConsoleLog): void {
    for (const [kind, re] of SECRET_PATTERNS) {
      if (re.test(log.content)) this.leaks.push(`${kind} in ${log.type} output of ${log.taskId ?? 'a test file'}`);
    }
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
    }
    if (this.leaks.length > 0) {
      console.error(`\nSECRET LEAK: ${this.leaks.length} console output(s) contained secret values:`);
      for (const l of this.leaks) console.error(`  - ${l}`);
      process.exitCode = 1;
    } else {
      console.log('\nleak scan: no API key or CANARY secret value appeared in any console output');
    }
    console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
