import { cruise } from 'dependency-cruiser';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const config = require(process.cwd() + '/.dependency-cruiser.cjs');
const ts = (await import('dependency-cruiser/config-utl/extract-ts-config')).default;
const r = await cruise(['src'], { validate: true, ruleSet: config, ...config.options, tsPreCompilationDeps: true, tsConfig: {fileName:'tsconfig.json'} }, {}, { tsConfig: ts('tsconfig.json') });
const out = r.output;
console.log(out.summary.violations.map(v => `${v.rule.name} ${v.from} -> ${v.to} ${v.cycle ? v.cycle.map(c=>c.name).join('>') : ''}`).join('\n'));
console.log(out.summary.totalCruised, out.modules.filter(m=>m.source.endsWith('.ts')).length, out.modules.filter(m=>m.couldNotResolve).length);
