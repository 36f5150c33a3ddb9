/** The routes of fastify's printed tree; a route printed under another (its path extends that one) gets its full path. */
export function routesOf(printed: string): string[] {
  const stack: { depth: number; path: string }[] = [];
  const out: string[] = [];
  for (const m of printed.matchAll(/^(.*?)[├└]── (\/\S*) \(/gm)) {
    const depth = m[1].length;
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop();
    const path = (stack.length ? stack[stack.length - 1].path : '') + m[2];
    stack.push({ depth, path });
    out.push(path);
  }
  return out;
}
