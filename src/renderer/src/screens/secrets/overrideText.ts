import type { SecretOverride } from '../../../../shared/contract';
import { plural } from '../../components/format';

/** "overridden for 3 callers: group shipping, key ship-key-1 (shipping)…" */
export function overrideText(o: SecretOverride, max = 3): string {
  const by = o.overriddenBy.slice(0, max).map((b) => (b.scope === 'key' ? `key ${b.recordName}${b.groupName ? ` (${b.groupName})` : ''}` : `${b.scope} ${b.recordName}`));
  const more = o.overriddenBy.length > max ? ` and ${o.overriddenBy.length - max} more` : '';
  const all = o.overridden === o.reached ? ' (every caller)' : '';
  return `overridden for ${plural(o.overridden, 'caller')}${all}: ${by.join(', ')}${more}`;
}
