// npm run docs:readme: regenerate the commands and settings tables of README.md from package.json.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { updateReadme } from './readme-tables';

const root = path.join(__dirname, '..');
const file = path.join(root, 'README.md');
const before = readFileSync(file, 'utf8');
const after = updateReadme(before, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
if (after !== before) writeFileSync(file, after);
console.log(after === before ? 'README.md tables are up to date' : 'README.md tables regenerated');
