// Reads one secret at every scope and through the hierarchy, as the spec's example does.
// Define LOG_LEVEL at a few scopes (🔒 global, 🔐 this function, a group, a key) and call
// GET /run/secrets-demo with and without an API key to watch the answer change.
export default async function (c, ctx) {
  const name = ctx.query.name ?? "LOG_LEVEL";
  return c.json({
    name,
    resolved: await ctx.getSecret(name), // Key > Group > Function > Global
    global: await ctx.getSecret(name, "global"),
    function: await ctx.getSecret(name, "function"),
    group: await ctx.getSecret(name, "group"),
    key: await ctx.getSecret(name, "key"),
    authenticatedKeyGroup: ctx.authenticatedKeyGroup ?? null,
  });
}
