/**
 * The column picker's choice as a list of headers in file order, and the column spec a download
 * takes (`portal`, `default`, `all`, or `a,b,c` in that order): one turns into the other here, so
 * the CLI's `--columns` and the job engine see the same specs they always did.
 */
import type { ColumnCatalogue } from '$lib/ipc/gen/ColumnCatalogue';
import type { ColumnPresetDto } from '$lib/ipc/gen/ColumnPresetDto';

/** The catalogue's header for a name, ignoring case and, failing that, the part after a `/` (as Rust's parser does). */
function findHeader(catalogue: ColumnCatalogue, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const exact = catalogue.columns.find((c) => c.header.toLowerCase() === wanted);
  if (exact) return exact.header;
  const byLeaf = catalogue.columns.filter((c) => c.header.includes('/') && c.header.split('/').pop()?.toLowerCase() === wanted);
  return byLeaf.length === 1 ? byLeaf[0]?.header : undefined;
}

/**
 * The headers a spec gives, in file order: presets inside it expand in place, duplicates collapse,
 * and names this catalogue does not offer are left out.
 */
export function expandSpec(catalogue: ColumnCatalogue, spec: string): string[] {
  const out: string[] = [];
  const add = (header: string) => {
    if (!out.includes(header)) out.push(header);
  };
  for (const name of spec.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
    const preset = catalogue.presets.find((p) => p.spec.toLowerCase() === name.toLowerCase());
    if (preset) preset.columns.forEach(add);
    else {
      const header = findHeader(catalogue, name);
      if (header) add(header);
    }
  }
  return out;
}

/** A preset as the picker offers it: the users' "default columns" are the settings' own when given. */
export function presetColumns(catalogue: ColumnCatalogue, preset: ColumnPresetDto, defaultSpec?: string): string[] {
  return preset.name === 'default' && defaultSpec ? expandSpec(catalogue, defaultSpec) : preset.columns;
}

/** The spec a preset downloads with (the settings' default spec for the default preset when given). */
function presetSpec(preset: ColumnPresetDto, defaultSpec?: string): string {
  return preset.name === 'default' && defaultSpec ? defaultSpec : preset.spec;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((header, i) => header === b[i]);
}

/** The presets whose columns are exactly `chosen`, in the same order. */
export function activePresets(catalogue: ColumnCatalogue, chosen: readonly string[], defaultSpec?: string): ColumnPresetDto[] {
  return catalogue.presets.filter((p) => sameList(chosen, presetColumns(catalogue, p, defaultSpec)));
}

/**
 * The column spec of a choice: a preset's name when the choice is exactly that preset in its order,
 * else the headers joined with `,` in the chosen order (empty when nothing is chosen).
 */
export function specOf(catalogue: ColumnCatalogue, chosen: readonly string[], defaultSpec?: string): string {
  const preset = activePresets(catalogue, chosen, defaultSpec)[0];
  return preset ? presetSpec(preset, defaultSpec) : chosen.join(',');
}

/** `list` with the item at `from` moved by `step` places (-1: up, 1: down); unchanged at either end. */
export function move<T>(list: readonly T[], from: number, step: -1 | 1): T[] {
  const to = from + step;
  if (from < 0 || from >= list.length || to < 0 || to >= list.length) return [...list];
  const out = [...list];
  out.splice(to, 0, ...out.splice(from, 1));
  return out;
}
