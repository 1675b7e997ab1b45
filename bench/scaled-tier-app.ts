/**
 * A tier app of a scaled estate, as the benchmark runs it:
 *
 *   CDK_OUTDIR=<dir> CDK_CONTEXT_JSON=<context> node -r ts-node/register/transpile-only \
 *     bench/scaled-tier-app.ts <benefits per tier> <non-production|production> [--without-checks]
 *
 * It builds what examples/<tier>/src/main.ts builds, from `scaledEstate(ESTATE, n)`, and
 * applies the same checks unless --without-checks is given.
 */
import { App } from 'aws-cdk-lib';
import { ESTATE, applyPlatformChecks, buildTierNetwork, scaledEstate } from '../examples/common/src';

const [benefitsArgument, tierName] = process.argv.slice(2);
const benefitsPerTier = Number(benefitsArgument);
const estate = scaledEstate(ESTATE, benefitsPerTier);
const tier = [estate.nonProduction, estate.production].find((candidate) => candidate.name === tierName);
if (!tier) {
  throw new Error(`Unknown tier ${JSON.stringify(tierName)}; expected "${estate.nonProduction.name}" or "${estate.production.name}".`);
}

const app = new App();
buildTierNetwork(app, estate, tier);
if (!process.argv.includes('--without-checks')) {
  applyPlatformChecks(app, tier.name);
}
app.synth();
