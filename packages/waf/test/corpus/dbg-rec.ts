import { createWafEngine } from '../../src/index.js';
import { loadCorpus, toWafRequest } from './corpus-records.js';
import { parseRequest } from '../../src/request/parse-request.js';
const engine = createWafEngine();
for (const file of ['crs-attacks', 'handmade-attacks', 'crs-benign', 'benign-golden'] as const) {
  for (const r of loadCorpus(file)) {
    if (!process.argv.slice(2).includes(r.id)) continue;
    const req = toWafRequest(r);
    const parsed = parseRequest(req, { maxBodyBytes: 65536, maxArgs: 512, maxJsonDepth: 32 });
    console.log(r.id, parsed.bodyKind, parsed.fields.map((f) => `${f.kind}|${f.name}|${JSON.stringify(f.value).slice(0, 100)}|text=${JSON.stringify(f.text).slice(0, 100)}`));
    console.log(engine.inspect(req).matches);
  }
}
