// The smallest handler: c is a Hono Context, ctx the platform's context.
// Try it: GET /run/hello (public: no API key needed).
export default async function (c, ctx) {
  // Resolves Key > Group > Function > Global; undefined when no scope defines it.
  const greeting = (await ctx.getSecret("GREETING")) ?? "Hello";
  console.log(`hello was called (request ${ctx.requestId})`);
  return c.json({ message: `${greeting}, world!`, requestId: ctx.requestId });
}
