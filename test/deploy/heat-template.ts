import { requireHeat, run, SYSTEM_PYTHON } from './tools.js';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

const TO_JSON = path.join(REPO_ROOT, 'test', 'deploy', 'heat_to_json.py');

export interface HeatParameter {
  readonly type: string;
  readonly default?: unknown;
  readonly hidden?: boolean;
  readonly constraints?: ReadonlyArray<{ allowed_pattern?: string }>;
}

export interface HeatTemplate {
  readonly parameters: Record<string, HeatParameter>;
  readonly resources: Record<string, { type: string; properties?: Record<string, unknown> }>;
}

/** A HOT template as Heat's own YAML loader reads it. */
export function loadHeatTemplate(file: string): HeatTemplate {
  requireHeat();
  const result = run(SYSTEM_PYTHON, [TO_JSON, file]);
  if (result.status !== 0) throw new Error(`cannot parse ${file}:\n${result.output}`);
  return JSON.parse(result.stdout) as HeatTemplate;
}

/**
 * Every parameter whose value can reach a resource's property: through get_param directly, or
 * through get_resource / get_attr of another resource whose properties use it (transitively).
 */
export function parametersReaching(template: HeatTemplate, resourceName: string, property: string): Set<string> {
  const parameters = new Set<string>();
  const visited = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'get_param') parameters.add(String([value].flat()[0]));
      else if (key === 'get_resource') visit(String(value));
      else if (key === 'get_attr') visit(String((value as unknown[])[0]));
      else walk(value);
    }
  };
  const visit = (name: string): void => {
    if (visited.has(name)) return;
    visited.add(name);
    const target = template.resources[name];
    if (!target) throw new Error(`no resource ${name} in the template`);
    walk(target.properties);
  };
  visited.add(resourceName);
  const start = template.resources[resourceName]?.properties?.[property];
  if (start === undefined) throw new Error(`no property ${property} on ${resourceName}`);
  walk(start);
  return parameters;
}
