// Returns ctx.getCompleteSecret(name): every scope's value with its metadata.
// GET /run/complete-secret/DATABASE_URL
export default async function (c, ctx) {
  const details = await ctx.getCompleteSecret(ctx.params.name);
  if (!details) {
    return c.json({ error: `${ctx.params.name} not found in any scope` }, 404);
  }
  return c.json(details);
}
