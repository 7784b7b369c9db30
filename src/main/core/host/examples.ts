import hello from '../../../../resources/examples/hello.ts?raw';
import secretsByScope from '../../../../resources/examples/secrets-by-scope.ts?raw';
import completeSecret from '../../../../resources/examples/complete-secret.ts?raw';
import type { Core } from '../core-api';

export const EXAMPLES = [
  { file: 'examples/hello.ts', source: hello, name: 'hello', route: '/hello', description: 'Says hello with the GREETING secret.' },
  {
    file: 'examples/secrets-by-scope.ts',
    source: secretsByScope,
    name: 'secrets-demo',
    route: '/secrets-demo',
    description: 'Reads LOG_LEVEL at every scope and through the hierarchy.',
  },
  {
    file: 'examples/complete-secret.ts',
    source: completeSecret,
    name: 'complete-secret',
    route: '/complete-secret/:name',
    description: 'Returns ctx.getCompleteSecret(name).',
  },
] as const;

/**
 * First start: example handlers in code/examples/, their functions, and a GREETING global
 * secret, so the app does something useful in its first minute. Skips what already exists.
 */
export function seedExamples(core: Core): void {
  const existing = new Set(core.functions.list().map((f) => f.name));
  const files = new Set(core.code.list().map((f) => f.path));
  for (const ex of EXAMPLES) {
    if (!files.has(ex.file)) core.code.write(ex.file, ex.source);
    if (!existing.has(ex.name)) {
      core.functions.create({ name: ex.name, route: ex.route, methods: ['GET'], handler: ex.file, description: ex.description });
    }
  }
  if (!core.secrets.names().includes('GREETING')) {
    core.secrets.create({ name: 'GREETING', value: 'Hello', scope: 'global', comment: 'Used by the hello example.' });
  }
  if (!core.secrets.names().includes('LOG_LEVEL')) {
    core.secrets.create({ name: 'LOG_LEVEL', value: 'info', scope: 'global', comment: 'Override it per function, group or key.' });
  }
}
