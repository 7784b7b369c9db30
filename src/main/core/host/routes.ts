import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { getPath } from 'hono/utils/url';
import type { FunctionDef } from '../../../shared/types';
import { functionNotFound } from './responses';

/**
 * The functions' routes, matched as the platform matches them: a Hono router with one
 * route per enabled function and method, strict about trailing slashes, on the path below
 * /run. A method the function does not answer, or a path no function has, is the
 * platform's 404 "Function not found". Rebuilt when the functions change.
 */
export class FunctionRoutes<E extends object> {
  private router: Hono<E> = this.build([]);
  private revision = -1;

  constructor(private readonly steps: (fn: FunctionDef) => MiddlewareHandler<E>[]) {}

  /** Rebuilds only when core's functions revision moved. */
  update(revision: number, list: () => FunctionDef[]): void {
    if (revision === this.revision) return;
    this.revision = revision;
    this.router = this.build(list());
  }

  fetch(request: Request, env: unknown): Response | Promise<Response> {
    return this.router.fetch(request, env as never);
  }

  private build(functions: FunctionDef[]): Hono<E> {
    const router = new Hono<E>({ getPath: (req) => getPath(req).replace(/^\/run/, '') || '/' });
    const enabled = functions.filter((fn) => fn.enabled);
    // CORS first, so that a preflight is answered before any route (the platform's order);
    // per route path, the first function with CORS rules on it wins.
    const withCors = new Set<string>();
    for (const fn of enabled) {
      if (!fn.cors || fn.tampered || withCors.has(fn.route)) continue;
      withCors.add(fn.route);
      router.use(
        fn.route,
        cors({
          origin: fn.cors.origins.length === 1 && fn.cors.origins[0] === '*' ? '*' : fn.cors.origins,
          credentials: fn.cors.credentials,
          maxAge: fn.cors.maxAge ?? 86_400,
          allowMethods: fn.methods,
          allowHeaders: fn.cors.allowHeaders,
          exposeHeaders: fn.cors.exposeHeaders,
        }) as MiddlewareHandler<E>,
      );
    }
    for (const fn of enabled) {
      // Hono answers HEAD through the GET route, as the platform's router does.
      router.on(fn.methods, fn.route, ...(this.steps(fn) as [MiddlewareHandler<E>]));
    }
    router.all('*', (c) => c.json(functionNotFound().body, 404));
    return router;
  }
}
