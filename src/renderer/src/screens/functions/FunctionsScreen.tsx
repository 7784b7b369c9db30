import type { ReactNode } from 'react';
import { crude } from '../../api/client';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import type { Route } from '../../shell/route';
import { BackLink, FunctionDetail } from './FunctionDetail';
import { FunctionsList } from './FunctionsList';

type FunctionsRoute = Extract<Route, { screen: 'functions' }>;

/** The list, or one function found by the name in the route (names are unique). */
export function FunctionsScreen({ route }: { route: FunctionsRoute }): ReactNode {
  if (!route.name) return <FunctionsList />;
  return <FunctionByName route={route as FunctionsRoute & { name: string }} />;
}

function FunctionByName({ route }: { route: FunctionsRoute & { name: string } }): ReactNode {
  const fns = useQuery(() => crude().functions.list({}), [], ['functions.create', 'functions.update', 'functions.delete']);
  const fn = fns.data?.find((f) => f.name === route.name);
  if (!fn) {
    return (
      <div className="screen">
        <BackLink />
        {fns.error ? <ErrorBanner error={fns.error} onRetry={fns.reload} /> : null}
        {!fns.data && !fns.error ? <Loading what="function" /> : null}
        {fns.data ? (
          <div className="state empty" role="alert">
            <h1 tabIndex={-1}>No function named {route.name}</h1>
            <p>It may have been renamed or deleted.</p>
          </div>
        ) : null}
      </div>
    );
  }
  return <FunctionDetail key={fn.id} functionId={fn.id} route={route} />;
}
