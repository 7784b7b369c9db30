import type { ReactNode } from 'react';
import type { FunctionTab } from '../../shell/route';
import { FunctionDetail } from './FunctionDetail';
import { FunctionsList } from './FunctionsList';

export function FunctionsScreen({ functionId, tab }: { functionId?: number; tab?: FunctionTab }): ReactNode {
  return functionId ? <FunctionDetail key={functionId} functionId={functionId} initialTab={tab} /> : <FunctionsList />;
}
