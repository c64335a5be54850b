// A module-resolution hook (node:module register): resolve workspace packages through their `source`
// export condition, i.e. their TypeScript sources.
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('source') ? context.conditions : ['source', ...context.conditions];
  return nextResolve(specifier, { ...context, conditions });
}
