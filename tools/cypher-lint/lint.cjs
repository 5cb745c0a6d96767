#!/usr/bin/env node
// Lint Cypher statements with Neo4j's own language service (@neo4j-cypher/language-support).
//
// stdin:  {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//          "statements": [{"name": "...", "text": "...", "parameters": {"name": value, ...}}, ...]}
// stdout: {"package": "<version>", "language": "CYPHER 5", "functions": N, "procedures": N, "gds": N,
//          "results": [{"name": "...", "diagnostics": [{"severity", "message", "line", "column"}]}]}
//
// Every statement is checked by lintCypherQuery (Neo4j's parser and semantic analysis) against the
// Cypher 5 function and procedure catalogue the package ships (testData.mockSchema: Neo4j 5's
// built-ins, APOC and GDS signatures) plus the caller's labels, relationship types, property keys and
// the statement's own parameters. Keys of the maps a statement receives as parameters (``row.from`` of
// ``UNWIND $rows AS row``) count as property keys for that statement: the language service reports
// any unknown key after a dot, on maps as on nodes. One process lints the whole batch.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const ls = require('@neo4j-cypher/language-support');

const LANGUAGE = 'CYPHER 5';
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function fail(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

function catalogue() {
  const mock = ls.testData && ls.testData.mockSchema;
  const functions = mock && mock.functions && mock.functions[LANGUAGE];
  const procedures = mock && mock.procedures && mock.procedures[LANGUAGE];
  if (!functions || !procedures) {
    fail(`the installed @neo4j-cypher/language-support ships no ${LANGUAGE} catalogue (testData.mockSchema)`);
  }
  return { functions, procedures };
}

function packageVersion() {
  const file = path.join(path.dirname(require.resolve('@neo4j-cypher/language-support')), '..', '..', 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

function mapKeys(value, out) {
  if (Array.isArray(value)) {
    value.forEach((item) => mapKeys(item, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.add(key);
      mapKeys(item, out);
    }
  }
  return out;
}

function main() {
  let input;
  try {
    input = JSON.parse(fs.readFileSync(0, 'utf8'));
  } catch (err) {
    fail(`stdin is not JSON: ${err.message}`);
  }
  if (!Array.isArray(input.statements)) fail('stdin has no "statements" list');
  const { functions, procedures } = catalogue();
  const base = {
    labels: input.labels || [],
    relationshipTypes: input.relationshipTypes || [],
    propertyKeys: input.propertyKeys || [],
    functions: { [LANGUAGE]: functions },
    procedures: { [LANGUAGE]: procedures },
    defaultLanguage: LANGUAGE,
  };
  const results = input.statements.map(({ name, text, parameters }) => {
    const keys = mapKeys(Object.values(parameters || {}), new Set(base.propertyKeys));
    const schema = { ...base, propertyKeys: [...keys], parameters: parameters || {} };
    const { diagnostics } = ls.lintCypherQuery(text, schema);
    return {
      name,
      diagnostics: diagnostics.map((d) => ({
        severity: SEVERITY[d.severity] || String(d.severity),
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
      })),
    };
  });
  process.stdout.write(
    JSON.stringify({
      package: packageVersion(),
      language: LANGUAGE,
      functions: Object.keys(functions).length,
      procedures: Object.keys(procedures).length,
      gds: Object.keys(procedures).filter((k) => k.startsWith('gds.')).length,
      results,
    }),
  );
}

main();
