/**
 * How deeply a value nests objects and arrays (a scalar is 0, `{}` is 1), counted without
 * recursion so a 300,000-deep value cannot overflow the stack; stops as soon as it is past
 * `limit` (and then returns a number greater than `limit`).
 */
export function measureDepth(value: unknown, limit: number): number {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  let deepest = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > deepest) {
      deepest = item.depth;
      if (deepest > limit) return deepest;
    }
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return deepest;
}
