// Reads one secret at every scope and through the hierarchy, as the spec's example does.
// Define LOG_LEVEL at a few scopes (global, this function, a group, a key) and call
// GET /run/secrets-demo with and without an API key to watch the answer change.
export default async function (c, ctx) {
  return c.json({
    name: "LOG_LEVEL",
    resolved: await ctx.getSecret("LOG_LEVEL"), // Key > Group > Function > Global
    global: await ctx.getSecret("LOG_LEVEL", "global"),
    function: await ctx.getSecret("LOG_LEVEL", "function"),
    group: await ctx.getSecret("LOG_LEVEL", "group"),
    key: await ctx.getSecret("LOG_LEVEL", "key"),
    authenticatedKeyGroup: ctx.authenticatedKeyGroup ?? null,
  });
}
