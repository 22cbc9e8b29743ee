/** Field paths as rejections name them: `data.operations[0].modes[0]`, `data["odd key"]`. */
export function childPath(parent: string, segment: string | number): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(segment)) return `${parent}.${segment}`;
  return `${parent}[${JSON.stringify(segment)}]`;
}
