import { ESTATE, applyPlatformChecks, buildTierNetwork } from '@ssd-platform/example-common';
import { App } from 'aws-cdk-lib';

// The non-production tier: its configuration is ESTATE.nonProduction in examples/common/src/estate.ts.
const app = new App();
buildTierNetwork(app, ESTATE, ESTATE.nonProduction);
applyPlatformChecks(app, 'non-production');
app.synth();
