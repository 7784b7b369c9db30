import { describe, expect, it } from 'vitest';
import LeakReporter from '../support/leak-reporter';

describe('the leak reporter itself', () => {
  it('flags a key value or CANARY value in console output and fails the run', () => {
    const r = new LeakReporter();
    const before = process.exitCode;
    r.onUserConsoleLog({ content: `oops cfk_${'A'.repeat(43)}`, type: 'stdout', taskId: 't1', time: 0, size: 0 } as never);
    r.onUserConsoleLog({ content: 'value CANARY-abc', type: 'stderr', taskId: 't2', time: 0, size: 0 } as never);
    r.onUserConsoleLog({ content: 'harmless cfk_short', type: 'stdout', taskId: 't3', time: 0, size: 0 } as never);
    const logs: string[] = [];
    const orig = { log: console.log, error: console.error };
    console.log = (m: string) => logs.push(m);
    console.error = (m: string) => logs.push(m);
    try {
      r.onTestRunEnd([]);
    } finally {
      console.log = orig.log;
      console.error = orig.error;
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = before;
    expect(logs.join('\n')).toMatch(/2 console output\(s\)/);
    expect(logs.join('\n')).not.toContain('A'.repeat(43));
    expect(logs.join('\n')).not.toContain('CANARY-abc');
  });
});
