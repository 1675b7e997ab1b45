import { NcscReport } from './model';

/**
 * Renders the report model as JSON with the keys of every object sorted, so that two
 * reports of the same input are byte for byte the same and diff cleanly.
 */
export function renderJson(report: NcscReport): string {
  return `${JSON.stringify(sortKeys(report), undefined, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    const sorted: { [key: string]: unknown } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as { [key: string]: unknown })[key];
      if (v !== undefined) {
        sorted[key] = sortKeys(v);
      }
    }
    return sorted;
  }
  return value;
}
