import { ESTATE, applyPlatformChecks, buildTierNetwork } from '@ssd-platform/example-common';
import { App } from 'aws-cdk-lib';

// The production tier: its configuration is ESTATE.production in examples/common/src/estate.ts.
const app = new App();
buildTierNetwork(app, ESTATE, ESTATE.production);
applyPlatformChecks(app, 'production');
app.synth();
