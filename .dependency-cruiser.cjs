// Import rules of Gatehouse, checked by test/lint/boundaries.test.ts (run by `npm test`).
// Requests flow one way: transport (web/, openapi/ gateway) → authentication → authorization → domain → store.
// A domain folder may be imported by the edges but never imports them back.

/** Folders holding domain code. Their `actions/` subfolders (and sts/actions.ts) are wire declarations: edge. */
const DOMAIN = '^src/(ram|cloudsso|sts|accounts|resource-directory|policy|store|crypto|signin|sessions|tags|saml|redirects|errors\\.ts|paging\\.ts)';
const DECLARATIONS = '^src/[^/]+/actions(/|\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-no-edge',
      comment: 'Domain code must not know about HTTP: no src/web/, no src/openapi/, no Fastify.',
      severity: 'error',
      from: { path: DOMAIN, pathNot: DECLARATIONS },
      to: { path: ['^src/web/', '^src/openapi/', '(^|/)node_modules/(fastify|@fastify/)'] },
    },
    {
      name: 'web-imports-no-store',
      comment: 'Pages call domain functions; the query layer (src/store/, Kysely) belongs to the domain that owns the data.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: ['^src/store/', '(^|/)node_modules/kysely/'] },
    },
    {
      name: 'no-circular',
      comment: 'An import cycle in src makes load order matter and hides which module owns what.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
