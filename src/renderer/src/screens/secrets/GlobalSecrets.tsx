import type { ReactNode } from 'react';
import { SecretsPanel } from './SecretsPanel';
import { GLOBAL_SCOPE } from './scopeText';

export function GlobalSecrets(): ReactNode {
  return (
    <div className="screen">
      <SecretsPanel scope={GLOBAL_SCOPE} headingLevel={1} />
    </div>
  );
}
