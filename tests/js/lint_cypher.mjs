// Lint Cypher files with Neo4j's own parser. Browser `:param` lines are not Cypher: they are
// stripped from the text and passed to the linter as the defined parameters, as Browser would.
// Prints one JSON object: file -> list of diagnostics.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const out = {};
for (const file of process.argv.slice(2)) {
  const parameters = {};
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => {
      const m = line.match(/^\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>/);
      if (m) { parameters[m[1]] = null; return ''; }
      return line;
    })
    .join('\n');
  const { diagnostics } = lintCypherQuery(text, { parameters });
  out[file] = diagnostics.map((d) => ({
    severity: d.severity, message: d.message, line: d.range.start.line + 1,
  }));
}
console.log(JSON.stringify(out));
