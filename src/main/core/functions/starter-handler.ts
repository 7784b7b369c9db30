/** Written into a new function's handler file when the file does not exist yet. */
export const STARTER_HANDLER = `// A Crude Functions handler: c is a Hono Context, ctx the platform context.
export default async function (c, ctx) {
  // Resolves Key > Group > Function > Global; undefined when no scope defines it.
  const greeting = (await ctx.getSecret("GREETING")) ?? "Hello";
  return c.json({ message: \`\${greeting} from \${ctx.route.name}\`, requestId: ctx.requestId });
}
`;
