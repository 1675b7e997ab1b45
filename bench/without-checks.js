/**
 * Preloaded by the benchmark (`node -r ./bench/without-checks.js lib/main.js`) to run an
 * example app without its checks: it replaces `applyPlatformChecks` of
 * `@ssd-platform/example-common` with a function that does nothing, so the app applies
 * neither the tagging check, the cdk-nag packs nor the resilience check. Everything else
 * the app builds is unchanged. cdk-nag is still loaded, because the construct libraries import it for
 * their suppressions.
 *
 * The example apps have no switch for this; the main job never loads this file.
 */
const Module = require('module');

const checksPath = require.resolve('@ssd-platform/example-common/lib/checks', { paths: [process.cwd()] });
const stub = new Module(checksPath, module);
stub.filename = checksPath;
stub.loaded = true;
stub.exports = { applyPlatformChecks: () => undefined };
require.cache[checksPath] = stub;
