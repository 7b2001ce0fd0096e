// The README's commands and settings tables, generated from package.json's `contributes` so that they
// cannot drift: `npm run docs:readme` rewrites them between their markers, test/listing.test.ts fails when
// the README differs from what this prints.

export interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
    configuration: {
      properties: Record<
        string,
        {
          type?: string | string[];
          default?: unknown;
          description?: string;
          markdownDescription?: string;
          enum?: unknown[];
        }
      >;
    };
  };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function defaultText(v: unknown): string {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  return `\`${s.length > 60 ? `${s.slice(0, 57)}…` : s}\``;
}

/** One row per command a user can run from the palette (helpers hidden with `when: false` are left out). */
export function commandsTable(pkg: Manifest): string {
  const hidden = new Set(
    (pkg.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command),
  );
  const rows = pkg.contributes.commands
    .filter((c) => !hidden.has(c.command))
    .map((c) => `| ${c.category ? `${c.category}: ` : ''}${cell(c.title)} | \`${c.command}\` |`);
  return ['| command (palette) | id |', '|---|---|', ...rows].join('\n');
}

export function settingsTable(pkg: Manifest): string {
  const rows = Object.entries(pkg.contributes.configuration.properties).map(([key, p]) => {
    const values = p.enum ? ` One of ${p.enum.map((e) => `\`${String(e)}\``).join(', ')}.` : '';
    return `| \`${key}\` | ${defaultText(p.default)} | ${cell(p.markdownDescription ?? p.description ?? '')}${values} |`;
  });
  return ['| setting | default | what it does |', '|---|---|---|', ...rows].join('\n');
}

const BLOCKS: [string, (pkg: Manifest) => string][] = [
  ['commands', commandsTable],
  ['settings', settingsTable],
];

/** The README with each generated block replaced; throws when a block's markers are missing. */
export function updateReadme(readme: string, pkg: Manifest): string {
  let out = readme;
  for (const [name, make] of BLOCKS) {
    const start = `<!-- generated:${name} (npm run docs:readme) -->`;
    const end = `<!-- /generated:${name} -->`;
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`README.md lacks the markers ${start} … ${end}`);
    out = `${out.slice(0, a + start.length)}\n${make(pkg)}\n${out.slice(b)}`;
  }
  return out;
}
