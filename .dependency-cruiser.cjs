/**
 * Enforces the layer direction of STYLE.md section 2:
 * domain <- ingest/store/search/recommend/mail <- services <- web/jobs/cli <- main.
 */
const lower = ['ingest', 'store', 'search', 'recommend', 'mail'];
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain imports nothing from src/ but itself',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'lower-layers-stay-low',
      comment: 'ingest, store, search, recommend and mail never import services, web, jobs or cli',
      severity: 'error',
      from: { path: `^src/(${lower.join('|')})/` },
      to: { path: '^src/(services|web|jobs|cli|app\\.ts|main\\.ts)' },
    },
    {
      name: 'lower-layers-are-independent',
      comment: 'ingest, store, search and mail do not import each other (recommend may use search); services combine them',
      severity: 'error',
      from: { path: '^src/(ingest|store|search|mail)/' },
      to: { path: `^src/(${lower.join('|')})/`, pathNot: ['^src/$1/'] },
    },
    {
      name: 'services-below-interfaces',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(web|jobs|cli|app\\.ts|main\\.ts)' },
    },
    {
      name: 'interfaces-use-services-not-storage',
      comment: 'web, jobs and cli call services; they never open the database themselves',
      severity: 'error',
      from: { path: '^src/(web|jobs|cli)/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, pathNot: '\\.test\\.tsx?$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$|/testing/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js'] },
  },
};
